#include "ledger/merkle/node_id.h"

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ledger::merkle {
namespace {

using ::testing::ElementsAre;

TEST(NodeIdTest, CoversItsLeafRange) {
  const NodeId id{3, 5};
  EXPECT_EQ(id.begin(), 40u);
  EXPECT_EQ(id.end(), 48u);
  EXPECT_EQ(id.ToString(), "3/5");
}

TEST(NodeIdTest, OrdersByLevelThenIndex) {
  EXPECT_LT((NodeId{0, 9}), (NodeId{1, 0}));
  EXPECT_LT((NodeId{1, 0}), (NodeId{1, 1}));
  EXPECT_EQ((NodeId{2, 3}), (NodeId{2, 3}));
  EXPECT_NE((NodeId{2, 3}), (NodeId{3, 2}));
}

TEST(RangeNodesTest, DecomposesPrefixLargestFirst) {
  EXPECT_THAT(RangeNodes(0, 0), ElementsAre());
  EXPECT_THAT(RangeNodes(0, 8), ElementsAre(NodeId{3, 0}));
  EXPECT_THAT(RangeNodes(0, 13),
              ElementsAre(NodeId{3, 0}, NodeId{2, 2}, NodeId{0, 12}));
}

TEST(RangeNodesTest, CoversUnalignedRangesExactly) {
  EXPECT_THAT(RangeNodes(3, 13), ElementsAre(NodeId{0, 3}, NodeId{2, 1},
                                             NodeId{2, 2}, NodeId{0, 12}));
  for (uint64_t begin = 0; begin < 40; ++begin) {
    for (uint64_t end = begin; end < 70; ++end) {
      uint64_t next = begin;
      for (const NodeId& id : RangeNodes(begin, end)) {
        ASSERT_EQ(id.begin(), next) << begin << ".." << end;
        next = id.end();
      }
      ASSERT_EQ(next, end);
    }
  }
}

TEST(RangeNodesTest, HandlesTheLargestSizes) {
  const uint64_t max = UINT64_MAX;
  const std::vector<NodeId> nodes = RangeNodes(0, max);
  ASSERT_EQ(nodes.size(), 64u);
  EXPECT_EQ(nodes.front(), (NodeId{63, 0}));
  EXPECT_EQ(nodes.back(), (NodeId{0, max - 1}));
}

}  // namespace
}  // namespace ledger::merkle
