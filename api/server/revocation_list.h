// The certificate revocation list of --tls_crl: which client certificates
// the server refuses although they chain to --tls_client_ca (a leaked key).
// gRPC 1.51's SslServerCredentials takes no CRL, so the check is made per
// call, in IdentifyCaller, against the peer certificate. Thread-safe: Load
// may run (on SIGHUP) while calls check.
#ifndef API_SERVER_REVOCATION_LIST_H_
#define API_SERVER_REVOCATION_LIST_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "api/server/peer_certificate.h"

namespace api::server {

class RevocationList {
 public:
  RevocationList() = default;

  // Replaces the list with the PEM CRL in `crl_file`, after checking that
  // its signature verifies under a certificate in the PEM file `ca_file`
  // whose subject is the CRL's issuer. On any error (kNotFound: unreadable
  // file; kInvalidArgument: no CRL, bad signature, issuer not in `ca_file`)
  // the previous list stays in force.
  absl::Status Load(const std::string& crl_file, const std::string& ca_file);

  // OK unless `cert` was issued by the CRL's issuer and its serial is
  // listed: then kUnauthenticated ("client certificate serial … is
  // revoked"). OK for every certificate while nothing is loaded.
  absl::Status Check(const PeerCertificate& cert) const;

  // How many serials the loaded CRL lists.
  size_t size() const;

 private:
  struct Loaded {
    std::string issuer_der;
    absl::flat_hash_set<std::string> serials;
  };
  mutable absl::Mutex mu_;
  std::shared_ptr<const Loaded> loaded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace api::server

#endif  // API_SERVER_REVOCATION_LIST_H_
