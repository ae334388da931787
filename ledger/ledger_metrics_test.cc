// What the ledger tells a metrics exporter: each group commit through
// LedgerOptions::commit_observer (leaves, leaf bytes, synced-write time;
// refused entries not counted) and the tree's recent-block cache hits and
// misses.
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "ledger/commit_observer.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"

namespace ledger {
namespace {

constexpr char kType[] = "aifl.collector.v1.Blob";

class RecordingObserver : public CommitObserver {
 public:
  void OnGroupCommit(const GroupCommitStats& stats) override {
    absl::MutexLock lock(&mu_);
    groups_.push_back(stats);
  }
  std::vector<GroupCommitStats> groups() {
    absl::MutexLock lock(&mu_);
    return groups_;
  }

 private:
  absl::Mutex mu_;
  std::vector<GroupCommitStats> groups_;
};

struct Opened {
  std::unique_ptr<testonly::LedgerFixture> fixture;
  std::unique_ptr<EntrySigner> collector;
  std::unique_ptr<Ledger> ledger;
};

// A fixture's ledger with one enrolled collector, reopened with `observer`
// and `tree_cache_bytes`.
Opened Open(CommitObserver* observer, size_t tree_cache_bytes) {
  Opened out;
  out.fixture = std::move(*testonly::LedgerFixture::Create());
  out.collector =
      std::move(*out.fixture->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  out.fixture->Close();
  LedgerOptions options;
  options.dir = out.fixture->dir();
  options.clock = &out.fixture->clock();
  options.commit_observer = observer;
  options.tree_cache_bytes = tree_cache_bytes;
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(options);
  EXPECT_TRUE(ledger.ok()) << ledger.status();
  if (ledger.ok()) out.ledger = std::move(*ledger);
  return out;
}

TEST(LedgerMetricsTest, ObserverSeesEachGroupCommitWithoutRefusedEntries) {
  RecordingObserver observer;
  Opened o = Open(&observer, size_t{1} << 20);
  ASSERT_NE(o.ledger, nullptr);
  const uint64_t before = o.ledger->Size();
  std::vector<std::string> envelopes;
  for (int i = 0; i < 3; ++i) {
    envelopes.push_back(
        *o.collector->SignNext(kType, std::string(10 + i, 'x')));
  }
  std::string forged = *o.collector->SignNext(kType, "forged");
  forged[forged.size() - 64] ^= 0x40;  // the signature no longer verifies
  envelopes.push_back(forged);
  std::vector<AppendResult> results = o.ledger->Append(envelopes);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(results[i].status.ok()) << i;
  EXPECT_TRUE(absl::IsUnauthenticated(results[3].status)) << results[3].status;

  std::vector<GroupCommitStats> groups = observer.groups();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].ok);
  EXPECT_EQ(groups[0].entries, 3u);
  uint64_t leaf_bytes = 0;
  for (uint64_t i = before; i < o.ledger->Size(); ++i) {
    leaf_bytes += o.ledger->GetLeaf(i)->size();
  }
  EXPECT_EQ(groups[0].leaf_bytes, leaf_bytes);
  EXPECT_GT(groups[0].sync_time, absl::ZeroDuration());

  // A group in which every entry is refused writes nothing and is not told.
  o.ledger->Append({forged});
  EXPECT_EQ(observer.groups().size(), 1u);
}

// 300 leaves: block 0 (leaves 0..255) is complete. A proof for leaf 0 reads
// its nodes from the cache when it has room, else from storage.
void FillTwoBlocks(Opened& o) {
  std::vector<std::string> envelopes;
  while (o.ledger->Size() + envelopes.size() < 300) {
    envelopes.push_back(*o.collector->SignNext(kType, "x"));
  }
  for (const AppendResult& r : o.ledger->Append(envelopes)) {
    ASSERT_TRUE(r.status.ok()) << r.status;
  }
}

TEST(LedgerMetricsTest, CountsTreeCacheHits) {
  Opened o = Open(nullptr, size_t{1} << 20);
  ASSERT_NE(o.ledger, nullptr);
  FillTwoBlocks(o);
  const TreeState::CacheStats before = o.ledger->TreeCacheStats();
  ASSERT_TRUE(o.ledger->InclusionProof(0, o.ledger->Size()).ok());
  const TreeState::CacheStats after = o.ledger->TreeCacheStats();
  EXPECT_GT(after.hits, before.hits);
  EXPECT_EQ(after.misses, before.misses);
}

TEST(LedgerMetricsTest, CountsTreeCacheMissesWithoutACache) {
  Opened o = Open(nullptr, /*tree_cache_bytes=*/0);
  ASSERT_NE(o.ledger, nullptr);
  FillTwoBlocks(o);
  const TreeState::CacheStats before = o.ledger->TreeCacheStats();
  ASSERT_TRUE(o.ledger->InclusionProof(0, o.ledger->Size()).ok());
  const TreeState::CacheStats after = o.ledger->TreeCacheStats();
  EXPECT_EQ(after.hits, before.hits);
  EXPECT_GT(after.misses, before.misses);
}

}  // namespace
}  // namespace ledger
