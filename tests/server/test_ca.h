// A throw-away certificate authority for tests, made with the openssl CLI in
// a fresh folder: a CA, a server certificate for localhost / 127.0.0.1, and
// client certificates following the profile (CN = identity, OU = role,
// O = organisation).
#ifndef TESTS_SERVER_TEST_CA_H_
#define TESTS_SERVER_TEST_CA_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/read_file.h"

namespace tests::server {

struct CertFiles {
  std::string cert;  // PEM paths
  std::string key;
};

class TestCa {
 public:
  // Makes the CA and the server certificate in `dir` (which must exist).
  static absl::StatusOr<std::unique_ptr<TestCa>> Create(const std::string& dir);

  // Issues a client certificate with subject O=`org`, OU=`role`, CN=`cn`.
  // `name` names the files.
  absl::StatusOr<CertFiles> IssueClient(const std::string& name,
                                        const std::string& cn,
                                        const std::string& role,
                                        const std::string& org = "Test Org");

  // Issues a client certificate with the openssl `-subj` `subject` (UTF-8),
  // e.g. "/OU=collector/OU=admin/CN=x".
  absl::StatusOr<CertFiles> IssueWithSubject(const std::string& name,
                                             const std::string& subject);

  // Writes a CRL signed by the CA listing the certificates (PEM paths) and
  // returns its path (the same each call: a new call replaces it).
  absl::StatusOr<std::string> WriteCrl(
      const std::vector<std::string>& revoked_certs);

  const std::string& ca_cert() const { return ca_cert_; }
  const CertFiles& server() const { return server_; }

 private:
  std::string dir_;
  std::string ca_cert_;
  std::string ca_key_;
  CertFiles server_;
};

// The tests here read certificates with the common helper.
using common::ReadWholeFile;

}  // namespace tests::server

#endif  // TESTS_SERVER_TEST_CA_H_
