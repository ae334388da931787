// The contents of C2SP tlog-tiles (c2sp.org/tlog-tiles) from a tree's stored
// hashes and leaves: which tiles a tree of a given size has, the bytes of a
// hash tile, and the entry-bundle encoding. Pure functions over a
// merkle::NodeReader; thread-safe where the reader is.
//
// At level l, hash i of tile n is MTH(leaves [(n·256 + i)·256^l,
// (n·256 + i + 1)·256^l)): the perfect node NodeId{8·l, n·256 + i}. A tree of
// size s has floor(s / 256^(l+1)) full tiles at level l and, when
// w = floor(s / 256^l) mod 256 is not 0, a partial tile of width w.
#ifndef LEDGER_TILES_TILES_H_
#define LEDGER_TILES_TILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/tiles/tile_path.h"

namespace ledger::tiles {

// An entry in a bundle is prefixed by its length as a big-endian uint16, so
// no leaf may be longer.
inline constexpr size_t kMaxEntrySize = 65535;

// floor(size / 256^level): the hashes that exist at `level`.
uint64_t HashesAtLevel(uint64_t size, uint32_t level);
// floor(size / 256^level) mod 256: the width of the partial tile at `level`
// (0: none).
uint32_t PartialWidth(uint64_t size, uint32_t level);

// OK when every hash (or entry) of `tile` exists in the tree of `size`
// leaves; kNotFound, naming the tile and the size, otherwise. Partial tiles
// of any width up to what exists are served: each is a prefix of the full
// tile, as immutable as it.
absl::Status CheckTileInTree(const TileId& tile, uint64_t size);

// Every tile a static copy of the tree of `size` holds: all full tiles and
// the partial tiles of this size, hash tiles level by level from 0, then the
// entry bundles.
std::vector<TileId> TilesForSize(uint64_t size);

// The bytes of hash tile `tile` (width × 32 bytes) in the tree of `size`,
// read with one ReadNodes call. kInvalidArgument for an entry bundle;
// kNotFound as CheckTileInTree; the reader's errors.
absl::StatusOr<std::string> ReadHashTile(merkle::NodeReader& reader,
                                         const TileId& tile, uint64_t size);

// The leaves [index·256, index·256 + width) that entry bundle `tile` holds.
struct LeafRange {
  uint64_t begin = 0;
  uint64_t count = 0;
};
LeafRange BundleLeaves(const TileId& tile);

// Encodes an entry bundle: for each leaf, its length as a big-endian uint16
// and its bytes. kInvalidArgument naming the leaf's position when one is
// longer than kMaxEntrySize.
absl::StatusOr<std::string> EncodeEntryBundle(
    absl::Span<const std::string> leaves);
// Splits an entry bundle into its leaves. kInvalidArgument when truncated.
absl::StatusOr<std::vector<std::string>> ParseEntryBundle(
    absl::string_view bundle);

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_TILES_H_
