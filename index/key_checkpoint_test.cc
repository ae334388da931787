// The builder's key checkpoints (index_builder.h): the `k` records lag the
// state by less than the interval, a crash-like close leaves them behind,
// and open re-applies the input after them to the same state, refusing
// input that does not make the stored roots without changing the store.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/map_proof.h"
#include "index/model_map.h"
#include "index/model_totals.h"
#include "index/testonly/model_log.h"
#include "ledger/storage/store.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex {
namespace {

using testonly::ModelLog;

constexpr uint64_t kInterval = 25;

class KeyCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ModelLog>> log = ModelLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    dir_ = ledger::testonly::FreshDir("index");
  }

  // The options of a builder that closes as a crash would.
  BuilderOptions Crashing() {
    BuilderOptions options;
    options.key_checkpoint_leaves = kInterval;
    options.checkpoint_keys_at_close = false;
    options.input = [this](uint64_t start, uint64_t max_count) {
      return log_->Leaves(start, start + max_count);
    };
    return options;
  }

  // Appends `n` entries over models m0..m4 and indexes them, one update.
  void Grow(IndexBuilder& b, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(log_->Append(absl::StrCat("m", i % 5), i % 5).ok());
    }
    const absl::Status indexed = log_->IndexUnseen(b);
    ASSERT_TRUE(indexed.ok()) << indexed;
  }

  // Grows an index by updates of 10 until its key records lag its state,
  // then drops it as a crash would. Returns the state it had.
  IndexState GrowAndCrash() {
    auto b = IndexBuilder::Open(dir_, Crashing());
    EXPECT_TRUE(b.ok()) << b.status();
    if (!b.ok()) return {};
    int checkpoints = 0;
    uint64_t at = (*b)->key_checkpoint_size();
    while (checkpoints < 2 ||
           (*b)->key_checkpoint_size() == (*b)->state().input_size) {
      Grow(**b, 10);
      const uint64_t now = (*b)->key_checkpoint_size();
      EXPECT_LT((*b)->state().input_size - now, kInterval);
      if (now != at) {
        EXPECT_EQ(now, (*b)->state().input_size);
        ++checkpoints;
        at = now;
      }
    }
    return (*b)->state();
  }

  std::string ProofOf(const IndexBuilder& b, const std::string& model) {
    KeyValue value;
    return EncodeMapProof(b.Prove(model, &value));
  }

  std::unique_ptr<ModelLog> log_;
  std::string dir_;
};

TEST_F(KeyCheckpointTest, ReopenAfterACrashReappliesTheInputToTheSameState) {
  const IndexState crashed = GrowAndCrash();
  // Without its input, an index behind its key records does not open.
  absl::Status alone = IndexBuilder::Open(dir_).status();
  EXPECT_EQ(alone.code(), absl::StatusCode::kFailedPrecondition) << alone;
  EXPECT_NE(alone.message().find("input log"), std::string::npos) << alone;

  auto b = IndexBuilder::Open(dir_, Crashing());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().input_size, crashed.input_size);
  EXPECT_EQ((*b)->state().map_root, crashed.map_root);
  EXPECT_EQ((*b)->state().key_count, crashed.key_count);
  EXPECT_LT((*b)->key_checkpoint_size(), crashed.input_size);
  // It goes on, and ends where an index built in one go does.
  Grow(**b, 17);
  Grow(**b, 31);
  auto one = IndexBuilder::Open(ledger::testonly::FreshDir("one"));
  ASSERT_TRUE(one.ok());
  Grow(**one, 0);
  EXPECT_EQ((*b)->state().map_root, (*one)->state().map_root);
  for (const char* m : {"m0", "m3"}) {
    EXPECT_EQ(ProofOf(**b, m), ProofOf(**one, m));
    EXPECT_EQ(*(*b)->List(m, 0, 1000), *(*one)->List(m, 0, 1000));
    EXPECT_EQ(EncodeTotals(*(*b)->Totals(m)), EncodeTotals(*(*one)->Totals(m)));
  }
  ModelMap replay;
  for (uint64_t i = 0; i < log_->ledger().Size(); ++i) {
    ASSERT_TRUE(replay.AddLeaf(i, *log_->ledger().GetLeaf(i)).ok());
  }
  replay.Flush();
  EXPECT_EQ(replay.Root(), (*b)->state().map_root);
}

// A new index's key records are at the empty state until the first
// checkpoint: a crash before it re-applies everything.
TEST_F(KeyCheckpointTest, ACrashBeforeTheFirstKeyCheckpoint) {
  IndexState crashed;
  {
    auto b = IndexBuilder::Open(dir_, Crashing());
    ASSERT_TRUE(b.ok());
    Grow(**b, 7);
    EXPECT_EQ((*b)->key_checkpoint_size(), 0u);
    crashed = (*b)->state();
  }
  auto b = IndexBuilder::Open(dir_, Crashing());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().map_root, crashed.map_root);
  EXPECT_EQ((*b)->state().input_size, crashed.input_size);
}

TEST_F(KeyCheckpointTest, ACleanCloseWritesTheKeysAndNeedsNoInput) {
  IndexState closed;
  {
    BuilderOptions options;
    options.key_checkpoint_leaves = 1000;
    auto b = IndexBuilder::Open(dir_, options);
    ASSERT_TRUE(b.ok());
    Grow(**b, 12);
    Grow(**b, 12);
    EXPECT_LT((*b)->key_checkpoint_size(), (*b)->state().input_size);
    closed = (*b)->state();
  }
  auto b = IndexBuilder::Open(dir_);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->key_checkpoint_size(), closed.input_size);
  EXPECT_EQ((*b)->state().map_root, closed.map_root);
}

TEST_F(KeyCheckpointTest, InputThatDoesNotMakeTheStoredRootsIsRefused) {
  const IndexState crashed = GrowAndCrash();
  BuilderOptions tampered = Crashing();
  tampered.input = [this](uint64_t start, uint64_t max_count) {
    absl::StatusOr<std::vector<std::string>> leaves =
        log_->Leaves(start, start + max_count);
    if (leaves.ok()) leaves->back().back() ^= 1;
    return leaves;
  };
  EXPECT_EQ(IndexBuilder::Open(dir_, tampered).status().code(),
            absl::StatusCode::kDataLoss);
  BuilderOptions silent = Crashing();
  silent.input = [](uint64_t, uint64_t) {
    return absl::StatusOr<std::vector<std::string>>(std::vector<std::string>());
  };
  EXPECT_EQ(IndexBuilder::Open(dir_, silent).status().code(),
            absl::StatusCode::kOutOfRange);
  BuilderOptions failing = Crashing();
  failing.input = [](uint64_t, uint64_t) {
    return absl::StatusOr<std::vector<std::string>>(
        absl::UnavailableError("source down"));
  };
  EXPECT_EQ(IndexBuilder::Open(dir_, failing).status().code(),
            absl::StatusCode::kUnavailable);
  // The failed opens wrote nothing (no key checkpoint of a half re-applied
  // map): the right input still opens it to the state it had.
  BuilderOptions closing = Crashing();
  closing.checkpoint_keys_at_close = true;
  auto b = IndexBuilder::Open(dir_, closing);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().map_root, crashed.map_root);
}

// Stores written before key checkpoints wrote the `k` records with every
// update: without the checkpoint record they are at the stored state.
TEST_F(KeyCheckpointTest, AStoreWithoutTheCheckpointRecordIsAtItsState) {
  IndexState closed;
  {
    auto b = IndexBuilder::Open(dir_);
    ASSERT_TRUE(b.ok());
    Grow(**b, 9);
    closed = (*b)->state();
  }
  {
    auto store = ledger::storage::Store::Open(dir_, {});
    ASSERT_TRUE(store.ok()) << store.status();
    ledger::storage::Batch batch;
    batch.Delete(ledger::storage::Family::kMeta, "index/key_checkpoint");
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  IndexState crashed;
  {
    // Opened by this binary, then updated and dropped as a crash would:
    // the open must have recorded where the `k` records are.
    auto b = IndexBuilder::Open(dir_, Crashing());
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ((*b)->key_checkpoint_size(), closed.input_size);
    EXPECT_EQ((*b)->state().map_root, closed.map_root);
    Grow(**b, 11);
    EXPECT_EQ((*b)->key_checkpoint_size(), closed.input_size);
    crashed = (*b)->state();
  }
  auto b = IndexBuilder::Open(dir_, Crashing());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->state().map_root, crashed.map_root);
  EXPECT_EQ((*b)->state().input_size, crashed.input_size);
}

}  // namespace
}  // namespace vindex
