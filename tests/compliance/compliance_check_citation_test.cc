// compliance_check --record --index_dir --index_store cites the per-model
// index as ledger_server's rules runner does (issue 19): on two copies of
// the same ledger, with the same index behind it by a few leaves, the
// findings each records carry the same bytes, citation included; an index
// too far behind gives findings without a citation and one stderr line
// saying why (the server logs the same); an index that is not the ledger's,
// or a missing one, is refused before anything is appended.
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/index/index_host.h"
#include "api/server/ledger_model_view.h"
#include "api/server/rules_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/finding_citation.h"
#include "index/map_fn.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "rules/testonly/ledger_builder.h"
#include "schema/findings.pb.h"
#include "tests/compliance/testonly/scenario_ledger.h"
#include "tools/compliance_check/compliance_check.h"

namespace {

using aifl::rules::v1::Finding;
using compliance_test::Brussels;
using compliance_test::ScenarioLedger;
using ::testing::HasSubstr;

constexpr char kPack[] = "rules/packs/ai_act_gpai_v1.textproto";
constexpr char kIndexOrigin[] = "test.example/index";

// An index's output log (a ledger with a rules key enrolled, the key's
// secret key file beside it, as `ledgerctl init` + `enroll` make it) and its
// store: what ledger_server --index_dir --index_key --index_store takes.
struct IndexFolders {
  std::string dir, key_path, store;
  uint64_t indexed_size = 0;  // IndexThenGrow's
};

IndexFolders MakeIndexFolders() {
  auto f = ledger::testonly::LedgerFixture::Create(kIndexOrigin);
  EXPECT_TRUE(f.ok()) << f.status();
  IndexFolders out;
  out.dir = (*f)->dir();
  out.key_path = ledger::testonly::FreshDir("index_key") + "/index.key";
  out.store = ledger::testonly::FreshDir("index_store");
  auto key = ledger::crypto::SigningKey::Generate();
  EXPECT_TRUE(key.ok());
  EXPECT_TRUE(ledger::crypto::WriteSecretKeyFile(out.key_path, **key).ok());
  aifl::ledger::v1::KeyEvent enrol;
  enrol.mutable_enrol()->set_public_key(
      std::string((*key)->public_key().bytes()));
  enrol.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_RULES);
  enrol.mutable_enrol()->set_organisation("indexer");
  auto envelope = (*f)->admin().SignNext(std::string(ledger::kKeyEventType),
                                         enrol.SerializeAsString());
  EXPECT_TRUE((*f)->AppendOne(*envelope).ok());
  return out;
}

// The index of `served` over `folders`, as ledger_server hosts it.
std::unique_ptr<api::index::IndexHost> OpenIndex(const ledger::Ledger& served,
                                                 const IndexFolders& folders) {
  auto output = api::index::OpenOutputLog(folders.dir, folders.key_path);
  EXPECT_TRUE(output.ok()) << output.status();
  auto host =
      api::index::IndexHost::Open(served, std::move(*output), folders.store);
  EXPECT_TRUE(host.ok()) << host.status();
  return std::move(*host);
}

ScenarioLedger Build() {
  auto s = compliance_test::BuildScenarioLedger();
  EXPECT_TRUE(s.ok()) << s.status();
  return std::move(s).value();
}

// The scenario ledger indexed up to its size, then `behind` more leaves
// (a collector's enrolment and an interval report about "big"), so that a
// citation extends the index; the index and the fixture closed.
IndexFolders IndexThenGrow(ScenarioLedger& s) {
  IndexFolders folders = MakeIndexFolders();
  folders.indexed_size = s.fixture->ledger().Size();
  {
    auto host = OpenIndex(s.fixture->ledger(), folders);
    auto step = host->Update();
    EXPECT_TRUE(step.ok()) << step.status();
    EXPECT_EQ(step->state.input_size, s.fixture->ledger().Size());
  }
  auto collector =
      s.fixture->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "Factory 2");
  EXPECT_TRUE(collector.ok()) << collector.status();
  auto report = rules::testonly::Interval("big", 1.8e25, 2.2e25);
  auto envelope = (*collector)
                      ->SignNext("aifl.collector.v1.IntervalReport",
                                 report.SerializeAsString());
  EXPECT_TRUE(s.fixture->AppendOne(*envelope).ok());
  EXPECT_TRUE(s.fixture->ledger().PublishCheckpoint().ok());
  s.fixture->Close();
  return folders;
}

// A copy of the (closed) ledger folder.
std::string CopyOf(const std::string& dir) {
  const std::string copy = ledger::testonly::FreshDir("copy") + "/ledger";
  std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
  return copy;
}

compliance_check::Options Recording(const ScenarioLedger& s,
                                    const std::string& dir,
                                    const IndexFolders& folders) {
  compliance_check::Options o;
  o.dir = dir;
  o.now = s.fixture->clock().Now();
  o.pack_path = kPack;
  o.record = true;
  o.rules_key = s.rules_key_path;
  o.ledger_clock = &s.fixture->clock();
  o.index_dir = folders.dir;
  o.index_store = folders.store;
  return o;
}

// The findings appended to the ledger in `dir` from leaf `from` on.
std::vector<Finding> RecordedIn(const ledger::Ledger& l, uint64_t from) {
  std::vector<Finding> out;
  for (uint64_t i = from; i < l.Size(); ++i) {
    auto leaf = ledger::entry::ParseLeaf(*l.GetLeaf(i));
    auto env = ledger::entry::ParseEnvelope(leaf->envelope);
    if (env->payload_type != "aifl.rules.v1.Finding") continue;
    out.emplace_back();
    EXPECT_TRUE(out.back().ParseFromString(env->payload));
  }
  return out;
}

std::vector<Finding> RecordedIn(const std::string& dir, uint64_t from) {
  ledger::LedgerOptions options;
  options.dir = dir;
  options.read_only = true;
  auto l = ledger::Ledger::Open(options);
  EXPECT_TRUE(l.ok()) << l.status();
  return RecordedIn(**l, from);
}

// Every leaf below `size` MapFn maps to `model`, by re-running it.
std::vector<uint64_t> ListBelow(const std::string& dir,
                                const std::string& model, uint64_t size) {
  ledger::LedgerOptions options;
  options.dir = dir;
  options.read_only = true;
  auto l = ledger::Ledger::Open(options);
  std::vector<uint64_t> out;
  for (uint64_t i = 0; i < size; ++i) {
    auto models = vindex::ModelsOfLeaf(i, (*l)->GetLeaf(i).value());
    for (const std::string& m : models.value()) {
      if (m == model) out.push_back(i);
    }
  }
  return out;
}

TEST(ComplianceCheckCitationTest, RecordsTheBytesTheServerRecords) {
  ScenarioLedger s = Build();
  s.fixture->clock().Set(Brussels(2026, 7, 1));
  const IndexFolders folders = IndexThenGrow(s);
  const std::string copy = CopyOf(s.fixture->dir());
  ledger::LedgerOptions probe;
  probe.dir = copy;
  probe.read_only = true;
  const uint64_t size0 = (*ledger::Ledger::Open(probe))->Size();

  // compliance_check on the copy.
  std::ostringstream out, err;
  EXPECT_EQ(compliance_check::Run(Recording(s, copy, folders), out, err),
            compliance_check::kExitFindings)
      << err.str();
  EXPECT_EQ(err.str(), "");
  const std::vector<Finding> by_check = RecordedIn(copy, size0);
  ASSERT_FALSE(by_check.empty()) << out.str();
  EXPECT_THAT(out.str(),
              HasSubstr(absl::StrCat(
                  "cites the index: ", by_check[0].index_citation().count(),
                  " entries below size ", size0, "\n")));

  // The server's rules runner on the original, over the same index.
  ASSERT_TRUE(s.fixture->Reopen().ok());
  auto view = api::server::LedgerModelView::Create(&s.fixture->ledger(), kPack);
  ASSERT_TRUE(view.ok()) << view.status();
  auto host = OpenIndex(s.fixture->ledger(), folders);
  api::server::RulesRunnerOptions options;
  options.rules_key_path = s.rules_key_path;
  options.clock = &s.fixture->clock();
  options.background = false;
  options.index = host.get();
  auto runner = api::server::RulesRunner::Start(&s.fixture->ledger(),
                                                view->get(), options);
  ASSERT_TRUE(runner.ok()) << runner.status();
  ASSERT_TRUE((*runner)->RunOnce(/*all=*/true).ok());
  const std::vector<Finding> by_server = RecordedIn(s.fixture->ledger(), size0);

  ASSERT_EQ(by_server.size(), by_check.size());
  for (size_t i = 0; i < by_check.size(); ++i) {
    const Finding& f = by_check[i];
    EXPECT_EQ(f.SerializeAsString(), by_server[i].SerializeAsString())
        << f.model_id() << " " << f.rule_id();
    ASSERT_TRUE(f.has_index_citation()) << f.model_id() << " " << f.rule_id();
    EXPECT_EQ(f.index_citation().index_origin(), kIndexOrigin);
    EXPECT_EQ(f.index_citation().input_size(), size0);
    EXPECT_GT(f.index_citation().count(), 0u);
    EXPECT_EQ(vindex::CheckCitedList(f.index_citation(),
                                     ListBelow(copy, f.model_id(), size0)),
              absl::OkStatus())
        << f.model_id();
  }
}

TEST(ComplianceCheckCitationTest, AnIndexTooFarBehindGivesNoCitation) {
  ScenarioLedger s = Build();
  s.fixture->clock().Set(Brussels(2026, 7, 1));
  const IndexFolders folders = IndexThenGrow(s);  // two leaves behind
  compliance_check::Options o = Recording(s, s.fixture->dir(), folders);
  o.index_max_extension = 1;
  std::ostringstream out, err;
  EXPECT_EQ(compliance_check::Run(o, out, err),
            compliance_check::kExitFindings);
  const uint64_t size = folders.indexed_size + 2;
  EXPECT_EQ(err.str(),
            absl::StrCat("compliance_check: findings recorded without a "
                         "citation: UNAVAILABLE: the index is at input size ",
                         folders.indexed_size, ", 2 leaves behind ", size,
                         " (more than 1): no citation until it catches up\n"));
  const std::vector<Finding> recorded = RecordedIn(s.fixture->dir(), size);
  ASSERT_FALSE(recorded.empty());
  for (const Finding& f : recorded) EXPECT_FALSE(f.has_index_citation());
}

TEST(ComplianceCheckCitationTest, RefusesAnotherLedgersOrAMissingIndex) {
  ScenarioLedger s = Build();
  const IndexFolders folders = IndexThenGrow(s);
  ScenarioLedger other = Build();
  other.fixture->Close();
  const uint64_t size = [&] {
    ledger::LedgerOptions probe;
    probe.dir = other.fixture->dir();
    probe.read_only = true;
    return (*ledger::Ledger::Open(probe))->Size();
  }();

  auto checked =
      compliance_check::Check(Recording(other, other.fixture->dir(), folders));
  EXPECT_EQ(checked.status().code(), absl::StatusCode::kFailedPrecondition)
      << checked.status();
  EXPECT_THAT(std::string(checked.status().message()),
              HasSubstr("this ledger's is"));
  IndexFolders missing = folders;
  missing.store += "-typo";
  checked =
      compliance_check::Check(Recording(other, other.fixture->dir(), missing));
  EXPECT_EQ(checked.status().code(), absl::StatusCode::kNotFound)
      << checked.status();
  EXPECT_FALSE(std::filesystem::exists(missing.store));
  EXPECT_TRUE(RecordedIn(other.fixture->dir(), size).empty())
      << "nothing appended";

  // The flags go together, and with --record.
  compliance_check::Options o = Recording(s, s.fixture->dir(), folders);
  o.index_store.clear();
  EXPECT_EQ(compliance_check::Check(o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = Recording(s, s.fixture->dir(), folders);
  o.record = false;
  EXPECT_THAT(std::string(compliance_check::Check(o).status().message()),
              HasSubstr("go with --record"));
}

}  // namespace
