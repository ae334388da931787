// mTLS and the role matrix over real gRPC on loopback, with a throw-away CA:
// each TLS role allowed what it must be and denied (PERMISSION_DENIED) what it
// must not; callers without a verified, well-formed certificate are
// UNAUTHENTICATED; submitters may use only keys bound to their identity.
#include <memory>
#include <string>
#include <vector>

#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "ledger/roles.h"
#include "tests/server/server_harness.h"

namespace tests::server {
namespace {

using aifl::api::v1::Admin;
using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;
using aifl::ledger::v1::Role;

class TlsRolesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dir = ledger::testonly::FreshDir("ca");
    auto ca = TestCa::Create(dir);
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = ca->release();
    ca_pem_ = new std::string(ReadWholeFile(ca_->ca_cert()).value());
    auto issue = [](const char* name, const char* cn, const char* role) {
      return new CertFiles(ca_->IssueClient(name, cn, role).value());
    };
    collector_cert_ = issue("collector", "node-1", "collector");
    provider_cert_ = issue("provider", "lab-1", "provider");
    office_cert_ = issue("office", "office-1", "office");
    auditor_cert_ = issue("auditor", "auditor-1", "auditor");
    admin_cert_ = issue("admin", "admin-1", "admin");
    no_role_cert_ = issue("norole", "somebody", "");
    bad_role_cert_ = issue("badrole", "somebody", "superuser");
  }

  void SetUp() override {
    api::server::ServerOptions options;
    options.checkpoint_interval = absl::Milliseconds(20);
    auto harness = ServerHarness::Start(ca_, options);
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
  }

  std::shared_ptr<grpc::Channel> Channel(const CertFiles* cert) {
    return harness_->TlsChannel(cert, *ca_pem_);
  }

  std::unique_ptr<ledger::EntrySigner> Enrol(Role role,
                                             const std::string& identity) {
    return harness_->fixture().EnrolNewKey(role, "org", identity).value();
  }

  // Submits one envelope; returns the RPC code, or the entry's error code.
  grpc::StatusCode SubmitAs(const CertFiles* cert, const std::string& envelope,
                            uint64_t* leaf = nullptr) {
    auto stub = Ingest::NewStub(Channel(cert));
    aifl::api::v1::SubmitRequest request;
    request.add_envelopes(envelope);
    aifl::api::v1::SubmitResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = stub->Submit(&ctx, request, &response);
    if (!s.ok()) return s.error_code();
    if (response.results(0).has_error()) {
      return static_cast<grpc::StatusCode>(response.results(0).error().code());
    }
    if (leaf != nullptr) *leaf = response.results(0).receipt().leaf_index();
    return grpc::StatusCode::OK;
  }

  grpc::StatusCode GetEntriesAs(const CertFiles* cert) {
    auto stub = Audit::NewStub(Channel(cert));
    aifl::api::v1::GetEntriesRequest request;
    request.set_count(1);
    aifl::api::v1::GetEntriesResponse response;
    grpc::ClientContext ctx;
    return stub->GetEntries(&ctx, request, &response).error_code();
  }

  grpc::StatusCode ListKeysAs(const CertFiles* cert) {
    auto stub = Admin::NewStub(Channel(cert));
    aifl::api::v1::ListKeysResponse response;
    grpc::ClientContext ctx;
    return stub->ListKeys(&ctx, {}, &response).error_code();
  }

  grpc::StatusCode ReceiptAs(const CertFiles* cert, uint64_t leaf) {
    auto stub = Ingest::NewStub(Channel(cert));
    aifl::api::v1::ProofReceiptRequest request;
    request.add_leaf_indices(leaf);
    request.set_wait(true);
    aifl::api::v1::ProofReceipt response;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    return stub->GetProofReceipt(&ctx, request, &response).error_code();
  }

  grpc::StatusCode EnrolAs(const CertFiles* cert, ledger::EntrySigner& admin) {
    auto key = ledger::crypto::SigningKey::Generate().value();
    aifl::ledger::v1::KeyEvent event;
    event.mutable_enrol()->set_public_key(
        std::string(key->public_key().bytes()));
    event.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
    event.mutable_enrol()->set_tls_identity("node-9");
    aifl::api::v1::SubmitKeyEventRequest request;
    // Signed without advancing the signer: a refused event uses no number.
    request.set_envelope(admin
                             .SignAt(admin.next_sequence(),
                                     ledger::kKeyEventType,
                                     event.SerializeAsString())
                             .value());
    auto stub = Admin::NewStub(Channel(cert));
    aifl::api::v1::EntryResult response;
    grpc::ClientContext ctx;
    grpc::StatusCode code =
        stub->SubmitKeyEvent(&ctx, request, &response).error_code();
    if (code == grpc::StatusCode::OK)
      admin.set_next_sequence(admin.next_sequence() + 1);
    return code;
  }

  static TestCa* ca_;
  static std::string* ca_pem_;
  static CertFiles *collector_cert_, *provider_cert_, *office_cert_,
      *auditor_cert_, *admin_cert_, *no_role_cert_, *bad_role_cert_;
  std::unique_ptr<ServerHarness> harness_;
};

TestCa* TlsRolesTest::ca_ = nullptr;
std::string* TlsRolesTest::ca_pem_ = nullptr;
CertFiles *TlsRolesTest::collector_cert_, *TlsRolesTest::provider_cert_,
    *TlsRolesTest::office_cert_, *TlsRolesTest::auditor_cert_,
    *TlsRolesTest::admin_cert_, *TlsRolesTest::no_role_cert_,
    *TlsRolesTest::bad_role_cert_;

TEST_F(TlsRolesTest, CollectorSubmitsWithItsBoundKeyAndReadsOwnReceipts) {
  auto mine = Enrol(aifl::ledger::v1::ROLE_COLLECTOR, "node-1");
  auto other = Enrol(aifl::ledger::v1::ROLE_COLLECTOR, "node-2");
  uint64_t my_leaf = 0, other_leaf = 0;
  ASSERT_EQ(
      SubmitAs(collector_cert_,
               mine->SignNext("aifl.collector.v1.Blob", "a").value(), &my_leaf),
      grpc::StatusCode::OK);
  // Another node's key: refused, and nothing appended.
  const uint64_t size = harness_->ledger().Size();
  EXPECT_EQ(SubmitAs(collector_cert_,
                     other->SignAt(0, "aifl.collector.v1.Blob", "b").value()),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(harness_->ledger().Size(), size);
  ASSERT_EQ(
      harness_->fixture()
          .AppendOne(other->SignNext("aifl.collector.v1.Blob", "c").value())
          .status(),
      absl::OkStatus());
  other_leaf = harness_->ledger().Size() - 1;
  EXPECT_EQ(ReceiptAs(collector_cert_, my_leaf), grpc::StatusCode::OK);
  EXPECT_EQ(ReceiptAs(collector_cert_, other_leaf),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetEntriesAs(collector_cert_), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListKeysAs(collector_cert_), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TlsRolesTest, SubmittersMayNotUseKeysOfAnotherRole) {
  // A provider key bound to the collector's identity: the collector's TLS
  // role submits collector keys only.
  auto provider_key = Enrol(aifl::ledger::v1::ROLE_PROVIDER, "node-1");
  EXPECT_EQ(
      SubmitAs(collector_cert_,
               provider_key->SignNext("aifl.provider.v1.ModelDeclaration", "")
                   .value()),
      grpc::StatusCode::PERMISSION_DENIED);
  auto lab_key = Enrol(aifl::ledger::v1::ROLE_PROVIDER, "lab-1");
  EXPECT_EQ(
      SubmitAs(
          provider_cert_,
          lab_key->SignNext("aifl.provider.v1.ModelDeclaration", "").value()),
      grpc::StatusCode::OK);
  EXPECT_EQ(GetEntriesAs(provider_cert_), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TlsRolesTest, OfficeSubmitsDecisionsAndReadsEverything) {
  auto office_key = Enrol(aifl::ledger::v1::ROLE_OFFICE, "office-1");
  EXPECT_EQ(
      SubmitAs(office_cert_,
               office_key->SignNext("aifl.office.v1.Designation", "").value()),
      grpc::StatusCode::OK);
  EXPECT_EQ(GetEntriesAs(office_cert_), grpc::StatusCode::OK);
  EXPECT_EQ(ListKeysAs(office_cert_), grpc::StatusCode::OK);
  EXPECT_EQ(ReceiptAs(office_cert_, 0), grpc::StatusCode::OK);
  EXPECT_EQ(EnrolAs(office_cert_, harness_->fixture().admin()),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TlsRolesTest, AuditorReadsButNeverWrites) {
  EXPECT_EQ(GetEntriesAs(auditor_cert_), grpc::StatusCode::OK);
  EXPECT_EQ(ListKeysAs(auditor_cert_), grpc::StatusCode::OK);
  EXPECT_EQ(ReceiptAs(auditor_cert_, 0), grpc::StatusCode::OK);
  auto key = Enrol(aifl::ledger::v1::ROLE_COLLECTOR, "auditor-1");
  EXPECT_EQ(SubmitAs(auditor_cert_,
                     key->SignNext("aifl.collector.v1.Blob", "").value()),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(EnrolAs(auditor_cert_, harness_->fixture().admin()),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TlsRolesTest, AdminEnrolsOnlyWithAnAdminKeyBoundToIt) {
  // The genesis admin key is bound to no TLS identity: over mTLS it cannot be
  // used (bootstrap happens locally); an admin key bound to admin-1 can.
  EXPECT_EQ(EnrolAs(admin_cert_, harness_->fixture().admin()),
            grpc::StatusCode::PERMISSION_DENIED);
  auto bound_admin = Enrol(aifl::ledger::v1::ROLE_ADMIN, "admin-1");
  EXPECT_EQ(EnrolAs(admin_cert_, *bound_admin), grpc::StatusCode::OK);
  EXPECT_EQ(ListKeysAs(admin_cert_), grpc::StatusCode::OK);
  EXPECT_EQ(GetEntriesAs(admin_cert_), grpc::StatusCode::PERMISSION_DENIED);
}

// Ingest.GetOwnKeyState over mTLS: a provider (which may not list keys)
// learns its own key's next sequence; asking for another provider's key, or
// for its own key through a certificate of another identity, learns nothing.
TEST_F(TlsRolesTest, SubmittersLearnTheStateOfTheirOwnKeysOnly) {
  auto mine = Enrol(aifl::ledger::v1::ROLE_PROVIDER, "lab-1");
  auto other = Enrol(aifl::ledger::v1::ROLE_PROVIDER, "lab-2");
  ASSERT_EQ(
      SubmitAs(provider_cert_,
               mine->SignNext("aifl.provider.v1.ModelDeclaration", "").value()),
      grpc::StatusCode::OK);
  auto own_keys = [&](const CertFiles* cert,
                      std::vector<const ledger::EntrySigner*> asked,
                      aifl::api::v1::GetOwnKeyStateResponse* response) {
    auto stub = Ingest::NewStub(Channel(cert));
    aifl::api::v1::GetOwnKeyStateRequest request;
    for (const ledger::EntrySigner* k : asked) {
      request.add_key_ids(k->key_id().bytes().data(),
                          k->key_id().bytes().size());
    }
    grpc::ClientContext ctx;
    return stub->GetOwnKeyState(&ctx, request, response).error_code();
  };
  aifl::api::v1::GetOwnKeyStateResponse response;
  ASSERT_EQ(own_keys(provider_cert_, {}, &response), grpc::StatusCode::OK);
  ASSERT_EQ(response.keys_size(), 1);
  EXPECT_EQ(response.keys(0).tls_identity(), "lab-1");
  EXPECT_EQ(response.keys(0).role(), "provider");
  EXPECT_EQ(response.keys(0).next_sequence(), 1u);
  EXPECT_FALSE(response.keys(0).revoked());
  response.Clear();
  ASSERT_EQ(own_keys(provider_cert_, {other.get()}, &response),
            grpc::StatusCode::OK);
  EXPECT_EQ(response.keys_size(), 0);  // lab-2's key: not reported
  response.Clear();
  ASSERT_EQ(own_keys(collector_cert_, {mine.get()}, &response),
            grpc::StatusCode::OK);
  EXPECT_EQ(response.keys_size(), 0);
  EXPECT_EQ(own_keys(auditor_cert_, {}, &response),
            grpc::StatusCode::PERMISSION_DENIED);
  // No certificate: refused at the TLS handshake (the client sees
  // UNAVAILABLE), as every other method.
  EXPECT_EQ(own_keys(nullptr, {}, &response), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsRolesTest, CallersWithoutAProperCertificateAreUnauthenticated) {
  // No certificate at all: refused at the handshake (the client sees
  // UNAVAILABLE), so such a peer cannot hold a connection (issue 14).
  EXPECT_EQ(GetEntriesAs(nullptr), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GetEntriesAs(no_role_cert_), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetEntriesAs(bad_role_cert_), grpc::StatusCode::UNAUTHENTICATED);
  auto key = Enrol(aifl::ledger::v1::ROLE_COLLECTOR, "somebody");
  EXPECT_EQ(
      SubmitAs(nullptr, key->SignNext("aifl.collector.v1.Blob", "").value()),
      grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsRolesTest, CertificateFromAnotherCaIsRefusedAtTheHandshake) {
  auto other = TestCa::Create(ledger::testonly::FreshDir("other-ca"));
  ASSERT_TRUE(other.ok()) << other.status();
  CertFiles stranger =
      (*other)->IssueClient("stranger", "node-1", "collector").value();
  EXPECT_EQ(GetEntriesAs(&stranger), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace tests::server
