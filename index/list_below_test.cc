// A key's list below an input size from the stored list nodes
// (list_below.h) equals the compact range recomputed from the list's
// elements, for counts at and around the stored level's edges (0, 1, 255,
// 256, 257, 511, 512, ...), for input sizes at an element and between two,
// after a reopen, for an absent model; a missing stored node is kDataLoss.
#include "index/list_below.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/map_hash.h"
#include "index/testonly/big_list_test_base.h"
#include "ledger/storage/store.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex {
namespace {

using ledger::merkle::CompactRange;

constexpr char kBig[] = "big";

class ListBelowTest : public testonly::BigListTestBase {
 protected:
  void SetUp() override {
    CreateIndex("list_below");
    // 1,500 leaves in updates of uneven sizes; one in seven about another
    // model, so input sizes fall between the big list's elements: ~1,285
    // elements (stored levels 8, 9 and 10).
    for (int n : {300, 700, 500}) Grow(n);
    absl::StatusOr<std::vector<uint64_t>> list =
        builder_->List(kBig, 0, 1u << 20);
    ASSERT_TRUE(list.ok());
    list_ = *std::move(list);
    ASSERT_GT(list_.size(), 1025u);
  }

  std::string ModelOf(uint64_t at) const override {
    return at % 7 == 3 ? "other" : kBig;
  }

  // The compact range of the list's first `count` elements, recomputed.
  CompactRange Recomputed(uint64_t count) const {
    CompactRange out;
    for (uint64_t i = 0; i < count; ++i) {
      out.Append(ListLeafHash(list_[i]), nullptr);
    }
    return out;
  }

  // ListRangeBelow(input_size) is the recomputed range of `count`.
  void ExpectBelow(uint64_t input_size, uint64_t count) {
    absl::StatusOr<uint64_t> n = ListCountBelow(*builder_, kBig, input_size);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, count) << "below " << input_size;
    absl::StatusOr<CompactRange> got =
        ListRangeBelow(*builder_, kBig, input_size);
    ASSERT_TRUE(got.ok()) << "below " << input_size << ": " << got.status();
    const CompactRange want = Recomputed(count);
    EXPECT_EQ(got->size(), want.size()) << "below " << input_size;
    EXPECT_EQ(got->hashes(), want.hashes()) << "below " << input_size;
    EXPECT_EQ(got->Root(), want.Root()) << "below " << input_size;
  }

  // Every count at and around the stored levels' edges, each from an input
  // size just past its last element and from one at the next element.
  void ExpectAllCounts() {
    const uint64_t n = list_.size();
    ExpectBelow(0, 0);
    ExpectBelow(list_[0], 0);
    for (uint64_t count :
         {uint64_t{1}, uint64_t{2}, uint64_t{127}, uint64_t{128}, uint64_t{255},
          uint64_t{256}, uint64_t{257}, uint64_t{511}, uint64_t{512},
          uint64_t{513}, uint64_t{767}, uint64_t{768}, uint64_t{1023},
          uint64_t{1024}, uint64_t{1025}, n - 1, n}) {
      ExpectBelow(list_[count - 1] + 1, count);
      if (count < n) ExpectBelow(list_[count], count);
    }
    ExpectBelow(builder_->state().input_size + 1000, n);
  }

  std::vector<uint64_t> list_;
};

TEST_F(ListBelowTest, EqualsTheRecomputedRangeAtEveryLevelEdge) {
  ExpectAllCounts();
  Reopen();  // from storage alone
  ExpectAllCounts();
}

TEST_F(ListBelowTest, AbsentModelIsEmpty) {
  absl::StatusOr<CompactRange> got = ListRangeBelow(*builder_, "absent", 1000);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->size(), 0u);
}

TEST_F(ListBelowTest, MissingStoredNodeIsDataLoss) {
  builder_.reset();
  {
    absl::StatusOr<std::unique_ptr<ledger::storage::Store>> store =
        ledger::storage::Store::Open(dir_, ledger::storage::StoreOptions());
    ASSERT_TRUE(store.ok());
    ledger::storage::Batch batch;
    batch.Delete(ledger::storage::Family::kTree,
                 ListNodeKey(KeyHash(kBig), ledger::merkle::NodeId{10, 0}));
    ASSERT_TRUE((*store)->Write(&batch).ok());
  }
  Reopen();
  // A count of 1,100 needs node 10/0 (elements 0..1023) as its first hash.
  EXPECT_TRUE(absl::IsDataLoss(
      ListRangeBelow(*builder_, kBig, list_[1099] + 1).status()));
  // Below 1,024 it needs no node of level 10.
  EXPECT_TRUE(ListRangeBelow(*builder_, kBig, list_[999] + 1).ok());
}

}  // namespace
}  // namespace vindex
