#include "ledger/merkle/compact_range.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/testonly/reference_tree.h"

namespace ledger::merkle {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::vector<std::string> Leaves(int n) {
  std::vector<std::string> leaves;
  for (int i = 0; i < n; ++i) leaves.push_back(absl::StrCat("leaf ", i));
  return leaves;
}

TEST(CompactRangeTest, EmptyRangeHasEmptyRoot) {
  CompactRange range;
  EXPECT_EQ(range.size(), 0u);
  EXPECT_TRUE(range.hashes().empty());
  EXPECT_EQ(range.Root(), EmptyRoot());
}

TEST(CompactRangeTest, ReportsLeafAndEveryCompletedParent) {
  const std::vector<std::string> leaves = Leaves(4);
  CompactRange range;
  std::vector<std::pair<NodeId, Hash>> completed;
  for (int i = 0; i < 3; ++i) range.Append(HashLeaf(leaves[i]), nullptr);
  range.Append(HashLeaf(leaves[3]), &completed);
  const Hash h01 = HashChildren(HashLeaf(leaves[0]), HashLeaf(leaves[1]));
  const Hash h23 = HashChildren(HashLeaf(leaves[2]), HashLeaf(leaves[3]));
  EXPECT_THAT(completed,
              ElementsAre(Pair(NodeId{0, 3}, HashLeaf(leaves[3])),
                          Pair(NodeId{1, 1}, h23),
                          Pair(NodeId{2, 0}, HashChildren(h01, h23))));
  EXPECT_THAT(range.hashes(), ElementsAre(HashChildren(h01, h23)));
}

TEST(CompactRangeTest, CompletedNodesEqualInMemoryTreeNodes) {
  const std::vector<std::string> leaves = Leaves(300);
  const testonly::ReferenceTree reference(leaves);
  CompactRange range;
  InMemoryTree tree;
  size_t total = 0;
  for (uint64_t size = 1; size <= leaves.size(); ++size) {
    const Hash leaf = HashLeaf(leaves[size - 1]);
    std::vector<std::pair<NodeId, Hash>> completed;
    range.Append(leaf, &completed);
    tree.Append(leaf);
    total += completed.size();
    ASSERT_EQ(completed.front().first, (NodeId{0, size - 1}));
    for (const auto& [id, hash] : completed) {
      ASSERT_EQ(id.end(), size) << id;  // Only nodes this leaf completes.
      absl::StatusOr<Hash> stored = tree.Node(id);
      ASSERT_TRUE(stored.ok()) << stored.status();
      ASSERT_EQ(*stored, hash) << id;
    }
    ASSERT_EQ(range.Root(), reference.Root(size)) << size;
    ASSERT_EQ(range.hashes().size(), __builtin_popcountll(size));
    ASSERT_EQ(CompactRange::FrontierNodeIds(size).size(),
              range.hashes().size());
    // The frontier is made of stored nodes.
    const std::vector<NodeId> ids = CompactRange::FrontierNodeIds(size);
    ASSERT_EQ(*tree.ReadNodes(ids), range.hashes());
  }
  // A tree of n leaves has 2n - popcount(n) perfect nodes.
  EXPECT_EQ(total, 2 * leaves.size() - __builtin_popcountll(leaves.size()));
}

TEST(CompactRangeTest, RestoresFromFrontierAndContinues) {
  const std::vector<std::string> leaves = Leaves(77);
  CompactRange full;
  for (int i = 0; i < 50; ++i) full.Append(HashLeaf(leaves[i]), nullptr);
  absl::StatusOr<CompactRange> restored =
      CompactRange::FromFrontier(50, full.hashes());
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->size(), 50u);
  EXPECT_EQ(restored->Root(), full.Root());
  for (int i = 50; i < 77; ++i) {
    full.Append(HashLeaf(leaves[i]), nullptr);
    restored->Append(HashLeaf(leaves[i]), nullptr);
  }
  EXPECT_EQ(restored->Root(), full.Root());
  EXPECT_EQ(restored->hashes(), full.hashes());
}

TEST(CompactRangeTest, RejectsFrontierWithWrongHashCount) {
  absl::StatusOr<CompactRange> range =
      CompactRange::FromFrontier(7, {HashLeaf("a"), HashLeaf("b")});
  EXPECT_EQ(range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(range.status().message(),
              HasSubstr("frontier hashes: got 2, want 3"));
  EXPECT_FALSE(CompactRange::FromFrontier(0, {HashLeaf("a")}).ok());
  EXPECT_TRUE(CompactRange::FromFrontier(0, {}).ok());
}

}  // namespace
}  // namespace ledger::merkle
