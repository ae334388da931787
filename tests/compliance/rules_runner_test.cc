// The rules engine inside the server (api/server/rules_runner.h) on the
// scenario ledger: its first run appends exactly the findings compliance_check
// reports, signed by the rules key; running again, or after a restart,
// appends nothing; a new fact changes findings incrementally.
#include "api/server/rules_runner.h"

#include <string>

#include "api/server/ledger_model_view.h"
#include "gtest/gtest.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "schema/findings.pb.h"
#include "schema/provider.pb.h"
#include "tests/compliance/testonly/scenario_ledger.h"
#include "tools/compliance_check/compliance_check.h"

namespace {

using compliance_test::Brussels;

constexpr char kPack[] = "rules/packs/ai_act_gpai_v1.textproto";

// The server's one fold of the log and the runner that evaluates it, as
// ledger_server wires them.
struct Runner {
  std::unique_ptr<api::server::LedgerModelView> view;
  std::unique_ptr<api::server::RulesRunner> runner;

  api::server::RulesRunner* operator->() { return runner.get(); }
  void reset() {
    runner.reset();
    view.reset();
  }
};

Runner StartRunner(compliance_test::ScenarioLedger& s) {
  Runner r;
  auto view = api::server::LedgerModelView::Create(&s.fixture->ledger(), kPack);
  EXPECT_TRUE(view.ok()) << view.status();
  r.view = std::move(*view);
  api::server::RulesRunnerOptions options;
  options.rules_key_path = s.rules_key_path;
  options.clock = &s.fixture->clock();
  options.background = false;
  auto runner = api::server::RulesRunner::Start(&s.fixture->ledger(),
                                                r.view.get(), options);
  EXPECT_TRUE(runner.ok()) << runner.status();
  if (runner.ok()) r.runner = std::move(*runner);
  return r;
}

// "model:rule:STATE" of every finding entry from leaf `from` on.
std::string RecordedFindings(ledger::Ledger& l, uint64_t from) {
  std::string out;
  for (uint64_t i = from; i < l.Size(); ++i) {
    auto leaf = ledger::entry::ParseLeaf(*l.GetLeaf(i));
    auto env = ledger::entry::ParseEnvelope(leaf->envelope);
    if (env->payload_type != "aifl.rules.v1.Finding") continue;
    aifl::rules::v1::Finding f;
    f.ParseFromString(env->payload);
    out += f.model_id() + ":" + f.rule_id() + ":" +
           aifl::rules::v1::FindingState_Name(f.state()) + " ";
  }
  return out;
}

TEST(RulesRunnerTest, AppendsTheFindingsOnceAndResumesAfterRestart) {
  auto built = compliance_test::BuildScenarioLedger();
  ASSERT_TRUE(built.ok()) << built.status();
  auto& s = *built;
  s.fixture->clock().Set(Brussels(2026, 7, 1));
  const uint64_t size0 = s.fixture->ledger().Size();

  auto runner = StartRunner(s);
  auto first = runner->RunOnce(/*all=*/true);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 5u);
  EXPECT_EQ(RecordedFindings(s.fixture->ledger(), size0),
            "big:C1:RAISED big:C4:RAISED big:N1:RAISED small:C1:RAISED "
            "small:O1:RAISED ")
      << "by model id, then pack order";
  // The one fold serves the Audit service too: the findings come back
  // through it, the models are its engine's.
  ASSERT_TRUE(runner.view->CatchUp().ok());
  uint64_t next = 0;
  EXPECT_EQ(runner.view->Findings({}, 0, 100, &next).size(), 5u);
  auto big = runner.view->GetModel(api::server::ReadScope(), "big");
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_EQ(big->summary().open_findings(), 3u);

  // Nothing new: nothing appended, incrementally or in full.
  EXPECT_EQ(*runner->RunOnce(false), 0u);
  s.fixture->clock().Advance(absl::Hours(48));
  EXPECT_EQ(*runner->RunOnce(true), 0u);
  const uint64_t size1 = s.fixture->ledger().Size();
  EXPECT_EQ(size1, size0 + 5);

  // A restart replays the log, recognises its own findings, appends nothing.
  runner.reset();
  runner = StartRunner(s);
  EXPECT_EQ(*runner->RunOnce(true), 0u);
  EXPECT_EQ(s.fixture->ledger().Size(), size1);

  // The same verdict compliance_check derives from the folder.
  ASSERT_TRUE(s.fixture->ledger().PublishCheckpoint().ok());
  compliance_check::Options o;
  o.dir = s.fixture->dir();
  o.now = s.fixture->clock().Now();
  o.pack_path = kPack;
  runner.reset();
  s.fixture->Close();
  auto checked = compliance_check::Check(o);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->findings.size(), 5u);
}

TEST(RulesRunnerTest, RefusesAKeyThatIsNotARulesKey) {
  auto built = compliance_test::BuildScenarioLedger();
  ASSERT_TRUE(built.ok());
  auto view =
      api::server::LedgerModelView::Create(&built->fixture->ledger(), kPack);
  ASSERT_TRUE(view.ok()) << view.status();
  api::server::RulesRunnerOptions options;
  options.rules_key_path =
      built->fixture->dir() + "/keys/admin.key";  // enrolled, but admin
  options.background = false;
  auto runner = api::server::RulesRunner::Start(&built->fixture->ledger(),
                                                view->get(), options);
  EXPECT_EQ(runner.status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
