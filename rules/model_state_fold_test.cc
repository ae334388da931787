// The fold's robustness (issue 14 item 2): a stored collector value that
// cannot be true is skipped with a finding of its own (DQ1), never added,
// and no single node's report lowers what other nodes measured.
#include "rules/model_state_fold.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/evidence.h"
#include "rules/testonly/evaluator_scenarios.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace {

namespace v1 = aifl::rules::v1;
namespace collector = aifl::collector::v1;
using ::testing::HasSubstr;
using testonly::At;
using testonly::Declaration;
using testonly::Interval;
using testonly::LedgerBuilder;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Poison {
  std::string name;
  std::function<void(collector::IntervalReport*)> edit;
  std::string reason;  // what DQ1 must say
};

std::vector<Poison> Poisons() {
  const int64_t end = absl::ToUnixMillis(absl::FromUnixSeconds(1756720800));
  return {
      {"negative lower", [](auto* r) { r->mutable_flop()->set_lower(-3e25); },
       "flop.lower: got -3e+25"},
      {"NaN upper", [](auto* r) { r->mutable_flop()->set_upper(kNaN); },
       "flop.upper: got nan"},
      {"infinite lower and upper",
       [](auto* r) {
         r->mutable_flop()->set_lower(kInf);
         r->mutable_flop()->set_upper(kInf);
       },
       "flop.lower: got inf"},
      {"negative upper", [](auto* r) { r->mutable_flop()->set_upper(-1); },
       "flop.upper: got -1"},
      {"lower above upper",
       [](auto* r) {
         r->mutable_flop()->set_lower(3e25);
         r->mutable_flop()->set_upper(1e25);
       },
       "flop.lower: got 3e+25, want <= upper 1e+25"},
      {"negative energy", [](auto* r) { r->set_energy_joules(-5e9); },
       "energy_joules: got -5e+09"},
      {"NaN energy", [](auto* r) { r->set_energy_joules(kNaN); },
       "energy_joules: got nan"},
      {"start before 2000", [](auto* r) { r->set_start_unix_ms(0); },
       "start_unix_ms: got 0"},
      {"end before start",
       [=](auto* r) { r->set_end_unix_ms(end - 7200 * 1000); },
       "end_unix_ms: got"},
      {"end far after integration",
       [=](auto* r) { r->set_end_unix_ms(end + 10LL * 86400 * 1000); },
       "end_unix_ms: got 1757584800000, want <= integration time + 1 day"},
  };
}

// Node n1 measures 2e25..2.2e25 (leaf 1); node n2's poisoned report is leaf 2.
LedgerBuilder Ledger(const Poison& p) {
  LedgerBuilder b;
  b.Provider(Declaration("m"));
  b.Collector(Interval("m", 2e25, 2.2e25));
  collector::IntervalReport bad = Interval("m", 1e24, 1e24);
  bad.set_node("n2");
  p.edit(&bad);
  b.Collector(bad);
  return b;
}

TEST(ModelStateFoldTest, ImpossibleValuesAreSkippedAndReportedNeverAdded) {
  auto evaluator = testonly::ShippedEvaluator();
  ASSERT_NE(evaluator, nullptr);
  for (const Poison& p : Poisons()) {
    SCOPED_TRACE(p.name);
    LedgerBuilder b = Ledger(p);
    ModelStateFold fold(evaluator->fold_options());
    for (const LedgerEntry& e : b.entries()) ASSERT_TRUE(fold.Apply(e).ok());
    const ModelState* m = fold.Find("m");
    ASSERT_NE(m, nullptr);
    // Exactly what node n1 measured: nothing of n2's report was added.
    EXPECT_EQ(m->measured_cumulative.lower, 2e25);
    EXPECT_EQ(m->measured_cumulative.upper, 2.2e25);
    EXPECT_EQ(m->measured_training.lower, 2e25);
    EXPECT_EQ(m->accelerator_energy_joules, 1e9);
    EXPECT_EQ(m->counted_leaves, std::vector<uint64_t>{1});
    ASSERT_EQ(m->rejected.size(), 1u);
    EXPECT_EQ(m->rejected[0].leaf, 2u);
    EXPECT_THAT(m->rejected[0].reason, HasSubstr(p.reason));
    // The systemic-risk presumption stands; DQ1 reports the record.
    std::vector<std::string> ids;
    const v1::Finding* dq = nullptr;
    const auto findings = evaluator->Evaluate(*m, At(2025, 10, 1));
    for (const auto& f : findings) {
      ids.push_back(f.rule_id());
      if (f.rule_id() == "DQ1") dq = &f;
    }
    EXPECT_THAT(ids, ::testing::ElementsAre("C1", "C4", "D2", "DQ1"));
    ASSERT_NE(dq, nullptr);
    EXPECT_EQ(dq->severity(), v1::WARNING);
    EXPECT_THAT(dq->message(), HasSubstr("leaf 2: " + p.reason));
    EXPECT_EQ(CitedLeaves(*dq), std::vector<uint64_t>{2});
  }
}

TEST(ModelStateFoldTest, ImpossiblePlannedBudgetIsSkippedAndReported) {
  for (double planned : {kNaN, -2e25, kInf}) {
    LedgerBuilder b;
    b.Provider(Declaration("m"));
    collector::RunStarted rs;
    rs.set_run_id("c/1");
    rs.set_model_id("m");
    rs.set_planned_compute_flop(planned);
    b.Collector(rs);
    ModelStateFold fold(FoldOptions{});
    for (const LedgerEntry& e : b.entries()) ASSERT_TRUE(fold.Apply(e).ok());
    const ModelState* m = fold.Find("m");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->planned_highs.empty()) << planned;
    ASSERT_EQ(m->rejected.size(), 1u);
    EXPECT_THAT(m->rejected[0].reason, HasSubstr("planned_compute_flop"));
  }
}

TEST(ModelStateFoldTest, UnattributedImpossibleRecordsAreKeptApart) {
  LedgerBuilder b;
  collector::IntervalReport bad = Interval("", -1, 5);
  bad.set_account("nobody");
  b.Collector(bad);
  ModelStateFold fold(FoldOptions{});
  ASSERT_TRUE(fold.Apply(b.entries()[0]).ok());
  EXPECT_FALSE(fold.unattributed().known);
  ASSERT_EQ(fold.rejected_unattributed().size(), 1u);
  EXPECT_EQ(fold.rejected_unattributed()[0].leaf, 0u);
}

// FoldOptions::max_rejected_records: a flood of impossible records keeps the
// first N per model (and unattributed) and counts the rest; DQ1 counts every
// one, lists the N kept and cites the rest as evidence_not_listed. Below the
// bound DQ1 is byte for byte the unbounded fold's.
struct Flooded {
  ModelState state;
  std::vector<uint64_t> rejected_leaves;
  v1::Finding dq1;
  std::vector<RejectedRecord> unattributed;
  uint64_t unattributed_not_kept = 0;
};

constexpr int kFlood = 12;

Flooded Flood(uint64_t max_rejected) {
  auto evaluator = testonly::ShippedEvaluator();
  EXPECT_NE(evaluator, nullptr);
  Flooded out;
  LedgerBuilder b;
  b.Provider(Declaration("m"));
  b.Collector(Interval("m", 2e25, 2.2e25));
  for (int i = 0; i < kFlood; ++i) {
    collector::IntervalReport bad = Interval("m", -1, 5);
    bad.set_node(absl::StrCat("n", i));
    out.rejected_leaves.push_back(b.Collector(bad));
    collector::IntervalReport nobody = Interval("", -1, 5);
    nobody.set_account("nobody");
    nobody.set_node(absl::StrCat("n", i));
    b.Collector(nobody);
  }
  FoldOptions options = evaluator->fold_options();
  options.max_rejected_records = max_rejected;
  ModelStateFold fold(options);
  for (const LedgerEntry& e : b.entries()) EXPECT_TRUE(fold.Apply(e).ok());
  const ModelState* m = fold.Find("m");
  EXPECT_NE(m, nullptr);
  if (m == nullptr) return out;
  out.state = *m;
  for (const v1::Finding& f : evaluator->Evaluate(*m, At(2025, 10, 1))) {
    if (f.rule_id() == "DQ1") out.dq1 = f;
  }
  out.unattributed = fold.rejected_unattributed();
  out.unattributed_not_kept = fold.rejected_unattributed_not_kept();
  return out;
}

TEST(ModelStateFoldTest, RejectedRecordsAreKeptUpToTheBoundAndCounted) {
  constexpr uint64_t kKept = 5;
  const Flooded all = Flood(0);
  const Flooded capped = Flood(kKept);
  EXPECT_EQ(all.state.rejected.size(), size_t{kFlood});
  ASSERT_EQ(capped.state.rejected.size(), kKept);
  EXPECT_EQ(capped.state.rejected_not_kept.impossible, kFlood - kKept);
  EXPECT_EQ(capped.state.rejected_count(), uint64_t{kFlood});
  EXPECT_EQ(capped.unattributed.size(), kKept);
  EXPECT_EQ(capped.unattributed_not_kept, kFlood - kKept);
  // DQ1 says the same of all twelve, lists the first five, counts the rest.
  ASSERT_EQ(all.dq1.rule_id(), "DQ1");
  ASSERT_EQ(capped.dq1.rule_id(), "DQ1");
  EXPECT_EQ(capped.dq1.message(), all.dq1.message());
  EXPECT_THAT(capped.dq1.message(), HasSubstr("12 collector record(s)"));
  ASSERT_EQ(capped.dq1.figures_size(), all.dq1.figures_size());
  for (int i = 0; i < all.dq1.figures_size(); ++i) {
    EXPECT_EQ(capped.dq1.figures(i).SerializeAsString(),
              all.dq1.figures(i).SerializeAsString());
  }
  EXPECT_EQ(CitedLeaves(all.dq1), all.rejected_leaves);
  EXPECT_EQ(CitedLeaves(capped.dq1),
            std::vector<uint64_t>(all.rejected_leaves.begin(),
                                  all.rejected_leaves.begin() + kKept));
  EXPECT_EQ(capped.dq1.evidence_not_listed(), kFlood - kKept);
  EXPECT_EQ(all.dq1.evidence_not_listed(), 0u);
}

TEST(ModelStateFoldTest, BelowTheRejectedBoundDataQualityIsUnchanged) {
  const Flooded all = Flood(0);
  const Flooded at_bound = Flood(kFlood);
  const Flooded by_default = Flood(kDefaultMaxRejectedRecords);
  ASSERT_EQ(all.dq1.rule_id(), "DQ1");
  EXPECT_EQ(at_bound.dq1.SerializeAsString(), all.dq1.SerializeAsString());
  EXPECT_EQ(by_default.dq1.SerializeAsString(), all.dq1.SerializeAsString());
  EXPECT_EQ(at_bound.state.rejected_not_kept.total(), 0u);
}

}  // namespace
}  // namespace rules
