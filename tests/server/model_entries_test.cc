// Audit.GetModelEntries over real gRPC and mTLS (issue 19): a ledger_server
// hosting the per-model index answers head and pages that the client
// (api/index/model_entries_client.h) verifies page by page to exactly the
// entries MapFn maps to the model; providers ask about their own models
// only, and get another organisation's entries about them redacted; and a
// hostile server in front of the real one, which omits an entry from a
// page, adds a foreign one, swaps a redacted entry's leaf hash or serves a
// stale map, is caught.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/client/log_verifier.h"
#include "api/index/citation_expand.h"
#include "api/index/model_entries_client.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "index/map_fn.h"
#include "ledger/merkle/hash.h"
#include "ledger/proto/key_event.pb.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/provider.pb.h"
#include "tests/server/server_harness.h"
#include "tests/server/server_process.h"
#include "tests/server/test_index.h"

namespace tests::server {
namespace {

using aifl::api::v1::Audit;
using aifl::api::v1::GetModelEntriesRequest;
using aifl::api::v1::GetModelEntriesResponse;

// In front of the real server: forwards GetModelEntries (as an auditor) and
// passes each answer through `tamper`, over mTLS with the CA's server
// certificate.
class HostileServer final : public Audit::CallbackService {
 public:
  using Tamper = std::function<void(const GetModelEntriesRequest&,
                                    GetModelEntriesResponse*)>;

  HostileServer(std::unique_ptr<Audit::Stub> real, const TestCa& ca)
      : real_(std::move(real)) {
    grpc::SslServerCredentialsOptions ssl(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = ReadWholeFile(ca.ca_cert()).value();
    ssl.pem_key_cert_pairs.push_back({ReadWholeFile(ca.server().key).value(),
                                      ReadWholeFile(ca.server().cert).value()});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl),
                             &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~HostileServer() override { server_->Shutdown(); }

  int port() const { return port_; }
  void set_tamper(Tamper t) {
    absl::MutexLock lock(&mu_);
    tamper_ = std::move(t);
  }

  grpc::ServerUnaryReactor* GetModelEntries(
      grpc::CallbackServerContext* ctx, const GetModelEntriesRequest* request,
      GetModelEntriesResponse* response) override {
    grpc::ClientContext real_ctx;
    grpc::Status s = real_->GetModelEntries(&real_ctx, *request, response);
    {
      absl::MutexLock lock(&mu_);
      if (s.ok() && tamper_) tamper_(*request, response);
    }
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(s);
    return reactor;
  }

 private:
  std::unique_ptr<Audit::Stub> real_;
  absl::Mutex mu_;
  Tamper tamper_ ABSL_GUARDED_BY(mu_);
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

class ModelEntriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto ca = TestCa::Create(ledger::testonly::FreshDir("ca"));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = ca->release();
    ca_pem_ = new std::string(ReadWholeFile(ca_->ca_cert()).value());
    auto issue = [](const char* cn, const char* role, const char* org) {
      return new CertFiles(ca_->IssueClient(cn, cn, role, org).value());
    };
    a_cert_ = issue("lab-a", "provider", "Org A");
    office_cert_ = issue("office-1", "office", "AI Office");
    auditor_cert_ = issue("auditor-1", "auditor", "Auditor");
  }

  void SetUp() override {
    api::server::ServerOptions options;
    options.checkpoint_interval = absl::Milliseconds(20);
    options.open_index = [this](const ledger::Ledger& served) {
      return OpenTestIndex(served, &output_vkey_);
    };
    auto harness = ServerHarness::Start(ca_, options);
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
    auto verifier = api::client::LogVerifier::Create(output_vkey_);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    index_log_ = std::make_unique<api::client::LogVerifier>(*verifier);
    auto& f = harness_->fixture();
    using aifl::ledger::v1::ROLE_COLLECTOR;
    using aifl::ledger::v1::ROLE_PROVIDER;
    using aifl::ledger::v1::ROLE_RULES;
    a_key_ = f.EnrolNewKey(ROLE_PROVIDER, "Org A", "lab-a").value();
    b_key_ = f.EnrolNewKey(ROLE_PROVIDER, "Org B", "lab-b").value();
    collector_ = f.EnrolNewKey(ROLE_COLLECTOR, "Factory", "node-1").value();
    rules_ = f.EnrolNewKey(ROLE_RULES, "Factory", "rules").value();
    Declare(*a_key_, "model-a");
    Declare(*b_key_, "model-b");
    Grow(25);
    aifl::rules::v1::Finding finding;
    finding.set_rule_id("C1");
    finding.set_unit(aifl::rules::v1::AI_SAFETY);
    finding.set_severity(aifl::rules::v1::WARNING);
    finding.set_model_id("model-a");
    finding.set_state(aifl::rules::v1::RAISED);
    Append(*rules_, "aifl.rules.v1.Finding", finding.SerializeAsString());
    WaitIndexed();
  }

  void Append(ledger::EntrySigner& key, const std::string& type,
              const std::string& payload) {
    ASSERT_TRUE(harness_->fixture()
                    .AppendOne(key.SignNext(type, payload).value())
                    .ok());
  }

  void Declare(ledger::EntrySigner& key, const std::string& model) {
    aifl::provider::v1::ModelDeclaration d;
    d.set_model_id(model);
    d.set_provider(model + " provider");
    Append(key, "aifl.provider.v1.ModelDeclaration", d.SerializeAsString());
  }

  // n interval reports, alternately about model-a and model-b.
  void Grow(int n) {
    const int64_t now = absl::ToUnixMillis(harness_->fixture().clock().Now());
    for (int i = 0; i < n; ++i) {
      Append(*collector_, "aifl.collector.v1.IntervalReport",
             AlternatingModelInterval(i, now, 1e20, 2e20).SerializeAsString());
    }
  }

  std::unique_ptr<Audit::Stub> Stub(const CertFiles* cert, int port = 0) {
    return Audit::NewStub(port == 0 ? harness_->TlsChannel(cert, *ca_pem_)
                                    : TlsChannel(port, *ca_pem_, cert));
  }

  absl::StatusOr<api::index::VerifiedModelPages> Fetch(
      Audit::Stub& audit, const std::string& model, uint32_t page_size = 4,
      std::optional<uint64_t> as_of = std::nullopt) {
    api::index::ModelEntriesOptions options;
    options.page_size = page_size;
    options.as_of = as_of;
    return api::index::FetchModelEntries(audit, *index_log_, model, options);
  }

  // Until the hosted index covers every leaf (checkpoints every 20 ms, the
  // index after each).
  void WaitIndexed() {
    auto auditor = Stub(auditor_cert_);
    for (int i = 0; i < 500; ++i) {
      auto r = Fetch(*auditor, "model-a");
      if (r.ok() &&
          r->answer.update().state.input_size == harness_->ledger().Size()) {
        return;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << "the index did not catch up";
  }

  // Every leaf MapFn maps to `model`, by re-running it on the log.
  std::vector<uint64_t> Expected(const std::string& model) {
    std::vector<uint64_t> out;
    for (uint64_t i = 0; i < harness_->ledger().Size(); ++i) {
      auto models =
          vindex::ModelsOfLeaf(i, harness_->ledger().GetLeaf(i).value());
      for (const std::string& m : models.value()) {
        if (m == model) out.push_back(i);
      }
    }
    return out;
  }

  static std::vector<uint64_t> Indices(
      const api::index::VerifiedModelPages& r) {
    std::vector<uint64_t> out;
    for (const vindex::ProvenEntry& e : r.answer.entries()) {
      out.push_back(e.index);
    }
    return out;
  }

  static TestCa* ca_;
  static std::string* ca_pem_;
  static CertFiles *a_cert_, *office_cert_, *auditor_cert_;
  std::string output_vkey_;
  std::unique_ptr<api::client::LogVerifier> index_log_;
  std::unique_ptr<ServerHarness> harness_;
  std::unique_ptr<ledger::EntrySigner> a_key_, b_key_, collector_, rules_;
};

TestCa* ModelEntriesTest::ca_ = nullptr;
std::string* ModelEntriesTest::ca_pem_ = nullptr;
CertFiles *ModelEntriesTest::a_cert_, *ModelEntriesTest::office_cert_,
    *ModelEntriesTest::auditor_cert_;

TEST_F(ModelEntriesTest, PagedAnswerIsCompleteForAuditorsOfficeAndOwner) {
  const std::vector<uint64_t> want = Expected("model-a");
  ASSERT_GE(want.size(), 14u);
  for (const CertFiles* cert : {auditor_cert_, office_cert_, a_cert_}) {
    auto audit = Stub(cert);
    auto r = Fetch(*audit, "model-a");
    ASSERT_TRUE(r.ok()) << cert->cert << ": " << r.status();
    EXPECT_TRUE(r->answer.present());
    EXPECT_EQ(Indices(*r), want);
    EXPECT_EQ(r->pages, (want.size() + 3) / 4);
  }
  // One page of the server's size; an as-of answer is the prefix.
  auto audit = Stub(auditor_cert_);
  auto whole = Fetch(*audit, "model-a", 0);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->pages, 1u);
  auto prefix = Fetch(*audit, "model-a", 2, want[5]);
  ASSERT_TRUE(prefix.ok()) << prefix.status();
  EXPECT_EQ(Indices(*prefix),
            std::vector<uint64_t>(want.begin(), want.begin() + 5));
  EXPECT_EQ(prefix->pages, 3u);
}

TEST_F(ModelEntriesTest, AbsentModelIsAVerifiedNonMembership) {
  auto audit = Stub(auditor_cert_);
  auto r = Fetch(*audit, "no-such-model");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->answer.present());
  EXPECT_TRUE(r->answer.entries().empty());
  EXPECT_EQ(r->pages, 0u);
}

TEST_F(ModelEntriesTest, ProviderAsksAboutItsOwnModelsOnly) {
  auto a = Stub(a_cert_);
  auto other = Fetch(*a, "model-b");
  auto unknown = Fetch(*a, "no-such-model");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other.status().message(), unknown.status().message());
  EXPECT_EQ(other.status().message().find("model-b"), absl::string_view::npos);
}

TEST_F(ModelEntriesTest, AnotherOrganisationsEntryIsRedactedForTheOwner) {
  Declare(*b_key_, "model-a");  // Org B's declaration of Org A's model id
  const uint64_t b_leaf = harness_->ledger().Size() - 1;
  WaitIndexed();
  const std::vector<uint64_t> want = Expected("model-a");
  ASSERT_EQ(want.back(), b_leaf);
  auto a = Stub(a_cert_);
  auto r = Fetch(*a, "model-a");
  ASSERT_TRUE(r.ok()) << r.status();  // was PERMISSION_DENIED
  EXPECT_EQ(Indices(*r), want);
  for (const vindex::ProvenEntry& e : r->answer.entries()) {
    EXPECT_EQ(e.redacted, e.index == b_leaf) << e.index;
    if (!e.redacted) continue;
    EXPECT_TRUE(e.leaf.empty());
    EXPECT_EQ(e.leaf_hash, ledger::merkle::HashLeaf(
                               harness_->ledger().GetLeaf(b_leaf).value()));
  }
  // Readers who may read everything get it unredacted.
  auto auditor = Stub(auditor_cert_);
  auto full = Fetch(*auditor, "model-a");
  ASSERT_TRUE(full.ok()) << full.status();
  for (const vindex::ProvenEntry& e : full->answer.entries()) {
    EXPECT_FALSE(e.redacted) << e.index;
  }
  // A client that refuses redaction gets an error naming the entry (the
  // owner), and the whole answer when nothing is redacted (the auditor).
  api::index::ModelEntriesOptions refuse;
  refuse.page_size = 4;
  refuse.refuse_redacted = true;
  const auto expect_refused_naming_b = [&](const absl::Status& refused) {
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
    EXPECT_NE(refused.message().find(
                  absl::StrCat("leaf ", b_leaf, " of the answer is redacted")),
              absl::string_view::npos)
        << refused;
  };
  expect_refused_naming_b(
      api::index::FetchModelEntries(*a, *index_log_, "model-a", refuse)
          .status());
  auto whole =
      api::index::FetchModelEntries(*auditor, *index_log_, "model-a", refuse);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(Indices(*whole), want);

  // A finding's citation of model-a expands the same way (`ledgerctl model
  // --expand_index --refuse_redacted`): refused for the owner, naming the
  // entry; whole for the auditor; as of the citation's size only.
  auto cited = harness_->server().index()->Cite({"model-a"}, b_leaf + 1);
  ASSERT_TRUE(cited.ok()) << cited.status();
  const aifl::rules::v1::IndexCitation& c = cited->at("model-a");
  expect_refused_naming_b(
      api::index::ExpandCitation(*a, *index_log_, c, refuse).status());
  auto listed = api::index::ExpandCitation(*a, *index_log_, c);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(Indices(*listed), want);
  auto expanded_whole =
      api::index::ExpandCitation(*auditor, *index_log_, c, refuse);
  ASSERT_TRUE(expanded_whole.ok()) << expanded_whole.status();
  EXPECT_EQ(Indices(*expanded_whole), want);
  refuse.as_of = b_leaf;
  EXPECT_EQ(api::index::ExpandCitation(*auditor, *index_log_, c, refuse)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

class HostileModelEntriesTest : public ModelEntriesTest {
 protected:
  void SetUp() override {
    ModelEntriesTest::SetUp();
    hostile_ = std::make_unique<HostileServer>(Stub(auditor_cert_), *ca_);
    via_hostile_ = Stub(auditor_cert_, hostile_->port());
  }

  void ExpectCaught(const std::string& model, absl::string_view why) {
    auto r = Fetch(*via_hostile_, model);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
    EXPECT_NE(r.status().message().find(why), absl::string_view::npos)
        << r.status();
  }

  std::unique_ptr<HostileServer> hostile_;
  std::unique_ptr<Audit::Stub> via_hostile_;
};

TEST_F(HostileModelEntriesTest, HonestPassThroughVerifies) {
  auto r = Fetch(*via_hostile_, "model-a");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Indices(*r), Expected("model-a"));
}

TEST_F(HostileModelEntriesTest, OmittedEntryIsCaught) {
  hostile_->set_tamper(
      [](const GetModelEntriesRequest& req, GetModelEntriesResponse* resp) {
        if (req.start() != 4) return;  // the second page
        resp->mutable_page()->mutable_list()->erase(
            resp->mutable_page()->mutable_list()->begin() + 1);
        resp->mutable_page()->mutable_entries()->erase(
            resp->mutable_page()->mutable_entries()->begin() + 1);
      });
  ExpectCaught("model-a", "do not make the list root");
  // Or the whole second page skipped (the third served in its place).
  hostile_->set_tamper([this](const GetModelEntriesRequest& req,
                              GetModelEntriesResponse* resp) {
    if (req.start() != 4) return;
    GetModelEntriesRequest skip = req;
    skip.set_start(8);
    grpc::ClientContext ctx;
    ASSERT_TRUE(Stub(auditor_cert_)->GetModelEntries(&ctx, skip, resp).ok());
  });
  ExpectCaught("model-a", "starts at position 8");
}

TEST_F(HostileModelEntriesTest, ForeignEntryIsCaught) {
  auto audit = Stub(auditor_cert_);
  GetModelEntriesRequest req;
  req.set_model_id("model-b");
  req.set_page_size(1);
  GetModelEntriesResponse b;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit->GetModelEntries(&ctx, req, &b).ok());
  const aifl::index::v1::ProvenEntry foreign = b.page().entries(0);
  hostile_->set_tamper([foreign](const GetModelEntriesRequest& r,
                                 GetModelEntriesResponse* resp) {
    if (r.start() != 0) return;
    auto* page = resp->mutable_page();
    int at = 0;
    while (at < page->list_size() && page->list(at) < foreign.index()) ++at;
    page->mutable_list()->Add(0);
    page->mutable_entries()->Add();
    for (int k = page->list_size() - 1; k > at; --k) {
      page->set_list(k, page->list(k - 1));
      page->mutable_entries()->SwapElements(k, k - 1);
    }
    page->set_list(at, foreign.index());
    *page->mutable_entries(at) = foreign;
  });
  ExpectCaught("model-a", "do not make the list root");
}

TEST_F(HostileModelEntriesTest, RedactedEntryWithAnotherLeafHashIsCaught) {
  hostile_->set_tamper([](const GetModelEntriesRequest& req,
                          GetModelEntriesResponse* resp) {
    if (req.start() != 4) return;
    aifl::index::v1::ProvenEntry* e = resp->mutable_page()->mutable_entries(2);
    const ledger::merkle::Hash h = ledger::merkle::HashLeaf(e->leaf());
    std::string hash(h.begin(), h.end());
    hash[0] ^= 1;
    e->clear_leaf();
    e->set_leaf_hash(hash);
  });
  ExpectCaught("model-a", "entry at leaf");
}

TEST_F(HostileModelEntriesTest, StaleMapIsCaught) {
  // The answer as it stands now, then the log and the index move on.
  auto audit = Stub(auditor_cert_);
  GetModelEntriesRequest first;
  first.set_model_id("model-a");
  first.set_page_size(4);
  GetModelEntriesResponse old;
  grpc::ClientContext ctx;
  ASSERT_TRUE(audit->GetModelEntries(&ctx, first, &old).ok());
  Grow(6);
  WaitIndexed();
  // The old head under the current output checkpoint: not its last leaf.
  hostile_->set_tamper(
      [old](const GetModelEntriesRequest& r, GetModelEntriesResponse* resp) {
        if (r.start() == 0) *resp->mutable_head() = old.head();
      });
  ExpectCaught("model-a", "stale index");
  // The whole old answer, its checkpoint included: a real signed state, so
  // the pages verify, but it is behind the input log the client reads.
  hostile_->set_tamper(
      [old](const GetModelEntriesRequest& r, GetModelEntriesResponse* resp) {
        if (r.start() == 0) *resp = old;
      });
  auto r = Fetch(*via_hostile_, "model-a");
  ASSERT_TRUE(r.ok()) << r.status();
  const uint64_t input_size = harness_->ledger().Size();
  absl::Status lag =
      api::index::CheckIndexLag(r->answer.update(), input_size, 0);
  EXPECT_EQ(lag.code(), absl::StatusCode::kDataLoss) << lag;
  EXPECT_NE(lag.message().find("stale index"), absl::string_view::npos);
  auto honest = Fetch(*audit, "model-a");
  ASSERT_TRUE(honest.ok());
  EXPECT_TRUE(
      api::index::CheckIndexLag(honest->answer.update(), input_size, 0).ok());
}

}  // namespace
}  // namespace tests::server
