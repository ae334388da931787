// The key events `enroll` and `revoke` build from their flags, shared by
// local and --server mode. Reads files (the public key) but writes nothing.
#ifndef TOOLS_LEDGERCTL_KEY_EVENTS_H_
#define TOOLS_LEDGERCTL_KEY_EVENTS_H_

#include "absl/status/statusor.h"
#include "ledger/proto/key_event.pb.h"

namespace ledgerctl {

// From --pub, --role, --organisation, --node, --tls_identity.
// kInvalidArgument for a missing --pub or an unknown role; the key file's
// read error otherwise.
absl::StatusOr<aifl::ledger::v1::KeyEvent> EnrolEventFromFlags();

// From --key_id and --reason. kInvalidArgument for a malformed key id.
absl::StatusOr<aifl::ledger::v1::KeyEvent> RevokeEventFromFlags();

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_KEY_EVENTS_H_
