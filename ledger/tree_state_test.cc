#include "ledger/tree_state.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"

namespace ledger {
namespace {

using merkle::Hash;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

Hash Leaf(uint64_t i) { return merkle::HashLeaf(absl::StrCat("leaf ", i)); }

// Appends `total` leaves in groups of the given sizes (cycled), storing the
// size the way the Ledger does, and reloads from storage after each group.
class TreeStateTest : public ::testing::Test {
 protected:
  void Open(const std::string& name) {
    auto store = storage::Store::Open(TempPath(name),
                                      {storage::StoreOptions::Mode::kCreate});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    auto tree = TreeState::Load(store_.get(), 0);
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = std::move(*tree);
  }

  void AppendGroup(uint64_t count) {
    std::vector<Hash> hashes;
    for (uint64_t i = 0; i < count; ++i) {
      hashes.push_back(Leaf(reference_.size()));
      reference_.Append(hashes.back());
    }
    storage::Batch batch;
    PendingAppend pending = tree_->StageAppend(hashes, &batch);
    ASSERT_TRUE(store_->Write(&batch).ok());
    tree_->Apply(std::move(pending));
  }

  void ExpectMatchesReference(TreeState& tree) {
    const uint64_t size = reference_.size();
    ASSERT_EQ(tree.size(), size);
    EXPECT_EQ(tree.Root(), *reference_.Root(size));
    for (uint64_t index : {uint64_t{0}, size / 2, size - 1}) {
      auto got = merkle::InclusionProof(index, size, tree);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(*got, *merkle::InclusionProof(index, size, reference_));
    }
    for (uint64_t size1 : {uint64_t{1}, size / 3, size - 1}) {
      if (size1 == 0) continue;
      auto got = merkle::ConsistencyProof(size1, size, tree);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(*got, *merkle::ConsistencyProof(size1, size, reference_));
    }
  }

  // Number of "t" (partial block) values in storage.
  int TailValues() {
    int n = 0;
    EXPECT_TRUE(store_
                    ->Scan(storage::Family::kTree, "t", "u",
                           [&](absl::string_view, absl::string_view) {
                             ++n;
                             return true;
                           })
                    .ok());
    return n;
  }

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<TreeState> tree_;
  merkle::InMemoryTree reference_;
};

TEST_F(TreeStateTest, ReloadsPartialBlocksFromLeafHashValues) {
  Open("reload_partial");
  const uint64_t groups[] = {1, 7, 100, 148, 3, 300, 255, 1, 513, 64};
  for (uint64_t count : groups) {
    AppendGroup(count);
    ExpectMatchesReference(*tree_);
    auto reloaded = TreeState::Load(store_.get(), reference_.size());
    ASSERT_TRUE(reloaded.ok()) << reloaded.status();
    ExpectMatchesReference(**reloaded);
  }
}

TEST_F(TreeStateTest, CompletedBlocksDropTheirLeafHashValues) {
  Open("drop_tails");
  for (int i = 0; i < 5; ++i) AppendGroup(50);  // 250 leaves, 5 "t" values
  EXPECT_EQ(TailValues(), 5);
  AppendGroup(10);  // completes block 0, starts block 1
  EXPECT_EQ(TailValues(), 1);
  auto block = store_->Get(storage::Family::kTree, BlockKey(0));
  ASSERT_TRUE(block.ok());
  ASSERT_TRUE(block->has_value());
  EXPECT_EQ((*block)->size(), kBlockBytes);
  AppendGroup(252);  // exactly completes block 1
  EXPECT_EQ(TailValues(), 0);
  auto reloaded = TreeState::Load(store_.get(), reference_.size());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  ExpectMatchesReference(**reloaded);
}

TEST_F(TreeStateTest, MissingLeafHashValueIsDataLoss) {
  Open("missing_tail");
  AppendGroup(10);
  AppendGroup(10);
  storage::Batch damage;
  damage.Delete(storage::Family::kTree, TailKey(0, 10));
  ASSERT_TRUE(store_->Write(&damage).ok());
  EXPECT_EQ(TreeState::Load(store_.get(), 20).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(TreeStateTest, ReadsAPartialBlockWrittenWholeByEarlierVersions) {
  Open("legacy_partial");
  AppendGroup(300);  // block 0 complete; block 1 has 44 leaves in one "t"
  // Rewrite block 1 the old way: a whole (partial) "b" value, no "t" values.
  std::string legacy(kBlockBytes, '\0');
  {
    auto reference = TreeState::Load(store_.get(), 300);
    ASSERT_TRUE(reference.ok());
    std::vector<merkle::NodeId> ids;
    for (uint32_t level = 0; level < kBlockHeight; ++level) {
      for (uint64_t i = (256 >> level); i < (300 >> level); ++i)
        ids.push_back({level, i});
    }
    auto hashes = (*reference)->ReadNodes(ids);
    ASSERT_TRUE(hashes.ok()) << hashes.status();
    for (size_t k = 0; k < ids.size(); ++k) {
      legacy.replace(BlockSlotOffset(ids[k].level, ids[k].index),
                     merkle::kHashSize,
                     reinterpret_cast<const char*>((*hashes)[k].data()),
                     merkle::kHashSize);
    }
  }
  storage::Batch rewrite;
  rewrite.Delete(storage::Family::kTree, TailKey(1, 0));
  rewrite.Put(storage::Family::kTree, BlockKey(1), legacy);
  ASSERT_TRUE(store_->Write(&rewrite).ok());
  auto tree = TreeState::Load(store_.get(), 300);
  ASSERT_TRUE(tree.ok()) << tree.status();
  tree_ = std::move(*tree);
  ExpectMatchesReference(*tree_);
  AppendGroup(20);  // writes the block's leaf hashes from leaf 0
  auto reloaded = TreeState::Load(store_.get(), 320);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  ExpectMatchesReference(**reloaded);
  AppendGroup(500);
  reloaded = TreeState::Load(store_.get(), 820);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  ExpectMatchesReference(**reloaded);
}

TEST_F(TreeStateTest, ServesRecentBlocksFromMemoryAndOlderOnesFromStorage) {
  Open("recent_cache");
  AppendGroup(5 * 256 + 17);
  // A tree with a 2-block cache: blocks 3 and 4 come from memory, older ones
  // from storage; all must match the reference.
  auto tree = TreeState::Load(store_.get(), reference_.size(), 2);
  ASSERT_TRUE(tree.ok()) << tree.status();
  ExpectMatchesReference(**tree);
  for (uint64_t index = 0; index < reference_.size(); index += 37) {
    auto got = merkle::InclusionProof(index, reference_.size(), **tree);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got,
              *merkle::InclusionProof(index, reference_.size(), reference_));
  }
  // A cached block that is damaged in storage is still served from memory;
  // without the cache the damage shows.
  storage::Batch damage;
  damage.Put(storage::Family::kTree, BlockKey(4), "short");
  ASSERT_TRUE(store_->Write(&damage).ok());
  EXPECT_TRUE(merkle::InclusionProof(4 * 256, reference_.size(), **tree).ok());
  auto uncached = TreeState::Load(store_.get(), reference_.size(), 0);
  ASSERT_TRUE(uncached.ok());
  EXPECT_EQ(merkle::InclusionProof(4 * 256, reference_.size(), **uncached)
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ledger
