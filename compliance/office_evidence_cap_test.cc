// The AI Office's memory bound (OfficeRuleOptions::max_evidence_leaves, the
// monitor's --max_evidence_leaves) over two real factory logs: each
// factory's fold keeps the first N interval leaves of a model, the union's
// figures and totals still count every interval, and the C4 finding on the
// union (over 1e25 only together) lists 2 × N intervals and counts the rest
// as evidence_not_listed. Without a cap nothing is left out.
#include <memory>
#include <string>
#include <vector>

#include "compliance/office_state.h"
#include "compliance/testonly/factory_log.h"
#include "gtest/gtest.h"
#include "rules/default_pack.h"

namespace compliance {
namespace {

using testonly::Declaration;
using testonly::FactoryLog;
using testonly::RunSpec;

constexpr char kProvider[] = "Frontier Labs SAS";
constexpr int kIntervals = 8;  // per factory
const absl::Time kT0 = absl::FromUnixSeconds(1'780'100'000);

class OfficeEvidenceCapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* origin : {"a.example/log", "b.example/log"}) {
      auto log = FactoryLog::Create(origin);
      ASSERT_TRUE(log.ok()) << log.status();
      ASSERT_TRUE((*log)->EnrolProvider("p", 1, kProvider).ok());
      ASSERT_TRUE((*log)
                      ->Provider("p", Declaration("frontier-1", kProvider), kT0)
                      .ok());
      RunSpec run{"r",     "frontier-1", "acct", kT0 + absl::Hours(1),
                  0.75e25, 4e12};
      run.intervals = kIntervals;
      run.per_append = 3;  // group commits: the leaves the same either way
      ASSERT_TRUE((*log)->Run(run).ok());
      logs_.push_back(*std::move(log));
    }
  }

  // Folds both logs with `cap`; the union's C4 finding and totals.
  void Fold(uint64_t cap, aifl::rules::v1::Finding* c4,
            aifl::office::v1::ModelTotals* totals) {
    auto pack = rules::LoadRulePack("");
    ASSERT_TRUE(pack.ok()) << pack.status();
    OfficeRuleOptions options;
    options.max_evidence_leaves = cap;
    auto office = OfficeState::Create(*std::move(pack), options);
    ASSERT_TRUE(office.ok()) << office.status();
    for (const auto& log : logs_) {
      auto leaves = log->Leaves();
      ASSERT_TRUE(leaves.ok()) << leaves.status();
      for (size_t i = 0; i < leaves->size(); ++i) {
        ASSERT_TRUE((*office)->Add(log->origin(), i, (*leaves)[i]).ok());
      }
    }
    const absl::Time now = kT0 + absl::Hours(48);
    bool found = false;
    for (const aifl::rules::v1::Finding& f : (*office)->Evaluate(now)) {
      if (f.rule_id() == "C4") {
        *c4 = f;
        found = true;
      }
    }
    ASSERT_TRUE(found) << "no C4 on the union";
    const auto all_totals = (*office)->TotalsToRecord(now);
    ASSERT_EQ(all_totals.size(), 1u);
    *totals = all_totals[0];
  }

  static double Figure(const aifl::rules::v1::Finding& f,
                       const std::string& name) {
    for (const auto& fig : f.figures()) {
      if (fig.name() == name) return fig.lower();
    }
    ADD_FAILURE() << "no figure " << name;
    return -1;
  }

  std::vector<std::unique_ptr<FactoryLog>> logs_;
};

TEST_F(OfficeEvidenceCapTest, CapListsTheFirstLeavesAndCountsTheRest) {
  aifl::rules::v1::Finding all, capped;
  aifl::office::v1::ModelTotals all_totals, capped_totals;
  ASSERT_NO_FATAL_FAILURE(Fold(0, &all, &all_totals));
  ASSERT_NO_FATAL_FAILURE(Fold(3, &capped, &capped_totals));

  EXPECT_EQ(all.evidence_not_listed(), 0u);
  EXPECT_EQ(capped.evidence_not_listed(), 2u * (kIntervals - 3));
  EXPECT_EQ(all.evidence_count(),
            capped.evidence_count() + capped.evidence_not_listed());
  EXPECT_EQ(Figure(capped, "measured_intervals"), 2 * kIntervals);
  EXPECT_EQ(Figure(all, "measured_intervals"), 2 * kIntervals);
  EXPECT_EQ(all.message(), capped.message());
  ASSERT_EQ(capped_totals.factories_size(), 2);
  for (const aifl::office::v1::FactoryShare& share :
       capped_totals.factories()) {
    EXPECT_EQ(share.counted_leaves(), uint64_t{kIntervals}) << share.origin();
  }
  EXPECT_EQ(all_totals.SerializeAsString(), capped_totals.SerializeAsString());
}

TEST_F(OfficeEvidenceCapTest, BelowTheCapTheFindingIsUnchanged) {
  aifl::rules::v1::Finding all, capped;
  aifl::office::v1::ModelTotals all_totals, capped_totals;
  ASSERT_NO_FATAL_FAILURE(Fold(0, &all, &all_totals));
  ASSERT_NO_FATAL_FAILURE(Fold(kIntervals, &capped, &capped_totals));
  EXPECT_EQ(all.SerializeAsString(), capped.SerializeAsString());
}

}  // namespace
}  // namespace compliance
