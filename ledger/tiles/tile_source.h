// TileSource: the smallest interface the tlog-tiles endpoint and the static
// publisher need from a log: its latest checkpoint and the bytes of one tile
// of the tree that checkpoint covers. Implementations say whether they are
// thread-safe.
#ifndef LEDGER_TILES_TILE_SOURCE_H_
#define LEDGER_TILES_TILE_SOURCE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ledger/tiles/tile_path.h"

namespace ledger::tiles {

// A signed checkpoint note and the tree size its body states.
struct PublishedCheckpoint {
  std::string note;
  uint64_t size = 0;
};

// `note` (a signed checkpoint note as stored) with the size its body states;
// its signatures are not verified. kDataLoss when it has no signature block
// or its body does not parse.
absl::StatusOr<PublishedCheckpoint> ParsePublishedCheckpoint(std::string note);

class TileSource {
 public:
  virtual ~TileSource() = default;

  // The latest signed checkpoint. kNotFound before the first.
  virtual absl::StatusOr<PublishedCheckpoint> LatestCheckpoint() = 0;

  // The bytes of `tile` (a hash tile or an entry bundle) in the tree of
  // `size` leaves. REQUIRES: size ≤ the latest checkpoint's size. kNotFound
  // when the tile is not in that tree (CheckTileInTree);
  // kFailedPrecondition when a leaf of a bundle is longer than
  // kMaxEntrySize; storage errors otherwise.
  virtual absl::StatusOr<std::string> ReadTile(const TileId& tile,
                                               uint64_t size) = 0;

  // The handover checkpoint of log key `epoch` (the genesis key is epoch 0):
  // the first checkpoint that key signed, signed by the key before it too
  // (FORMAT.md, "Log-key rotation"), as stored. It lets a follower that
  // trusts only the older key follow the rotation over HTTP (FORMAT.md,
  // "Tiles"). kNotFound for epoch 0, a rotation the log has not made or
  // not published yet, or a source that keeps none (the default).
  virtual absl::StatusOr<std::string> LogKeyHandover(uint64_t epoch) {
    return absl::NotFoundError(
        absl::StrCat("no handover checkpoint of log key ", epoch));
  }
};

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_TILE_SOURCE_H_
