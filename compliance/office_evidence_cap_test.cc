// The AI Office's memory bound (OfficeRuleOptions::max_evidence_leaves, the
// monitor's --max_evidence_leaves) over two real factory logs: each
// factory's fold keeps the first N interval leaves of a model, the union's
// figures and totals still count every interval, and the C4 finding on the
// union (over 1e25 only together) lists 2 × N intervals and counts the rest
// as evidence_not_listed, and so does X1 when the two factories' models are
// two (a possible split). Without a cap nothing is left out.
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
  void SetUp() override { Build("frontier-1", "frontier-1"); }

  // Factory a trains `model_a`, b `model_b`, at the same time: one global
  // model when the ids are the same, else two (X1).
  void Build(const std::string& model_a, const std::string& model_b) {
    logs_.clear();
    for (const char* origin : {"a.example/log", "b.example/log"}) {
      const std::string& model = logs_.empty() ? model_a : model_b;
      auto log = FactoryLog::Create(origin);
      ASSERT_TRUE(log.ok()) << log.status();
      ASSERT_TRUE((*log)->EnrolProvider("p", 1, kProvider).ok());
      ASSERT_TRUE(
          (*log)->Provider("p", Declaration(model, kProvider), kT0).ok());
      RunSpec run{"r", model, "acct", kT0 + absl::Hours(1), 0.75e25, 4e12};
      run.intervals = kIntervals;
      run.per_append = 3;  // group commits: the leaves the same either way
      ASSERT_TRUE((*log)->Run(run).ok());
      logs_.push_back(*std::move(log));
    }
  }

  // Folds both logs with `cap`; the union's C4 finding and totals.
  void Fold(uint64_t cap, aifl::rules::v1::Finding* c4,
            aifl::office::v1::ModelTotals* totals) {
    std::vector<aifl::office::v1::ModelTotals> all_totals;
    ASSERT_NO_FATAL_FAILURE(FoldFor("C4", cap, c4, &all_totals));
    ASSERT_EQ(all_totals.size(), 1u);
    *totals = all_totals[0];
  }

  // Folds both logs with `cap`; the finding of `rule` and every totals.
  void FoldFor(const std::string& rule, uint64_t cap,
               aifl::rules::v1::Finding* finding,
               std::vector<aifl::office::v1::ModelTotals>* totals) {
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
      if (f.rule_id() == rule) {
        *finding = f;
        found = true;
      }
    }
    ASSERT_TRUE(found) << "no " << rule << " on the union";
    *totals = (*office)->TotalsToRecord(now);
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

// X1 (two models, one provider, together over 1e25) cites every interval of
// both: with the cap it lists the first N of each and counts the rest, as
// the rule pack's findings do; at the cap it is the same bytes.
TEST_F(OfficeEvidenceCapTest, PossibleSplitCountsWhatTheCapLeftOut) {
  ASSERT_NO_FATAL_FAILURE(Build("part-1", "part-2"));
  aifl::rules::v1::Finding all, capped, at_cap;
  std::vector<aifl::office::v1::ModelTotals> totals;
  ASSERT_NO_FATAL_FAILURE(FoldFor("X1", 0, &all, &totals));
  ASSERT_NO_FATAL_FAILURE(FoldFor("X1", 3, &capped, &totals));
  ASSERT_NO_FATAL_FAILURE(FoldFor("X1", kIntervals, &at_cap, &totals));
  EXPECT_EQ(all.evidence_not_listed(), 0u);
  EXPECT_EQ(capped.evidence_not_listed(), 2u * (kIntervals - 3));
  EXPECT_EQ(all.evidence_count(),
            capped.evidence_count() + capped.evidence_not_listed());
  EXPECT_EQ(all.message(), capped.message());
  EXPECT_EQ(all.SerializeAsString(), at_cap.SerializeAsString());
}

}  // namespace
}  // namespace compliance
