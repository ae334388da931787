// Owning pointers for the OpenSSL objects the server reads client
// certificates and CRLs with (peer_certificate.h, revocation_list.h): one
// definition of each deleter. Header-only.
#ifndef API_SERVER_OPENSSL_PTR_H_
#define API_SERVER_OPENSSL_PTR_H_

#include <openssl/bio.h>
#include <openssl/x509.h>

#include <memory>

namespace api::server {

struct OpenSslFree {
  void operator()(BIO* b) const { BIO_free(b); }
  void operator()(X509* x) const { X509_free(x); }
  void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};

using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
using X509CrlPtr = std::unique_ptr<X509_CRL, OpenSslFree>;

}  // namespace api::server

#endif  // API_SERVER_OPENSSL_PTR_H_
