// ChunkSignatures over a real ledger's leaves (testonly/hostile_log.h):
// each sealed chunk answers for its own signatures only, so a chunk can be
// committed while the next one's are still verifying.
#include "office/chunk_signatures.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "gtest/gtest.h"
#include "ledger/leaf_replay.h"
#include "office/signature_pool.h"
#include "office/testonly/hostile_log.h"

namespace office {
namespace {

using testonly::HostileLog;

class ChunkSignaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = HostileLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    ASSERT_TRUE(log_->Grow(600).ok());
    auto leaves = log_->LedgerLeaves();
    ASSERT_TRUE(leaves.ok());
    leaves_ = *std::move(leaves);
  }

  void FlipSignature(size_t i) {
    auto flipped = HostileLog::WithBadSignature(leaves_[i]);
    ASSERT_TRUE(flipped.ok()) << flipped.status();
    leaves_[i] = *flipped;
  }

  // Leaves [begin, end), replayed (they follow the ones replayed before).
  ledger::DeferredSignatures Batch(size_t begin, size_t end) {
    ledger::DeferredSignatures batch(log_->origin());
    std::optional<ledger::LeafFailure> bad = replay_->ReplayDeferred(
        absl::MakeConstSpan(leaves_).subspan(begin, end - begin), &batch);
    EXPECT_FALSE(bad.has_value()) << bad->problem;
    return batch;
  }

  std::unique_ptr<HostileLog> log_;
  std::vector<std::string> leaves_;
  std::unique_ptr<ledger::LeafReplay> replay_;
};

TEST_F(ChunkSignaturesTest, FinishAnswersForTheOldestSealedChunkOnly) {
  FlipSignature(300);
  FlipSignature(520);
  replay_ = std::make_unique<ledger::LeafReplay>(log_->origin(), 1);
  SignaturePool pool(2);
  ChunkSignatures signatures(&pool);
  EXPECT_FALSE(signatures.HasSealed());
  signatures.Start(Batch(0, 256));
  signatures.Seal();
  signatures.Start(Batch(256, 512));
  signatures.Start(Batch(512, leaves_.size()));
  signatures.Seal();
  ASSERT_TRUE(signatures.HasSealed());
  // The first chunk is good although the second one's batches are not.
  std::optional<ledger::LeafFailure> first = signatures.Finish();
  EXPECT_FALSE(first.has_value()) << first->problem;
  ASSERT_TRUE(signatures.HasSealed());
  // The second: its lowest bad leaf.
  std::optional<ledger::LeafFailure> second = signatures.Finish();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->index, 300u);
  EXPECT_FALSE(signatures.HasSealed());
}

TEST_F(ChunkSignaturesTest, AChunkGivenUpLeavesThePoolToTheNextStep) {
  FlipSignature(100);
  FlipSignature(400);
  replay_ = std::make_unique<ledger::LeafReplay>(log_->origin(), 1);
  SignaturePool pool(2);
  {
    // A step that stops with batches still verifying: destroyed unfinished.
    ChunkSignatures given_up(&pool);
    given_up.Start(Batch(0, 256));
    given_up.Seal();
    given_up.Start(Batch(256, 300));
  }
  // The next step's chunk (the same pool) answers for its own leaves.
  ChunkSignatures next(&pool);
  next.Start(Batch(300, 512));
  next.Start(Batch(512, leaves_.size()));
  next.Seal();
  std::optional<ledger::LeafFailure> bad = next.Finish();
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->index, 400u);
}

TEST_F(ChunkSignaturesTest, ASealedChunkWithoutBatchesIsReady) {
  SignaturePool pool(1);
  ChunkSignatures signatures(&pool);
  signatures.Start(ledger::DeferredSignatures(log_->origin()));  // empty
  signatures.Seal();
  EXPECT_TRUE(signatures.OldestReady());
  EXPECT_FALSE(signatures.Finish().has_value());
}

}  // namespace
}  // namespace office
