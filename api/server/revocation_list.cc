#include "api/server/revocation_list.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "api/server/openssl_ptr.h"

namespace api::server {
namespace {

BioPtr OpenFile(const std::string& path) {
  return BioPtr(BIO_new_file(path.c_str(), "r"));
}

std::string SerialBytes(const ASN1_INTEGER* serial) {
  return std::string(
      reinterpret_cast<const char*>(ASN1_STRING_get0_data(serial)),
      ASN1_STRING_length(serial));
}

// OK when a certificate in `ca_file` named like the CRL's issuer signed it.
absl::Status VerifyIssuer(X509_CRL* crl, const std::string& ca_file) {
  BioPtr bio = OpenFile(ca_file);
  if (bio == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot read ", ca_file));
  }
  while (true) {
    X509Ptr ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (ca == nullptr) break;
    if (X509_NAME_cmp(X509_get_subject_name(ca.get()),
                      X509_CRL_get_issuer(crl)) == 0 &&
        X509_CRL_verify(crl, X509_get0_pubkey(ca.get())) == 1) {
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the CRL is not signed by a CA certificate in ", ca_file));
}

}  // namespace

absl::Status RevocationList::Load(const std::string& crl_file,
                                  const std::string& ca_file) {
  BioPtr bio = OpenFile(crl_file);
  if (bio == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot read ", crl_file));
  }
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (crl == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(crl_file, ": no PEM X509 CRL"));
  }
  if (absl::Status s = VerifyIssuer(crl.get(), ca_file); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(crl_file, ": ", s.message()));
  }
  auto loaded = std::make_shared<Loaded>();
  unsigned char* der = nullptr;
  int n = i2d_X509_NAME(X509_CRL_get_issuer(crl.get()), &der);
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(crl_file, ": issuer name does not encode"));
  }
  loaded->issuer_der.assign(reinterpret_cast<const char*>(der), n);
  OPENSSL_free(der);
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    loaded->serials.insert(SerialBytes(
        X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
  }
  absl::MutexLock lock(&mu_);
  loaded_ = std::move(loaded);
  return absl::OkStatus();
}

absl::Status RevocationList::Check(const PeerCertificate& cert) const {
  std::shared_ptr<const Loaded> loaded;
  {
    absl::MutexLock lock(&mu_);
    loaded = loaded_;
  }
  if (loaded == nullptr || cert.issuer_der != loaded->issuer_der ||
      !loaded->serials.contains(cert.serial)) {
    return absl::OkStatus();
  }
  return absl::UnauthenticatedError(absl::StrCat(
      "client certificate serial ", absl::BytesToHexString(cert.serial),
      " is revoked (--tls_crl)"));
}

size_t RevocationList::size() const {
  absl::MutexLock lock(&mu_);
  return loaded_ == nullptr ? 0 : loaded_->serials.size();
}

}  // namespace api::server
