// Global model identity at the Office (compliance/README.md, "Global model
// identity"): a model whose provider is unknown (no declaration at that
// factory, or one signed by a key enrolled without an organisation) is that
// factory's own, so two unrelated users' "llama-ft" at two factories stay
// two models; a known provider's model at two factories is still one.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "compliance/log_fold.h"
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
using testonly::kC;

// "llama-ft", 0.6e25 FLOP at each of three factories: undeclared at A and
// C, declared at B by a key enrolled without an organisation. "shared-ft",
// 0.6e25 at A and at B, declared at both by Shared Co's one key.
class OfficeIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_SET(a_, FactoryLog::Create(kA));
    ASSERT_OK_AND_SET(b_, FactoryLog::Create(kB));
    ASSERT_OK_AND_SET(c_, FactoryLog::Create(kC));
    for (FactoryLog* log : {a_.get(), b_.get()}) {
      ASSERT_TRUE(log->EnrolProvider("shared", 9, "Shared Co").ok());
      Ok(log->Provider("shared", Declaration("shared-ft", "Shared Co"), H(0)));
      Ok(log->Run({"s/1", "shared-ft", "acct", H(1), 0.6e25, 3e12}));
    }
    ASSERT_TRUE(b_->EnrolProvider("someone", 5, "").ok());
    Ok(b_->Provider("someone", Declaration("llama-ft", "Someone"), H(0)));
    for (FactoryLog* log : {a_.get(), b_.get(), c_.get()}) {
      Ok(log->Run({"l/1", "llama-ft", "acct", H(2), 0.6e25, 3e12}));
    }
    ASSERT_OK_AND_SET(office_, testonly::NewOffice());
    ASSERT_TRUE(testonly::FeedAll(*office_, Logs()).ok());
  }

  static void Ok(const absl::StatusOr<uint64_t>& s) {
    ASSERT_TRUE(s.ok()) << s.status();
  }

  std::vector<FactoryLog*> Logs() { return {a_.get(), b_.get(), c_.get()}; }

  // The global models named `model_id`, by key.
  std::vector<const MergedModel*> ModelsNamed(const std::string& model_id) {
    std::vector<const MergedModel*> out;
    for (const MergedModel& m : office_->models()) {
      if (m.model->key.model_id == model_id) out.push_back(&m);
    }
    return out;
  }

  std::unique_ptr<FactoryLog> a_, b_, c_;
  std::unique_ptr<OfficeState> office_;
  const absl::Time now_ = H(24 * 30);
};

std::vector<const v1::Finding*> Raised(const std::vector<v1::Finding>& fs,
                                       const std::string& model,
                                       const std::string& rule) {
  std::vector<const v1::Finding*> out;
  for (const v1::Finding& f : fs) {
    if (f.model_id() == model && f.rule_id() == rule &&
        f.state() == v1::RAISED) {
      out.push_back(&f);
    }
  }
  return out;
}

TEST_F(OfficeIdentityTest, UnknownProvidersSameModelIdStayApart) {
  const std::vector<v1::Finding> out = office_->Evaluate(now_);
  const std::vector<const MergedModel*> llama = ModelsNamed("llama-ft");
  ASSERT_EQ(llama.size(), 3u);
  const char* origins[] = {kA, kB, kC};
  for (size_t i = 0; i < llama.size(); ++i) {
    EXPECT_EQ(llama[i]->model->key.provider, "");
    EXPECT_EQ(llama[i]->model->Origins(), std::vector<std::string>{origins[i]});
    EXPECT_DOUBLE_EQ(llama[i]->merged.measured_cumulative.lower, 0.6e25);
  }
  // 1.8e25 together, but nobody's model reaches 1e25.
  EXPECT_TRUE(Raised(out, "llama-ft", "C4").empty());
  // Each still has its own findings, which name its factory.
  const std::vector<const v1::Finding*> c1 = Raised(out, "llama-ft", "C1");
  ASSERT_EQ(c1.size(), 3u);
  for (size_t i = 0; i < c1.size(); ++i) {
    EXPECT_EQ(c1[i]->provider(), "");
    EXPECT_EQ(c1[i]->model_origin(), origins[i]);
    EXPECT_EQ(FindingModel(*c1[i]), absl::StrCat("(unknown provider at ",
                                                 origins[i], ") / llama-ft"));
  }
  // Their totals too: three, each with its one factory.
  const std::vector<aifl::office::v1::ModelTotals> totals =
      office_->TotalsToRecord(now_);
  std::vector<std::string> llama_origins;
  for (const aifl::office::v1::ModelTotals& t : totals) {
    if (t.model_id() != "llama-ft") continue;
    llama_origins.push_back(t.model_origin());
    ASSERT_EQ(t.factories_size(), 1);
    EXPECT_EQ(t.factories(0).origin(), t.model_origin());
  }
  EXPECT_EQ(llama_origins, (std::vector<std::string>{kA, kB, kC}));
}

// Read back from the Office ledger, each unknown provider's finding and
// totals are matched to its own factory's model: nothing is appended again.
TEST_F(OfficeIdentityTest, ARestartMatchesEachUnknownProvidersModel) {
  const std::vector<v1::Finding> first = office_->Evaluate(now_);
  const std::vector<aifl::office::v1::ModelTotals> totals =
      office_->TotalsToRecord(now_);
  std::unique_ptr<OfficeState> restarted;
  ASSERT_OK_AND_SET(restarted, testonly::NewOffice());
  for (const v1::Finding& f : first) restarted->Record(f);
  for (const auto& t : totals) restarted->RecordTotals(t);
  ASSERT_TRUE(testonly::FeedAll(*restarted, Logs()).ok());
  EXPECT_TRUE(restarted->Evaluate(now_ + absl::Hours(1)).empty());
  EXPECT_TRUE(restarted->TotalsToRecord(now_ + absl::Hours(1)).empty());
}

TEST_F(OfficeIdentityTest, AKnownProvidersModelAtTwoFactoriesIsOne) {
  const std::vector<v1::Finding> out = office_->Evaluate(now_);
  const std::vector<const MergedModel*> shared = ModelsNamed("shared-ft");
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared[0]->model->key.provider, "Shared Co");
  EXPECT_EQ(shared[0]->model->Origins(), (std::vector<std::string>{kA, kB}));
  EXPECT_DOUBLE_EQ(shared[0]->merged.measured_cumulative.lower, 1.2e25);
  const std::vector<const v1::Finding*> c4 = Raised(out, "shared-ft", "C4");
  ASSERT_EQ(c4.size(), 1u);
  EXPECT_EQ(c4[0]->provider(), "Shared Co");
  // A known provider's stored form is as before: no model_origin.
  EXPECT_EQ(c4[0]->model_origin(), "");
  EXPECT_EQ(FindingModel(*c4[0]), "Shared Co / shared-ft");
}

}  // namespace
}  // namespace compliance
