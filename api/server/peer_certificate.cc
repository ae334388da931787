#include "api/server/peer_certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "api/server/openssl_ptr.h"

namespace api::server {
namespace {

absl::Status Refuse(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("client certificate: ", why));
}

// Every value of attribute `nid` in `name`, as UTF-8.
absl::StatusOr<std::vector<std::string>> Values(const X509_NAME* name,
                                                int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data =
        X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n < 0) {
      return Refuse(absl::StrCat(OBJ_nid2sn(nid),
                                 " is not a string convertible to UTF-8"));
    }
    std::string value(reinterpret_cast<const char*>(utf8), n);
    OPENSSL_free(utf8);
    if (value.find('\0') != std::string::npos) {
      return Refuse(absl::StrCat(OBJ_nid2sn(nid), " holds a NUL byte"));
    }
    out.push_back(std::move(value));
  }
  return out;
}

// The one value of `nid`: kUnauthenticated when there are several, or none
// and `required`.
absl::StatusOr<std::string> Single(const X509_NAME* name, int nid,
                                   absl::string_view meaning, bool required) {
  absl::StatusOr<std::vector<std::string>> values = Values(name, nid);
  if (!values.ok()) return values.status();
  if (values->size() > 1) {
    return Refuse(absl::StrCat("subject has ", values->size(), " ",
                               OBJ_nid2sn(nid), " attributes, want one (",
                               meaning, ")"));
  }
  if (values->empty() || values->front().empty()) {
    if (!required) return std::string();
    return Refuse(
        absl::StrCat("subject has no ", OBJ_nid2sn(nid), " (", meaning, ")"));
  }
  return values->front();
}

}  // namespace

absl::StatusOr<PeerCertificate> ParsePeerCertificate(absl::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return Refuse("cannot read the PEM");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) return Refuse("PEM does not parse");
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  absl::StatusOr<std::string> cn =
      Single(subject, NID_commonName, "identity", /*required=*/true);
  if (!cn.ok()) return cn.status();
  absl::StatusOr<std::string> ou =
      Single(subject, NID_organizationalUnitName, "role", /*required=*/true);
  if (!ou.ok()) return ou.status();
  absl::StatusOr<std::vector<std::string>> orgs =
      Values(subject, NID_organizationName);
  if (!orgs.ok()) return orgs.status();
  absl::StatusOr<TlsRole> role = ParseTlsRole(*ou);
  if (!role.ok()) return role.status();

  PeerCertificate out;
  out.caller.identity = *std::move(cn);
  out.caller.role = *role;
  if (!orgs->empty()) out.caller.organisation = orgs->front();
  unsigned char* der = nullptr;
  int n = i2d_X509_NAME(X509_get_issuer_name(cert.get()), &der);
  if (n < 0) return Refuse("issuer name does not encode");
  out.issuer_der.assign(reinterpret_cast<const char*>(der), n);
  OPENSSL_free(der);
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  out.serial.assign(
      reinterpret_cast<const char*>(ASN1_STRING_get0_data(serial)),
      ASN1_STRING_length(serial));
  return out;
}

}  // namespace api::server
