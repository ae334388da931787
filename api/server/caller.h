// Who is calling: the TLS role and identity taken from the client
// certificate (mTLS), or the local operator in --insecure_loopback mode.
//
// Certificate profile (api/README.md): subject CN = identity (what
// KeyInfo.tls_identity must equal), OU = TLS role (admin, collector,
// provider, office, auditor, rules), O = organisation. Pure functions except
// IdentifyCaller, which reads the call's auth context; thread-safe.
#ifndef API_SERVER_CALLER_H_
#define API_SERVER_CALLER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/auth_context.h"

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

// Parses an RFC 2253 subject as gRPC reports it ("CN=a,OU=collector,O=B",
// backslash escapes allowed) into a Caller. kUnauthenticated, saying which
// attribute is missing or wrong, when CN or OU is absent or OU is no role.
absl::StatusOr<Caller> CallerFromSubject(absl::string_view subject);

// The caller of a call. In insecure mode every caller is the local operator.
// Otherwise kUnauthenticated when the peer presented no verified certificate
// or the certificate does not follow the profile.
absl::StatusOr<Caller> IdentifyCaller(const grpc::AuthContext* auth,
                                      bool insecure_loopback);

}  // namespace api::server

#endif  // API_SERVER_CALLER_H_
