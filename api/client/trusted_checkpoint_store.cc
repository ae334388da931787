#include "api/client/trusted_checkpoint_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ledger/durable_rename.h"

namespace api::client {
namespace {

constexpr absl::string_view kHeaderV1 = "aifl-trusted-checkpoint-v1";
constexpr absl::string_view kHeader = "aifl-trusted-checkpoint-v2";

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Reads the whole file; std::nullopt when it does not exist.
absl::StatusOr<std::optional<std::string>> ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return ErrnoError("opening", path);
  }
  std::string content;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0)
    content.append(buffer, n);
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) {
    errno = read_errno;
    return ErrnoError("reading", path);
  }
  return std::optional<std::string>(std::move(content));
}

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
    return ErrnoError("creating", dir);
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
  absl::StatusOr<std::optional<std::string>> content = ReadFile(path);
  if (!content.ok()) return content.status();
  if (!content->has_value()) return std::optional<TrustedCheckpoint>();
  absl::string_view rest = **content;
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
  const std::string tmp = path + ".tmp";
  const int fd =
      ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("creating", tmp);
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n =
        ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += n;
  }
  const bool ok = written == content.size() && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok) {
    errno = saved_errno;
    absl::Status error = ErrnoError("writing", tmp);
    ::unlink(tmp.c_str());  // best effort: the old file is still intact
    return error;
  }
  return ledger::RenameDurably(tmp, path);
}

}  // namespace api::client
