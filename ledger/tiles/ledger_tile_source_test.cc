#include "ledger/tiles/ledger_tile_source.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/tiles/tiles.h"

namespace ledger::tiles {
namespace {

using aifl::ledger::v1::ROLE_COLLECTOR;
using testonly::LedgerFixture;

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";

class LedgerTileSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = LedgerFixture::Create();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    f_ = std::move(*fixture);
    auto collector = f_->EnrolNewKey(ROLE_COLLECTOR, "factory", "node-1");
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
  }

  // Appends `n` small entries and publishes a checkpoint.
  void AppendAndPublish(int n) {
    std::vector<std::string> envelopes;
    for (int i = 0; i < n; ++i) {
      auto envelope =
          collector_->SignNext(kInterval, "payload " + std::to_string(i));
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      envelopes.push_back(*envelope);
    }
    for (const AppendResult& r : f_->ledger().Append(envelopes)) {
      ASSERT_TRUE(r.status.ok()) << r.status;
    }
    ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  }

  std::unique_ptr<LedgerFixture> f_;
  std::unique_ptr<EntrySigner> collector_;
};

TEST_F(LedgerTileSourceTest, ServesTheLatestCheckpointWithItsSize) {
  AppendAndPublish(300);
  LedgerTileSource source(&f_->ledger());
  auto checkpoint = source.LatestCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->size, f_->ledger().Size());
  EXPECT_EQ(checkpoint->note, *f_->ledger().LatestCheckpoint());
}

TEST_F(LedgerTileSourceTest, LevelZeroHashesAreTheBundlesLeafHashes) {
  AppendAndPublish(300);  // 303 leaves: one full tile and a partial of 47
  LedgerTileSource source(&f_->ledger());
  const uint64_t size = source.LatestCheckpoint()->size;
  for (const TileId& tile :
       {TileId{false, 0, 0, 256}, TileId{false, 0, 1, PartialWidth(size, 0)}}) {
    auto hashes = source.ReadTile(tile, size);
    ASSERT_TRUE(hashes.ok()) << hashes.status();
    TileId bundle_id = tile;
    bundle_id.entries = true;
    auto bundle = source.ReadTile(bundle_id, size);
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    auto leaves = ParseEntryBundle(*bundle);
    ASSERT_TRUE(leaves.ok()) << leaves.status();
    ASSERT_EQ(hashes->size(), leaves->size() * merkle::kHashSize);
    for (size_t i = 0; i < leaves->size(); ++i) {
      const merkle::Hash h = merkle::HashLeaf((*leaves)[i]);
      EXPECT_EQ(hashes->substr(i * merkle::kHashSize, merkle::kHashSize),
                std::string(reinterpret_cast<const char*>(h.data()), h.size()))
          << "leaf " << tile.index * 256 + i;
    }
  }
}

TEST_F(LedgerTileSourceTest, RefusesTilesBeyondTheTree) {
  AppendAndPublish(10);
  LedgerTileSource source(&f_->ledger());
  const uint64_t size = source.LatestCheckpoint()->size;
  EXPECT_EQ(source.ReadTile(TileId{false, 0, 0, 256}, size).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(source.ReadTile(TileId{true, 0, 1, 1}, size).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(source.ReadTile(TileId{false, 1, 0, 1}, size).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LedgerTileSourceTest, RefusesABundleWithALeafOverTheEntryLimit) {
  // Appends refuse such a leaf now; a ledger written before the limit can
  // hold one, which is what raising the limit here makes.
  f_->set_max_leaf_bytes(1 << 20);
  ASSERT_TRUE(f_->Reopen().ok());
  auto big = collector_->SignNext(kInterval, std::string(70000, 'x'));
  ASSERT_TRUE(big.ok()) << big.status();
  auto index = f_->AppendOne(*big);
  ASSERT_TRUE(index.ok()) << index.status();
  ASSERT_TRUE(f_->ledger().PublishCheckpoint().ok());
  LedgerTileSource source(&f_->ledger());
  const uint64_t size = source.LatestCheckpoint()->size;
  auto bundle =
      source.ReadTile(TileId{true, 0, 0, PartialWidth(size, 0)}, size);
  ASSERT_EQ(bundle.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(bundle.status().message().find("leaf " + std::to_string(*index)),
            std::string::npos)
      << bundle.status();
  // The hash tile of the same leaves is still served.
  EXPECT_TRUE(
      source.ReadTile(TileId{false, 0, 0, PartialWidth(size, 0)}, size).ok());
}

}  // namespace
}  // namespace ledger::tiles
