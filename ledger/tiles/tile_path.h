// C2SP tlog-tiles resource names (c2sp.org/tlog-tiles; ../../shared
// FEDERATION.md, "tlog-tiles"): which tile a path names, and the one path of
// each tile. Pure values and functions; thread-safe.
//
//   tile/<L>/<N>[.p/<W>]        hash tile at level L (0..63)
//   tile/entries/<N>[.p/<W>]    entry bundle
//
// N is written in 3-digit groups, every group but the last prefixed with
// "x" (1234067 → x001/x234/067, 5 → 005); L and W are decimal without
// leading zeros; W (a partial tile's width) is 1..255. Parsing accepts only
// this one canonical spelling, so one tile has one path (and one cache
// entry).
#ifndef LEDGER_TILES_TILE_PATH_H_
#define LEDGER_TILES_TILE_PATH_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ledger::tiles {

inline constexpr uint32_t kTileWidth = 256;  // hashes or entries per tile
inline constexpr uint32_t kMaxLevel = 63;

struct TileId {
  bool entries = false;  // an entry bundle (level is then 0)
  uint32_t level = 0;
  uint64_t index = 0;
  uint32_t width = kTileWidth;  // kTileWidth: full; 1..255: partial

  bool full() const { return width == kTileWidth; }
  friend bool operator==(const TileId& a, const TileId& b) {
    return a.entries == b.entries && a.level == b.level && a.index == b.index &&
           a.width == b.width;
  }
};

// The path of `tile`, without a leading '/' ("tile/0/x001/x234/067.p/5").
// REQUIRES: level ≤ kMaxLevel, 1 ≤ width ≤ kTileWidth.
std::string TilePath(const TileId& tile);

// Parses a path as TilePath writes it (no leading '/'). kInvalidArgument,
// saying what is wrong, for anything else: other prefixes, "..", empty or
// non-digit groups, leading zeros, a level over 63, a width of 0 or ≥ 256,
// an index that does not fit 64 bits.
absl::StatusOr<TileId> ParseTilePath(absl::string_view path);

// "log-key-handover/<epoch>": the path of the handover checkpoint of log key
// `epoch` (≥ 1), an extension of tlog-tiles (ledger/FORMAT.md, "Tiles").
std::string HandoverPath(uint64_t epoch);

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_TILE_PATH_H_
