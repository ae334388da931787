#include "ledger/merkle/proof_plan.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/verify.h"

namespace ledger::merkle {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ProofPlanTest, InclusionInPerfectTreeReadsSiblingsBottomUp) {
  absl::StatusOr<ProofPlan> plan = InclusionPlan(0, 8);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->node_ids(),
              ElementsAre(NodeId{0, 1}, NodeId{1, 1}, NodeId{2, 1}));
  EXPECT_EQ(plan->proof_size(), 3u);
}

TEST(ProofPlanTest, InclusionFoldsEphemeralRightEdgeNode) {
  // In a tree of 7 leaves the root's right child covers [4, 7): not perfect,
  // so it is folded from nodes 1/2 ([4, 6)) and 0/6.
  absl::StatusOr<ProofPlan> plan = InclusionPlan(0, 7);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->node_ids(), ElementsAre(NodeId{0, 1}, NodeId{1, 1},
                                            NodeId{1, 2}, NodeId{0, 6}));
  ASSERT_EQ(plan->proof_size(), 3u);
  const Hash a = HashLeaf("a"), b = HashLeaf("b"), c = HashLeaf("c"),
             d = HashLeaf("d");
  absl::StatusOr<std::vector<Hash>> proof = plan->Rehash({a, b, c, d});
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_THAT(*proof, ElementsAre(a, b, HashChildren(c, d)));
}

TEST(ProofPlanTest, SingleLeafTreeHasEmptyInclusionProof) {
  absl::StatusOr<ProofPlan> plan = InclusionPlan(0, 1);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->node_ids(), IsEmpty());
  EXPECT_THAT(*plan->Rehash({}), IsEmpty());
}

TEST(ProofPlanTest, RejectsIndexOutOfRange) {
  for (auto [index, size] :
       {std::pair<uint64_t, uint64_t>{0, 0}, {5, 5}, {9, 5}}) {
    absl::StatusOr<ProofPlan> plan = InclusionPlan(index, size);
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(
        plan.status().message(),
        HasSubstr(absl::StrCat("index: got ", index, ", want < size ", size)));
  }
}

TEST(ProofPlanTest, RejectsShrinkingConsistency) {
  absl::StatusOr<ProofPlan> plan = ConsistencyPlan(6, 5);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(plan.status().message(),
              HasSubstr("size1: got 6, want <= size2 5"));
}

TEST(ProofPlanTest, ConsistencyFromEmptyOrToSameSizeIsEmpty) {
  for (auto [size1, size2] :
       {std::pair<uint64_t, uint64_t>{0, 0}, {0, 9}, {9, 9}}) {
    absl::StatusOr<ProofPlan> plan = ConsistencyPlan(size1, size2);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(plan->proof_size(), 0u);
    EXPECT_THAT(plan->node_ids(), IsEmpty());
  }
}

TEST(ProofPlanTest, ConsistencyOmitsOldRootWhenItIsPerfect) {
  // 4 -> 7: the old tree is node 2/0, which the verifier already has; the
  // proof is the ephemeral [4, 7) only.
  absl::StatusOr<ProofPlan> plan = ConsistencyPlan(4, 7);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->node_ids(), ElementsAre(NodeId{1, 2}, NodeId{0, 6}));
  EXPECT_EQ(plan->proof_size(), 1u);
}

TEST(ProofPlanTest, RehashRejectsWrongNumberOfHashes) {
  absl::StatusOr<ProofPlan> plan = InclusionPlan(0, 8);
  ASSERT_TRUE(plan.ok());
  absl::StatusOr<std::vector<Hash>> proof = plan->Rehash({HashLeaf("a")});
  EXPECT_EQ(proof.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(proof.status().message(), HasSubstr("got 1 hashes, want 3"));
}

TEST(ProofPlanTest, PlansHaveNoDuplicatesAndStayInsideTheTree) {
  for (uint64_t size = 1; size < 200; ++size) {
    for (uint64_t x = 0; x <= size; ++x) {
      std::vector<ProofPlan> plans;
      if (x < size) plans.push_back(*InclusionPlan(x, size));
      plans.push_back(*ConsistencyPlan(x, size));
      for (const ProofPlan& plan : plans) {
        std::vector<NodeId> ids(plan.node_ids().begin(), plan.node_ids().end());
        for (const NodeId& id : ids) ASSERT_LE(id.end(), size);
        std::sort(ids.begin(), ids.end());
        ASSERT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
      }
      if (x < size) {
        ASSERT_EQ(plans[0].proof_size(), InclusionProofLength(x, size));
      }
      ASSERT_EQ(plans.back().proof_size(), ConsistencyProofLength(x, size));
    }
  }
}

TEST(ProofPlanTest, HandlesHugeTrees) {
  const uint64_t size = UINT64_MAX;
  absl::StatusOr<ProofPlan> plan = InclusionPlan(size - 1, size);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->proof_size(), 63u);
  plan = ConsistencyPlan(size / 3, size);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->proof_size(), ConsistencyProofLength(size / 3, size));
}

}  // namespace
}  // namespace ledger::merkle
