#include "rules/engine.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace {

namespace v1 = aifl::rules::v1;
namespace provider = aifl::provider::v1;
using testonly::At;
using testonly::LedgerBuilder;

std::unique_ptr<Engine> MakeEngine() {
  auto pack = LoadRulePackFile("rules/packs/ai_act_gpai_v1.textproto");
  EXPECT_TRUE(pack.ok()) << pack.status();
  auto engine = Engine::Create(*pack);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return std::move(engine).value();
}

std::string Ids(const std::vector<v1::Finding>& fs) {
  std::string out;
  for (const auto& f : fs) {
    out += f.model_id() + ":" + f.rule_id() +
           (f.state() == v1::CLEARED ? "-" : "+") + " ";
  }
  return out;
}

// Feeds every entry the builder holds beyond `*fed`.
void Feed(Engine& engine, const LedgerBuilder& b, size_t* fed) {
  for (; *fed < b.entries().size(); ++*fed) {
    ASSERT_TRUE(engine.Ingest(b.entries()[*fed]).ok());
  }
}

// Appends the engine's findings to the ledger, signed by the rules role.
void AppendFindings(LedgerBuilder& b, const std::vector<v1::Finding>& fs) {
  for (const auto& f : fs) b.Add(f, aifl::ledger::v1::ROLE_RULES);
}

provider::ModelDeclaration PlacedModel(const std::string& id) {
  provider::ModelDeclaration d = testonly::Declaration(id);
  testonly::DeclareCompute(&d, 5e23);
  testonly::PlaceOnMarket(&d, At(2025, 9, 1, 9));
  return d;
}

TEST(EngineTest, ReevaluationWithoutNewFactsAppendsNothing) {
  auto engine = MakeEngine();
  LedgerBuilder b;
  size_t fed = 0;
  b.Provider(PlacedModel("m"));
  b.Collector(testonly::Interval("m", 4e23, 6e23));
  Feed(*engine, b, &fed);
  const auto first = engine->EvaluateChanged(At(2025, 10, 1));
  EXPECT_EQ(Ids(first), "m:C1+ m:O1+ m:O2+ m:O3+ m:O4+ ");
  // Before the findings come back from the ledger: nothing twice.
  EXPECT_TRUE(engine->EvaluateAll(At(2025, 10, 2)).empty());
  AppendFindings(b, first);
  Feed(*engine, b, &fed);
  EXPECT_TRUE(engine->EvaluateChanged(At(2025, 10, 3)).empty());
  EXPECT_TRUE(engine->EvaluateAll(At(2025, 10, 3)).empty());
}

TEST(EngineTest, ANewDocumentClearsItsFinding) {
  auto engine = MakeEngine();
  LedgerBuilder b;
  size_t fed = 0;
  b.Provider(PlacedModel("m"));
  b.Collector(testonly::Interval("m", 4e23, 6e23));
  Feed(*engine, b, &fed);
  AppendFindings(b, engine->EvaluateChanged(At(2025, 10, 1)));
  const uint64_t doc = b.Provider(
      testonly::Document("m", provider::ANNEX_XI_TECHNICAL_DOCUMENTATION));
  Feed(*engine, b, &fed);
  const auto cleared = engine->EvaluateChanged(At(2025, 10, 2));
  ASSERT_EQ(Ids(cleared), "m:O1- ");
  EXPECT_EQ(cleared[0].message().rfind("Cleared: ", 0), 0u);
  EXPECT_GT(doc, 0u);
}

TEST(EngineTest, OnlyTouchedModelsAreReevaluated) {
  auto engine = MakeEngine();
  LedgerBuilder b;
  size_t fed = 0;
  b.Provider(PlacedModel("a"));
  b.Provider(PlacedModel("b"));
  Feed(*engine, b, &fed);
  engine->EvaluateChanged(At(2025, 10, 1));
  b.Provider(testonly::Document("b", provider::COPYRIGHT_POLICY));
  Feed(*engine, b, &fed);
  EXPECT_EQ(Ids(engine->EvaluateChanged(At(2025, 10, 2))), "b:O3- ");
}

TEST(EngineTest, DeadlinePassingRaisesOnceOnThePeriodicRun) {
  auto engine = MakeEngine();
  LedgerBuilder b;
  size_t fed = 0;
  provider::ModelDeclaration d = testonly::Declaration("m");
  testonly::DeclareCompute(&d, 2e25);
  d.set_intends_eu_market(true);
  b.Provider(d, At(2025, 9, 1, 10));
  b.Collector(testonly::Interval("m", 1.8e25, 2.2e25));
  Feed(*engine, b, &fed);
  auto first = engine->EvaluateChanged(At(2025, 9, 2));
  ASSERT_EQ(Ids(first), "m:C1+ m:C4+ m:N1+ ");
  EXPECT_EQ(first[2].severity(), v1::WARNING);
  EXPECT_TRUE(engine->EvaluateAll(At(2025, 9, 15, 23)).empty());
  auto late = engine->EvaluateAll(At(2025, 9, 16, 0));
  ASSERT_EQ(Ids(late), "m:N1+ ");
  EXPECT_EQ(late[0].severity(), v1::VIOLATION);
  EXPECT_TRUE(engine->EvaluateAll(At(2025, 9, 17)).empty());
}

TEST(EngineTest, RefusesFindingsNotSignedByTheRulesKey) {
  auto engine = MakeEngine();
  LedgerBuilder b;
  v1::Finding forged;
  forged.set_model_id("m");
  forged.set_rule_id("O1");
  forged.set_state(v1::CLEARED);
  b.Provider(forged);
  EXPECT_EQ(engine->Ingest(b.entries()[0]).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EngineTest, AsOfReplaysOnlyEntriesIntegratedByThen) {
  auto pack = LoadRulePackFile("rules/packs/ai_act_gpai_v1.textproto");
  ASSERT_TRUE(pack.ok());
  LedgerBuilder b;
  b.Provider(PlacedModel("m"), At(2025, 9, 1, 10));
  b.Provider(
      testonly::Document("m", provider::ANNEX_XI_TECHNICAL_DOCUMENTATION),
      At(2025, 9, 10, 10));
  auto before = EvaluateAsOf(*pack, b.entries(), At(2025, 9, 10, 9));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Ids(*before), "m:C1+ m:D1+ m:D2+ m:O1+ m:O2+ m:O3+ m:O4+ ");
  auto after = EvaluateAsOf(*pack, b.entries(), At(2025, 9, 10, 10));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Ids(*after), "m:C1+ m:D1+ m:D2+ m:O2+ m:O3+ m:O4+ ");
}

}  // namespace
}  // namespace rules
