#include "ledger/note/checkpoint.h"

#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "ledger/crypto/base64.h"

namespace ledger::note {
namespace {

absl::Status LineError(size_t line, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("checkpoint: line ", line, ": ", why));
}

std::string Quote(absl::string_view s) {
  return absl::StrCat("\"", s.substr(0, 80), s.size() > 80 ? "…" : "", "\"");
}

}  // namespace

absl::Status ValidateCheckpoint(const Checkpoint& checkpoint) {
  if (checkpoint.origin.empty() ||
      checkpoint.origin.find('\n') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("checkpoint origin: got ",
                                                   Quote(checkpoint.origin),
                                                   ", want a non-empty line"));
  }
  for (size_t i = 0; i < checkpoint.extensions.size(); ++i) {
    const std::string& ext = checkpoint.extensions[i];
    if (ext.empty() || ext.find('\n') != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint extension ", i, ": got ", Quote(ext),
                       ", want a non-empty line"));
    }
  }
  return absl::OkStatus();
}

std::string FormatCheckpointBody(const Checkpoint& checkpoint) {
  std::string body =
      absl::StrCat(checkpoint.origin, "\n", checkpoint.size, "\n",
                   crypto::Base64Encode(absl::string_view(
                       reinterpret_cast<const char*>(checkpoint.root.data()),
                       checkpoint.root.size())),
                   "\n");
  for (const std::string& ext : checkpoint.extensions) {
    absl::StrAppend(&body, ext, "\n");
  }
  return body;
}

absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body) {
  if (body.empty() || body.back() != '\n') {
    return absl::InvalidArgumentError("checkpoint: body must end in a newline");
  }
  std::vector<absl::string_view> lines;
  for (absl::string_view rest = body.substr(0, body.size() - 1);;) {
    const size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    if (nl == absl::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) return LineError(i + 1, "empty line");
  }
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: got ", lines.size(),
                     " lines, want origin, size and root hash"));
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);

  const absl::string_view size = lines[1];
  if (size.size() > 1 && size[0] == '0') {
    return LineError(
        2, absl::StrCat("tree size ", Quote(size), " has leading zeros"));
  }
  uint64_t value = 0;
  for (char c : size) {
    if (c < '0' || c > '9') {
      return LineError(2, absl::StrCat("tree size: got ", Quote(size),
                                       ", want ASCII decimal digits"));
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return LineError(2, absl::StrCat("tree size ", Quote(size),
                                       " does not fit in 64 bits"));
    }
    value = value * 10 + digit;
  }
  checkpoint.size = value;

  absl::StatusOr<std::string> root = crypto::Base64Decode(lines[2]);
  if (!root.ok()) {
    return LineError(3, absl::StrCat("root hash: ", root.status().message()));
  }
  if (root->size() != checkpoint.root.size()) {
    return LineError(
        3, absl::StrCat("root hash: got ", root->size(), " bytes, want 32"));
  }
  std::memcpy(checkpoint.root.data(), root->data(), checkpoint.root.size());
  for (size_t i = 3; i < lines.size(); ++i) {
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

}  // namespace ledger::note
