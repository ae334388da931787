// What the Office records must not depend on when it evaluated or in which
// order it folded the factories: a crossing seen only by the union keeps
// its date across a restart (ModelTotals.union_crossings), and X1 on a
// compute tie sits on the same model whatever log was folded first.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compliance/office_state.h"
#include "compliance/testonly/factory_log.h"
#include "compliance/testonly/office_testing.h"
#include "gtest/gtest.h"
#include "schema/office.pb.h"

namespace compliance {
namespace {

namespace v1 = aifl::rules::v1;
using testonly::Declaration;
using testonly::FactoryLog;
using testonly::H;
using testonly::kA;
using testonly::kB;

// Frontier Labs (one key at both factories) trains "big", 0.75e25 at A then
// 0.75e25 at B in three intervals of 0.25e25: the union passes 1e25 with
// B's second interval. Split Co trains sc-part-1 at A and sc-part-2 at B,
// 0.6e25 each at the same hours, unlinked: an X1 on a compute tie.
class OfficeOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_SET(a_, FactoryLog::Create(kA));
    ASSERT_OK_AND_SET(b_, FactoryLog::Create(kB));
    for (FactoryLog* log : {a_.get(), b_.get()}) {
      ASSERT_TRUE(log->EnrolProvider("frontier", 1, "Frontier Labs").ok());
      ASSERT_TRUE(log->EnrolProvider("split", 2, "Split Co").ok());
      Ok(log->Provider("frontier", Declaration("big", "Frontier Labs"), H(0)));
    }
    Ok(a_->Provider("split", Declaration("sc-part-1", "Split Co"), H(0)));
    Ok(b_->Provider("split", Declaration("sc-part-2", "Split Co"), H(0)));
    Ok(a_->Run({"a/1", "big", "acct", H(1), 0.75e25, 4e12}));
    ASSERT_OK_AND_SET(big_b_run_,
                      b_->Run({"b/1", "big", "acct", H(10), 0.75e25, 4e12}));
    Ok(a_->Run({"a/2", "sc-part-1", "acct", H(20), 0.6e25, 3e12}));
    Ok(b_->Run({"b/2", "sc-part-2", "acct", H(20), 0.6e25, 3e12}));
  }

  static void Ok(const absl::StatusOr<uint64_t>& s) {
    ASSERT_TRUE(s.ok()) << s.status();
  }

  std::unique_ptr<OfficeState> NewOffice() {
    auto office = testonly::NewOffice();
    EXPECT_TRUE(office.ok()) << office.status();
    return office.ok() ? std::move(*office) : nullptr;
  }

  // Feeds `log`'s leaves [from, to) one at a time, recording (as the Office
  // ledger would) what each Evaluate and TotalsToRecord returns.
  void FeedEvaluating(OfficeState& office, FactoryLog& log, uint64_t from,
                      uint64_t to) {
    auto leaves = log.Leaves();
    ASSERT_TRUE(leaves.ok()) << leaves.status();
    to = std::min<uint64_t>(to, leaves->size());
    for (uint64_t i = from; i < to; ++i) {
      auto added = office.Add(log.origin(), i, (*leaves)[i]);
      ASSERT_TRUE(added.ok()) << added.status();
      for (v1::Finding& f : office.Evaluate(now_)) {
        recorded_.push_back(std::move(f));
      }
      for (auto& t : office.TotalsToRecord(now_)) {
        totals_.push_back(std::move(t));
      }
    }
  }

  std::unique_ptr<FactoryLog> a_, b_;
  uint64_t big_b_run_ = 0;
  std::vector<v1::Finding> recorded_;
  std::vector<aifl::office::v1::ModelTotals> totals_;
  const absl::Time now_ = H(24 * 30);
};

const v1::Finding* Latest(const std::vector<v1::Finding>& fs,
                          const std::string& model, const std::string& rule) {
  const v1::Finding* out = nullptr;
  for (const v1::Finding& f : fs) {
    if (f.model_id() == model && f.rule_id() == rule) out = &f;
  }
  return out;
}

TEST_F(OfficeOrderTest, AUnionCrossingKeepsItsDateAcrossARestart) {
  auto office = NewOffice();
  FeedEvaluating(*office, *a_, 0, UINT64_MAX);
  FeedEvaluating(*office, *b_, 0, UINT64_MAX);
  // Dated by B's second interval, the leaf that took the union over 1e25.
  const std::string dated = absl::StrCat("(leaf ", big_b_run_ + 2, " of ", kB);
  const v1::Finding* n1 = Latest(recorded_, "big", "N1");
  ASSERT_NE(n1, nullptr);
  ASSERT_EQ(n1->state(), v1::RAISED);
  EXPECT_NE(n1->message().find(dated), std::string::npos) << n1->message();
  // The date is in the stored totals.
  ASSERT_FALSE(totals_.empty());
  const aifl::office::v1::ModelTotals* big = nullptr;
  for (const auto& t : totals_) {
    if (t.model_id() == "big") big = &t;
  }
  ASSERT_NE(big, nullptr);
  ASSERT_EQ(big->union_crossings_size(), 1);
  EXPECT_EQ(big->union_crossings(0).threshold_flop(), 1e25);
  EXPECT_EQ(big->union_crossings(0).origin(), kB);
  EXPECT_EQ(big->union_crossings(0).leaf_index(), big_b_run_ + 2);

  // A restart: the Office ledger read back, every leaf fed again at once
  // (the newest leaf that moved the figures is now B's third interval).
  auto restarted = NewOffice();
  for (const v1::Finding& f : recorded_) restarted->Record(f);
  for (const auto& t : totals_) restarted->RecordTotals(t);
  ASSERT_TRUE(testonly::FeedAll(*restarted, {a_.get(), b_.get()}).ok());
  const std::vector<v1::Finding> again = restarted->Evaluate(now_);
  for (const v1::Finding& f : again) ADD_FAILURE() << f.message();
  EXPECT_TRUE(restarted->TotalsToRecord(now_).empty());
}

// sc-part-1 (A) and sc-part-2 (B) tie at 0.6e25: X1 sits on the smaller key
// (sc-part-1) whichever factory the Office folded first.
TEST_F(OfficeOrderTest, SplitOnATieSitsOnTheSmallestKeyInEitherOrder) {
  for (bool b_first : {false, true}) {
    SCOPED_TRACE(b_first ? "B first" : "A first");
    recorded_.clear();
    auto office = NewOffice();
    FactoryLog* first = b_first ? b_.get() : a_.get();
    FactoryLog* second = b_first ? a_.get() : b_.get();
    FeedEvaluating(*office, *first, 0, UINT64_MAX);
    FeedEvaluating(*office, *second, 0, UINT64_MAX);
    std::vector<std::string> raised;
    for (const v1::Finding& f : office->Raised()) {
      if (f.rule_id() == "X1") raised.push_back(f.model_id());
    }
    EXPECT_EQ(raised, std::vector<std::string>{"sc-part-1"});
  }
}

}  // namespace
}  // namespace compliance
