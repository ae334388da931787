// Modifications (issue 13 items 1-2), written from the Guidelines, not from
// the engine's output: para 60 (the modifier becomes the provider only when
// the modification's training compute is MORE than a third of the base's),
// para 61 (base compute unknown: 1e25/3 for a systemic-risk base, else
// 1e23/3), para 70 (such a modification of a systemic-risk model is presumed
// systemic and must notify under Art. 52(1)), L1/para 23. A modifier that is
// not the provider gets no classification, notification or Art. 53/55
// obligation; the base model's provider keeps its own.
#include <vector>

#include "gtest/gtest.h"
#include "rules/testonly/evaluator_scenarios.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace {

namespace v1 = aifl::rules::v1;
namespace provider = aifl::provider::v1;
using testonly::At;
using testonly::Baseline;
using testonly::BaseModel;
using testonly::Declaration;
using testonly::Interval;
using testonly::LedgerBuilder;
using testonly::Placed;
using testonly::Scenario;

constexpr auto kRC = v1::REGULATION_AND_COMPLIANCE;
constexpr auto kSafety = v1::AI_SAFETY;
const absl::Time kAsOf = At(2025, 10, 1);
// Declared on Monday 1 Sep 2025: two weeks end with Monday 15 Sep.
const absl::Time kDue = At(2025, 9, 16, 0);

void ForEu(provider::ModelDeclaration* d) { d->set_intends_eu_market(true); }

std::vector<Scenario> Scenarios() {
  return {
      {"known base: exactly one third is not the provider, no obligations",
       Baseline(1e24, 1e24, 1e24,
                [](auto* d) {
                  BaseModel(d, 3e24, false);
                  Placed(d);
                }),
       kAsOf,
       {}},
      {"known base: just above one third is the provider, with Art. 53",
       Baseline(1.01e24, 1.01e24, 1.01e24,
                [](auto* d) {
                  BaseModel(d, 3e24, false);
                  Placed(d);
                }),
       kAsOf,
       {{"M1", v1::WARNING, kRC, {0, 1}, "the modifier is the provider"},
        {"C1", v1::INFO, kRC, {0, 1}, "over 1.0e+23"},
        {"O1", v1::VIOLATION, kRC, {0}, "ANNEX_XI", At(2025, 9, 1, 9)},
        {"O2", v1::VIOLATION, kRC, {0}, "ANNEX_XII", At(2025, 9, 1, 9)},
        {"O3", v1::VIOLATION, kRC, {0}, "COPYRIGHT", At(2025, 9, 1, 9)},
        {"O4", v1::VIOLATION, kRC, {0}, "TRAINING_CONTENT"}}},
      // Before the fix: C4 from 1e25 + 3e25, N1 and Art. 53/55 violations.
      {"systemic base, exactly one third: no presumption from its compute",
       Baseline(1e25, 1e25, 1e25,
                [](auto* d) {
                  BaseModel(d, 3e25, true);
                  Placed(d);
                }),
       kAsOf,
       {}},
      {"systemic base, just above one third: systemic, must notify",
       Baseline(1.1e25, 1.1e25, 1.1e25,
                [](auto* d) {
                  BaseModel(d, 3e25, true);
                  ForEu(d);
                }),
       kAsOf,
       {{"M1", v1::WARNING, kRC, {0, 1}},
        {"C1", v1::INFO, kRC, {0, 1}},
        {"C4", v1::WARNING, kSafety, {0, 1}, "plus the base model's 3.0e+25"},
        {"M4", v1::WARNING, kSafety, {0}, "presumed to have systemic risk"},
        {"N1", v1::VIOLATION, kRC, {0}, "no notification recorded", kDue}}},
      {"unknown base, non-systemic fallback: exactly 1e23/3 is not over",
       Baseline(1e23 / 3, 1e23 / 3, 1e23 / 3,
                [](auto* d) {
                  BaseModel(d, 0, false);
                  Placed(d);
                }),
       kAsOf,
       {}},
      {"unknown base, non-systemic fallback: just above makes a GPAI provider",
       Baseline(4e22, 4e22, 4e22,
                [](auto* d) {
                  BaseModel(d, 0, false);
                  Placed(d);
                }),
       kAsOf,
       {{"M2", v1::WARNING, kRC, {0, 1}, "(non-systemic base): 1.0e+23"},
        {"O1", v1::VIOLATION, kRC, {0}},
        {"O2", v1::VIOLATION, kRC, {0}},
        {"O3", v1::VIOLATION, kRC, {0}},
        {"O4", v1::VIOLATION, kRC, {0}}}},
      {"unknown base, systemic fallback: exactly 1e25/3 is not the provider",
       Baseline(1e25 / 3, 1e25 / 3, 1e25 / 3,
                [](auto* d) {
                  BaseModel(d, 0, true);
                  ForEu(d);
                }),
       kAsOf,
       {}},
      {"unknown base, systemic fallback, just above: N1 with its own deadline",
       Baseline(4e24, 4e24, 4e24,
                [](auto* d) {
                  BaseModel(d, 0, true);
                  ForEu(d);
                }),
       kAsOf,
       {{"M2", v1::WARNING, kRC, {0, 1}, "(systemic-risk base): 1.0e+25"},
        {"C1", v1::INFO, kRC, {0, 1}},
        {"M4", v1::WARNING, kSafety, {0}},
        {"N1",
         v1::VIOLATION,
         kRC,
         {0},
         "the modifier became the provider of a modification of a "
         "systemic-risk model",
         kDue}}},
      {"systemic fallback: on the last day of the period the notice is due",
       Baseline(4e24, 4e24, 4e24,
                [](auto* d) {
                  BaseModel(d, 0, true);
                  ForEu(d);
                }),
       At(2025, 9, 15, 23),
       {{"M2", v1::WARNING, kRC, {0, 1}},
        {"C1", v1::INFO, kRC, {0, 1}},
        {"M4", v1::WARNING, kSafety, {0}},
        {"N1", v1::WARNING, kRC, {0}, "notification due", kDue}}},
      // Measured compute crosses 1e25/3 on Wednesday 10 Sep (leaf 2): the
      // period runs from then, not from the declaration.
      {"the period starts when the modifier became the provider",
       [](LedgerBuilder& b) {
         provider::ModelDeclaration d = Declaration("m");
         BaseModel(&d, 0, true);
         ForEu(&d);
         b.Provider(d);
         b.Collector(Interval("m", 1e24, 1e24));
         b.Collector(Interval("m", 3e24, 3e24), At(2025, 9, 10, 10));
       },
       kAsOf,
       {{"M2", v1::WARNING, kRC, {0, 1, 2}},
        {"C1", v1::INFO, kRC, {0, 1, 2}},
        {"M4", v1::WARNING, kSafety, {0}},
        {"N1",
         v1::VIOLATION,
         kRC,
         {0, 2},
         "ends at the end of 2025-09-24",
         At(2025, 9, 25, 0)},
        {"D2",
         v1::WARNING,
         kRC,
         {0},
         "information missing: no declared training compute"}}},
      // Base compute unknown and its systemic risk not declared: which
      // fallback applies is unknown — information missing, no presumption.
      {"base's systemic risk not declared: information missing",
       Baseline(4e24, 4e24, 4e24,
                [](auto* d) {
                  BaseModel(d, 0, false);
                  d->mutable_base_model()->clear_systemic_risk();
                }),
       kAsOf,
       {{"M2",
         v1::WARNING,
         kRC,
         {0},
         "whether the base model has systemic risk is not declared"},
        {"C1", v1::WARNING, kRC, {0}, "information missing"},
        {"M4", v1::WARNING, kSafety, {0}, "information missing"}}},
      // Below the lower fallback the modifier is not the provider whichever
      // fallback applies.
      {"base's systemic risk not declared, tiny modification: no finding",
       Baseline(1e22, 1e22, 1e22,
                [](auto* d) {
                  BaseModel(d, 0, false);
                  d->mutable_base_model()->clear_systemic_risk();
                  Placed(d);
                }),
       kAsOf,
       {}},
  };
}

TEST(EvaluatorModificationTest, EachScenarioGivesExactlyItsFindings) {
  auto evaluator = testonly::ShippedEvaluator();
  ASSERT_NE(evaluator, nullptr);
  testonly::ExpectScenarios(*evaluator, Scenarios());
}

}  // namespace
}  // namespace rules
