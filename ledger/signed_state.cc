#include "ledger/signed_state.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/durable_file.h"
#include "common/read_file.h"

namespace ledger {
namespace {

constexpr absl::string_view kHeader = "aifl-log-signed-state-v1";

}  // namespace

absl::StatusOr<std::optional<SignedState>> ReadSignedState(
    const std::string& path) {
  absl::StatusOr<std::string> content = common::ReadWholeFile(path);
  if (absl::IsNotFound(content.status())) return std::optional<SignedState>();
  if (!content.ok()) return content.status();
  const std::vector<std::string> lines = absl::StrSplit(*content, '\n');
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
  return common::WriteFileDurably(path, content, 0600);
}

}  // namespace ledger
