// The provider's own view over real gRPC and mTLS (issue 23): a table over
// every read method, provider A reading what is about its own model
// (allowed) and what is about provider B's (refused, PERMISSION_DENIED, with
// a message that names nothing of B's), and the office and auditors reading
// both. Collector records belong to the provider whose model they are
// attributed to; unattributed ones to nobody (office and auditors only).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"
#include "tests/server/server_harness.h"
#include "tests/server/test_index.h"

namespace tests::server {
namespace {

using aifl::api::v1::Admin;
using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;

// What the log holds about one provider's model.
struct Target {
  std::string model;
  uint64_t declaration = 0;  // leaf of the provider's declaration
  uint64_t record = 0;       // leaf of a collector record about the model
  uint64_t finding = 0;      // leaf of a finding about the model
  std::string declaration_hash;
};

class ProviderScopeTest : public ::testing::Test {
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
    a2_cert_ = issue("lab-a-2", "provider", "Org A");
    b_cert_ = issue("lab-b", "provider", "Org B");
    office_cert_ = issue("office-1", "office", "AI Office");
    auditor_cert_ = issue("auditor-1", "auditor", "Auditor");
  }

  void SetUp() override {
    api::server::ServerOptions options;
    options.checkpoint_interval = absl::Milliseconds(20);
    options.open_index = [this](const ledger::Ledger& served) {
      return OpenTestIndex(served, &index_vkey_);
    };
    auto harness = ServerHarness::Start(ca_, options);
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
    auto& f = harness_->fixture();
    using aifl::ledger::v1::ROLE_COLLECTOR;
    using aifl::ledger::v1::ROLE_PROVIDER;
    using aifl::ledger::v1::ROLE_RULES;
    a_key_ = f.EnrolNewKey(ROLE_PROVIDER, "Org A", "lab-a").value();
    a2_key_ = f.EnrolNewKey(ROLE_PROVIDER, "Org A", "lab-a-2").value();
    b_key_ = f.EnrolNewKey(ROLE_PROVIDER, "Org B", "lab-b").value();
    collector_ = f.EnrolNewKey(ROLE_COLLECTOR, "Factory", "node-1").value();
    rules_ = f.EnrolNewKey(ROLE_RULES, "Factory", "rules").value();
    a_ = Populate(*a_key_, "model-a", "acct-a");
    b_ = Populate(*b_key_, "model-b", "acct-b");
    unattributed_ = Append(*collector_, "aifl.collector.v1.IntervalReport",
                           Interval("", "acct-nobody"));
  }

  uint64_t Append(ledger::EntrySigner& key, const std::string& type,
                  const std::string& payload) {
    return harness_->fixture()
        .AppendOne(key.SignNext(type, payload).value())
        .value();
  }

  std::string Interval(const std::string& model, const std::string& account) {
    const int64_t now = absl::ToUnixMillis(harness_->fixture().clock().Now());
    aifl::collector::v1::IntervalReport r;
    r.set_run_id(account + "/1");
    r.set_node("n1");
    r.set_start_unix_ms(now - 3600 * 1000);
    r.set_end_unix_ms(now);
    r.set_gpu_count(8);
    r.set_energy_joules(1e9);
    r.mutable_flop()->set_lower(1e20);
    r.mutable_flop()->set_upper(2e20);
    r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
    r.set_model_id(model);
    r.set_account(account);
    r.set_purpose(aifl::common::v1::PRE_TRAINING);
    return r.SerializeAsString();
  }

  Target Populate(ledger::EntrySigner& key, const std::string& model,
                  const std::string& account) {
    Target t;
    t.model = model;
    aifl::provider::v1::ModelDeclaration d;
    d.set_model_id(model);
    d.set_provider(model + " provider");
    d.add_scheduler_accounts(account);
    t.declaration =
        Append(key, "aifl.provider.v1.ModelDeclaration", d.SerializeAsString());
    // Attributed by the scheduler account alone (no model id in it).
    t.record = Append(*collector_, "aifl.collector.v1.IntervalReport",
                      Interval("", account));
    aifl::rules::v1::Finding f;
    f.set_rule_id("C1");
    f.set_unit(aifl::rules::v1::AI_SAFETY);
    f.set_severity(aifl::rules::v1::WARNING);
    f.set_model_id(model);
    f.set_state(aifl::rules::v1::RAISED);
    t.finding = Append(*rules_, "aifl.rules.v1.Finding", f.SerializeAsString());
    std::string leaf = harness_->ledger().GetLeaf(t.declaration).value();
    ledger::merkle::Hash h = ledger::merkle::HashLeaf(leaf);
    t.declaration_hash.assign(reinterpret_cast<const char*>(h.data()),
                              h.size());
    return t;
  }

  std::shared_ptr<grpc::Channel> Channel(const CertFiles* cert) {
    return harness_->TlsChannel(cert, *ca_pem_);
  }

  // Waits until a published checkpoint covers every leaf (the publisher
  // runs every 20 ms).
  void WaitForCheckpoint() {
    auto office = Audit::NewStub(Channel(office_cert_));
    for (int i = 0; i < 500; ++i) {
      aifl::api::v1::Checkpoint cp;
      grpc::ClientContext ctx;
      if (office->GetCheckpoint(&ctx, {}, &cp).ok() &&
          cp.size() == harness_->ledger().Size()) {
        return;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << "no checkpoint covers the log";
  }

  static TestCa* ca_;
  static std::string* ca_pem_;
  static CertFiles *a_cert_, *a2_cert_, *b_cert_, *office_cert_, *auditor_cert_;
  std::string index_vkey_;
  std::unique_ptr<ServerHarness> harness_;
  std::unique_ptr<ledger::EntrySigner> a_key_, a2_key_, b_key_, collector_,
      rules_;
  Target a_, b_;
  uint64_t unattributed_ = 0;
};

TestCa* ProviderScopeTest::ca_ = nullptr;
std::string* ProviderScopeTest::ca_pem_ = nullptr;
CertFiles *ProviderScopeTest::a_cert_, *ProviderScopeTest::a2_cert_,
    *ProviderScopeTest::b_cert_, *ProviderScopeTest::office_cert_,
    *ProviderScopeTest::auditor_cert_;

// A read about one provider's target; returns the call's status and, for
// listing methods, the model ids seen (to show filtering).
struct Read {
  std::string method;
  std::function<grpc::Status(ProviderScopeTest*, Audit::Stub&, const Target&,
                             std::vector<std::string>* seen)>
      call;
};

grpc::Status Entries(Audit::Stub& audit, uint64_t start) {
  aifl::api::v1::GetEntriesRequest r;
  r.set_start(start);
  r.set_count(1);
  aifl::api::v1::GetEntriesResponse out;
  grpc::ClientContext ctx;
  return audit.GetEntries(&ctx, r, &out);
}

grpc::Status ProofOf(Audit::Stub& audit, uint64_t index, uint64_t size) {
  aifl::api::v1::InclusionProofRequest r;
  r.set_leaf_index(index);
  r.set_tree_size(size);
  aifl::api::v1::InclusionProof out;
  grpc::ClientContext ctx;
  return audit.GetInclusionProof(&ctx, r, &out);
}

// Every Audit read that is about a model or its leaves.
std::vector<Read> ScopedReads(uint64_t size) {
  return {
      {"GetEntries (declaration)",
       [](auto*, Audit::Stub& s, const Target& t, auto*) {
         return Entries(s, t.declaration);
       }},
      {"GetEntries (collector record)",
       [](auto*, Audit::Stub& s, const Target& t, auto*) {
         return Entries(s, t.record);
       }},
      {"GetEntries (finding)", [](auto*, Audit::Stub& s, const Target& t,
                                  auto*) { return Entries(s, t.finding); }},
      {"GetInclusionProof (index)",
       [size](auto*, Audit::Stub& s, const Target& t, auto*) {
         return ProofOf(s, t.record, size);
       }},
      {"GetInclusionProof (hash)",
       [size](auto*, Audit::Stub& s, const Target& t, auto*) {
         aifl::api::v1::InclusionProofRequest r;
         r.set_leaf_hash(t.declaration_hash);
         r.set_tree_size(size);
         aifl::api::v1::InclusionProof out;
         grpc::ClientContext ctx;
         return s.GetInclusionProof(&ctx, r, &out);
       }},
      {"GetModel",
       [](auto*, Audit::Stub& s, const Target& t, auto*) {
         aifl::api::v1::GetModelRequest r;
         r.set_model_id(t.model);
         aifl::api::v1::ModelDetail out;
         grpc::ClientContext ctx;
         return s.GetModel(&ctx, r, &out);
       }},
      {"GetModelEntries",
       [](auto*, Audit::Stub& s, const Target& t, auto*) {
         aifl::api::v1::GetModelEntriesRequest r;
         r.set_model_id(t.model);
         grpc::Status st;
         // The hosted index publishes its first update after a tick.
         for (int i = 0; i < 250; ++i) {
           aifl::api::v1::GetModelEntriesResponse out;
           grpc::ClientContext ctx;
           st = s.GetModelEntries(&ctx, r, &out);
           if (st.error_code() != grpc::StatusCode::FAILED_PRECONDITION) break;
           absl::SleepFor(absl::Milliseconds(20));
         }
         return st;
       }},
      {"ListFindings (model filter)",
       [](auto*, Audit::Stub& s, const Target& t, auto* seen) {
         aifl::api::v1::ListFindingsRequest r;
         r.set_model_id(t.model);
         aifl::api::v1::ListFindingsResponse out;
         grpc::ClientContext ctx;
         grpc::Status st = s.ListFindings(&ctx, r, &out);
         for (const auto& f : out.findings()) {
           seen->push_back(f.finding().model_id());
         }
         return st;
       }},
  };
}

void ExpectNoLeak(const grpc::Status& s, const Target& other) {
  for (const std::string& secret :
       {other.model, std::string("Org B"), std::string("lab-b"),
        std::string("Org A"), std::string("model-")}) {
    EXPECT_EQ(s.error_message().find(secret), std::string::npos)
        << s.error_message();
  }
}

TEST_F(ProviderScopeTest, EveryScopedReadAllowsOwnAndRefusesOthers) {
  const uint64_t size = harness_->ledger().Size();
  auto a = Audit::NewStub(Channel(a_cert_));
  auto a2 = Audit::NewStub(Channel(a2_cert_));
  auto b = Audit::NewStub(Channel(b_cert_));
  auto office = Audit::NewStub(Channel(office_cert_));
  auto auditor = Audit::NewStub(Channel(auditor_cert_));
  for (const Read& read : ScopedReads(size)) {
    SCOPED_TRACE(read.method);
    std::vector<std::string> seen;
    EXPECT_TRUE(read.call(this, *a, a_, &seen).ok());
    // Another certificate of the same organisation (its own key enrolled
    // under "Org A") reads A's model too.
    EXPECT_TRUE(read.call(this, *a2, a_, &seen).ok());
    EXPECT_TRUE(read.call(this, *b, b_, &seen).ok());
    for (const std::string& m : seen) EXPECT_NE(m, "") << "no model";
    grpc::Status refused = read.call(this, *a, b_, &seen);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    ExpectNoLeak(refused, b_);
    refused = read.call(this, *b, a_, &seen);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(read.call(this, *office, b_, &seen).ok());
    EXPECT_TRUE(read.call(this, *auditor, a_, &seen).ok());
  }
}

TEST_F(ProviderScopeTest,
       UnclaimedAndAdministrativeLeavesAreNotAProvidersToRead) {
  const uint64_t size = harness_->ledger().Size();
  auto a = Audit::NewStub(Channel(a_cert_));
  auto office = Audit::NewStub(Channel(office_cert_));
  for (uint64_t leaf : {uint64_t{0}, unattributed_}) {  // key event, record
    grpc::Status s = Entries(*a, leaf);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << leaf;
    ExpectNoLeak(s, b_);
    EXPECT_EQ(ProofOf(*a, leaf, size).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(Entries(*office, leaf).ok());
  }
  // A range spanning A's declaration and B's leaves is refused whole.
  aifl::api::v1::GetEntriesRequest r;
  r.set_start(a_.declaration);
  r.set_count(static_cast<uint32_t>(size - a_.declaration));
  aifl::api::v1::GetEntriesResponse out;
  grpc::ClientContext ctx;
  EXPECT_EQ(a->GetEntries(&ctx, r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An unknown hash and another's hash get the same answer.
  auto by_hash = [&](const std::string& hash) {
    aifl::api::v1::InclusionProofRequest req;
    req.set_leaf_hash(hash);
    aifl::api::v1::InclusionProof proof;
    grpc::ClientContext c;
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return a->GetInclusionProof(&c, req, &proof);
  };
  WaitForCheckpoint();
  grpc::Status other = by_hash(b_.declaration_hash);
  grpc::Status unknown = by_hash(std::string(32, '\x07'));
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(unknown.error_code(), other.error_code());
  EXPECT_EQ(unknown.error_message(), other.error_message());
}

TEST_F(ProviderScopeTest, ModelListsAndPagesCountOwnModelsOnly) {
  auto a = Audit::NewStub(Channel(a_cert_));
  auto list = [&](uint32_t page_size, const std::string& token,
                  aifl::api::v1::ListModelsResponse* out) {
    aifl::api::v1::ListModelsRequest r;
    r.set_page_size(page_size);
    r.set_page_token(token);
    grpc::ClientContext ctx;
    return a->ListModels(&ctx, r, out);
  };
  aifl::api::v1::ListModelsResponse page;
  ASSERT_TRUE(list(1, "", &page).ok());
  ASSERT_EQ(page.models_size(), 1);
  EXPECT_EQ(page.models(0).model_id(), "model-a");
  EXPECT_EQ(page.next_page_token(), "") << "B's model must not make a page";
  // A token made from a name below B's model: still A's only (none).
  page.Clear();
  ASSERT_TRUE(list(10, "m6d6f64656c2d61" /* "model-a" */, &page).ok());
  EXPECT_EQ(page.models_size(), 0);
  // GetModel: another's model and an unknown one read alike.
  auto get = [&](const std::string& id) {
    aifl::api::v1::GetModelRequest r;
    r.set_model_id(id);
    aifl::api::v1::ModelDetail out;
    grpc::ClientContext ctx;
    return a->GetModel(&ctx, r, &out);
  };
  grpc::Status other = get("model-b"), unknown = get("no-such-model");
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other.error_message(), unknown.error_message());
}

TEST_F(ProviderScopeTest, FindingsListedAndStreamedAreOwnOnly) {
  auto a = Audit::NewStub(Channel(a_cert_));
  aifl::api::v1::ListFindingsRequest r;
  aifl::api::v1::ListFindingsResponse out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(a->ListFindings(&ctx, r, &out).ok());
  }
  ASSERT_EQ(out.findings_size(), 1);
  EXPECT_EQ(out.findings(0).finding().model_id(), "model-a");
  EXPECT_EQ(out.next_page_token(), "");
  // The stream: replay, then a new finding of B's (not sent) and of A's.
  grpc::ClientContext ctx;
  aifl::api::v1::WatchFindingsRequest w;
  w.set_from_leaf(0);
  auto reader = a->WatchFindings(&ctx, w);
  aifl::api::v1::RecordedFinding got;
  ASSERT_TRUE(reader->Read(&got));
  EXPECT_EQ(got.leaf_index(), a_.finding);
  for (const Target* t : {&b_, &a_}) {
    aifl::rules::v1::Finding f;
    f.set_rule_id("C4");
    f.set_unit(aifl::rules::v1::AI_SAFETY);
    f.set_severity(aifl::rules::v1::CRITICAL);
    f.set_model_id(t->model);
    f.set_state(aifl::rules::v1::RAISED);
    Append(*rules_, "aifl.rules.v1.Finding", f.SerializeAsString());
  }
  const uint64_t a_new = harness_->ledger().Size() - 1;
  ASSERT_TRUE(reader->Read(&got));
  EXPECT_EQ(got.leaf_index(), a_new) << got.finding().model_id();
  EXPECT_EQ(got.finding().model_id(), "model-a");
  ctx.TryCancel();
  while (reader->Read(&got)) EXPECT_EQ(got.finding().model_id(), "model-a");
  reader->Finish();
}

TEST_F(ProviderScopeTest, ModelFreeReadsAreOpenKeysFilteredAndStatusClosed) {
  WaitForCheckpoint();
  auto a = Audit::NewStub(Channel(a_cert_));
  {
    aifl::api::v1::Checkpoint cp;
    grpc::ClientContext ctx;
    EXPECT_TRUE(a->GetCheckpoint(&ctx, {}, &cp).ok());
  }
  {
    aifl::api::v1::ListCheckpointsResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(a->ListCheckpoints(&ctx, {}, &out).ok());
  }
  {
    aifl::api::v1::GetLogKeysResponse out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(a->GetLogKeys(&ctx, {}, &out).ok());
  }
  auto admin = Admin::NewStub(Channel(a_cert_));
  {
    // Keys: the factory's (signers of its evidence) and Org A's, never B's.
    aifl::api::v1::ListKeysResponse out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(admin->ListKeys(&ctx, {}, &out).ok());
    bool collector_seen = false;
    for (const auto& k : out.keys()) {
      EXPECT_NE(k.organisation(), "Org B");
      EXPECT_NE(k.tls_identity(), "lab-b");
      collector_seen |= k.role() == "collector";
    }
    EXPECT_TRUE(collector_seen);
  }
  {
    aifl::api::v1::ServerStatus out;
    grpc::ClientContext ctx;
    EXPECT_EQ(admin->GetStatus(&ctx, {}, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // Receipts stay own-entries: B's declaration is not A's to prove.
  auto ingest = Ingest::NewStub(Channel(a_cert_));
  for (auto [leaf, want] :
       {std::pair{a_.declaration, grpc::StatusCode::OK},
        std::pair{b_.declaration, grpc::StatusCode::PERMISSION_DENIED}}) {
    aifl::api::v1::ProofReceiptRequest r;
    r.add_leaf_indices(leaf);
    r.set_wait(true);
    aifl::api::v1::ProofReceipt out;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    EXPECT_EQ(ingest->GetProofReceipt(&ctx, r, &out).error_code(), want);
  }
}

// Model ids and scheduler accounts belong to their first declarant's
// organisation (ledger/FORMAT.md, "Ownership of models and records"): B
// re-declaring A's model, aliasing onto it and claiming A's account changes
// nothing A sees, shows A none of B's fields, and A's later runs stay A's.
TEST_F(ProviderScopeTest, AnotherOrganisationCannotTakeOrChangeAModel) {
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("model-a");
  d.set_provider("Beta secret fields");
  const uint64_t redeclared = Append(
      *b_key_, "aifl.provider.v1.ModelDeclaration", d.SerializeAsString());
  d.set_model_id("b-fork");
  d.mutable_base_model()->set_model_id("model-a");
  d.mutable_base_model()->set_same_provider(true);
  const uint64_t aliased = Append(*b_key_, "aifl.provider.v1.ModelDeclaration",
                                  d.SerializeAsString());
  d.Clear();
  d.set_model_id("model-b");
  d.set_provider("model-b provider");
  d.add_scheduler_accounts("acct-a");
  Append(*b_key_, "aifl.provider.v1.ModelDeclaration", d.SerializeAsString());
  const uint64_t later_run = Append(
      *collector_, "aifl.collector.v1.IntervalReport", Interval("", "acct-a"));

  auto a = Audit::NewStub(Channel(a_cert_));
  auto b = Audit::NewStub(Channel(b_cert_));
  auto get_model = [](Audit::Stub& s, const std::string& id,
                      aifl::api::v1::ModelDetail* out) {
    aifl::api::v1::GetModelRequest r;
    r.set_model_id(id);
    grpc::ClientContext ctx;
    return s.GetModel(&ctx, r, out);
  };
  aifl::api::v1::ModelDetail mine;
  ASSERT_TRUE(get_model(*a, "model-a", &mine).ok());
  EXPECT_EQ(mine.summary().provider(), "model-a provider");
  EXPECT_EQ(mine.DebugString().find("Beta"), std::string::npos)
      << mine.DebugString();
  EXPECT_EQ(mine.compute_by_account().at("acct-a"), 4e20) << "two runs, A's";
  const auto& ev = mine.evidence_leaves();
  EXPECT_NE(std::find(ev.begin(), ev.end(), later_run), ev.end());
  for (uint64_t leaf : {redeclared, aliased}) {
    EXPECT_EQ(std::find(ev.begin(), ev.end(), leaf), ev.end()) << leaf;
    grpc::Status s = Entries(*a, leaf);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << leaf;
    ExpectNoLeak(s, b_);
    EXPECT_TRUE(Entries(*b, leaf).ok()) << "B reads its own entries";
  }
  aifl::api::v1::ModelDetail theirs;
  EXPECT_EQ(get_model(*b, "model-a", &theirs).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(get_model(*b, "model-b", &theirs).ok());
  EXPECT_EQ(theirs.compute_by_account().count("acct-a"), 0u);
}

// Every provider entry about a model is one rule (ledger/FORMAT.md,
// "Ownership of models and records"): B's document about A's model is not
// folded into it and its leaf is not A's to read; B's document about a model
// no one had declared stays B's after A declares the model.
TEST_F(ProviderScopeTest, AnotherOrganisationsDocumentIsNotTheOwners) {
  aifl::provider::v1::DocumentSubmission doc;
  doc.set_model_id("model-a");
  doc.set_kind(aifl::provider::v1::MODEL_EVALUATION);
  doc.set_title("Beta secret evaluation");
  const uint64_t about_a = Append(
      *b_key_, "aifl.provider.v1.DocumentSubmission", doc.SerializeAsString());
  doc.set_model_id("model-late");
  const uint64_t before_claim = Append(
      *b_key_, "aifl.provider.v1.DocumentSubmission", doc.SerializeAsString());
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("model-late");
  d.set_provider("model-late provider");
  Append(*a_key_, "aifl.provider.v1.ModelDeclaration", d.SerializeAsString());
  doc.set_model_id("model-a");
  doc.set_title("A's own evaluation");
  const uint64_t own = Append(*a2_key_, "aifl.provider.v1.DocumentSubmission",
                              doc.SerializeAsString());

  auto a = Audit::NewStub(Channel(a_cert_));
  auto b = Audit::NewStub(Channel(b_cert_));
  for (uint64_t leaf : {about_a, before_claim}) {
    grpc::Status s = Entries(*a, leaf);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << leaf;
    ExpectNoLeak(s, b_);
    EXPECT_TRUE(Entries(*b, leaf).ok()) << "B reads its own entries";
  }
  EXPECT_TRUE(Entries(*a, own).ok()) << "A's second key's document is A's";
  aifl::api::v1::GetModelRequest r;
  r.set_model_id("model-a");
  aifl::api::v1::ModelDetail mine;
  grpc::ClientContext ctx;
  ASSERT_TRUE(a->GetModel(&ctx, r, &mine).ok());
  const auto& ev = mine.evidence_leaves();
  EXPECT_EQ(std::find(ev.begin(), ev.end(), about_a), ev.end());
  EXPECT_EQ(mine.DebugString().find("Beta secret"), std::string::npos);
}

}  // namespace
}  // namespace tests::server
