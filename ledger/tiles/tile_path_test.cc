#include "ledger/tiles/tile_path.h"

#include "gtest/gtest.h"

namespace ledger::tiles {
namespace {

TEST(TilePathTest, WritesTheSpecsExamples) {
  // c2sp.org/tlog-tiles: "1234067 will be encoded as x001/x234/067".
  EXPECT_EQ(TilePath({false, 0, 1234067, kTileWidth}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({false, 0, 5, kTileWidth}), "tile/0/005");
  EXPECT_EQ(TilePath({false, 1, 1000, 17}), "tile/1/x001/000.p/17");
  EXPECT_EQ(TilePath({true, 0, 0, 112}), "tile/entries/000.p/112");
  EXPECT_EQ(TilePath({false, 63, 999, kTileWidth}), "tile/63/999");
}

TEST(TilePathTest, ParsesWhatItWrites) {
  for (const TileId& t :
       {TileId{false, 0, 1234067, kTileWidth}, TileId{false, 2, 0, 1},
        TileId{true, 0, 273, 112}, TileId{false, 0, UINT64_MAX, 255},
        TileId{true, 0, 1000000, kTileWidth}}) {
    auto parsed = ParseTilePath(TilePath(t));
    ASSERT_TRUE(parsed.ok()) << TilePath(t) << ": " << parsed.status();
    EXPECT_EQ(*parsed, t) << TilePath(t);
  }
}

TEST(TilePathTest, RefusesEveryOtherSpelling) {
  for (const char* bad : {
           "",
           "/tile/0/005",             // leading slash is the server's business
           "tile/0",                  // no index
           "tile/00/005",             // level with a leading zero
           "tile/64/005",             // level over 63
           "tile/-1/005",             //
           "tile/0/5",                // group not 3 digits
           "tile/0/0005",             //
           "tile/0/x000/005",         // leading zero group
           "tile/0/x005",             // last group with x
           "tile/0/001/002",          // middle group without x
           "tile/0/abc",              //
           "tile/0/005/",             // empty group
           "tile/0/../005",           // traversal
           "tile/0/005.p/0",          // width 0
           "tile/0/005.p/256",        // width 256 is a full tile
           "tile/0/005.p/07",         // width with a leading zero
           "tile/0/005.p/",           //
           "tile/0/005.p",            //
           "tile/entries/005.p/1/x",  //
           "tile/entry/005",          //
           "tiles/0/005",             //
           "tile/0/x018/x446/x744/x073/x709/x551/616",  // 2^64
       }) {
    EXPECT_FALSE(ParseTilePath(bad).ok()) << "accepted \"" << bad << "\"";
  }
}

}  // namespace
}  // namespace ledger::tiles
