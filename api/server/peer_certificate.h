// The client certificate of a call, read with OpenSSL from the PEM that
// gRPC puts in the auth context (GRPC_X509_PEM_CERT_PROPERTY_NAME) instead of
// from gRPC's RFC 2253 subject string, whose escapes of non-ASCII bytes
// (`café` → `caf\C3\A9`) were mis-decoded. Pure functions; thread-safe.
#ifndef API_SERVER_PEER_CERTIFICATE_H_
#define API_SERVER_PEER_CERTIFICATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/server/caller.h"

namespace api::server {

struct PeerCertificate {
  Caller caller;           // identity (CN), role (OU), organisation (O)
  std::string issuer_der;  // DER of the issuer name
  std::string serial;      // serial number, big-endian magnitude bytes
};

// Parses a PEM certificate (the first one in `pem`) and reads the profile
// (api/README.md, "Certificate profile") from its subject's X509_NAME
// entries, each value converted to UTF-8 (ASN1_STRING_to_UTF8).
// kUnauthenticated, with a message naming the problem, when the PEM does not
// parse, when CN or OU is missing or empty, when the subject holds more than
// one CN or more than one OU (a certificate must not choose between roles or
// identities), when a value holds a NUL byte, or when OU is no role.
absl::StatusOr<PeerCertificate> ParsePeerCertificate(absl::string_view pem);

}  // namespace api::server

#endif  // API_SERVER_PEER_CERTIFICATE_H_
