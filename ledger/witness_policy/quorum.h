// Checks a checkpoint note against a tlog-policy (policy.h): one of the
// policy's logs signed it, and its witnesses' cosignatures (cosignature.h)
// satisfy the quorum. Pure functions; thread-safe.
#ifndef LEDGER_WITNESS_POLICY_QUORUM_H_
#define LEDGER_WITNESS_POLICY_QUORUM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/note/checkpoint.h"
#include "ledger/witness_policy/policy.h"

namespace ledger::witness_policy {

struct Cosigned {
  std::string witness;  // The policy's name for the witness.
  uint64_t timestamp = 0;
};

struct CheckpointCosignatures {
  note::Checkpoint checkpoint;
  std::string body;                  // The note text the signatures cover.
  std::string log;                   // The signing log's key name (= origin).
  std::vector<Cosigned> cosigned;    // Valid cosignatures by policy witnesses.
  std::vector<std::string> invalid;  // Policy witnesses whose line failed.
  bool quorum_met = false;
  // Witnesses under the quorum that did not cosign (empty when met, or when
  // the quorum is "none").
  std::vector<std::string> missing;
};

// True when the witnesses named in `cosigned` satisfy `policy`'s quorum
// ("none" is always satisfied).
bool QuorumSatisfied(const Policy& policy,
                     const absl::flat_hash_set<std::string>& cosigned);

// Returns the witnesses reachable from the quorum (through groups) that are
// not in `cosigned`, in policy order.
std::vector<std::string> MissingWitnesses(
    const Policy& policy, const absl::flat_hash_set<std::string>& cosigned);

// Opens `note` with the policy's log keys and checks every cosignature line
// by a policy witness (matched by key name and key id; other lines are
// ignored, as the spec requires). Does not require the quorum.
// Errors: kInvalidArgument for a malformed note or checkpoint body;
// kUnauthenticated when no policy log signed it, a log signature does not
// verify, or the origin is not the signing log's key name.
absl::StatusOr<CheckpointCosignatures> CheckCosignatures(absl::string_view note,
                                                         const Policy& policy);

// CheckCosignatures, then requires the quorum. kFailedPrecondition when it
// is not met, naming the missing witnesses ("checkpoint 42 of ORIGIN: quorum
// Q not met; cosigned by: a; missing: b, c").
absl::StatusOr<CheckpointCosignatures> VerifyCheckpointWithPolicy(
    absl::string_view note, const Policy& policy);

}  // namespace ledger::witness_policy

#endif  // LEDGER_WITNESS_POLICY_QUORUM_H_
