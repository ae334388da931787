#include "api/client/trusted_checkpoint_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/durable_file.h"
#include "common/errno_status.h"
#include "common/read_file.h"

namespace api::client {
namespace {

constexpr absl::string_view kHeaderV1 = "aifl-trusted-checkpoint-v1";
constexpr absl::string_view kHeader = "aifl-trusted-checkpoint-v2";

// Takes the next '\n'-terminated line off `rest`; false if there is none.
bool NextLine(absl::string_view& rest, absl::string_view& line) {
  const size_t newline = rest.find('\n');
  if (newline == absl::string_view::npos) return false;
  line = rest.substr(0, newline);
  rest.remove_prefix(newline + 1);
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TrustedCheckpointStore>>
TrustedCheckpointStore::Open(std::string dir) {
  if (dir.empty()) {
    return absl::InvalidArgumentError("trusted store folder: got \"\"");
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return common::ErrnoToStatus(errno, absl::StrCat("creating ", dir));
  }
  return std::unique_ptr<TrustedCheckpointStore>(
      new TrustedCheckpointStore(std::move(dir)));
}

std::string TrustedCheckpointStore::PathFor(absl::string_view origin) const {
  std::string name;
  for (char c : origin) {
    if (absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-') {
      name.push_back(c);
    } else {
      absl::StrAppendFormat(&name, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return absl::StrCat(dir_, "/", name, ".checkpoint");
}

absl::StatusOr<std::optional<TrustedCheckpoint>> TrustedCheckpointStore::Load(
    absl::string_view origin) const {
  const std::string path = PathFor(origin);
  absl::StatusOr<std::string> content = common::ReadWholeFile(path);
  if (absl::IsNotFound(content.status())) {
    return std::optional<TrustedCheckpoint>();
  }
  if (!content.ok()) return content.status();
  absl::string_view rest = *content;
  absl::string_view header, file_origin, size, root, verifier_key;
  TrustedCheckpoint checkpoint;
  const bool parsed =
      NextLine(rest, header) && (header == kHeader || header == kHeaderV1) &&
      NextLine(rest, file_origin) && NextLine(rest, size) &&
      NextLine(rest, root) && absl::SimpleAtoi(size, &checkpoint.size) &&
      (header == kHeaderV1 ||
       (NextLine(rest, verifier_key) && !verifier_key.empty()));
  if (!parsed || rest.empty()) {
    return absl::DataLossError(
        absl::StrCat("trusted checkpoint file ", path, " is malformed"));
  }
  if (file_origin != origin) {
    return absl::DataLossError(absl::StrCat("trusted checkpoint file ", path,
                                            " is for origin \"", file_origin,
                                            "\", want \"", origin, "\""));
  }
  absl::StatusOr<ledger::merkle::Hash> parsed_root =
      ledger::merkle::HashFromBase64(root);
  if (!parsed_root.ok()) {
    return absl::DataLossError(absl::StrCat("trusted checkpoint file ", path,
                                            ": ",
                                            parsed_root.status().message()));
  }
  checkpoint.origin = std::string(file_origin);
  checkpoint.root = *parsed_root;
  checkpoint.note = std::string(rest);
  checkpoint.verifier_key = std::string(verifier_key);
  return std::optional<TrustedCheckpoint>(std::move(checkpoint));
}

absl::Status TrustedCheckpointStore::Save(const TrustedCheckpoint& checkpoint) {
  const std::string path = PathFor(checkpoint.origin);
  if (checkpoint.verifier_key.empty() ||
      checkpoint.verifier_key.find('\n') != std::string::npos) {
    return absl::InvalidArgumentError(
        "trusted checkpoint: verifier key: want one non-empty line");
  }
  const std::string content =
      absl::StrCat(kHeader, "\n", checkpoint.origin, "\n", checkpoint.size,
                   "\n", ledger::merkle::HashToBase64(checkpoint.root), "\n",
                   checkpoint.verifier_key, "\n", checkpoint.note);
  return common::WriteFileDurably(path, content, 0600);
}

}  // namespace api::client
