// Edge cases of verification; the golden and property tests cover the
// ordinary proofs.
#include "ledger/merkle/verify.h"

#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"

namespace ledger::merkle {
namespace {

using ::testing::HasSubstr;

void ExpectRejected(const absl::Status& status, absl::string_view reason) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr(std::string(reason)));
}

const Hash kSome = HashLeaf("some");
const Hash kOther = HashLeaf("other");

TEST(VerifyInclusionTest, SingleLeafTreeRootIsTheLeafHash) {
  EXPECT_TRUE(VerifyInclusion(0, 1, kSome, {}, kSome).ok());
  EXPECT_EQ(*RootFromInclusionProof(0, 1, kSome, {}), kSome);
  ExpectRejected(VerifyInclusion(0, 1, kSome, {}, kOther), "root mismatch");
  ExpectRejected(VerifyInclusion(0, 1, kSome, {kOther}, kSome),
                 "proof has 1 hashes, want 0 for index 0 in size 1");
}

TEST(VerifyInclusionTest, RejectsIndexOutOfRange) {
  ExpectRejected(VerifyInclusion(0, 0, kSome, {}, EmptyRoot()),
                 "index: got 0, want < size 0");
  ExpectRejected(VerifyInclusion(2, 1, kSome, {}, kSome),
                 "index: got 2, want < size 1");
  ExpectRejected(RootFromInclusionProof(12, 12, kSome, {}).status(),
                 "index: got 12, want < size 12");
}

TEST(VerifyInclusionTest, NamesExpectedLength) {
  ExpectRejected(
      VerifyInclusion(3, 12, kSome, std::vector<Hash>(5, kSome), kSome),
      "proof has 5 hashes, want 4 for index 3 in size 12");
}

TEST(VerifyInclusionTest, ComputesRootFromTwoLeafProof) {
  EXPECT_EQ(*RootFromInclusionProof(0, 2, kSome, {kOther}),
            HashChildren(kSome, kOther));
  EXPECT_EQ(*RootFromInclusionProof(1, 2, kSome, {kOther}),
            HashChildren(kOther, kSome));
}

TEST(VerifyConsistencyTest, EqualSizesNeedEqualRootsAndEmptyProof) {
  EXPECT_TRUE(VerifyConsistency(5, 5, {}, kSome, kSome).ok());
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, EmptyRoot(), EmptyRoot()).ok());
  ExpectRejected(VerifyConsistency(5, 5, {}, kSome, kOther),
                 "roots of equal size 5 differ");
  ExpectRejected(VerifyConsistency(5, 5, {kSome}, kSome, kSome),
                 "proof has 1 hashes, want 0 for sizes 5 and 5");
}

TEST(VerifyConsistencyTest, EmptyTreeIsPrefixOfAnyTree) {
  EXPECT_TRUE(VerifyConsistency(0, 7, {}, EmptyRoot(), kOther).ok());
  ExpectRejected(VerifyConsistency(0, 7, {EmptyRoot()}, EmptyRoot(), kOther),
                 "proof has 1 hashes, want 0 for sizes 0 and 7");
  ExpectRejected(VerifyConsistency(0, 7, {}, kSome, kOther), "root1 mismatch");
}

TEST(VerifyConsistencyTest, RejectsShrinkingTree) {
  ExpectRejected(VerifyConsistency(2, 1, {}, kSome, kOther),
                 "size1: got 2, want <= size2 1");
  ExpectRejected(VerifyConsistency(1, 0, {}, kSome, EmptyRoot()),
                 "size1: got 1, want <= size2 0");
}

TEST(VerifyConsistencyTest, RejectsEmptyProofForGrowingTree) {
  ExpectRejected(VerifyConsistency(1, 2, {}, kSome, kOther),
                 "proof has 0 hashes, want 1 for sizes 1 and 2");
}

TEST(VerifyConsistencyTest, OneToTwo) {
  EXPECT_TRUE(
      VerifyConsistency(1, 2, {kOther}, kSome, HashChildren(kSome, kOther))
          .ok());
  ExpectRejected(
      VerifyConsistency(1, 2, {kOther}, kSome, HashChildren(kOther, kSome)),
      "root2 mismatch");
}

TEST(ProofLengthTest, MatchesKnownLengths) {
  EXPECT_EQ(InclusionProofLength(0, 1), 0u);
  EXPECT_EQ(InclusionProofLength(0, 8), 3u);
  EXPECT_EQ(InclusionProofLength(6, 7), 2u);
  EXPECT_EQ(InclusionProofLength(2, 3), 1u);
  EXPECT_EQ(InclusionProofLength(UINT64_MAX - 1, UINT64_MAX), 63u);
  EXPECT_EQ(InclusionProofLength(0, UINT64_MAX), 64u);
  EXPECT_EQ(ConsistencyProofLength(0, 8), 0u);
  EXPECT_EQ(ConsistencyProofLength(8, 8), 0u);
  EXPECT_EQ(ConsistencyProofLength(4, 8), 1u);
  EXPECT_EQ(ConsistencyProofLength(6, 8), 3u);
  EXPECT_EQ(ConsistencyProofLength(UINT64_MAX / 3, UINT64_MAX), 65u);
}

}  // namespace
}  // namespace ledger::merkle
