// Refusing a tenant at the transport (issue 14 item 4). A collector that
// floods Submit with bad signatures is refused by BadSignatureBackoff before
// any signature is verified, but gRPC has by then read, decrypted and parsed
// every byte of each request (~1 MB per 1,000-entry batch) on the threads
// that also read honest callers' requests. Once an identity owes at least
// FairnessOptions::bad_signature_disconnect_seconds of bad signatures:
//  * its connections are closed when it next calls Submit
//    (ConnectionGate::Sever), which drops every call queued on them unread;
//  * its TLS handshakes fail (this verifier, run by gRPC after the chain
//    verified), so it cannot reconnect until it owes less; gRPC clients then
//    back off exponentially (1 s, 1.6 s, … up to 2 min) between attempts.
// An honest caller on another certificate is unaffected.
#ifndef API_SERVER_TRANSPORT_REFUSAL_H_
#define API_SERVER_TRANSPORT_REFUSAL_H_

#include <memory>

#include "api/server/bad_signature_backoff.h"
#include "api/server/server_metrics.h"
#include "grpcpp/security/tls_certificate_verifier.h"

namespace api::server {

// A certificate verifier that fails the handshake of a client certificate
// whose identity (peer_certificate.h) owes at least `disconnect_seconds` in
// `backoff` (counted in `metrics` as limiter "bad_signature_handshake").
// Certificates that do not parse are left to the per-call check, which
// refuses them with a message. `metrics` is not owned and outlives the
// server's handshakes.
std::shared_ptr<grpc::experimental::CertificateVerifier>
BackoffCertificateVerifier(std::shared_ptr<BadSignatureBackoff> backoff,
                           double disconnect_seconds, ServerMetrics* metrics);

}  // namespace api::server

#endif  // API_SERVER_TRANSPORT_REFUSAL_H_
