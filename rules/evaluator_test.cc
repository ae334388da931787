// One scenario per rule and per boundary, each asserting the exact list of
// findings for the model (rule, severity, unit, evidence leaves, deadline) and
// the words that matter in the message.
#include "rules/evaluator.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/model_state_fold.h"
#include "rules/testonly/evaluator_scenarios.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace {

namespace v1 = aifl::rules::v1;
namespace provider = aifl::provider::v1;
using ::testing::HasSubstr;
using testonly::AddDocs;
using testonly::At;
using testonly::Baseline;
using testonly::BaseModel;
using testonly::CrossingOn;
using testonly::Declaration;
using testonly::DeclareCompute;
using testonly::Document;
using testonly::Interval;
using testonly::LedgerBuilder;
using testonly::OpenSource;
using testonly::Placed;
using testonly::PlaceOnMarket;
using testonly::Scenario;
using testonly::Want;

constexpr char kPack[] = "rules/packs/ai_act_gpai_v1.textproto";
constexpr auto kRC = v1::REGULATION_AND_COMPLIANCE;
constexpr auto kSafety = v1::AI_SAFETY;

const Want kC1{"C1", v1::INFO, kRC, {0, 1}, "training compute is over 1.0e+23"};
const Want kC1Leaf2{
    "C1", v1::INFO, kRC, {0, 2}, "training compute is over 1.0e+23"};
const Want kC4{
    "C4", v1::WARNING, kSafety, {0, 1}, "cumulative compute is over 1.0e+25"};

std::vector<Scenario> Scenarios() {
  const absl::Time t0 = At(2025, 10, 1);
  return {
      {"C1 over 1e23", Baseline(5e23, 4e23, 6e23), t0, {kC1}},
      {"C1 exactly 1e23 is not over", Baseline(1e23, 1e23, 1e23), t0, {}},
      {"C1 possibly over (upper bound only)",
       Baseline(8e22, 8e22, 1.2e23),
       t0,
       {{"C1", v1::INFO, kRC, {0, 1}, "possibly over 1.0e+23"}}},
      {"C1 information missing without modalities",
       Baseline(5e23, 4e23, 6e23, [](auto* d) { d->clear_modalities(); }),
       t0,
       {{"C1",
         v1::WARNING,
         kRC,
         {0},
         "information missing: output modalities not declared"}}},
      {"C1 narrow model is not GPAI",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) {
                  d->clear_modalities();
                  d->add_modalities(provider::OTHER);
                }),
       t0,
       {}},
      {"C4 over by the declared figure",
       Baseline(2e25, 1.8e25, 2.2e25),
       t0,
       {kC1, kC4}},
      {"C4 exactly 1e25 is not over", Baseline(1e25, 1e25, 1e25), t0, {kC1}},
      {"C4 possibly over by the measured upper bound",
       Baseline(9e24, 8e24, 1.2e25),
       t0,
       {kC1,
        {"C4",
         v1::INFO,
         kSafety,
         {0, 1},
         "upper bound 1.2e+25 is over, its lower bound 9.0e+24 is not"}}},
      {"C4 over by the measured lower bound alone",
       Baseline(0, 1.1e25, 1.6e25),
       t0,
       // D1 says nothing: no cumulative figure is declared, and D2 already
       // reports the missing declaration (issue 13 item 5).
       {kC1,
        kC4,
        {"D2",
         v1::WARNING,
         kRC,
         {0},
         "information missing: no declared training compute"}}},
      // Crossing on Monday 1 Sep 2025: the period ends at the end of Monday 15
      // Sep.
      {"N1 last day of the period: due",
       CrossingOn(At(2025, 9, 1, 10)),
       At(2025, 9, 15, 23, 59),
       {kC1,
        kC4,
        {"N1",
         v1::WARNING,
         kRC,
         {0},
         "ends at the end of 2025-09-15",
         At(2025, 9, 16, 0)}}},
      {"N1 the day after: violation",
       CrossingOn(At(2025, 9, 1, 10)),
       At(2025, 9, 16, 0),
       {kC1,
        kC4,
        {"N1",
         v1::VIOLATION,
         kRC,
         {0},
         "no notification recorded",
         At(2025, 9, 16, 0)}}},
      {"N1 notified on the last day",
       CrossingOn(At(2025, 9, 1, 10), At(2025, 9, 15, 23)),
       At(2025, 10, 1),
       {kC1, kC4}},
      {"N1 notified the day after: late",
       CrossingOn(At(2025, 9, 1, 10), At(2025, 9, 16, 0, 1)),
       At(2025, 10, 1),
       {kC1,
        kC4,
        {"N1",
         v1::VIOLATION,
         kRC,
         {0, 2},
         "notified late on 2025-09-16",
         At(2025, 9, 16, 0)}}},
      // Crossing on Saturday 6 Sep: Saturday 20 Sep → Monday 22 Sep.
      {"N1 period ending on a weekend moves to Monday",
       CrossingOn(At(2025, 9, 6, 10)),
       At(2025, 9, 22, 23),
       {kC1,
        kC4,
        {"N1",
         v1::WARNING,
         kRC,
         {0},
         "ends at the end of 2025-09-22",
         At(2025, 9, 23, 0)}}},
      {"N2 planned budget over 1e25 for the EU market",
       testonly::PlannedBudget(true),
       At(2025, 9, 5),
       {kC1Leaf2,
        {"N2",
         v1::INFO,
         kRC,
         {0, 1},
         "planned budget of 2.0e+25",
         At(2025, 9, 18, 0)}}},
      {"N2 planned budget without EU-market intent",
       testonly::PlannedBudget(false),
       At(2025, 9, 5),
       {kC1Leaf2}},
      {"N2 measured trajectory forecast to cross",
       [](LedgerBuilder& b) {
         provider::ModelDeclaration d = Declaration("m");
         DeclareCompute(&d, 5e24);
         d.set_intends_eu_market(true);
         b.Provider(d);
         aifl::collector::v1::RunStarted rs;
         rs.set_run_id("c/1");
         rs.set_model_id("m");
         b.Collector(rs);
         b.Collector(Interval("m", 5e24, 6e24));
       },
       At(2025, 9, 5),
       {kC1Leaf2, {"N2", v1::INFO, kRC, {0, 2}, "forecast to reach 1.0e+25"}}},
      // The modifier rules come first: they decide whether the modifier is
      // the provider before C1 classifies the model (issue 13 item 1; more
      // cases in evaluator_modification_test.cc).
      {"M1 modification over a third of the base",
       Baseline(1.1e24, 1.0e24, 1.2e24,
                [](auto* d) { BaseModel(d, 3e24, false); }),
       t0,
       {{"M1",
         v1::WARNING,
         kRC,
         {0, 1},
         "over 1.0e+24 FLOP, the base model's training compute 3.0e+24 FLOP / "
         "3"},
        {"C1", v1::INFO, kRC, {0, 1}, "over 1.0e+23"}}},
      {"M1 exactly a third is not over: the modifier is not the provider",
       Baseline(1e24, 1e24, 1e24, [](auto* d) { BaseModel(d, 3e24, false); }),
       t0,
       {}},
      {"M2 unknown base compute uses the 1e23/3 fallback",
       Baseline(5e22, 5e22, 5e22, [](auto* d) { BaseModel(d, 0, false); }),
       t0,
       {{"M2",
         v1::WARNING,
         kRC,
         {0, 1},
         "fallback for an unknown base compute (non-systemic base): 1.0e+23 "
         "FLOP / 3"}}},
      {"M2 systemic base uses the 1e25/3 fallback, and M4 follows",
       Baseline(4e24, 4e24, 4e24, [](auto* d) { BaseModel(d, 0, true); }),
       t0,
       {{"M2",
         v1::WARNING,
         kRC,
         {0, 1},
         "(systemic-risk base): 1.0e+25 FLOP / 3"},
        {"C1", v1::INFO, kRC, {0, 1}, "over 1.0e+23"},
        {"M4", v1::WARNING, kSafety, {0}, "presumed to have systemic risk"}}},
      {"Open-source model: exempt from Annex XI/XII, not from copyright and "
       "summary",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) {
                  OpenSource(d);
                  Placed(d);
                }),
       t0,
       {kC1,
        {"O3",
         v1::VIOLATION,
         kRC,
         {0},
         "no COPYRIGHT_POLICY",
         At(2025, 9, 1, 9)},
        {"O4",
         v1::VIOLATION,
         kRC,
         {0},
         "no TRAINING_CONTENT_SUMMARY",
         At(2025, 9, 1, 9)}}},
      {"Open-source systemic model is not exempt",
       Baseline(
           2e25, 1.8e25, 2.2e25,
           [](auto* d) {
             OpenSource(d);
             Placed(d);
           },
           [](LedgerBuilder& b) {
             b.Provider(testonly::Notification("m", 2e25));
           }),
       t0,
       {kC1,
        kC4,
        {"O1", v1::VIOLATION, kRC, {0}, "ANNEX_XI", At(2025, 9, 1, 9)},
        {"O2", v1::VIOLATION, kRC, {0}, "ANNEX_XII", At(2025, 9, 1, 9)},
        {"O3", v1::VIOLATION, kRC, {0}, "COPYRIGHT", At(2025, 9, 1, 9)},
        {"O4", v1::VIOLATION, kRC, {0}, "TRAINING_CONTENT", At(2025, 9, 1, 9)},
        {"O7",
         v1::VIOLATION,
         kSafety,
         {0},
         "MODEL_EVALUATION",
         At(2025, 9, 1, 9)},
        {"O7A", v1::VIOLATION, kSafety, {0}, "ADVERSARIAL", At(2025, 9, 1, 9)},
        {"O8",
         v1::VIOLATION,
         kSafety,
         {0},
         "SYSTEMIC_RISK_ASSESSMENT",
         At(2025, 9, 1, 9)},
        {"O9", v1::WARNING, kSafety, {0}, "[S]", At(2025, 9, 1, 9)},
        {"O10",
         v1::VIOLATION,
         kSafety,
         {0},
         "CYBERSECURITY",
         At(2025, 9, 1, 9)}}},
      {"Monetised open-source model is not exempt",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) {
                  OpenSource(d);
                  d->mutable_licence()->set_monetised(true);
                  Placed(d);
                }),
       t0,
       {kC1,
        {"O1", v1::VIOLATION, kRC, {0}, "ANNEX_XI"},
        {"O2", v1::VIOLATION, kRC, {0}, "ANNEX_XII"},
        {"O3", v1::VIOLATION, kRC, {0}},
        {"O4", v1::VIOLATION, kRC, {0}}}},
      {"Art. 54: non-EU provider without an authorised representative",
       Baseline(
           5e23, 4e23, 6e23,
           [](auto* d) {
             d->set_provider_in_eu(false);
             d->set_provider_country("US");
             Placed(d);
           },
           [](LedgerBuilder& b) {
             AddDocs(b, {provider::ANNEX_XI_TECHNICAL_DOCUMENTATION,
                         provider::ANNEX_XII_DOWNSTREAM_INFORMATION,
                         provider::COPYRIGHT_POLICY,
                         provider::TRAINING_CONTENT_SUMMARY});
           }),
       t0,
       {kC1,
        {"O6", v1::VIOLATION, kRC, {0}, "AUTHORISED_REPRESENTATIVE_MANDATE"}}},
      {"Art. 54(6): open-source non-EU provider needs no representative",
       Baseline(
           5e23, 4e23, 6e23,
           [](auto* d) {
             d->set_provider_in_eu(false);
             d->set_provider_country("US");
             OpenSource(d);
             Placed(d);
           },
           [](LedgerBuilder& b) {
             AddDocs(b, {provider::COPYRIGHT_POLICY,
                         provider::TRAINING_CONTENT_SUMMARY});
           }),
       t0,
       {kC1}},
      {"Grace period: placed before 2 Aug 2025, last day of grace",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) { PlaceOnMarket(d, At(2025, 3, 1)); }),
       At(2027, 8, 2, 23, 59),
       {kC1}},
      {"Grace period: the day after it ends",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) { PlaceOnMarket(d, At(2025, 3, 1)); }),
       At(2027, 8, 3, 0),
       {kC1,
        {"O1",
         v1::VIOLATION,
         kRC,
         {0},
         "grace period to the end of 2027-08-02",
         At(2027, 8, 3, 0)},
        {"O2", v1::VIOLATION, kRC, {0}, "Art. 111(3)", At(2027, 8, 3, 0)},
        {"O3", v1::VIOLATION, kRC, {0}, "Art. 111(3)", At(2027, 8, 3, 0)},
        {"O4", v1::VIOLATION, kRC, {0}, "Art. 111(3)", At(2027, 8, 3, 0)}}},
      {"Declared estimate's +/-30% band below the measurement",
       Baseline(1e24, 1.4e24, 1.5e24),
       t0,
       {kC1,
        {"D1",
         v1::WARNING,
         kRC,
         {0, 1},
         "at least 1.4e+24 FLOP is above the declared 1.0e+24 FLOP and its +30 "
         "% band (1.3e+24 FLOP)"},
        {"D2", v1::WARNING, kRC, {0, 1}, "above the declared"}}},
      {"Declared estimate's band overlaps the measurement",
       Baseline(1e24, 1.2e24, 1.5e24),
       t0,
       {kC1}},
      {"Collector-only model: information missing, never a pass or violation",
       [](LedgerBuilder& b) { b.Collector(Interval("m", 4e23, 6e23)); },
       t0,
       // N2 passes (no planned budget, no forecast) and D1 has no declared
       // cumulative figure to check: Kleene "unknown and false" is false.
       {{"M1", v1::WARNING, kRC, {}},
        {"M2", v1::WARNING, kRC, {}},
        {"C1", v1::WARNING, kRC, {}, "the provider has not declared the model"},
        {"M4", v1::WARNING, kSafety, {}},
        {"N1", v1::WARNING, kRC, {}},
        {"D2", v1::WARNING, kRC, {}},
        {"O1", v1::WARNING, kRC, {}},
        {"O2", v1::WARNING, kRC, {}},
        {"O3", v1::WARNING, kRC, {}},
        {"O4", v1::WARNING, kRC, {}},
        {"O6", v1::WARNING, kRC, {}},
        // Systemic risk is unknown: the model might modify a systemic model
        // (M4).
        {"O7", v1::WARNING, kSafety, {}},
        {"O7A", v1::WARNING, kSafety, {}},
        {"O8", v1::WARNING, kSafety, {}},
        {"O9", v1::WARNING, kSafety, {}},
        {"O10",
         v1::WARNING,
         kSafety,
         {},
         "M4: the provider has not declared the model"}}},
      {"Accepted NOT_GPAI rebuttal sets the obligations aside",
       Baseline(
           5e23, 4e23, 6e23, [](auto* d) { Placed(d); },
           [](LedgerBuilder& b) {
             aifl::office::v1::RebuttalDecision r;
             r.set_model_id("m");
             r.set_kind(aifl::office::v1::NOT_GPAI);
             r.set_accepted(true);
             b.Office(r);
           }),
       t0,
       {kC1}},
  };
}

TEST(EvaluatorTest, EachScenarioGivesExactlyItsFindings) {
  auto evaluator = testonly::ShippedEvaluator();
  ASSERT_NE(evaluator, nullptr);
  testonly::ExpectScenarios(*evaluator, Scenarios());
}

TEST(EvaluatorTest, FindingsCarryFiguresWithTwoSignificantFiguresAndMethod) {
  auto pack = LoadRulePackFile(kPack);
  ASSERT_TRUE(pack.ok()) << pack.status();
  auto evaluator = Evaluator::Create(*pack);
  ASSERT_TRUE(evaluator.ok());
  LedgerBuilder b;
  Baseline(2.345e25, 2.2e25, 2.61e25)(b);
  ModelStateFold fold((*evaluator)->fold_options());
  for (const LedgerEntry& e : b.entries()) ASSERT_TRUE(fold.Apply(e).ok());
  const auto got = (*evaluator)->Evaluate(*fold.Find("m"), At(2025, 10, 1));
  ASSERT_EQ(got.size(), 2u);
  const v1::Finding& c4 = got[1];
  ASSERT_EQ(c4.rule_id(), "C4");
  EXPECT_THAT(c4.message(), HasSubstr("[P] C4"));
  EXPECT_THAT(c4.message(),
              HasSubstr("declared 2.3e+25 FLOP (DECLARED_HARDWARE)"));
  EXPECT_THAT(
      c4.message(),
      HasSubstr("measured 2.2e+25..2.6e+25 FLOP (MEASURED_TENSOR_ACTIVITY)"));
  ASSERT_GE(c4.figures_size(), 2);
  EXPECT_EQ(c4.figures(0).name(), "declared_cumulative_compute_flop");
  EXPECT_DOUBLE_EQ(c4.figures(0).lower(), 2.3e25);
  EXPECT_EQ(c4.figures(0).method(), "DECLARED_HARDWARE");
  EXPECT_EQ(c4.figures(1).name(), "measured_cumulative_compute_flop");
  EXPECT_DOUBLE_EQ(c4.figures(1).upper(), 2.6e25);
}

TEST(EvaluatorTest, UnverifiedRulesAreTaggedInTheirFindings) {
  auto pack = LoadRulePackFile(kPack);
  ASSERT_TRUE(pack.ok());
  for (const auto& r : pack->rules()) {
    if (r.id() == "N2") {
      EXPECT_EQ(r.fact_status(), v1::UNVERIFIED);
    }
  }
  EXPECT_STREQ(FactStatusTag(v1::UNVERIFIED), "[U]");
}

}  // namespace
}  // namespace rules
