// Which payload types each signing role may sign (the table in
// ledger/FORMAT.md, "Roles"). Pure; thread-safe.
#ifndef LEDGER_ROLES_H_
#define LEDGER_ROLES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "ledger/proto/key_event.pb.h"

namespace ledger {

using Role = aifl::ledger::v1::Role;

// The payload type of key events, the only payloads the ledger interprets.
inline constexpr absl::string_view kKeyEventType = "aifl.ledger.v1.KeyEvent";

// OK when `role` may sign payloads of `payload_type`; kPermissionDenied
// naming the role and what it may sign otherwise.
absl::Status CheckRoleMaySign(Role role, absl::string_view payload_type);

// "admin", "collector", … ; "unspecified" for ROLE_UNSPECIFIED.
absl::string_view RoleName(Role role);

// Parses a role name as printed by RoleName. kInvalidArgument listing the
// valid names otherwise.
absl::Status ParseRoleName(absl::string_view name, Role* role);

}  // namespace ledger

#endif  // LEDGER_ROLES_H_
