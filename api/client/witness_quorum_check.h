// The client side of witnessing (issue 17; ../../shared/FEDERATION.md,
// tlog-policy): every verifying reader of a remote log (LedgerClient and so
// GrpcLogReader, TilesLogReader) accepts a checkpoint only when
//   - it is signed by the log key the reader trusts (--vkey, or the key a
//     verified rotation moved trust to: log_verifier.h), AND
//   - a log the policy lists signed it: the policy's `log` lines when it has
//     any; a policy without `log` lines stands for the reader's trusted key
//     (so one policy file of witnesses serves many logs), AND
//   - the policy's quorum cosigned it: cosignature/v1 lines
//     (ledger/note/cosignature.h) by the policy's witnesses, verified over
//     the checkpoint body. Lines by keys the policy does not list are
//     ignored; a line by a listed key that does not verify is not counted.
// After a log-key rotation, a policy with `log` lines must list the new key
// too (as the witnesses' own config must): until then the new key's
// checkpoints are refused (kDataLoss). A policy without `log` lines follows
// the rotations the reader verifies.
// A local ledger folder is the operator's own log, read from its own disk:
// its checkpoints carry no cosignatures and no policy applies to it.
//
// Thread-safe (pure functions over immutable values).
#ifndef API_CLIENT_WITNESS_QUORUM_CHECK_H_
#define API_CLIENT_WITNESS_QUORUM_CHECK_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/client/log_verifier.h"
#include "ledger/witness_policy/policy.h"

namespace api::client {

using WitnessPolicy = ledger::witness_policy::Policy;

// Reads and parses the tlog-policy file at `path`. The file's I/O error, or
// kInvalidArgument "policy file PATH: policy line N: ..." when malformed.
absl::StatusOr<std::shared_ptr<const WitnessPolicy>> LoadPolicyFile(
    const std::string& path);

// kInvalidArgument when `policy` lists logs and none of them is the log
// `log` verifies (same origin and key): every checkpoint would be refused,
// so readers say so when they are created.
absl::Status CheckPolicyNamesLog(const WitnessPolicy& policy,
                                 const LogVerifier& log);

// Checks `note` (already verified with `log`) against `policy` (see above).
// kFailedPrecondition when the quorum is not met: "witness policy:
// checkpoint 42 of ORIGIN:
// quorum Q not met; cosigned by: a; missing: b, c[; invalid cosignatures
// from: d]" (the witness may only be behind: retrying later can succeed);
// kDataLoss when no policy log signed it or the note is malformed.
absl::Status CheckWitnessQuorum(const WitnessPolicy& policy,
                                const LogVerifier& log, absl::string_view note);

}  // namespace api::client

#endif  // API_CLIENT_WITNESS_QUORUM_CHECK_H_
