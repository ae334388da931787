// Which payload types each signing role may sign (the table in
// ledger/FORMAT.md, "Roles"). Pure; thread-safe.
#ifndef LEDGER_ROLES_H_
#define LEDGER_ROLES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/proto/key_event.pb.h"

namespace ledger {

using Role = aifl::ledger::v1::Role;

// The payload type of key events, the only payloads the ledger interprets.
inline constexpr absl::string_view kKeyEventType = "aifl.ledger.v1.KeyEvent";

// OK when `role` may sign payloads of `payload_type`; kPermissionDenied
// naming the role and what it may sign otherwise.
absl::Status CheckRoleMaySign(Role role, absl::string_view payload_type);

// Append-only rule (FORMAT.md, "Key-registry rules"): what follows the
// role's namespace prefix (`aifl.collector.v1.` …) must be one protobuf
// message name, a letter then letters, digits or `_`; no further dots (no
// sub-packages, no nested messages). OK for aifl.ledger.v1.KeyEvent;
// kInvalidArgument "payload_type: got …, want …" otherwise. Call after
// CheckRoleMaySign accepted the type.
absl::Status CheckPayloadTypeName(Role role, absl::string_view payload_type);

// The opaque payload type of a role, `aifl.<role>.v1.Blob`: payload bytes
// that are no protobuf message and that no reader interprets (tests,
// experiments, `ledgerctl append` without --type). kInvalidArgument for
// admin (admin keys sign key events only) and for an invalid role.
absl::StatusOr<std::string> OpaqueBlobType(Role role);

// "admin", "collector", … ; "unspecified" for ROLE_UNSPECIFIED.
absl::string_view RoleName(Role role);

// Parses a role name as printed by RoleName. kInvalidArgument listing the
// valid names otherwise.
absl::Status ParseRoleName(absl::string_view name, Role* role);

}  // namespace ledger

#endif  // LEDGER_ROLES_H_
