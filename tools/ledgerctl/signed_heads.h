// Rollback evidence for `ledgerctl verify` and the signed-state restore:
// what the log key signed elsewhere (its signed-state file, a checkpoint
// published to clients, witnesses or auditors) compared with the stored
// tree (ledger/signed_head_check.h).
#ifndef TOOLS_LEDGERCTL_SIGNED_HEADS_H_
#define TOOLS_LEDGERCTL_SIGNED_HEADS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ledgerctl {

struct SignedHeadsReport {
  // False when a signed head is ahead of the stored tree or disagrees with it.
  bool ok = true;
  // One line per source, for people.
  std::vector<std::string> lines;
};

// Compares the ledger folder `dir` (opened read-only) with the signed state
// of its log key (<signed_state_dir or dir/keys>/log.key.signed-state; a
// missing file is reported, not a failure) and, when `checkpoint_file` is
// not empty, with that checkpoint note (which must verify under the log's
// key: kUnauthenticated otherwise). kNotFound when `dir` is no ledger folder.
absl::StatusOr<SignedHeadsReport> CompareSignedHeads(
    const std::string& dir, const std::string& signed_state_dir,
    const std::string& checkpoint_file);

// Recreates a lost signed state from the newest checkpoint the operator can
// find (`checkpoint_file`, published to clients or witnesses) or the newest
// stored one, whichever is larger, after checking that the stored tree
// reproduces it. Refuses (kFailedPrecondition) when the file exists or the
// tree is behind the checkpoint or disagrees with it (kDataLoss). Prints
// what it wrote.
absl::Status RestoreSignedState(const std::string& dir,
                                const std::string& signed_state_dir,
                                const std::string& checkpoint_file,
                                std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_SIGNED_HEADS_H_
