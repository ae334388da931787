// Findings cite the per-model index (issue 19): a ledger_server hosting the
// index (ServerOptions::open_index) whose rules runner records findings
// gives each finding about a model the citation of its index entry as of
// the size the findings were computed at; expanding the citation over
// Audit.GetModelEntries yields exactly the model's entries below that size,
// each proven; a citation that does not match the served list (another
// count, another root, another model's list), of another index or of an
// unknown MapFn is refused.
#include "index/finding_citation.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/log_verifier.h"
#include "api/index/citation_expand.h"
#include "api/server/rules_runner.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "index/map_fn.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/provider.pb.h"
#include "tests/server/server_harness.h"
#include "tests/server/test_index.h"

namespace tests::server {
namespace {

using aifl::rules::v1::Finding;
using aifl::rules::v1::IndexCitation;

class FindingCitationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api::server::ServerOptions options;
    options.checkpoint_interval = absl::Milliseconds(20);
    options.open_index = [this](const ledger::Ledger& served) {
      return OpenTestIndex(served, &output_vkey_);
    };
    auto harness = ServerHarness::Start(nullptr, options);
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
    auto verifier = api::client::LogVerifier::Create(output_vkey_);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    index_log_ = std::make_unique<api::client::LogVerifier>(*verifier);
    audit_ = aifl::api::v1::Audit::NewStub(harness_->InsecureChannel());
    auto& f = harness_->fixture();
    provider_ = f.EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER, "Org A", "lab-a")
                    .value();
    collector_ =
        f.EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "Factory", "node-1")
            .value();
    EnrolRulesKeyFile();
    Declare("model-a");
    Declare("model-b");
    Grow(21);
  }

  // A rules key with its secret key file, as ledger_server --rules_key.
  void EnrolRulesKeyFile() {
    auto key = ledger::crypto::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    rules_key_path_ = harness_->fixture().dir() + "/rules.key";
    ASSERT_TRUE(
        ledger::crypto::WriteSecretKeyFile(rules_key_path_, **key).ok());
    aifl::ledger::v1::KeyEvent enrol;
    enrol.mutable_enrol()->set_public_key(
        std::string((*key)->public_key().bytes()));
    enrol.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_RULES);
    enrol.mutable_enrol()->set_organisation("Rules engine");
    Append(harness_->fixture().admin(), std::string(ledger::kKeyEventType),
           enrol.SerializeAsString());
  }

  void Append(ledger::EntrySigner& key, const std::string& type,
              const std::string& payload) {
    ASSERT_TRUE(harness_->fixture()
                    .AppendOne(key.SignNext(type, payload).value())
                    .ok());
  }

  void Declare(const std::string& model) {
    aifl::provider::v1::ModelDeclaration d;
    d.set_model_id(model);
    d.set_provider(model + " provider");
    Append(*provider_, "aifl.provider.v1.ModelDeclaration",
           d.SerializeAsString());
  }

  // n interval reports of 4e24 FLOP, alternately about model-a and model-b.
  void Grow(int n) {
    const int64_t now = absl::ToUnixMillis(harness_->fixture().clock().Now());
    for (int i = 0; i < n; ++i) {
      Append(*collector_, "aifl.collector.v1.IntervalReport",
             AlternatingModelInterval(i, now, 3e24, 4e24).SerializeAsString());
    }
  }

  std::unique_ptr<api::server::RulesRunner> StartRunner() {
    api::server::RulesRunnerOptions options;
    options.rules_key_path = rules_key_path_;
    options.clock = &harness_->fixture().clock();
    options.background = false;
    options.index = harness_->server().index();
    auto runner = api::server::RulesRunner::Start(
        &harness_->ledger(), harness_->server().model_view(), options);
    EXPECT_TRUE(runner.ok()) << runner.status();
    return runner.ok() ? std::move(*runner) : nullptr;
  }

  // The findings recorded from leaf `from` on.
  std::vector<Finding> Recorded(uint64_t from) {
    std::vector<Finding> out;
    for (uint64_t i = from; i < harness_->ledger().Size(); ++i) {
      auto leaf = ledger::entry::ParseLeaf(*harness_->ledger().GetLeaf(i));
      auto env = ledger::entry::ParseEnvelope(leaf->envelope);
      if (env->payload_type != "aifl.rules.v1.Finding") continue;
      out.emplace_back();
      out.back().ParseFromString(env->payload);
    }
    return out;
  }

  // Every leaf below `size` MapFn maps to `model`, by re-running it.
  std::vector<uint64_t> ListBelow(const std::string& model, uint64_t size) {
    std::vector<uint64_t> out;
    for (uint64_t i = 0; i < size; ++i) {
      auto models =
          vindex::ModelsOfLeaf(i, harness_->ledger().GetLeaf(i).value());
      for (const std::string& m : models.value()) {
        if (m == model) out.push_back(i);
      }
    }
    return out;
  }

  absl::StatusOr<std::vector<uint64_t>> Expand(const IndexCitation& c) {
    api::index::ModelEntriesOptions options;
    options.page_size = 3;
    auto r = api::index::ExpandCitation(*audit_, *index_log_, c, options);
    if (!r.ok()) return r.status();
    std::vector<uint64_t> out;
    for (const vindex::ProvenEntry& e : r->answer.entries()) {
      out.push_back(e.index);
    }
    return out;
  }

  // Until the hosted index covers `size` leaves.
  void WaitIndexed(uint64_t size) {
    for (int i = 0; i < 500; ++i) {
      api::index::ModelEntriesOptions options;
      auto r = api::index::FetchModelEntries(*audit_, *index_log_, "model-a",
                                             options);
      if (r.ok() && r->answer.update().state.input_size >= size) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << "the index did not reach size " << size;
  }

  std::string output_vkey_;
  std::unique_ptr<api::client::LogVerifier> index_log_;
  std::unique_ptr<ServerHarness> harness_;
  std::unique_ptr<aifl::api::v1::Audit::Stub> audit_;
  std::unique_ptr<ledger::EntrySigner> provider_, collector_;
  std::string rules_key_path_;
};

TEST_F(FindingCitationTest, RecordedFindingsCiteTheModelsIndexEntry) {
  const uint64_t size0 = harness_->ledger().Size();
  auto runner = StartRunner();
  ASSERT_NE(runner, nullptr);
  auto appended = runner->RunOnce(/*all=*/true);
  ASSERT_TRUE(appended.ok()) << appended.status();
  const std::vector<Finding> findings = Recorded(size0);
  ASSERT_EQ(findings.size(), *appended);
  ASSERT_FALSE(findings.empty());
  int cited = 0;
  for (const Finding& f : findings) {
    if (f.model_id().empty()) continue;
    ASSERT_TRUE(f.has_index_citation()) << f.rule_id() << " " << f.model_id();
    const IndexCitation& c = f.index_citation();
    EXPECT_EQ(c.index_origin(), "test.example/index");
    EXPECT_EQ(c.model_key(), f.model_id());
    EXPECT_EQ(c.input_size(), size0) << "as of the fold the rules evaluated";
    EXPECT_TRUE(vindex::CheckCitedList(c, ListBelow(f.model_id(), size0)).ok());
    ++cited;
  }
  EXPECT_GT(cited, 0);

  // Expanded over Audit.GetModelEntries: exactly the model's entries below
  // the cited size, though the index has moved past it (the findings are
  // entries about the model too).
  WaitIndexed(harness_->ledger().Size());
  for (const Finding& f : findings) {
    if (!f.has_index_citation()) continue;
    auto entries = Expand(f.index_citation());
    ASSERT_TRUE(entries.ok()) << entries.status();
    EXPECT_EQ(*entries, ListBelow(f.model_id(), size0));
    EXPECT_EQ(entries->size(), f.index_citation().count());
  }
}

TEST_F(FindingCitationTest, ACitationThatDoesNotMatchIsRefused) {
  const uint64_t size0 = harness_->ledger().Size();
  auto cited = harness_->server().index()->Cite({"model-a"}, size0);
  ASSERT_TRUE(cited.ok()) << cited.status();
  const IndexCitation good = cited->at("model-a");
  WaitIndexed(size0);
  ASSERT_TRUE(Expand(good).ok()) << Expand(good).status();

  auto refused = [&](IndexCitation c, absl::StatusCode code,
                     const std::string& words) {
    absl::StatusOr<std::vector<uint64_t>> r = Expand(c);
    EXPECT_EQ(r.status().code(), code) << r.status();
    EXPECT_NE(r.status().message().find(words), std::string::npos)
        << r.status();
  };
  // Another count, another root.
  IndexCitation c = good;
  c.set_count(good.count() + 1);
  refused(c, absl::StatusCode::kDataLoss,
          absl::StrCat("cited count ", good.count() + 1, ", list root "));
  c = good;
  c.mutable_list_root()->at(31) ^= 1;
  refused(c, absl::StatusCode::kDataLoss,
          absl::StrCat("the index's list: count ", good.count()));
  // The server answers with another model's list (model-b's entries are
  // proven, but they are not what the finding cites).
  c = good;
  c.set_model_key("model-b");
  refused(c, absl::StatusCode::kDataLoss, "cited count");
  // Another index; a MapFn this client does not know.
  c = good;
  c.set_index_origin("test.example/other-index");
  refused(c, absl::StatusCode::kFailedPrecondition, "names the index");
  c = good;
  c.set_map_fn_version(9);
  refused(c, absl::StatusCode::kFailedPrecondition, "MapFn version 9");
  // A size the index has not reached.
  c = good;
  c.set_input_size(harness_->ledger().Size() + 100);
  refused(c, absl::StatusCode::kOutOfRange, "the index is only as of size");
}

}  // namespace
}  // namespace tests::server
