#include "ledger/tiles/testonly/in_memory_tile_source.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/hash.h"
#include "ledger/tiles/tiles.h"

namespace ledger::tiles::testonly {

InMemoryTileSource::InMemoryTileSource(uint64_t size, size_t big_leaf)
    : big_leaf_(big_leaf) {
  Grow(size);
}

void InMemoryTileSource::Grow(uint64_t count) {
  for (uint64_t n = 0; n < count; ++n) {
    const uint64_t i = leaves_.size();
    leaves_.push_back(i == 7 && big_leaf_ > 0 ? std::string(big_leaf_, 'b')
                                              : absl::StrCat("leaf ", i));
    tree_.Append(merkle::HashLeaf(leaves_.back()));
  }
}

absl::StatusOr<PublishedCheckpoint> InMemoryTileSource::LatestCheckpoint() {
  if (leaves_.empty()) return absl::NotFoundError("no checkpoint yet");
  return PublishedCheckpoint{
      absl::StrCat("test\n", leaves_.size(), "\nROOT\n\n— test sig\n"),
      leaves_.size()};
}

absl::StatusOr<std::string> InMemoryTileSource::ReadTile(const TileId& tile,
                                                         uint64_t size) {
  if (!tile.entries) return ReadHashTile(tree_, tile, size);
  RETURN_IF_ERROR(CheckTileInTree(tile, size));
  const LeafRange range = BundleLeaves(tile);
  for (uint64_t i = range.begin; i < range.begin + range.count; ++i) {
    if (leaves_[i].size() > kMaxEntrySize) {
      return absl::FailedPreconditionError(
          absl::StrCat("leaf ", i, " is over the entry limit"));
    }
  }
  return EncodeEntryBundle(
      std::vector<std::string>(leaves_.begin() + range.begin,
                               leaves_.begin() + range.begin + range.count));
}

}  // namespace ledger::tiles::testonly
