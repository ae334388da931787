#include "ledger/tiles/static_publisher.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/tiles/testonly/in_memory_tile_source.h"
#include "ledger/tiles/tiles.h"

namespace ledger::tiles {
namespace {

using testonly::InMemoryTileSource;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp == nullptr ? "/tmp" : tmp) + "/" + name;
}

TEST(StaticPublisherTest, WritesEveryTileAndTheCheckpointLast) {
  InMemoryTileSource source(70000);
  const std::string out = FreshDir("www1");
  std::vector<std::string> order;
  auto report = PublishTiles(
      source, out, [&](const std::string& path) { order.push_back(path); });
  ASSERT_TRUE(report.ok()) << report.status();
  const std::vector<TileId> tiles = TilesForSize(70000);
  EXPECT_EQ(report->size, 70000u);
  EXPECT_EQ(report->written, tiles.size());
  EXPECT_EQ(report->skipped, 0u);
  ASSERT_EQ(order.size(), tiles.size() + 1);
  EXPECT_EQ(order.back(), "checkpoint");
  EXPECT_EQ(ReadFile(out + "/checkpoint"), source.LatestCheckpoint()->note);
  for (const TileId& tile : tiles) {
    EXPECT_EQ(ReadFile(out + "/" + TilePath(tile)),
              *source.ReadTile(tile, 70000))
        << TilePath(tile);
  }
  EXPECT_FALSE(ReadFile(out + "/tile/0/273.p/112").empty());
  EXPECT_FALSE(ReadFile(out + "/tile/entries/273.p/112").empty());
  EXPECT_FALSE(ReadFile(out + "/tile/2/000.p/1").empty());
}

TEST(StaticPublisherTest, SkipsTilesAlreadyPublishedAndKeepsOldPartials) {
  InMemoryTileSource source(300);
  const std::string out = FreshDir("www2");
  ASSERT_TRUE(PublishTiles(source, out).ok());
  source.Grow(300);  // 600: tile 0/001 becomes full, a new partial 0/002.p/88
  auto report = PublishTiles(source, out);
  ASSERT_TRUE(report.ok()) << report.status();
  // Present: tile/0/000, tile/entries/000. New: 0/001, 0/002.p/88,
  // 1/000.p/2, entries/001, entries/002.p/88.
  EXPECT_EQ(report->skipped, 2u);
  EXPECT_EQ(report->written, 5u);
  EXPECT_FALSE(ReadFile(out + "/tile/0/001.p/44").empty());  // old partial
  EXPECT_EQ(ReadFile(out + "/tile/0/001"),
            *source.ReadTile({false, 0, 1}, 600));
}

TEST(StaticPublisherTest, ALeafOverTheLimitStopsBeforeTheCheckpoint) {
  InMemoryTileSource source(20, 70000);
  const std::string out = FreshDir("www3");
  auto report = PublishTiles(source, out);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(report.status().message().find("leaf 7"), std::string::npos);
  std::ifstream checkpoint(out + "/checkpoint");
  EXPECT_FALSE(checkpoint.good());
}

TEST(StaticPublisherTest, NoCheckpointIsNotFound) {
  InMemoryTileSource source(0);
  EXPECT_EQ(PublishTiles(source, FreshDir("www4")).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ledger::tiles
