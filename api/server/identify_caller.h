// The caller of a call: the local operator in --insecure_loopback mode,
// otherwise the identity and role of the verified client certificate
// (peer_certificate.h), unless the certificate is revoked (--tls_crl).
// Thread-safe.
#ifndef API_SERVER_IDENTIFY_CALLER_H_
#define API_SERVER_IDENTIFY_CALLER_H_

#include "absl/status/statusor.h"
#include "api/server/caller.h"
#include "api/server/revocation_list.h"
#include "grpcpp/security/auth_context.h"

namespace api::server {

// In insecure mode every caller is the local operator. Otherwise
// kUnauthenticated, with a message, when the peer presented no verified
// certificate, the certificate does not follow the profile
// (ParsePeerCertificate), or `revocations` (may be null: none) lists it.
absl::StatusOr<Caller> IdentifyCaller(const grpc::AuthContext* auth,
                                      bool insecure_loopback,
                                      const RevocationList* revocations);

}  // namespace api::server

#endif  // API_SERVER_IDENTIFY_CALLER_H_
