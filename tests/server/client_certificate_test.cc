// Identity from client certificates, exactly (issue 14 item 7): UTF-8 names
// read from the X.509 subject (a CN `café` used to become `cafC3A9` through
// gRPC's RFC 2253 string), certificates with two OUs or two CNs refused
// (one used to take the stronger role), and revocation by a CRL file
// reloaded while the server runs. Certificates and CRLs are made by the
// openssl CLI in the test.
#include <memory>
#include <string>

#include "api/server/peer_certificate.h"
#include "api/server/revocation_list.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/server/server_harness.h"

namespace tests::server {
namespace {

using api::server::ParsePeerCertificate;
using api::server::PeerCertificate;
using api::server::RevocationList;

class ClientCertificateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto ca = TestCa::Create(ledger::testonly::FreshDir("ca"));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = ca->release();
    auto other = TestCa::Create(ledger::testonly::FreshDir("other-ca"));
    ASSERT_TRUE(other.ok()) << other.status();
    other_ca_ = other->release();
  }

  static std::string Pem(const CertFiles& files) {
    return ReadWholeFile(files.cert).value();
  }
  static CertFiles Issue(const std::string& name, const std::string& subject) {
    return ca_->IssueWithSubject(name, subject).value();
  }

  grpc::Status ListKeysAs(ServerHarness& harness, const CertFiles& cert) {
    auto stub = aifl::api::v1::Admin::NewStub(
        harness.TlsChannel(&cert, ReadWholeFile(ca_->ca_cert()).value()));
    aifl::api::v1::ListKeysResponse response;
    grpc::ClientContext ctx;
    return stub->ListKeys(&ctx, {}, &response);
  }

  static TestCa* ca_;
  static TestCa* other_ca_;
};

TestCa* ClientCertificateTest::ca_ = nullptr;
TestCa* ClientCertificateTest::other_ca_ = nullptr;

TEST_F(ClientCertificateTest, DecodesUtf8Names) {
  auto cert = ParsePeerCertificate(
      Pem(Issue("cafe", "/O=Fabrique Zürich/OU=collector/CN=café")));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->caller.identity, "caf\xC3\xA9");
  EXPECT_EQ(cert->caller.organisation, "Fabrique Z\xC3\xBCrich");
  EXPECT_EQ(cert->caller.role, api::server::TlsRole::kCollector);
  // Characters RFC 2253 escapes stay themselves.
  cert = ParsePeerCertificate(
      Pem(Issue("commas", "/O=Factory, Inc/OU=auditor/CN=a\\+b,c=d")));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->caller.identity, "a+b,c=d");
  EXPECT_EQ(cert->caller.organisation, "Factory, Inc");
}

TEST_F(ClientCertificateTest, RefusesTwoOusOrTwoCns) {
  auto two_ous = ParsePeerCertificate(
      Pem(Issue("two-ous", "/O=x/OU=collector/OU=admin/CN=n")));
  EXPECT_EQ(two_ous.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(two_ous.status().message(),
            "client certificate: subject has 2 OU attributes, want one "
            "(role)");
  auto two_cns =
      ParsePeerCertificate(Pem(Issue("two-cns", "/OU=auditor/CN=a/CN=b")));
  EXPECT_EQ(two_cns.status().code(), absl::StatusCode::kUnauthenticated);
  auto no_ou = ParsePeerCertificate(Pem(Issue("no-ou", "/O=x/CN=n")));
  EXPECT_EQ(no_ou.status().code(), absl::StatusCode::kUnauthenticated);
  auto bad_role = ParsePeerCertificate(Pem(Issue("root-ou", "/OU=root/CN=n")));
  EXPECT_EQ(bad_role.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ParsePeerCertificate("not a pem").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(ClientCertificateTest, RevocationListRefusesListedSerials) {
  CertFiles leaked = Issue("leaked", "/OU=collector/CN=leaked");
  CertFiles kept = Issue("kept", "/OU=collector/CN=kept");
  RevocationList list;
  PeerCertificate leaked_cert = ParsePeerCertificate(Pem(leaked)).value();
  EXPECT_TRUE(list.Check(leaked_cert).ok());  // nothing loaded
  std::string crl = ca_->WriteCrl({leaked.cert}).value();
  ASSERT_TRUE(list.Load(crl, ca_->ca_cert()).ok());
  EXPECT_EQ(list.size(), 1u);
  absl::Status refused = list.Check(leaked_cert);
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.message().find("is revoked"), std::string::npos);
  EXPECT_TRUE(list.Check(ParsePeerCertificate(Pem(kept)).value()).ok());
  // A CRL from another CA is refused and the loaded one stays in force.
  std::string foreign = other_ca_->WriteCrl({}).value();
  EXPECT_EQ(list.Load(foreign, ca_->ca_cert()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(list.Check(leaked_cert).ok());
  EXPECT_EQ(list.Load(ca_->ca_cert() + ".missing", ca_->ca_cert()).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ClientCertificateTest, ServerRefusesOddAndRevokedCertificates) {
  CertFiles cafe = Issue("cafe-auditor", "/OU=auditor/CN=café");
  CertFiles two_ous = Issue("two-ous-tls", "/OU=auditor/OU=admin/CN=x");
  api::server::ServerOptions options;
  options.tls_crl_file = ca_->WriteCrl({}).value();
  auto harness = ServerHarness::Start(ca_, options);
  ASSERT_TRUE(harness.ok()) << harness.status();
  EXPECT_TRUE(ListKeysAs(**harness, cafe).ok());
  grpc::Status s = ListKeysAs(**harness, two_ous);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(s.error_message().find("2 OU attributes"), std::string::npos);
  // The leaked certificate is listed; the running server reads the CRL
  // again (what SIGHUP does in ledger_server).
  ASSERT_TRUE(ca_->WriteCrl({cafe.cert}).ok());
  ASSERT_TRUE((*harness)->server().ReloadCrl().ok());
  s = ListKeysAs(**harness, cafe);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(s.error_message().find("revoked"), std::string::npos);
}

}  // namespace
}  // namespace tests::server
