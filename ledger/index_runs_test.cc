// IndexRuns through a real ledger: lookups by leaf hash and idempotent
// retries are answered from memory and from stored runs alike, across
// reopens, for databases written before runs too.
#include "ledger/index_runs.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/entry/byte_io.h"
#include "ledger/entry/leaf.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "ledger/storage_keys.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

using storage::Family;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";
constexpr uint64_t kRun = 8;

class IndexRunsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = testonly::LedgerFixture::Create();
    ASSERT_TRUE(f.ok()) << f.status();
    f_ = std::move(*f);
    f_->set_index_run_leaves(kRun);
    ASSERT_TRUE(f_->Reopen().ok());
    auto collector = f_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
  }

  // Appends `count` envelopes in calls of `per_call`; returns them.
  std::vector<std::string> AppendMany(int count, int per_call) {
    std::vector<std::string> all;
    for (int done = 0; done < count; done += per_call) {
      std::vector<std::string> call;
      for (int i = done; i < std::min(count, done + per_call); ++i) {
        auto e = collector_->SignNext(kInterval, "p" + std::to_string(i));
        EXPECT_TRUE(e.ok());
        call.push_back(*e);
      }
      for (const AppendResult& r : f_->ledger().Append(call))
        EXPECT_TRUE(r.status.ok()) << r.status;
      all.insert(all.end(), call.begin(), call.end());
    }
    return all;
  }

  std::optional<uint64_t> StoredIndexSize() {
    auto v = f_->ledger().store().Get(Family::kMeta, keys::kIndexSize);
    EXPECT_TRUE(v.ok());
    if (!v.ok() || !v->has_value()) return std::nullopt;
    return entry::DecodeU64(**v);
  }

  bool HashKeyStored(uint64_t index) {
    auto leaf = f_->ledger().GetLeaf(index);
    EXPECT_TRUE(leaf.ok());
    auto v = f_->ledger().store().Get(Family::kIndex,
                                      keys::LeafHash(merkle::HashLeaf(*leaf)));
    EXPECT_TRUE(v.ok());
    return v.ok() && v->has_value();
  }

  // Every leaf is found by its hash, and every envelope appended again is
  // recognised as the same entry.
  void ExpectAllFound(const std::vector<std::string>& envelopes,
                      uint64_t first) {
    for (uint64_t i = 0; i < f_->ledger().Size(); ++i) {
      auto leaf = f_->ledger().GetLeaf(i);
      ASSERT_TRUE(leaf.ok());
      auto found = f_->ledger().FindLeafByHash(merkle::HashLeaf(*leaf));
      ASSERT_TRUE(found.ok()) << "leaf " << i << ": " << found.status();
      EXPECT_EQ(*found, i);
    }
    for (size_t k = 0; k < envelopes.size(); ++k) {
      auto again = f_->ledger().Append({envelopes[k]});
      ASSERT_TRUE(again[0].status.ok()) << again[0].status;
      EXPECT_TRUE(again[0].duplicate);
      EXPECT_EQ(again[0].leaf_index, first + k);
    }
  }

  std::unique_ptr<testonly::LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
};

TEST_F(IndexRunsTest, RunsAreStoredAndTheRestIsServedFromMemory) {
  const uint64_t first = f_->ledger().Size();
  const std::vector<std::string> envelopes = AppendMany(29, 3);
  const uint64_t size = f_->ledger().Size();
  const std::optional<uint64_t> stored = StoredIndexSize();
  ASSERT_TRUE(stored.has_value());
  // A run is written once kRun leaves are waiting: at most kRun - 1 plus the
  // last call's 3 are left in memory.
  EXPECT_GT(*stored, 0u);
  EXPECT_LT(size - *stored, kRun + 3);
  for (uint64_t i = 0; i < size; ++i)
    EXPECT_EQ(HashKeyStored(i), i < *stored) << "leaf " << i;
  // Golden bytes (FORMAT.md, "Storage"): index_size and index values are
  // big-endian u64; the h key is "h" ‖ 32-byte leaf hash.
  auto raw_size = f_->ledger().store().Get(Family::kMeta, "index_size");
  ASSERT_TRUE(raw_size.ok() && raw_size->has_value());
  EXPECT_EQ(**raw_size,
            std::string("\0\0\0\0\0\0\0", 7) + static_cast<char>(*stored));
  auto leaf2 = f_->ledger().GetLeaf(2);
  ASSERT_TRUE(leaf2.ok());
  const merkle::Hash hash2 = merkle::HashLeaf(*leaf2);
  auto raw_h = f_->ledger().store().Get(
      Family::kIndex,
      "h" + std::string(reinterpret_cast<const char*>(hash2.data()), 32));
  ASSERT_TRUE(raw_h.ok() && raw_h->has_value());
  EXPECT_EQ(**raw_h, std::string("\0\0\0\0\0\0\0\x02", 8));
  ExpectAllFound(envelopes, first);
  EXPECT_FALSE(
      f_->ledger().FindLeafByHash(merkle::HashLeaf("no such leaf")).ok());
  // A used sequence number with other bytes is refused, whether its index
  // key is in a stored run or still in memory.
  const uint64_t in_memory = *stored - first;  // the first leaf not stored
  ASSERT_LT(in_memory, 29u);
  for (uint64_t sequence : {uint64_t{0}, in_memory, uint64_t{28}}) {
    auto other = collector_->SignAt(sequence, kInterval, "other bytes");
    ASSERT_TRUE(other.ok());
    auto refused = f_->ledger().Append({*other});
    EXPECT_EQ(refused[0].status.code(), absl::StatusCode::kAlreadyExists)
        << refused[0].status;
  }
}

TEST_F(IndexRunsTest, ReopenRebuildsTheInMemoryPart) {
  const uint64_t first = f_->ledger().Size();
  const std::vector<std::string> envelopes = AppendMany(21, 2);
  const std::optional<uint64_t> stored = StoredIndexSize();
  ASSERT_TRUE(stored.has_value());
  ASSERT_LT(*stored, f_->ledger().Size());  // some leaves only in memory
  ASSERT_TRUE(f_->Reopen().ok());
  ExpectAllFound(envelopes, first);
}

TEST_F(IndexRunsTest, DatabaseWrittenBeforeRunsIsFullyIndexed) {
  // Every group writes a run, as every append wrote its keys before runs;
  // then the size record is removed, as such a database lacks it.
  f_->set_index_run_leaves(1);
  ASSERT_TRUE(f_->Reopen().ok());
  const uint64_t first = f_->ledger().Size();
  std::vector<std::string> envelopes = AppendMany(5, 2);
  const uint64_t old_size = f_->ledger().Size();
  f_->Close();
  {
    storage::StoreOptions options;
    auto store = storage::Store::Open(DbPath(f_->dir()), options);
    ASSERT_TRUE(store.ok()) << store.status();
    storage::Batch batch;
    batch.Delete(Family::kMeta, keys::kIndexSize);
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  f_->set_index_run_leaves(1000);
  ASSERT_TRUE(f_->Reopen().ok());
  EXPECT_FALSE(StoredIndexSize().has_value());
  // The next append records that the old leaves are stored; its own leaf
  // is in memory only.
  std::vector<std::string> more = AppendMany(1, 1);
  EXPECT_EQ(StoredIndexSize(), old_size);
  envelopes.insert(envelopes.end(), more.begin(), more.end());
  ExpectAllFound(envelopes, first);
  ASSERT_TRUE(f_->Reopen().ok());
  ExpectAllFound(envelopes, first);
}

TEST_F(IndexRunsTest, MalformedSizeRecordRefusesToOpen) {
  AppendMany(3, 1);
  f_->Close();
  {
    storage::StoreOptions options;
    auto store = storage::Store::Open(DbPath(f_->dir()), options);
    ASSERT_TRUE(store.ok()) << store.status();
    storage::Batch batch;
    batch.Put(Family::kMeta, keys::kIndexSize, entry::U64Key(1'000'000));
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  absl::Status reopened = f_->Reopen();
  EXPECT_EQ(reopened.code(), absl::StatusCode::kDataLoss) << reopened;
}

}  // namespace
}  // namespace ledger
