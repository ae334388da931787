#include "api/server/transport_refusal.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/server/peer_certificate.h"

namespace api::server {
namespace {

class BackoffVerifier final
    : public grpc::experimental::ExternalCertificateVerifier {
 public:
  BackoffVerifier(std::shared_ptr<BadSignatureBackoff> backoff,
                  double disconnect_seconds, ServerMetrics* metrics)
      : backoff_(std::move(backoff)),
        disconnect_seconds_(disconnect_seconds),
        metrics_(metrics) {}

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> /*callback*/,
              grpc::Status* sync_status) override {
    *sync_status = grpc::Status::OK;
    const grpc::string_ref pem = request->peer_cert();
    absl::StatusOr<PeerCertificate> cert =
        ParsePeerCertificate(absl::string_view(pem.data(), pem.size()));
    if (!cert.ok()) return true;  // the per-call check says why
    const double owed = backoff_->SecondsOwed(cert->caller.identity);
    if (owed >= disconnect_seconds_) {
      metrics_->CountFairnessRefusal(FairnessLimiter::kBadSignatureHandshake);
      *sync_status = grpc::Status(
          grpc::StatusCode::UNAUTHENTICATED,
          absl::StrCat("too many entries with bad signatures from \"",
                       cert->caller.identity, "\": connections refused for ",
                       std::ceil(owed), " s"));
    }
    return true;  // decided synchronously
  }

  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {
  }

 private:
  const std::shared_ptr<BadSignatureBackoff> backoff_;
  const double disconnect_seconds_;
  ServerMetrics* const metrics_;
};

}  // namespace

std::shared_ptr<grpc::experimental::CertificateVerifier>
BackoffCertificateVerifier(std::shared_ptr<BadSignatureBackoff> backoff,
                           double disconnect_seconds, ServerMetrics* metrics) {
  return grpc::experimental::ExternalCertificateVerifier::Create<
      BackoffVerifier>(std::move(backoff), disconnect_seconds, metrics);
}

}  // namespace api::server
