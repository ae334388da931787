// Issue 16, "Leaves fit": a finding over a model with 100,000 evidence
// leaves, none adjacent (the worst case for ranges), still fits one ledger
// leaf (65,535 bytes), and its count and SHA-256 cover every leaf.
#include <cstdint>
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

// Room left in the leaf for the envelope around the finding (signature, key
// id, payload type, timestamps): far more than it takes.
constexpr size_t kEnvelopeAllowance = 4096;

TEST(EvidenceFitTest, HundredThousandEvidenceLeavesFitOneLedgerLeaf) {
  auto evaluator = testonly::ShippedEvaluator();
  ASSERT_NE(evaluator, nullptr);
  LedgerBuilder b;
  b.Provider(Declaration("m"));
  std::vector<uint64_t> intervals;  // leaf indices of m's intervals
  for (int i = 0; i < 100000; ++i) {
    auto r = Interval("m", 2e20, 2.2e20);  // 100,000 of them: 2e25..2.2e25
    r.set_node(absl::StrCat("n", i));
    intervals.push_back(b.Collector(r));
    auto other = Interval("other", 1e18, 1e18);  // keeps m's leaves apart
    other.set_node(absl::StrCat("n", i));
    b.Collector(other);
  }
  ModelStateFold fold(evaluator->fold_options());
  for (const LedgerEntry& e : b.entries()) ASSERT_TRUE(fold.Apply(e).ok());
  const ModelState* m = fold.Find("m");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->counted_leaves.size(), 100000u);

  const auto findings = evaluator->Evaluate(*m, At(2025, 10, 1));
  ASSERT_FALSE(findings.empty());
  bool cites_all = false;
  for (const auto& f : findings) {
    SCOPED_TRACE(f.rule_id());
    EXPECT_LT(f.ByteSizeLong() + kEnvelopeAllowance, 65535u);
    EXPECT_LE(f.evidence_ranges_size(), static_cast<int>(kMaxEvidenceRanges));
    EXPECT_EQ(f.evidence_leaves_size(), 0);
    if (f.evidence_count() < intervals.size()) continue;
    cites_all = true;
    // The full list: the declaration (leaf 0) and every interval.
    std::vector<uint64_t> all = {0};
    all.insert(all.end(), intervals.begin(), intervals.end());
    EXPECT_EQ(f.evidence_count(), all.size());
    EXPECT_EQ(f.evidence_sha256(), EvidenceSha256(all));
    // Leaves 0 and 1 share the first range; every later range is one leaf.
    EXPECT_EQ(CitedLeaves(f),
              std::vector<uint64_t>(all.begin(),
                                    all.begin() + kMaxEvidenceRanges + 1));
  }
  EXPECT_TRUE(cites_all) << "no compute finding cites every interval";
}

}  // namespace
}  // namespace rules
