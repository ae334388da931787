#include "api/server/access_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/roles.h"

namespace api::server {
namespace {

using aifl::ledger::v1::Role;

// The signing role a TLS role submits with; ROLE_UNSPECIFIED = none.
Role SigningRoleOf(TlsRole role) {
  switch (role) {
    case TlsRole::kAdmin:
      return aifl::ledger::v1::ROLE_ADMIN;
    case TlsRole::kCollector:
      return aifl::ledger::v1::ROLE_COLLECTOR;
    case TlsRole::kProvider:
      return aifl::ledger::v1::ROLE_PROVIDER;
    case TlsRole::kOffice:
      return aifl::ledger::v1::ROLE_OFFICE;
    case TlsRole::kRules:
      return aifl::ledger::v1::ROLE_RULES;
    default:
      return aifl::ledger::v1::ROLE_UNSPECIFIED;
  }
}

bool Allowed(TlsRole role, Method m) {
  switch (role) {
    case TlsRole::kLocalOperator:
      return true;
    case TlsRole::kAdmin:
      // GetOwnKeyState: the admin key's next sequence for key events.
      return m == Method::kSubmitKeyEvent || m == Method::kGetLogKeys ||
             m == Method::kListKeys || m == Method::kGetStatus ||
             m == Method::kGetCheckpoint || m == Method::kListCheckpoints ||
             m == Method::kGetConsistencyProof || m == Method::kGetOwnKeyState;
    case TlsRole::kProvider:
      // A provider's own view (ReadScopeOf): its models, their findings and
      // evidence, and the keys that sign them (KeyVisibleTo); the handlers
      // refuse or filter everything else.
      if (m == Method::kGetEntries || m == Method::kGetInclusionProof ||
          m == Method::kListModels || m == Method::kGetModel ||
          m == Method::kGetModelEntries || m == Method::kListFindings ||
          m == Method::kWatchFindings || m == Method::kListKeys) {
        return true;
      }
      [[fallthrough]];
    case TlsRole::kCollector:
    case TlsRole::kRules:
      // GetLogKeys: every verifying client must be able to follow a
      // log-key rotation. GetOwnKeyState: every submitter must learn its
      // own keys' next sequence without seeing anyone else's keys.
      return m == Method::kSubmit || m == Method::kGetProofReceipt ||
             m == Method::kGetOwnKeyState || m == Method::kGetCheckpoint ||
             m == Method::kListCheckpoints ||
             m == Method::kGetConsistencyProof || m == Method::kGetLogKeys;
    case TlsRole::kOffice:
      return m != Method::kSubmitKeyEvent;
    case TlsRole::kAuditor:
      // Auditors sign nothing: no own keys (Admin.ListKeys shows all).
      return m != Method::kSubmitKeyEvent && m != Method::kSubmit &&
             m != Method::kGetOwnKeyState;
  }
  return false;
}

}  // namespace

absl::string_view MethodName(Method method) {
  switch (method) {
    case Method::kSubmit:
      return "Ingest.Submit";
    case Method::kGetProofReceipt:
      return "Ingest.GetProofReceipt";
    case Method::kGetOwnKeyState:
      return "Ingest.GetOwnKeyState";
    case Method::kGetCheckpoint:
      return "Audit.GetCheckpoint";
    case Method::kListCheckpoints:
      return "Audit.ListCheckpoints";
    case Method::kGetEntries:
      return "Audit.GetEntries";
    case Method::kGetInclusionProof:
      return "Audit.GetInclusionProof";
    case Method::kGetConsistencyProof:
      return "Audit.GetConsistencyProof";
    case Method::kListModels:
      return "Audit.ListModels";
    case Method::kGetModel:
      return "Audit.GetModel";
    case Method::kListFindings:
      return "Audit.ListFindings";
    case Method::kWatchFindings:
      return "Audit.WatchFindings";
    case Method::kGetLogKeys:
      return "Audit.GetLogKeys";
    case Method::kGetModelEntries:
      return "Audit.GetModelEntries";
    case Method::kSubmitKeyEvent:
      return "Admin.SubmitKeyEvent";
    case Method::kListKeys:
      return "Admin.ListKeys";
    case Method::kGetStatus:
      return "Admin.GetStatus";
  }
  return "unknown";
}

absl::Status CheckMethodAllowed(const Caller& caller, Method method) {
  if (Allowed(caller.role, method)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("TLS role ", TlsRoleName(caller.role), " (", caller.identity,
                   ") may not call ", MethodName(method)));
}

bool ReadsEverything(const Caller& caller) {
  return caller.role == TlsRole::kLocalOperator ||
         caller.role == TlsRole::kOffice || caller.role == TlsRole::kAuditor;
}

ReadScope ReadScopeOf(const Caller& caller,
                      const std::vector<ledger::KeyInfo>& all) {
  ReadScope scope;
  if (ReadsEverything(caller)) return scope;
  scope.everything = false;
  if (caller.role != TlsRole::kProvider) return scope;
  for (const ledger::KeyInfo& key : all) {
    if (key.role != aifl::ledger::v1::ROLE_PROVIDER ||
        key.tls_identity != caller.identity) {
      continue;
    }
    std::string principal = ProviderPrincipal(key);
    if (std::find(scope.principals.begin(), scope.principals.end(),
                  principal) == scope.principals.end()) {
      scope.principals.push_back(std::move(principal));
    }
  }
  return scope;
}

bool KeyVisibleTo(const ReadScope& scope, const ledger::KeyInfo& key) {
  if (scope.everything || key.role != aifl::ledger::v1::ROLE_PROVIDER) {
    return true;
  }
  const std::string principal = ProviderPrincipal(key);
  return std::find(scope.principals.begin(), scope.principals.end(),
                   principal) != scope.principals.end();
}

absl::Status CheckMaySubmitWith(const Caller& caller,
                                const ledger::KeyInfo& key) {
  if (caller.role == TlsRole::kLocalOperator) return absl::OkStatus();
  Role want = SigningRoleOf(caller.role);
  if (want == aifl::ledger::v1::ROLE_UNSPECIFIED || key.role != want) {
    return absl::PermissionDeniedError(absl::StrCat(
        "key ", key.id.ToString(), " has signing role ",
        ledger::RoleName(key.role), "; TLS role ", TlsRoleName(caller.role),
        " may submit only with ", ledger::RoleName(want), " keys"));
  }
  if (key.tls_identity != caller.identity) {
    return absl::PermissionDeniedError(absl::StrCat(
        "key ", key.id.ToString(), " is bound to TLS identity \"",
        key.tls_identity, "\", not to the caller's \"", caller.identity, "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ledger::KeyInfo>> OwnKeys(
    const Caller& caller, const std::vector<ledger::crypto::KeyId>& requested,
    const std::vector<ledger::KeyInfo>& all) {
  if (caller.role == TlsRole::kLocalOperator && requested.empty()) {
    return absl::InvalidArgumentError(
        "key_ids: got none; the local operator has no TLS identity, so name "
        "the keys to report");
  }
  std::vector<ledger::crypto::KeyId> asked_ids = requested;
  std::sort(asked_ids.begin(), asked_ids.end());
  std::vector<ledger::KeyInfo> out;
  for (const ledger::KeyInfo& key : all) {
    const bool asked =
        requested.empty() ||
        std::binary_search(asked_ids.begin(), asked_ids.end(), key.id);
    if (asked && CheckMaySubmitWith(caller, key).ok()) out.push_back(key);
  }
  std::sort(out.begin(), out.end(),
            [](const ledger::KeyInfo& a, const ledger::KeyInfo& b) {
              return a.id < b.id;
            });
  return out;
}

}  // namespace api::server
