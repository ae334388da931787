#include "ledger/tiles/tiles.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace ledger::tiles {

uint64_t HashesAtLevel(uint64_t size, uint32_t level) {
  if (level >= 8) return 0;  // 256^8 = 2^64 exceeds every size
  return size >> (8 * level);
}

uint32_t PartialWidth(uint64_t size, uint32_t level) {
  return static_cast<uint32_t>(HashesAtLevel(size, level) % kTileWidth);
}

absl::Status CheckTileInTree(const TileId& tile, uint64_t size) {
  const uint64_t have = HashesAtLevel(size, tile.entries ? 0 : tile.level);
  const uint64_t tiles_full = have / kTileWidth;
  const bool exists =
      tile.index < tiles_full ||
      (tile.index == tiles_full && tile.width <= have % kTileWidth);
  if (!exists) {
    return absl::NotFoundError(
        absl::StrCat(TilePath(tile), ": not in the tree of size ", size));
  }
  return absl::OkStatus();
}

std::vector<TileId> TilesForSize(uint64_t size) {
  std::vector<TileId> out;
  const auto add_level = [&](bool entries, uint32_t level) {
    const uint64_t have = HashesAtLevel(size, level);
    for (uint64_t n = 0; n < have / kTileWidth; ++n) {
      out.push_back(TileId{entries, level, n, kTileWidth});
    }
    if (have % kTileWidth != 0) {
      out.push_back(TileId{entries, level, have / kTileWidth,
                           static_cast<uint32_t>(have % kTileWidth)});
    }
  };
  for (uint32_t level = 0; HashesAtLevel(size, level) > 0; ++level) {
    add_level(false, level);
  }
  add_level(true, 0);
  return out;
}

absl::StatusOr<std::string> ReadHashTile(merkle::NodeReader& reader,
                                         const TileId& tile, uint64_t size) {
  if (tile.entries) {
    return absl::InvalidArgumentError(
        absl::StrCat(TilePath(tile), ": an entry bundle, not a hash tile"));
  }
  RETURN_IF_ERROR(CheckTileInTree(tile, size));
  std::vector<merkle::NodeId> ids;
  ids.reserve(tile.width);
  for (uint32_t i = 0; i < tile.width; ++i) {
    ids.push_back(merkle::NodeId{8 * tile.level, tile.index * kTileWidth + i});
  }
  ASSIGN_OR_RETURN(std::vector<merkle::Hash> hashes, reader.ReadNodes(ids));
  if (hashes.size() != ids.size()) {
    return absl::InternalError(
        absl::StrCat(TilePath(tile), ": the reader returned ", hashes.size(),
                     " hashes, want ", ids.size()));
  }
  std::string out;
  out.reserve(hashes.size() * merkle::kHashSize);
  for (const merkle::Hash& h : hashes) {
    out.append(reinterpret_cast<const char*>(h.data()), h.size());
  }
  return out;
}

LeafRange BundleLeaves(const TileId& tile) {
  return LeafRange{tile.index * kTileWidth, tile.width};
}

absl::StatusOr<std::string> EncodeEntryBundle(
    absl::Span<const std::string> leaves) {
  std::string out;
  for (size_t i = 0; i < leaves.size(); ++i) {
    const std::string& leaf = leaves[i];
    if (leaf.size() > kMaxEntrySize) {
      return absl::InvalidArgumentError(
          absl::StrCat("entry ", i, " of the bundle: ", leaf.size(),
                       " bytes, over the tlog-tiles limit of ", kMaxEntrySize));
    }
    out.push_back(static_cast<char>(leaf.size() >> 8));
    out.push_back(static_cast<char>(leaf.size() & 0xff));
    out.append(leaf);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ParseEntryBundle(
    absl::string_view bundle) {
  std::vector<std::string> leaves;
  while (!bundle.empty()) {
    if (bundle.size() < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "entry bundle: truncated length of entry ", leaves.size()));
    }
    const size_t n =
        static_cast<uint8_t>(bundle[0]) << 8 | static_cast<uint8_t>(bundle[1]);
    bundle.remove_prefix(2);
    if (bundle.size() < n) {
      return absl::InvalidArgumentError(
          absl::StrCat("entry bundle: entry ", leaves.size(), " wants ", n,
                       " bytes, ", bundle.size(), " remain"));
    }
    leaves.emplace_back(bundle.substr(0, n));
    bundle.remove_prefix(n);
  }
  return leaves;
}

}  // namespace ledger::tiles
