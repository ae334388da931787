// FoldOptions::max_evidence_leaves (the AI Office monitor's
// --max_evidence_leaves): a fold that keeps at most N interval leaves per
// model still counts every interval in every figure; its findings list the
// first N and count the rest in evidence_not_listed. Below the cap the
// findings are byte for byte those of a fold that keeps every leaf.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rules/evidence.h"
#include "rules/model_state_fold.h"
#include "rules/testonly/evaluator_scenarios.h"
#include "rules/testonly/ledger_builder.h"

namespace rules {
namespace {

using testonly::At;
using testonly::Declaration;
using testonly::Interval;
using testonly::LedgerBuilder;

constexpr int kIntervals = 50;

struct Folded {
  ModelState state;
  std::vector<aifl::rules::v1::Finding> findings;
};

// 50 intervals of "m" (2.2e23 FLOP each: 1.1e25 in all, over 1e25), each
// after one of "other", folded keeping at most `cap` leaves per model.
Folded FoldWithCap(uint64_t cap, std::vector<uint64_t>* intervals) {
  auto evaluator = testonly::ShippedEvaluator();
  EXPECT_NE(evaluator, nullptr);
  LedgerBuilder b;
  b.Provider(Declaration("m"));
  intervals->clear();
  for (int i = 0; i < kIntervals; ++i) {
    auto other = Interval("other", 1e18, 1e18);
    other.set_node(absl::StrCat("n", i));
    b.Collector(other);
    auto r = Interval("m", 2.2e23, 2.2e23);
    r.set_node(absl::StrCat("n", i));
    intervals->push_back(b.Collector(r));
  }
  FoldOptions options = evaluator->fold_options();
  options.max_evidence_leaves = cap;
  ModelStateFold fold(options);
  for (const LedgerEntry& e : b.entries()) EXPECT_TRUE(fold.Apply(e).ok());
  const ModelState* m = fold.Find("m");
  EXPECT_NE(m, nullptr);
  return {*m, evaluator->Evaluate(*m, At(2025, 10, 1))};
}

TEST(EvidenceCapTest, BelowTheCapFindingsAreUnchanged) {
  std::vector<uint64_t> intervals;
  const Folded all = FoldWithCap(0, &intervals);
  const Folded capped = FoldWithCap(kIntervals, &intervals);
  ASSERT_FALSE(all.findings.empty());
  ASSERT_EQ(all.findings.size(), capped.findings.size());
  for (size_t i = 0; i < all.findings.size(); ++i) {
    EXPECT_EQ(all.findings[i].SerializeAsString(),
              capped.findings[i].SerializeAsString())
        << all.findings[i].rule_id();
    EXPECT_EQ(capped.findings[i].evidence_not_listed(), 0u);
  }
  EXPECT_EQ(capped.state.counted_not_kept, 0u);
}

TEST(EvidenceCapTest, OverTheCapTheRestIsCountedNotListed) {
  constexpr uint64_t kCap = 10;
  std::vector<uint64_t> intervals;
  const Folded all = FoldWithCap(0, &intervals);
  const Folded capped = FoldWithCap(kCap, &intervals);
  // The figures see every interval; the list holds the first kCap.
  EXPECT_EQ(capped.state.counted_leaves,
            std::vector<uint64_t>(intervals.begin(), intervals.begin() + kCap));
  EXPECT_EQ(capped.state.counted_not_kept, kIntervals - kCap);
  EXPECT_EQ(capped.state.counted_intervals(), uint64_t{kIntervals});
  EXPECT_EQ(capped.state.measured_cumulative.lower,
            all.state.measured_cumulative.lower);
  EXPECT_EQ(capped.state.measured_cumulative.upper,
            all.state.measured_cumulative.upper);

  ASSERT_EQ(all.findings.size(), capped.findings.size());
  bool cites_intervals = false;
  for (size_t i = 0; i < all.findings.size(); ++i) {
    const aifl::rules::v1::Finding& a = all.findings[i];
    const aifl::rules::v1::Finding& c = capped.findings[i];
    SCOPED_TRACE(a.rule_id());
    // Same outcome, message and figures (measured_intervals: all 50).
    EXPECT_EQ(a.rule_id(), c.rule_id());
    EXPECT_EQ(a.severity(), c.severity());
    EXPECT_EQ(a.message(), c.message());
    ASSERT_EQ(a.figures_size(), c.figures_size());
    for (int j = 0; j < a.figures_size(); ++j) {
      EXPECT_EQ(a.figures(j).SerializeAsString(),
                c.figures(j).SerializeAsString());
    }
    if (a.evidence_count() < intervals.size()) {
      EXPECT_EQ(a.SerializeAsString(), c.SerializeAsString());
      continue;
    }
    cites_intervals = true;
    // Listed: the declaration (leaf 0) and the first kCap intervals; the
    // other 40 counted, not listed.
    std::vector<uint64_t> listed = {0};
    listed.insert(listed.end(), intervals.begin(), intervals.begin() + kCap);
    EXPECT_EQ(c.evidence_count(), listed.size());
    EXPECT_EQ(c.evidence_sha256(), EvidenceSha256(listed));
    EXPECT_EQ(CitedLeaves(c), listed);
    EXPECT_EQ(c.evidence_not_listed(), kIntervals - kCap);
    EXPECT_EQ(a.evidence_count(), c.evidence_count() + kIntervals - kCap);
  }
  EXPECT_TRUE(cites_intervals) << "no finding cites the intervals";
}

}  // namespace
}  // namespace rules
