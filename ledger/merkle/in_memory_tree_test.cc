#include "ledger/merkle/in_memory_tree.h"

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/node_reader.h"

namespace ledger::merkle {
namespace {

using ::testing::HasSubstr;

InMemoryTree TreeOf(int n) {
  InMemoryTree tree;
  for (int i = 0; i < n; ++i) tree.Append(HashLeaf(absl::StrCat(i)));
  return tree;
}

TEST(InMemoryTreeTest, StoresEveryCompletedNode) {
  InMemoryTree tree = TreeOf(3);
  EXPECT_EQ(tree.size(), 3u);
  EXPECT_EQ(*tree.Node({1, 0}), HashChildren(HashLeaf("0"), HashLeaf("1")));
  EXPECT_EQ(*tree.Node({0, 2}), HashLeaf("2"));
  EXPECT_EQ(tree.Node({1, 1}).status().code(), absl::StatusCode::kNotFound);
}

TEST(InMemoryTreeTest, RootOfAnyPrefix) {
  InMemoryTree tree = TreeOf(3);
  EXPECT_EQ(*tree.Root(0), EmptyRoot());
  EXPECT_EQ(*tree.Root(1), HashLeaf("0"));
  EXPECT_EQ(*tree.Root(3), HashChildren(*tree.Node({1, 0}), HashLeaf("2")));
  absl::StatusOr<Hash> root = tree.Root(4);
  EXPECT_EQ(root.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(root.status().message(),
              HasSubstr("size: got 4, want <= tree size 3"));
}

TEST(InMemoryTreeTest, ReadNodesFailsOnMissingNode) {
  InMemoryTree tree = TreeOf(5);
  absl::StatusOr<std::vector<Hash>> hashes =
      tree.ReadNodes({NodeId{0, 4}, NodeId{1, 2}});
  EXPECT_EQ(hashes.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(hashes.status().message(),
              HasSubstr("node 1/2 is not in the tree of size 5"));
}

TEST(InMemoryTreeTest, ProofsBeyondTheTreeFailWithNotFound) {
  InMemoryTree tree = TreeOf(5);
  EXPECT_EQ(InclusionProof(0, 8, tree).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ConsistencyProof(3, 8, tree).status().code(),
            absl::StatusCode::kNotFound);
}

class BrokenReader : public NodeReader {
 public:
  explicit BrokenReader(absl::StatusOr<std::vector<Hash>> result)
      : result_(std::move(result)) {}
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) override {
    ++calls_;
    return result_;
  }
  int calls_ = 0;

 private:
  absl::StatusOr<std::vector<Hash>> result_;
};

TEST(NodeReaderTest, PropagatesReaderErrors) {
  BrokenReader reader(absl::DataLossError("bad block"));
  absl::StatusOr<std::vector<Hash>> proof = InclusionProof(3, 8, reader);
  EXPECT_EQ(proof.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.calls_, 1);
}

TEST(NodeReaderTest, RejectsReaderReturningWrongCount) {
  BrokenReader reader(std::vector<Hash>{HashLeaf("x")});
  absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(3, 8, reader);
  EXPECT_EQ(proof.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(proof.status().message(), HasSubstr("returned 1 hashes"));
}

TEST(NodeReaderTest, EmptyProofsReadNothing) {
  BrokenReader reader(absl::DataLossError("must not be called"));
  EXPECT_TRUE(InclusionProof(0, 1, reader)->empty());
  EXPECT_TRUE(ConsistencyProof(0, 5, reader)->empty());
  EXPECT_TRUE(ConsistencyProof(5, 5, reader)->empty());
  EXPECT_EQ(reader.calls_, 0);
  EXPECT_EQ(InclusionProof(1, 1, reader).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ledger::merkle
