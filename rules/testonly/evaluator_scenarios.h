// Table-driven evaluator scenarios for rules tests: a scenario builds a
// ledger for model "m", evaluates the shipped pack at `as_of` and must give
// exactly its list of findings (rule, severity, unit, evidence leaves,
// deadline, and words of the message). Helpers build the common declarations.
#ifndef RULES_TESTONLY_EVALUATOR_SCENARIOS_H_
#define RULES_TESTONLY_EVALUATOR_SCENARIOS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/evaluator.h"
#include "rules/evidence.h"
#include "rules/model_state_fold.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace testonly {

inline constexpr char kPackPath[] = "rules/packs/ai_act_gpai_v1.textproto";
inline constexpr char kPackVersion[] = "ai-act-gpai-v1.1";

struct Want {
  std::string rule;
  aifl::rules::v1::Severity severity;
  aifl::rules::v1::Unit unit;
  std::vector<uint64_t> evidence;
  std::string contains = "";
  absl::Time deadline = absl::InfinitePast();
};

struct Scenario {
  std::string name;
  std::function<void(LedgerBuilder&)> build;
  absl::Time as_of;
  std::vector<Want> want;
};

// Declaration of "m" (leaf 0) with a declared point estimate, then one
// measured interval (leaf 1).
inline std::function<void(LedgerBuilder&)> Baseline(
    double declared, double lo, double hi,
    std::function<void(aifl::provider::v1::ModelDeclaration*)> edit = nullptr,
    std::function<void(LedgerBuilder&)> more = nullptr) {
  return [=](LedgerBuilder& b) {
    aifl::provider::v1::ModelDeclaration d = Declaration("m");
    if (declared > 0) DeclareCompute(&d, declared);
    if (edit) edit(&d);
    b.Provider(d);
    b.Collector(Interval("m", lo, hi));
    if (more) more(b);
  };
}

inline void OpenSource(aifl::provider::v1::ModelDeclaration* d) {
  auto* l = d->mutable_licence();
  l->set_open_source(true);
  l->set_spdx_id("Apache-2.0");
  l->set_weights_public(true);
  l->set_architecture_public(true);
  l->set_usage_info_public(true);
  l->set_non_commercial_only(false);
  l->set_monetised(false);
}

inline void Placed(aifl::provider::v1::ModelDeclaration* d) {
  PlaceOnMarket(d, At(2025, 9, 1, 9));
}

inline void BaseModel(aifl::provider::v1::ModelDeclaration* d, double base_flop,
                      bool systemic) {
  auto* base = d->mutable_base_model();
  base->set_model_id("base");
  base->set_provider("Other Lab");
  if (base_flop > 0) base->set_training_compute_flop(base_flop);
  base->set_systemic_risk(systemic);
}

inline void AddDocs(LedgerBuilder& b,
                    std::vector<aifl::provider::v1::DocumentKind> kinds) {
  for (auto k : kinds) b.Provider(Document("m", k));
}

// Crossing by declaration on `day` (leaf 0, 10:00 Brussels), for the EU market.
inline std::function<void(LedgerBuilder&)> CrossingOn(
    absl::Time when, absl::Time notified = absl::InfinitePast()) {
  return [=](LedgerBuilder& b) {
    aifl::provider::v1::ModelDeclaration d = Declaration("m");
    DeclareCompute(&d, 2e25);
    d.set_intends_eu_market(true);
    b.Provider(d, when);
    b.Collector(Interval("m", 1.8e25, 2.2e25));
    if (notified != absl::InfinitePast()) {
      b.Provider(testonly::Notification("m", 2e25), notified);
    }
  };
}

// "m" declared with 1e24 FLOP (leaf 0, for the EU market if `eu`), a run
// planned at 2e25 FLOP started on Wednesday 3 Sep 2025 (leaf 1), and one
// measured interval (leaf 2). For the EU market, the N2 period ends with
// Wednesday 17 Sep.
inline std::function<void(LedgerBuilder&)> PlannedBudget(bool eu) {
  return [=](LedgerBuilder& b) {
    aifl::provider::v1::ModelDeclaration d = Declaration("m");
    DeclareCompute(&d, 1e24);
    d.set_intends_eu_market(eu);
    b.Provider(d);
    aifl::collector::v1::RunStarted rs;
    rs.set_run_id("c/1");
    rs.set_model_id("m");
    rs.set_planned_compute_flop(2e25);
    b.Collector(rs, At(2025, 9, 3, 10));
    b.Collector(Interval("m", 0.9e24, 1.1e24));
  };
}

// The shipped pack's evaluator (fails the test when it does not load).
inline std::unique_ptr<Evaluator> ShippedEvaluator() {
  auto pack = LoadRulePackFile(kPackPath);
  EXPECT_TRUE(pack.ok()) << pack.status();
  if (!pack.ok()) return nullptr;
  auto evaluator = Evaluator::Create(*pack);
  EXPECT_TRUE(evaluator.ok()) << evaluator.status();
  return evaluator.ok() ? std::move(evaluator).value() : nullptr;
}

// Runs each scenario; every mismatch is reported and the next one still runs.
inline void ExpectScenarios(const Evaluator& evaluator,
                            const std::vector<Scenario>& scenarios) {
  namespace v1 = aifl::rules::v1;
  for (const Scenario& sc : scenarios) {
    SCOPED_TRACE(sc.name);
    LedgerBuilder b;
    sc.build(b);
    ModelStateFold fold(evaluator.fold_options());
    for (const LedgerEntry& e : b.entries()) ASSERT_TRUE(fold.Apply(e).ok());
    const ModelState* state = fold.Find("m");
    ASSERT_NE(state, nullptr);
    const std::vector<v1::Finding> got = evaluator.Evaluate(*state, sc.as_of);
    std::vector<std::string> got_ids, want_ids;
    for (const auto& f : got) got_ids.push_back(f.rule_id());
    for (const auto& w : sc.want) want_ids.push_back(w.rule);
    EXPECT_EQ(absl::StrJoin(got_ids, ","), absl::StrJoin(want_ids, ","));
    if (got_ids != want_ids) continue;
    for (size_t i = 0; i < got.size(); ++i) {
      const v1::Finding& f = got[i];
      const Want& w = sc.want[i];
      SCOPED_TRACE(f.message());
      EXPECT_EQ(f.severity(), w.severity);
      EXPECT_EQ(f.unit(), w.unit);
      EXPECT_EQ(f.model_id(), "m");
      EXPECT_EQ(f.state(), v1::RAISED);
      EXPECT_EQ(f.rule_pack_version(), kPackVersion);
      EXPECT_FALSE(f.citation().empty());
      EXPECT_EQ(CitedLeaves(f), w.evidence);
      EXPECT_EQ(f.evidence_count(), w.evidence.size());
      EXPECT_EQ(f.evidence_leaves_size(), 0);  // the old form is not written
      EXPECT_THAT(f.message(), ::testing::HasSubstr(w.contains));
      if (w.deadline != absl::InfinitePast()) {
        EXPECT_EQ(f.deadline_unix_ms(), absl::ToUnixMillis(w.deadline));
      }
    }
  }
}

}  // namespace testonly
}  // namespace rules

#endif  // RULES_TESTONLY_EVALUATOR_SCENARIOS_H_
