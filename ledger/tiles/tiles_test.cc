#include "ledger/tiles/tiles.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/testonly/reference_tree.h"

namespace ledger::tiles {
namespace {

using merkle::Hash;

// The spec's example size: 70,000 leaves.
class TilesTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kSize = 70000;
  void SetUp() override {
    for (uint64_t i = 0; i < kSize; ++i) {
      leaves_.push_back(absl::StrCat("leaf ", i));
      tree_.Append(merkle::HashLeaf(leaves_.back()));
    }
  }
  std::vector<std::string> leaves_;
  merkle::InMemoryTree tree_;
};

TEST_F(TilesTest, ListsTheSpecsExampleTiles) {
  // c2sp.org/tlog-tiles: size 70,000 has 273 full level-0 tiles and a
  // partial of width 112, one full level-1 tile and a partial of width 17,
  // and a level-2 partial of width 1.
  EXPECT_EQ(PartialWidth(kSize, 0), 112u);
  EXPECT_EQ(PartialWidth(kSize, 1), 17u);
  EXPECT_EQ(PartialWidth(kSize, 2), 1u);
  EXPECT_EQ(HashesAtLevel(kSize, 3), 0u);
  std::vector<TileId> want;
  for (uint64_t n = 0; n < 273; ++n) want.push_back({false, 0, n, 256});
  want.push_back({false, 0, 273, 112});
  want.push_back({false, 1, 0, 256});
  want.push_back({false, 1, 1, 17});
  want.push_back({false, 2, 0, 1});
  for (uint64_t n = 0; n < 273; ++n) want.push_back({true, 0, n, 256});
  want.push_back({true, 0, 273, 112});
  EXPECT_EQ(TilesForSize(kSize), want);
  EXPECT_TRUE(TilesForSize(0).empty());
  EXPECT_EQ(TilesForSize(256),
            (std::vector<TileId>{
                {false, 0, 0, 256}, {false, 1, 0, 1}, {true, 0, 0, 256}}));
}

TEST_F(TilesTest, HashTilesHoldTheSubtreeHashes) {
  // Checked against a deliberately naive RFC 6962 MTH.
  for (const TileId& t : {TileId{false, 0, 5, 256}, TileId{false, 0, 273, 112},
                          TileId{false, 0, 273, 3}, TileId{false, 1, 0, 256},
                          TileId{false, 1, 1, 17}, TileId{false, 2, 0, 1}}) {
    auto bytes = ReadHashTile(tree_, t, kSize);
    ASSERT_TRUE(bytes.ok()) << TilePath(t) << ": " << bytes.status();
    ASSERT_EQ(bytes->size(), t.width * merkle::kHashSize) << TilePath(t);
    const uint64_t span = uint64_t{1} << (8 * t.level);
    for (uint32_t i = 0; i < t.width; ++i) {
      const uint64_t begin = (t.index * kTileWidth + i) * span;
      const Hash want =
          merkle::testonly::ReferenceTree(
              std::vector<std::string>(leaves_.begin() + begin,
                                       leaves_.begin() + begin + span))
              .Root(span);
      EXPECT_EQ(bytes->substr(i * merkle::kHashSize, merkle::kHashSize),
                std::string(want.begin(), want.end()))
          << TilePath(t) << " hash " << i;
    }
  }
}

TEST_F(TilesTest, TilesBeyondTheTreeAreNotFound) {
  for (const TileId& t :
       {TileId{false, 0, 274, 256}, TileId{false, 0, 273, 256},
        TileId{false, 0, 273, 113}, TileId{false, 1, 1, 18},
        TileId{false, 2, 0, 2}, TileId{false, 3, 0, 1},
        TileId{true, 0, 273, 113}, TileId{false, 63, 0, 1}}) {
    EXPECT_EQ(CheckTileInTree(t, kSize).code(), absl::StatusCode::kNotFound)
        << TilePath(t);
  }
  EXPECT_EQ(
      ReadHashTile(tree_, TileId{false, 0, 274, 256}, kSize).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadHashTile(tree_, TileId{true, 0, 0, 256}, kSize).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EntryBundleTest, RoundTripsAndRefusesOversizedEntries) {
  const std::vector<std::string> leaves = {"", "a", std::string(65535, 'x')};
  auto bundle = EncodeEntryBundle(leaves);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->substr(0, 5), std::string("\0\0\0\1a", 5));
  EXPECT_EQ(bundle->substr(5, 2), "\xff\xff");
  auto parsed = ParseEntryBundle(*bundle);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, leaves);
  EXPECT_EQ(EncodeEntryBundle({std::string(65536, 'x')}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseEntryBundle(std::string("\0", 1)).ok());
  EXPECT_FALSE(ParseEntryBundle(std::string("\0\2a", 3)).ok());
  EXPECT_EQ(BundleLeaves(TileId{true, 0, 273, 112}).begin, 273u * 256);
}

}  // namespace
}  // namespace ledger::tiles
