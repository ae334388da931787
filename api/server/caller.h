// Who is calling: the TLS role and identity taken from the client
// certificate (mTLS), or the local operator in --insecure_loopback mode.
//
// Certificate profile (api/README.md): subject CN = identity (what
// KeyInfo.tls_identity must equal), OU = TLS role (admin, collector,
// provider, office, auditor, rules), O = organisation. The certificate is
// read in peer_certificate.h, the call's caller found in identify_caller.h.
// Pure functions; thread-safe.
#ifndef API_SERVER_CALLER_H_
#define API_SERVER_CALLER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace api::server {

enum class TlsRole {
  kLocalOperator,  // --insecure_loopback: everything allowed
  kAdmin,
  kCollector,
  kProvider,
  kOffice,
  kAuditor,
  kRules,
};

absl::string_view TlsRoleName(TlsRole role);
// Parses "admin", "collector", … (not "local"). kUnauthenticated otherwise.
absl::StatusOr<TlsRole> ParseTlsRole(absl::string_view name);

struct Caller {
  TlsRole role = TlsRole::kLocalOperator;
  std::string identity;  // certificate CN; "local" for the local operator
  std::string organisation;
};

}  // namespace api::server

#endif  // API_SERVER_CALLER_H_
