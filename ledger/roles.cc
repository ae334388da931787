#include "ledger/roles.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ledger {
namespace {

struct RoleRow {
  Role role;
  absl::string_view name;
  // Payload types under this namespace prefix may be signed by the role.
  absl::string_view namespace_prefix;
};

constexpr RoleRow kRoles[] = {
    {aifl::ledger::v1::ROLE_ADMIN, "admin", "aifl.ledger.v1."},
    {aifl::ledger::v1::ROLE_COLLECTOR, "collector", "aifl.collector.v1."},
    {aifl::ledger::v1::ROLE_PROVIDER, "provider", "aifl.provider.v1."},
    {aifl::ledger::v1::ROLE_OFFICE, "office", "aifl.office.v1."},
    {aifl::ledger::v1::ROLE_RULES, "rules", "aifl.rules.v1."},
};

const RoleRow* FindRow(Role role) {
  for (const RoleRow& row : kRoles) {
    if (row.role == role) return &row;
  }
  return nullptr;
}

}  // namespace

absl::Status CheckRoleMaySign(Role role, absl::string_view payload_type) {
  const RoleRow* row = FindRow(role);
  if (row == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("a key without a valid role may not sign ", payload_type));
  }
  // Admin keys sign key events only; everything else is a namespace match.
  const bool allowed =
      role == aifl::ledger::v1::ROLE_ADMIN
          ? payload_type == kKeyEventType
          : absl::StartsWith(payload_type, row->namespace_prefix) &&
                payload_type.size() > row->namespace_prefix.size();
  if (allowed) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("role ", row->name, " may not sign payload type ",
                   payload_type, "; it may sign ",
                   role == aifl::ledger::v1::ROLE_ADMIN
                       ? std::string(kKeyEventType)
                       : absl::StrCat(row->namespace_prefix, "*")));
}

absl::Status CheckPayloadTypeName(Role role, absl::string_view payload_type) {
  const RoleRow* row = FindRow(role);
  if (row == nullptr || role == aifl::ledger::v1::ROLE_ADMIN ||
      !absl::StartsWith(payload_type, row->namespace_prefix)) {
    return absl::OkStatus();  // CheckRoleMaySign decides these
  }
  const absl::string_view name =
      payload_type.substr(row->namespace_prefix.size());
  bool ok = !name.empty() && absl::ascii_isalpha(name[0]);
  for (char c : name) ok = ok && (absl::ascii_isalnum(c) || c == '_');
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "payload_type: got ", payload_type, ", want ", row->namespace_prefix,
      "<Name>, one message name (a letter, then letters, digits or _; no "
      "further dots)"));
}

absl::StatusOr<std::string> OpaqueBlobType(Role role) {
  const RoleRow* row = FindRow(role);
  if (row == nullptr || role == aifl::ledger::v1::ROLE_ADMIN) {
    return absl::InvalidArgumentError(absl::StrCat(
        "role ", RoleName(role),
        " has no opaque Blob type: admin keys sign aifl.ledger.v1.KeyEvent "
        "only; give the payload type explicitly"));
  }
  return absl::StrCat(row->namespace_prefix, "Blob");
}

absl::string_view RoleName(Role role) {
  const RoleRow* row = FindRow(role);
  return row == nullptr ? "unspecified" : row->name;
}

absl::Status ParseRoleName(absl::string_view name, Role* role) {
  for (const RoleRow& row : kRoles) {
    if (row.name == name) {
      *role = row.role;
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "role: got \"", name,
      "\", want one of admin, collector, provider, office, rules"));
}

}  // namespace ledger
