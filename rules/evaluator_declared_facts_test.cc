// Declared facts, Art. 54 timing, severities and deadlines (issue 13 items
// 3-6; issue 24 item 3), written from shared/reference/ai-act-gpai.md:
//   * "not declared" is unknown — an information-missing finding, never a
//     pass and never a violation;
//   * Art. 54(1): the mandate precedes placing on the market;
//   * Art. 52(1): a lapsed two-week period without notification is a
//     violation (N2 too);
//   * Reg. 1182/71: public holidays come from the pack's lists, and a finding
//     says when its year has none.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/testonly/evaluator_scenarios.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace {

namespace v1 = aifl::rules::v1;
namespace provider = aifl::provider::v1;
using ::testing::HasSubstr;
using ::testing::Not;
using testonly::AddDocs;
using testonly::At;
using testonly::Baseline;
using testonly::CrossingOn;
using testonly::Declaration;
using testonly::DeclareCompute;
using testonly::Document;
using testonly::Interval;
using testonly::LedgerBuilder;
using testonly::OpenSource;
using testonly::Placed;
using testonly::Scenario;
using testonly::Want;

constexpr auto kRC = v1::REGULATION_AND_COMPLIANCE;
constexpr auto kSafety = v1::AI_SAFETY;
const absl::Time kAsOf = At(2025, 10, 1);
const Want kC1{"C1", v1::INFO, kRC, {0, 1}, "over 1.0e+23"};
const std::vector<provider::DocumentKind> kArt53Docs = {
    provider::ANNEX_XI_TECHNICAL_DOCUMENTATION,
    provider::ANNEX_XII_DOWNSTREAM_INFORMATION, provider::COPYRIGHT_POLICY,
    provider::TRAINING_CONTENT_SUMMARY};

void NonEu(provider::ModelDeclaration* d) {
  d->set_provider_in_eu(false);
  d->set_provider_country("US");
  Placed(d);  // Monday 1 Sep 2025, 09:00 Brussels
}

// A non-EU provider's model placed on 1 Sep 2025 with the Art. 53 documents
// (leaves 2-5) and a mandate integrated at `mandate` (leaf 6) if given.
std::function<void(LedgerBuilder&)> NonEuWithMandate(absl::Time mandate) {
  return Baseline(5e23, 4e23, 6e23, NonEu, [=](LedgerBuilder& b) {
    AddDocs(b, kArt53Docs);
    if (mandate != absl::InfinitePast()) {
      b.Provider(Document("m", provider::AUTHORISED_REPRESENTATIVE_MANDATE),
                 mandate);
    }
  });
}

// The same with its establishment edited by `edit` and no mandate.
std::function<void(LedgerBuilder&)> NonEuEdited(
    std::function<void(provider::ModelDeclaration*)> edit) {
  return Baseline(
      5e23, 4e23, 6e23,
      [=](provider::ModelDeclaration* d) {
        NonEu(d);
        edit(d);
      },
      [](LedgerBuilder& b) { AddDocs(b, kArt53Docs); });
}

std::vector<Scenario> Scenarios() {
  const Want c1_leaf2{"C1", v1::INFO, kRC, {0, 2}};
  return {
      // ---- Art. 54(1): mandate before placing on the market -------------
      {"Art. 54: mandate recorded on the day of placement is on time",
       NonEuWithMandate(At(2025, 9, 1, 23)),
       kAsOf,
       {kC1}},
      {"Art. 54: mandate recorded the day after placement is late",
       NonEuWithMandate(At(2025, 9, 2, 0, 1)),
       kAsOf,
       {kC1,
        {"O6",
         v1::VIOLATION,
         kRC,
         {0, 6},
         "recorded on 2025-09-02 (leaf 6), after it was due by the end of "
         "2025-09-01",
         At(2025, 9, 2, 0)}}},
      {"Art. 54: a late mandate clears nothing, months later too",
       NonEuWithMandate(At(2025, 9, 2, 0, 1)),
       At(2026, 6, 1),
       {kC1, {"O6", v1::VIOLATION, kRC, {0, 6}, "placed on the market on"}}},
      {"Art. 54: representative named but no mandate recorded",
       Baseline(
           5e23, 4e23, 6e23,
           [](auto* d) {
             NonEu(d);
             d->set_authorised_representative("EU Rep SRL");
           },
           [](LedgerBuilder& b) { AddDocs(b, kArt53Docs); }),
       kAsOf,
       {kC1,
        {"O6",
         v1::VIOLATION,
         kRC,
         {0},
         "names \"EU Rep SRL\" as authorised representative, but no "
         "AUTHORISED_REPRESENTATIVE_MANDATE"}}},
      {"Art. 54: before placement nothing is due yet",
       NonEuWithMandate(absl::InfinitePast()),
       At(2025, 9, 1, 8),
       {kC1}},

      // ---- Each undeclared fact is unknown -------------------------------
      {"placement not declared: Art. 53 information missing, not a pass",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) { d->clear_placed_on_eu_market(); }),
       kAsOf,
       {kC1,
        {"O1",
         v1::WARNING,
         kRC,
         {0},
         "information missing: placement on the EU market not declared"},
        {"O2", v1::WARNING, kRC, {0}, "placement on the EU market"},
        {"O3", v1::WARNING, kRC, {0}, "placement on the EU market"},
        {"O4", v1::WARNING, kRC, {0}, "placement on the EU market"}}},
      {"EU-market intent not declared: the notice is information missing",
       Baseline(2e25, 1.8e25, 2.2e25,
                [](auto* d) { d->clear_intends_eu_market(); }),
       kAsOf,
       {kC1,
        {"C4", v1::WARNING, kSafety, {0, 1}},
        {"N1",
         v1::WARNING,
         kRC,
         {0},
         "intent to place on the EU market not declared"}}},
      {"establishment not declared: Art. 54 information missing",
       NonEuEdited([](auto* d) {
         d->clear_provider_in_eu();
         d->clear_provider_country();
       }),
       kAsOf,
       {kC1,
        {"O6", v1::WARNING, kRC, {0}, "provider establishment not declared"}}},
      {"establishment from the declared country: US is outside the EU",
       NonEuEdited([](auto* d) { d->clear_provider_in_eu(); }),
       kAsOf,
       {kC1, {"O6", v1::VIOLATION, kRC, {0}}}},
      {"establishment from the declared country: DE is in the EU",
       NonEuEdited([](auto* d) {
         d->clear_provider_in_eu();
         d->set_provider_country("DE");
       }),
       kAsOf,
       {kC1}},
      {"licence terms not declared: the exemption is unknown",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) {
                  OpenSource(d);
                  d->mutable_licence()->clear_monetised();
                  d->mutable_licence()->clear_non_commercial_only();
                  Placed(d);
                }),
       kAsOf,
       {kC1,
        {"O1",
         v1::WARNING,
         kRC,
         {0},
         "licence terms not declared: non_commercial_only, monetised"},
        {"O2", v1::WARNING, kRC, {0}, "licence terms not declared"},
        {"O3", v1::VIOLATION, kRC, {0}, "COPYRIGHT"},
        {"O4", v1::VIOLATION, kRC, {0}, "TRAINING_CONTENT"}}},
      {"no licence declared: the exemption is unknown",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) {
                  d->clear_licence();
                  Placed(d);
                }),
       kAsOf,
       {kC1,
        {"O1", v1::WARNING, kRC, {0}, "licence not declared"},
        {"O2", v1::WARNING, kRC, {0}, "licence not declared"},
        {"O3", v1::VIOLATION, kRC, {0}},
        {"O4", v1::VIOLATION, kRC, {0}}}},
      {"whose base model is unknown: classification information missing",
       Baseline(5e23, 4e23, 6e23,
                [](auto* d) {
                  auto* base = d->mutable_base_model();
                  base->set_model_id("base");
                  base->set_provider(d->provider());
                  base->set_training_compute_flop(3e24);
                  base->set_systemic_risk(false);
                }),
       kAsOf,
       {{"C1",
         v1::WARNING,
         kRC,
         {0},
         "whether the base model is another provider's is not declared"}}},

      // ---- Issue 24 item 3: an undeclared model with tiny compute -------
      {"undeclared 1e17 FLOP model: only what the pack says is missing",
       [](LedgerBuilder& b) { b.Collector(Interval("m", 1e17, 1e17)); },
       kAsOf,
       {{"D2",
         v1::WARNING,
         kRC,
         {},
         "information missing: the provider has not declared the model"}}},

      // ---- Severities that follow the law's clock ------------------------
      {"N2 period running: INFO",
       testonly::PlannedBudget(true),
       At(2025, 9, 17, 23),
       {c1_leaf2,
        {"N2", v1::INFO, kRC, {0, 1}, "notification due", At(2025, 9, 18, 0)}}},
      {"N2 period ended without notification: VIOLATION",
       testonly::PlannedBudget(true),
       At(2025, 9, 18, 0),
       {c1_leaf2,
        {"N2",
         v1::VIOLATION,
         kRC,
         {0, 1},
         "no notification recorded",
         At(2025, 9, 18, 0)}}},
      {"only training compute declared: D2 alone speaks",
       [](LedgerBuilder& b) {
         provider::ModelDeclaration d = Declaration("m");
         auto* t = d.mutable_compute()->mutable_training();
         t->set_lower(1e24);
         t->set_upper(1e24);
         t->set_method(aifl::common::v1::DECLARED_HARDWARE);
         b.Provider(d);
         b.Collector(Interval("m", 1.4e24, 1.5e24));
       },
       kAsOf,
       {kC1, {"D2", v1::WARNING, kRC, {0, 1}, "above the declared"}}},

      // ---- Holidays: none listed for 2025 in the shipped pack ------------
      {"N1 deadline in a year without a holiday list says so",
       CrossingOn(At(2025, 9, 1, 10)),
       At(2025, 9, 15, 23),
       {kC1,
        {"C4", v1::WARNING, kSafety, {0, 1}},
        {"N1",
         v1::WARNING,
         kRC,
         {0},
         "(public holidays not counted: the rule pack lists none for 2025)",
         At(2025, 9, 16, 0)}}},
  };
}

TEST(EvaluatorDeclaredFactsTest, EachScenarioGivesExactlyItsFindings) {
  auto evaluator = testonly::ShippedEvaluator();
  ASSERT_NE(evaluator, nullptr);
  testonly::ExpectScenarios(*evaluator, Scenarios());
}

TEST(EvaluatorDeclaredFactsTest, UndeclaredTinyModelPresumesNothing) {
  auto evaluator = testonly::ShippedEvaluator();
  ASSERT_NE(evaluator, nullptr);
  LedgerBuilder b;
  b.Collector(Interval("m", 1e17, 1e17));
  ModelStateFold fold(evaluator->fold_options());
  ASSERT_TRUE(fold.Apply(b.entries()[0]).ok());
  for (const auto& f : evaluator->Evaluate(*fold.Find("m"), kAsOf)) {
    EXPECT_THAT(f.message(), Not(HasSubstr("presumed")));
    EXPECT_THAT(f.message(), Not(HasSubstr("odif")));  // Modified/modifier
    EXPECT_THAT(f.message(), Not(HasSubstr("ystemic")));
    EXPECT_NE(f.severity(), v1::VIOLATION);
  }
}

// A pack whose maintainer lists 15 Sep 2025 as a holiday: the period that
// would end on Monday 15 Sep ends with Tuesday 16 Sep, and the finding no
// longer says holidays were not counted.
TEST(EvaluatorDeclaredFactsTest, DeadlinesSkipThePacksListedHolidays) {
  auto pack = LoadRulePackFile(testonly::kPackPath);
  ASSERT_TRUE(pack.ok());
  auto* y = pack->add_holidays();
  y->set_year(2025);
  y->set_source("test list");
  y->add_days("2025-09-15");
  auto evaluator = Evaluator::Create(*pack);
  ASSERT_TRUE(evaluator.ok()) << evaluator.status();
  testonly::ExpectScenarios(**evaluator,
                            {{"holiday on the last day",
                              CrossingOn(At(2025, 9, 1, 10)),
                              At(2025, 9, 16, 23),
                              {kC1,
                               {"C4", v1::WARNING, kSafety, {0, 1}},
                               {"N1",
                                v1::WARNING,
                                kRC,
                                {0},
                                "ends at the end of 2025-09-16 Brussels time.",
                                At(2025, 9, 17, 0)}}}});
}

}  // namespace
}  // namespace rules
