#include "api/server/caller.h"

#include "absl/strings/str_cat.h"

namespace api::server {

absl::string_view TlsRoleName(TlsRole role) {
  switch (role) {
    case TlsRole::kLocalOperator:
      return "local";
    case TlsRole::kAdmin:
      return "admin";
    case TlsRole::kCollector:
      return "collector";
    case TlsRole::kProvider:
      return "provider";
    case TlsRole::kOffice:
      return "office";
    case TlsRole::kAuditor:
      return "auditor";
    case TlsRole::kRules:
      return "rules";
  }
  return "unknown";
}

absl::StatusOr<TlsRole> ParseTlsRole(absl::string_view name) {
  for (TlsRole r : {TlsRole::kAdmin, TlsRole::kCollector, TlsRole::kProvider,
                    TlsRole::kOffice, TlsRole::kAuditor, TlsRole::kRules}) {
    if (name == TlsRoleName(r)) return r;
  }
  return absl::UnauthenticatedError(
      absl::StrCat("client certificate OU: got \"", name,
                   "\", want one of admin, collector, provider, office, "
                   "auditor, rules"));
}

}  // namespace api::server
