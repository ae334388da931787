#include "api/server/identify_caller.h"

#include <vector>

#include "api/server/peer_certificate.h"
#include "grpc/grpc_security_constants.h"

namespace api::server {

absl::StatusOr<Caller> IdentifyCaller(const grpc::AuthContext* auth,
                                      bool insecure_loopback,
                                      const RevocationList* revocations) {
  if (insecure_loopback) {
    Caller local;
    local.identity = "local";
    return local;
  }
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError(
        "no verified client certificate: this server requires mTLS");
  }
  std::vector<grpc::string_ref> pems =
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) {
    return absl::UnauthenticatedError("client certificate missing");
  }
  absl::StatusOr<PeerCertificate> cert =
      ParsePeerCertificate(absl::string_view(pems[0].data(), pems[0].size()));
  if (!cert.ok()) return cert.status();
  if (revocations != nullptr) {
    if (absl::Status s = revocations->Check(*cert); !s.ok()) return s;
  }
  return cert->caller;
}

}  // namespace api::server
