#include "ledger/signed_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ledger/durable_rename.h"

namespace ledger {
namespace {

constexpr absl::string_view kHeader = "aifl-log-signed-state-v1";

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::optional<SignedState>> ReadSignedState(
    const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<SignedState>();
    return ErrnoError("reading", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::UnavailableError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::vector<std::string> lines = absl::StrSplit(buffer.str(), '\n');
  // Four lines, each ending in '\n', so the split has an empty fifth part.
  SignedState state;
  if (lines.size() != 5 || lines[0] != kHeader || !lines[4].empty() ||
      lines[1].empty() || !absl::SimpleAtoi(lines[2], &state.size)) {
    return absl::DataLossError(
        absl::StrCat("signed-state file ", path, " is malformed"));
  }
  auto root = merkle::HashFromBase64(lines[3]);
  if (!root.ok()) {
    return absl::DataLossError(absl::StrCat("signed-state file ", path, ": ",
                                            root.status().message()));
  }
  state.origin = lines[1];
  state.root = *root;
  return std::optional<SignedState>(state);
}

absl::Status WriteSignedState(const std::string& path,
                              const SignedState& state) {
  const std::string content =
      absl::StrCat(kHeader, "\n", state.origin, "\n", state.size, "\n",
                   merkle::HashToBase64(state.root), "\n");
  return WriteFileDurably(path, content, 0600);
}

}  // namespace ledger
