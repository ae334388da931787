// The builder's stored list nodes (list_nodes.h, FORMAT.md "Storage"): range
// proofs read from them equal those of the whole list's tree for pages
// across the stored levels, at the current count and at an older one; a
// store without them (written before they were kept) gets them at open; a
// missing node is reported, and a store of another node level is refused.
#include "index/list_nodes.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/list_range.h"
#include "index/testonly/big_list_test_base.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/storage/store.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex {
namespace {

using ledger::storage::Family;
using ledger::storage::Store;

constexpr char kBig[] = "big";

class ListNodesTest : public testonly::BigListTestBase {
 protected:
  void SetUp() override {
    CreateIndex("list_nodes");
    // Updates of uneven sizes, so that nodes complete inside and at the
    // edge of updates: 1,100 entries about kBig (levels 8, 9 and 10
    // stored), one in eleven about another model.
    for (int n : {300, 500, 410}) Grow(n);
  }

  std::string ModelOf(uint64_t at) const override {
    return at % 11 == 0 ? "other" : kBig;
  }

  // Every page of the first `count` elements (pages of `page`, and the
  // page ranges that cross the stored levels' edges) proves the same from
  // the stored nodes as from the whole list's tree, and verifies.
  void ExpectSameProofs(uint64_t count, uint64_t page) {
    absl::StatusOr<std::vector<uint64_t>> list = builder_->List(kBig, 0, count);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), count);
    ledger::merkle::InMemoryTree tree;
    for (uint64_t i : *list) tree.Append(ListLeafHash(i));
    const Hash root = *tree.Root(count);
    absl::StatusOr<StoredListNodes> nodes = builder_->ListNodes(kBig, count);
    ASSERT_TRUE(nodes.ok()) << nodes.status();
    std::vector<std::pair<uint64_t, uint64_t>> ranges = {
        {0, 1}, {255, 257}, {256, 512}, {511, 1025}, {1, count}};
    for (uint64_t s = 0; s < count; s += page) {
      ranges.push_back({s, std::min(count, s + page)});
    }
    for (auto [start, end] : ranges) {
      if (end > count) continue;
      absl::StatusOr<ListRangeProof> stored =
          ProveListRange(*nodes, start, end, count);
      absl::StatusOr<ListRangeProof> whole =
          ProveListRange(tree, start, end, count);
      ASSERT_TRUE(stored.ok()) << start << ".." << end << stored.status();
      ASSERT_TRUE(whole.ok());
      EXPECT_EQ(stored->left, whole->left) << start << ".." << end;
      EXPECT_EQ(stored->right, whole->right) << start << ".." << end;
      EXPECT_TRUE(VerifyListRange(
                      root, count, start,
                      absl::MakeConstSpan(list->data() + start, end - start),
                      *stored)
                      .ok());
    }
  }

  uint64_t BigCount() {
    KeyValue value;
    builder_->Prove(kBig, &value);
    return value.count;
  }

  // Runs `change` on the closed store, then reopens the builder.
  absl::Status OnClosedStore(const std::function<void(Store&)>& change) {
    builder_.reset();
    {
      absl::StatusOr<std::unique_ptr<Store>> store =
          Store::Open(dir_, ledger::storage::StoreOptions());
      if (!store.ok()) return store.status();
      change(**store);
    }
    absl::StatusOr<std::unique_ptr<IndexBuilder>> b = IndexBuilder::Open(dir_);
    if (b.ok()) builder_ = std::move(*b);
    return b.status();
  }

  // Deletes every stored list node (and, with `marker`, the level record).
  static void DeleteNodes(Store& store, bool marker) {
    ledger::storage::Batch batch;
    ASSERT_TRUE(store
                    .Scan(Family::kTree, "n", "o",
                          [&](absl::string_view k, absl::string_view) {
                            batch.Delete(Family::kTree, k);
                            return true;
                          })
                    .ok());
    EXPECT_GT(batch.count(), 2u);
    if (marker) batch.Delete(Family::kMeta, "index/list_nodes");
    ASSERT_TRUE(store.Write(&batch).ok());
  }
};

TEST_F(ListNodesTest, StoredNodesProveAsTheWholeTree) {
  const uint64_t count = BigCount();
  ASSERT_GT(count, 1024u);
  ExpectSameProofs(count, 100);
  // An older head's count: the same nodes serve the older tree.
  ExpectSameProofs(700, 128);
  ExpectSameProofs(256, 256);
  // After a reopen, from storage alone.
  Reopen();
  ExpectSameProofs(count, 1000);
}

TEST_F(ListNodesTest, CountBeyondTheListIsRefused) {
  const uint64_t count = BigCount();
  EXPECT_TRUE(
      absl::IsInvalidArgument(builder_->ListNodes(kBig, count + 1).status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(builder_->ListNodes("absent", 1).status()));
  absl::StatusOr<StoredListNodes> nodes = builder_->ListNodes(kBig, 600);
  ASSERT_TRUE(nodes.ok());
  // Node 9/1 covers elements 512..1023: not complete in 600.
  EXPECT_TRUE(absl::IsInvalidArgument(
      nodes->ReadNodes({ledger::merkle::NodeId{9, 1}}).status()));
}

TEST_F(ListNodesTest, StoreWithoutNodesGetsThemAtOpen) {
  const uint64_t count = BigCount();
  ASSERT_TRUE(
      OnClosedStore([](Store& s) { DeleteNodes(s, /*marker=*/true); }).ok());
  ExpectSameProofs(count, 300);
  // The next updates keep adding nodes.
  Grow(600);
  ExpectSameProofs(BigCount(), 250);
}

TEST_F(ListNodesTest, MissingNodeIsDataLoss) {
  const uint64_t count = BigCount();
  ASSERT_TRUE(
      OnClosedStore([](Store& s) { DeleteNodes(s, /*marker=*/false); }).ok());
  absl::StatusOr<StoredListNodes> nodes = builder_->ListNodes(kBig, count);
  ASSERT_TRUE(nodes.ok());
  // The first page past 1024 needs node 10/0 as its left part.
  EXPECT_TRUE(
      absl::IsDataLoss(ProveListRange(*nodes, 1024, count, count).status()));
  // Pages within the lowest 256 elements need no stored node.
  EXPECT_TRUE(ProveListRange(*nodes, 0, 100, 255).ok());
}

TEST_F(ListNodesTest, OtherNodeLevelIsRefusedNamingTheRebuild) {
  absl::Status s = OnClosedStore([](Store& store) {
    ledger::storage::Batch batch;
    batch.Put(Family::kMeta, "index/list_nodes", std::string("\0\0\0\7", 4));
    ASSERT_TRUE(store.Write(&batch).ok());
  });
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_NE(s.message().find("rebuild the index"), std::string::npos) << s;
}

}  // namespace
}  // namespace vindex
