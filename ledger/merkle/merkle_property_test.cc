// Property tests: for every tree size up to kMaxSize (fixed-seed random
// leaves), the production pipeline (CompactRange, InMemoryTree + proof plans)
// agrees with the naive RFC 6962 reference implementation, and its proofs
// verify. Larger sizes are sampled with a fixed seed to bound the run time.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/merkle/proof_plan.h"
#include "ledger/merkle/testonly/reference_tree.h"
#include "ledger/merkle/verify.h"

namespace ledger::merkle {
namespace {

constexpr uint64_t kMaxSize = 300;
// Sizes up to this get every index and every (size1, size2) pair.
constexpr uint64_t kExhaustiveSize = 128;
constexpr int kSamplesPerSize = 12;

std::vector<std::string> RandomLeaves(uint64_t n) {
  std::mt19937_64 rng(6962);
  std::vector<std::string> leaves;
  for (uint64_t i = 0; i < n; ++i) {
    std::string leaf(rng() % 48, '\0');
    for (char& c : leaf) c = static_cast<char>(rng());
    leaves.push_back(std::move(leaf));
  }
  return leaves;
}

class MerklePropertyTest : public ::testing::Test {
 protected:
  MerklePropertyTest() : leaves_(RandomLeaves(kMaxSize)), reference_(leaves_) {
    for (const std::string& leaf : leaves_) tree_.Append(HashLeaf(leaf));
  }

  // Every value in [0, n) when n is small, else 0, n - 1 and a sample.
  static std::vector<uint64_t> Sample(uint64_t n, std::mt19937_64& rng) {
    std::vector<uint64_t> out;
    if (n <= kExhaustiveSize) {
      for (uint64_t i = 0; i < n; ++i) out.push_back(i);
      return out;
    }
    out = {0, n - 1};
    for (int i = 0; i < kSamplesPerSize; ++i) out.push_back(rng() % n);
    return out;
  }

  std::vector<std::string> leaves_;
  testonly::ReferenceTree reference_;
  InMemoryTree tree_;
};

TEST_F(MerklePropertyTest, RootsAgreeForEverySize) {
  CompactRange range;
  EXPECT_EQ(range.Root(), EmptyRoot());
  EXPECT_EQ(*tree_.Root(0), EmptyRoot());
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    range.Append(HashLeaf(leaves_[size - 1]), nullptr);
    const Hash want = reference_.Root(size);
    ASSERT_EQ(range.Root(), want) << size;
    ASSERT_EQ(*tree_.Root(size), want) << size;
  }
}

TEST_F(MerklePropertyTest, InclusionProofsEqualReferenceAndVerify) {
  std::mt19937_64 rng(1);
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    const Hash root = reference_.Root(size);
    for (uint64_t index : Sample(size, rng)) {
      SCOPED_TRACE(testing::Message() << index << " in " << size);
      const std::vector<Hash> want = reference_.InclusionProof(index, size);
      absl::StatusOr<ProofPlan> plan = InclusionPlan(index, size);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ASSERT_EQ(plan->proof_size(), InclusionProofLength(index, size));
      for (const NodeId& id : plan->node_ids()) ASSERT_LE(id.end(), size);
      absl::StatusOr<std::vector<Hash>> got =
          InclusionProof(index, size, tree_);
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(*got, want);
      const Hash leaf = HashLeaf(leaves_[index]);
      ASSERT_TRUE(VerifyInclusion(index, size, leaf, want, root).ok());
    }
  }
}

TEST_F(MerklePropertyTest, ConsistencyProofsEqualReferenceAndVerify) {
  std::mt19937_64 rng(2);
  for (uint64_t size2 = 1; size2 <= kMaxSize; ++size2) {
    const Hash root2 = reference_.Root(size2);
    std::vector<uint64_t> sizes1 = Sample(size2 + 1, rng);  // 0..size2.
    sizes1.push_back(size2);
    for (uint64_t size1 : sizes1) {
      SCOPED_TRACE(testing::Message() << size1 << " -> " << size2);
      const std::vector<Hash> want = reference_.ConsistencyProof(size1, size2);
      absl::StatusOr<ProofPlan> plan = ConsistencyPlan(size1, size2);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ASSERT_EQ(plan->proof_size(), ConsistencyProofLength(size1, size2));
      for (const NodeId& id : plan->node_ids()) ASSERT_LE(id.end(), size2);
      absl::StatusOr<std::vector<Hash>> got =
          ConsistencyProof(size1, size2, tree_);
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(*got, want);
      const absl::Status verified =
          VerifyConsistency(size1, size2, want, reference_.Root(size1), root2);
      ASSERT_TRUE(verified.ok()) << verified;
    }
  }
}

TEST_F(MerklePropertyTest, TamperedProofsNeverVerify) {
  std::mt19937_64 rng(3);
  for (uint64_t size = 2; size <= kMaxSize; size += 7) {
    const uint64_t index = rng() % size;
    std::vector<Hash> proof = *InclusionProof(index, size, tree_);
    const size_t which = rng() % proof.size();
    proof[which][rng() % kHashSize] ^= 1 << (rng() % 8);
    EXPECT_FALSE(VerifyInclusion(index, size, HashLeaf(leaves_[index]), proof,
                                 reference_.Root(size))
                     .ok())
        << index << " in " << size;

    const uint64_t size1 = 1 + rng() % (size - 1);
    std::vector<Hash> cproof = *ConsistencyProof(size1, size, tree_);
    cproof[rng() % cproof.size()][rng() % kHashSize] ^= 1 << (rng() % 8);
    EXPECT_FALSE(VerifyConsistency(size1, size, cproof, reference_.Root(size1),
                                   reference_.Root(size))
                     .ok())
        << size1 << " -> " << size;
  }
}

}  // namespace
}  // namespace ledger::merkle
