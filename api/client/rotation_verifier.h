// Client-side check of one log-key rotation as a server reports it
// (Audit.GetLogKeys; ledger/FORMAT.md, "Following a rotation"). Pure: no
// network, no storage. A client that trusts the old key accepts the new one
// only when all of this holds:
//   - the handover checkpoint (the first larger than the LogKey's leaf)
//     carries a valid signature by the old key, and one by the new key;
//   - the LogKey leaf is included in the handover checkpoint's tree;
//   - the leaf is a KeyEvent whose LogKey names this log's origin and the
//     new key.
// The LogKey's admin signature is not checked here (the client knows no
// admin keys): the old log key vouches for it by signing a tree that
// contains it, and the audit checks who signed it.
//
// Every failure is kDataLoss naming what is wrong.
#ifndef API_CLIENT_ROTATION_VERIFIER_H_
#define API_CLIENT_ROTATION_VERIFIER_H_

#include "absl/status/statusor.h"
#include "api/client/log_verifier.h"
#include "api/v1/ledger_service.pb.h"

namespace api::client {

struct VerifiedRotation {
  LogVerifier new_verifier;
  VerifiedCheckpoint handover;  // verified under both keys
};

// Verifies that `record` rotates the log key away from `old_verifier`'s key.
absl::StatusOr<VerifiedRotation> VerifyRotation(
    const LogVerifier& old_verifier, const aifl::api::v1::LogKeyRecord& record);

}  // namespace api::client

#endif  // API_CLIENT_ROTATION_VERIFIER_H_
