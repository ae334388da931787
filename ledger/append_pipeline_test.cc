#include "ledger/append_pipeline.h"

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "ledger/entry/leaf.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using aifl::ledger::v1::ROLE_COLLECTOR;
using testonly::LedgerFixture;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";

// Collects the answers of many batches.
class Answers {
 public:
  AppendPipeline::Done For(int batch) {
    return [this, batch](std::vector<AppendResult> results) {
      absl::MutexLock lock(&mu_);
      by_batch_[batch] = std::move(results);
    };
  }
  void WaitFor(size_t batches) {
    absl::MutexLock lock(&mu_);
    auto done = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return by_batch_.size() >= batches;
    };
    mu_.Await(absl::Condition(&done));
  }
  std::map<int, std::vector<AppendResult>> Take() {
    absl::MutexLock lock(&mu_);
    return std::move(by_batch_);
  }

 private:
  absl::Mutex mu_;
  std::map<int, std::vector<AppendResult>> by_batch_ ABSL_GUARDED_BY(mu_);
};

class AppendPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    for (int i = 0; i < 2; ++i) {
      auto collector =
          f_->EnrolNewKey(ROLE_COLLECTOR, "factory", absl::StrCat("node-", i));
      ASSERT_TRUE(collector.ok()) << collector.status();
      collectors_.push_back(std::move(*collector));
    }
  }

  std::vector<std::string> SignBatch(int collector, int n) {
    std::vector<std::string> batch;
    for (int i = 0; i < n; ++i) {
      auto envelope = collectors_[collector]->SignNext(
          kInterval, absl::StrCat("payload ", collector, " ", i));
      EXPECT_TRUE(envelope.ok());
      batch.push_back(*envelope);
    }
    return batch;
  }

  std::unique_ptr<LedgerFixture> f_;
  std::vector<std::unique_ptr<EntrySigner>> collectors_;
};

TEST_F(AppendPipelineTest, BatchesOfOneKeyCommitInSubmissionOrder) {
  auto pipeline =
      AppendPipeline::Start(&f_->ledger().sequencer(), PipelineOptions());
  Answers answers;
  std::vector<std::vector<std::string>> submitted;
  // Forty batches of one key in flight at once: each one's sequence numbers
  // follow the previous batch's, so any reordering would be a sequence gap.
  for (int b = 0; b < 40; ++b) {
    submitted.push_back(SignBatch(b % 2, 1 + b % 7));
    ASSERT_TRUE(
        pipeline
            ->Submit(std::vector<std::string>(submitted.back()), answers.For(b))
            .ok());
  }
  answers.WaitFor(submitted.size());
  std::map<int, std::vector<AppendResult>> results = answers.Take();
  const uint64_t size = f_->ledger().Size();
  std::map<int, uint64_t> last_leaf;
  for (int b = 0; b < 40; ++b) {
    ASSERT_EQ(results[b].size(), submitted[b].size());
    for (size_t i = 0; i < submitted[b].size(); ++i) {
      const AppendResult& r = results[b][i];
      ASSERT_TRUE(r.status.ok()) << "batch " << b << ": " << r.status;
      EXPECT_FALSE(r.duplicate);
      ASSERT_LT(r.leaf_index, size);
      // Acknowledged means durable and readable: the leaf holds these bytes.
      auto leaf = entry::ParseLeaf(*f_->ledger().GetLeaf(r.leaf_index));
      ASSERT_TRUE(leaf.ok());
      EXPECT_EQ(leaf->envelope, submitted[b][i]);
      if (last_leaf.count(b % 2)) {
        EXPECT_GT(r.leaf_index, last_leaf[b % 2]);
      }
      last_leaf[b % 2] = r.leaf_index;
    }
  }
}

TEST_F(AppendPipelineTest, ResubmissionAnswersTheOriginalReceipt) {
  auto pipeline =
      AppendPipeline::Start(&f_->ledger().sequencer(), PipelineOptions());
  Answers answers;
  const std::vector<std::string> batch = SignBatch(0, 5);
  ASSERT_TRUE(
      pipeline->Submit(std::vector<std::string>(batch), answers.For(0)).ok());
  ASSERT_TRUE(
      pipeline->Submit(std::vector<std::string>(batch), answers.For(1)).ok());
  answers.WaitFor(2);
  std::map<int, std::vector<AppendResult>> results = answers.Take();
  for (size_t i = 0; i < batch.size(); ++i) {
    ASSERT_TRUE(results[0][i].status.ok()) << results[0][i].status;
    ASSERT_TRUE(results[1][i].status.ok()) << results[1][i].status;
    EXPECT_FALSE(results[0][i].duplicate);
    EXPECT_TRUE(results[1][i].duplicate);
    EXPECT_EQ(results[1][i].leaf_index, results[0][i].leaf_index);
  }
}

TEST_F(AppendPipelineTest, RefusesEntriesAsAppendDoesAndKeepsTheOthers) {
  auto pipeline =
      AppendPipeline::Start(&f_->ledger().sequencer(), PipelineOptions());
  std::vector<std::string> batch = SignBatch(0, 3);
  batch[1].back() ^= 1;  // the signature's last byte
  Answers answers;
  ASSERT_TRUE(
      pipeline->Submit(std::vector<std::string>(batch), answers.For(0)).ok());
  answers.WaitFor(1);
  std::vector<AppendResult> results = answers.Take()[0];
  EXPECT_TRUE(results[0].status.ok()) << results[0].status;
  EXPECT_EQ(results[1].status.code(), absl::StatusCode::kUnauthenticated);
  // The third now follows a gap in the key's sequence.
  EXPECT_EQ(results[2].status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AppendPipelineTest, FullPipelineRefusesWithUnavailable) {
  PipelineOptions options;
  options.max_entries = 4;
  auto pipeline = AppendPipeline::Start(&f_->ledger().sequencer(), options);
  // The first batch's callback holds the commit thread, so the pipeline
  // keeps holding that batch until it is released.
  absl::Notification answered, release;
  ASSERT_TRUE(pipeline
                  ->Submit(SignBatch(0, 3),
                           [&](std::vector<AppendResult>) {
                             answered.Notify();
                             release.WaitForNotification();
                           })
                  .ok());
  answered.WaitForNotification();
  EXPECT_EQ(pipeline->Now().entries, 3u);
  std::vector<std::string> second = SignBatch(1, 2);
  const std::vector<std::string> copy = second;
  absl::Status refused =
      pipeline->Submit(std::move(second), [](std::vector<AppendResult>) {
        ADD_FAILURE() << "a refused batch is never answered";
      });
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable) << refused;
  EXPECT_NE(refused.message().find("full"), std::string::npos) << refused;
  EXPECT_EQ(second, copy) << "a refused batch is left to retry";
  // One more entry still fits.
  collectors_[1]->set_next_sequence(0);
  Answers answers;
  ASSERT_TRUE(pipeline->Submit(SignBatch(1, 1), answers.For(0)).ok());
  release.Notify();
  answers.WaitFor(1);
  EXPECT_TRUE(answers.Take()[0][0].status.ok());
}

TEST_F(AppendPipelineTest, BoundedByBytesToo) {
  PipelineOptions options;
  options.max_bytes = 1;  // any second batch is over
  auto pipeline = AppendPipeline::Start(&f_->ledger().sequencer(), options);
  absl::Notification release;
  ASSERT_TRUE(pipeline
                  ->Submit(SignBatch(0, 1),
                           [&](std::vector<AppendResult>) {
                             release.WaitForNotification();
                           })
                  .ok());
  EXPECT_EQ(pipeline->Submit(SignBatch(0, 1), [](std::vector<AppendResult>) {})
                .code(),
            absl::StatusCode::kUnavailable);
  release.Notify();
}

TEST_F(AppendPipelineTest, SharesTheCommitQueueWithSynchronousAppends) {
  auto pipeline =
      AppendPipeline::Start(&f_->ledger().sequencer(), PipelineOptions());
  Answers answers;
  const uint64_t before = f_->ledger().Size();
  std::thread sync_appender([&] {
    for (int i = 0; i < 20; ++i) {
      for (const AppendResult& r : f_->ledger().Append(SignBatch(1, 3)))
        EXPECT_TRUE(r.status.ok()) << r.status;
    }
  });
  for (int b = 0; b < 20; ++b)
    ASSERT_TRUE(pipeline->Submit(SignBatch(0, 3), answers.For(b)).ok());
  sync_appender.join();
  answers.WaitFor(20);
  for (const auto& [b, results] : answers.Take()) {
    for (const AppendResult& r : results)
      EXPECT_TRUE(r.status.ok()) << r.status;
  }
  EXPECT_EQ(f_->ledger().Size(), before + 120);
}

TEST_F(AppendPipelineTest, DestructionCommitsEverythingAccepted) {
  Answers answers;
  const uint64_t before = f_->ledger().Size();
  {
    auto pipeline =
        AppendPipeline::Start(&f_->ledger().sequencer(), PipelineOptions());
    for (int b = 0; b < 10; ++b)
      ASSERT_TRUE(pipeline->Submit(SignBatch(0, 4), answers.For(b)).ok());
  }
  EXPECT_EQ(answers.Take().size(), 10u);
  EXPECT_EQ(f_->ledger().Size(), before + 40);
}

TEST_F(AppendPipelineTest, ReadOnlyLedgerAnswersAtOnce) {
  LedgerOptions options;
  options.dir = f_->dir();
  options.read_only = true;
  auto reader = Ledger::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto pipeline =
      AppendPipeline::Start(&(*reader)->sequencer(), PipelineOptions());
  bool answered = false;
  ASSERT_TRUE(pipeline
                  ->Submit(SignBatch(0, 2),
                           [&](std::vector<AppendResult> results) {
                             answered = true;
                             for (const AppendResult& r : results) {
                               EXPECT_EQ(r.status.code(),
                                         absl::StatusCode::kFailedPrecondition);
                             }
                           })
                  .ok());
  EXPECT_TRUE(answered);
  EXPECT_EQ(pipeline->Submit({}, [](std::vector<AppendResult>) {}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ledger
