#include "ledger/merkle/fold_memo.h"

#include <string>

#include "gtest/gtest.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"

namespace ledger::merkle {
namespace {

InMemoryTree TreeOf(uint64_t size) {
  InMemoryTree tree;
  for (uint64_t i = 0; i < size; ++i) {
    tree.Append(HashLeaf("leaf " + std::to_string(i)));
  }
  return tree;
}

// Proofs served through a memo are the proofs served without one, for every
// leaf and every earlier size, in any order (the memo is shared across sizes,
// as a server's is), and the memo does fill with right-edge folds.
TEST(FoldMemo, ProofsWithAndWithoutTheMemoAreIdentical) {
  InMemoryTree tree = TreeOf(77);
  FoldMemo memo;
  for (uint64_t size = 1; size <= 77; ++size) {
    for (uint64_t index = 0; index < size; ++index) {
      auto plain = InclusionProof(index, size, tree);
      auto memoized = InclusionProof(index, size, tree, &memo);
      ASSERT_TRUE(plain.ok() && memoized.ok());
      ASSERT_EQ(*plain, *memoized) << index << " in " << size;
    }
    for (uint64_t size1 = 0; size1 <= size; ++size1) {
      auto plain = ConsistencyProof(size1, size, tree);
      auto memoized = ConsistencyProof(size1, size, tree, &memo);
      ASSERT_TRUE(plain.ok() && memoized.ok());
      ASSERT_EQ(*plain, *memoized) << size1 << " → " << size;
    }
  }
  EXPECT_GT(memo.size(), 0u);
}

TEST(FoldMemo, ClearsWhenFullAndKeepsWorking) {
  FoldMemo memo(/*max_entries=*/2);
  const Hash a = HashLeaf("a"), b = HashLeaf("b"), c = HashLeaf("c");
  memo.Remember(0, 3, a);
  memo.Remember(4, 7, b);
  EXPECT_EQ(memo.Find(0, 3), a);
  memo.Remember(8, 11, c);  // full: starts over
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.Find(8, 11), c);
  EXPECT_FALSE(memo.Find(0, 3).has_value());
}

}  // namespace
}  // namespace ledger::merkle
