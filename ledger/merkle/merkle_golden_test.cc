// Golden RFC 6962 vectors: the 8-leaf tree used by google/certificate-
// transparency (cpp/merkletree/merkle_tree_test.cc), Trillian and
// transparency-dev/merkle. Leaves, roots and proofs below are copied from
// transparency-dev/merkle proof/verify_test.go (variables `leaves`, `roots`,
// `inclusionProofs`, `consistencyProofs`); its inclusion vectors number leaves
// from 1, ours from 0. The corruption probes follow its corruptInclusionProof
// and corruptConsistencyProof, and each must fail for the right reason.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/merkle/testonly/reference_tree.h"
#include "ledger/merkle/verify.h"

namespace ledger::merkle {
namespace {

using ::testing::HasSubstr;

const char* const kLeavesHex[] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

// kRootsHex[i] is the root of the tree of the first i + 1 leaves.
const char* const kRootsHex[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct InclusionVector {
  uint64_t index;  // 0-based.
  uint64_t size;
  std::vector<const char*> proof_hex;
};

const InclusionVector kInclusionVectors[] = {
    {0, 1, {}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     3,
     {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

struct ConsistencyVector {
  uint64_t size1;
  uint64_t size2;
  std::vector<const char*> proof_hex;
};

const ConsistencyVector kConsistencyVectors[] = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

Hash H(absl::string_view hex) {
  absl::StatusOr<Hash> hash = HashFromHex(hex);
  EXPECT_TRUE(hash.ok()) << hash.status();
  return hash.ok() ? *hash : Hash{};
}

std::vector<Hash> Hs(const std::vector<const char*>& hex) {
  std::vector<Hash> out;
  for (const char* h : hex) out.push_back(H(h));
  return out;
}

std::vector<std::string> Leaves() {
  std::vector<std::string> leaves;
  for (const char* hex : kLeavesHex)
    leaves.push_back(absl::HexStringToBytes(hex));
  return leaves;
}

Hash Root(uint64_t size) { return H(kRootsHex[size - 1]); }

Hash LeafHash(uint64_t index) { return HashLeaf(Leaves()[index]); }

InMemoryTree GoldenTree() {
  InMemoryTree tree;
  for (const std::string& leaf : Leaves()) tree.Append(HashLeaf(leaf));
  return tree;
}

TEST(GoldenTest, LeavesHaveTheirDocumentedLengths) {
  const std::vector<std::string> leaves = Leaves();
  const size_t want[] = {0, 1, 1, 2, 2, 4, 8, 16};
  for (size_t i = 0; i < leaves.size(); ++i)
    EXPECT_EQ(leaves[i].size(), want[i]);
}

TEST(GoldenTest, RootsMatchForEverySize) {
  const testonly::ReferenceTree reference(Leaves());
  const InMemoryTree tree = GoldenTree();
  CompactRange range;
  for (uint64_t size = 1; size <= 8; ++size) {
    range.Append(LeafHash(size - 1), nullptr);
    EXPECT_EQ(HashToHex(reference.Root(size)), kRootsHex[size - 1]) << size;
    EXPECT_EQ(HashToHex(*tree.Root(size)), kRootsHex[size - 1]) << size;
    EXPECT_EQ(HashToHex(range.Root()), kRootsHex[size - 1]) << size;
  }
}

TEST(GoldenTest, InclusionProofsMatch) {
  const testonly::ReferenceTree reference(Leaves());
  InMemoryTree tree = GoldenTree();
  for (const InclusionVector& v : kInclusionVectors) {
    SCOPED_TRACE(testing::Message() << v.index << " in " << v.size);
    const std::vector<Hash> want = Hs(v.proof_hex);
    EXPECT_EQ(reference.InclusionProof(v.index, v.size), want);
    absl::StatusOr<std::vector<Hash>> got =
        InclusionProof(v.index, v.size, tree);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, want);
    EXPECT_EQ(InclusionProofLength(v.index, v.size), want.size());
    EXPECT_TRUE(
        VerifyInclusion(v.index, v.size, LeafHash(v.index), want, Root(v.size))
            .ok());
  }
}

TEST(GoldenTest, ConsistencyProofsMatch) {
  const testonly::ReferenceTree reference(Leaves());
  InMemoryTree tree = GoldenTree();
  for (const ConsistencyVector& v : kConsistencyVectors) {
    SCOPED_TRACE(testing::Message() << v.size1 << " -> " << v.size2);
    const std::vector<Hash> want = Hs(v.proof_hex);
    EXPECT_EQ(reference.ConsistencyProof(v.size1, v.size2), want);
    absl::StatusOr<std::vector<Hash>> got =
        ConsistencyProof(v.size1, v.size2, tree);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, want);
    EXPECT_EQ(ConsistencyProofLength(v.size1, v.size2), want.size());
    EXPECT_TRUE(
        VerifyConsistency(v.size1, v.size2, want, Root(v.size1), Root(v.size2))
            .ok());
  }
}

// Expects `status` to be an InvalidArgument error whose message contains
// `reason`.
void ExpectRejected(const absl::Status& status, absl::string_view reason) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr(std::string(reason)));
}

TEST(GoldenTest, RejectsInclusionProofWithAnyBitFlipped) {
  for (const InclusionVector& v : kInclusionVectors) {
    const std::vector<Hash> proof = Hs(v.proof_hex);
    for (size_t i = 0; i < proof.size(); ++i) {
      for (int bit = 0; bit < 256; ++bit) {
        std::vector<Hash> bad = proof;
        bad[i][bit / 8] ^= 1 << (bit % 8);
        ExpectRejected(VerifyInclusion(v.index, v.size, LeafHash(v.index), bad,
                                       Root(v.size)),
                       "root mismatch: proof gives ");
      }
    }
  }
}

TEST(GoldenTest, RejectsConsistencyProofWithAnyBitFlipped) {
  for (const ConsistencyVector& v : kConsistencyVectors) {
    const std::vector<Hash> proof = Hs(v.proof_hex);
    for (size_t i = 0; i < proof.size(); ++i) {
      for (int bit = 0; bit < 256; ++bit) {
        std::vector<Hash> bad = proof;
        bad[i][bit / 8] ^= 1 << (bit % 8);
        ExpectRejected(VerifyConsistency(v.size1, v.size2, bad, Root(v.size1),
                                         Root(v.size2)),
                       "mismatch: proof gives ");
      }
    }
  }
}

TEST(GoldenTest, RejectsProofWithWrongLength) {
  const InclusionVector& v = kInclusionVectors[4];  // Index 1 in size 5.
  const std::vector<Hash> proof = Hs(v.proof_hex);
  std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
  ExpectRejected(VerifyInclusion(1, 5, LeafHash(1), truncated, Root(5)),
                 "proof has 2 hashes, want 3 for index 1 in size 5");
  std::vector<Hash> extended = proof;
  extended.push_back(Root(5));
  ExpectRejected(VerifyInclusion(1, 5, LeafHash(1), extended, Root(5)),
                 "proof has 4 hashes, want 3 for index 1 in size 5");
  std::vector<Hash> prepended = proof;
  prepended.insert(prepended.begin(), Root(5));
  ExpectRejected(VerifyInclusion(1, 5, LeafHash(1), prepended, Root(5)),
                 "proof has 4 hashes, want 3");

  const ConsistencyVector& c = kConsistencyVectors[2];  // 6 -> 8.
  const std::vector<Hash> cproof = Hs(c.proof_hex);
  ExpectRejected(VerifyConsistency(6, 8, absl::MakeConstSpan(cproof).first(2),
                                   Root(6), Root(8)),
                 "proof has 2 hashes, want 3 for sizes 6 and 8");
  std::vector<Hash> cextended = cproof;
  cextended.push_back(Root(8));
  ExpectRejected(VerifyConsistency(6, 8, cextended, Root(6), Root(8)),
                 "proof has 4 hashes, want 3 for sizes 6 and 8");
  ExpectRejected(VerifyConsistency(6, 8, {}, Root(6), Root(8)),
                 "proof has 0 hashes, want 3");
}

TEST(GoldenTest, RejectsInclusionProofForWrongIndexSizeLeafOrRoot) {
  for (const InclusionVector& v : kInclusionVectors) {
    SCOPED_TRACE(testing::Message() << v.index << " in " << v.size);
    const std::vector<Hash> proof = Hs(v.proof_hex);
    const Hash leaf = LeafHash(v.index);
    const Hash root = Root(v.size);
    for (uint64_t index : {v.index - 1, v.index + 1, v.index ^ 2}) {
      if (index == v.index) continue;
      EXPECT_FALSE(VerifyInclusion(index, v.size, leaf, proof, root).ok())
          << index;
    }
    EXPECT_FALSE(VerifyInclusion(v.index, v.size * 2, leaf, proof, root).ok());
    EXPECT_FALSE(VerifyInclusion(v.index, v.size / 2, leaf, proof, root).ok());
    ExpectRejected(
        VerifyInclusion(v.index, v.size, HashLeaf("WrongLeaf"), proof, root),
        "root mismatch");
    ExpectRejected(VerifyInclusion(v.index, v.size, leaf, proof, EmptyRoot()),
                   absl::StrCat("root mismatch: proof gives ", HashToHex(root),
                                ", want ", HashToHex(EmptyRoot())));
  }
  ExpectRejected(VerifyInclusion(8, 8, LeafHash(0), {}, Root(8)),
                 "index: got 8, want < size 8");
}

TEST(GoldenTest, RejectsConsistencyProofForWrongSizesOrSwappedRoots) {
  for (const ConsistencyVector& v : kConsistencyVectors) {
    if (v.size1 == v.size2) continue;
    SCOPED_TRACE(testing::Message() << v.size1 << " -> " << v.size2);
    const std::vector<Hash> proof = Hs(v.proof_hex);
    const Hash root1 = Root(v.size1), root2 = Root(v.size2);
    for (uint64_t size1 : {v.size1 - 1, v.size1 + 1, v.size1 ^ 2}) {
      EXPECT_FALSE(VerifyConsistency(size1, v.size2, proof, root1, root2).ok())
          << size1;
    }
    EXPECT_FALSE(
        VerifyConsistency(v.size1, v.size2 * 2, proof, root1, root2).ok());
    EXPECT_FALSE(
        VerifyConsistency(v.size1, v.size2 / 2, proof, root1, root2).ok());
    EXPECT_FALSE(VerifyConsistency(v.size1, v.size2, proof, root2, root1).ok());
    ExpectRejected(
        VerifyConsistency(v.size1, v.size2, proof, root1, HashLeaf("x")),
        "root2 mismatch");
  }
  ExpectRejected(VerifyConsistency(8, 6, {}, Root(8), Root(6)),
                 "size1: got 8, want <= size2 6");
}

}  // namespace
}  // namespace ledger::merkle
