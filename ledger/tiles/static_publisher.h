// Static publishing of C2SP tlog-tiles: writes a log's latest checkpoint and
// every tile of the tree it covers (TilesForSize) into a folder, so that any
// web server (nginx), CDN or object-store sync serves the log with no code of
// ours in the path. The folder then holds exactly the paths the HTTP endpoint
// serves: <out>/checkpoint, <out>/tile/<L>/<N>[.p/<W>],
// <out>/tile/entries/<N>[.p/<W>].
//
// Each file is written atomically and durably (temp file, fsync, rename,
// folder fsync); tiles first, the checkpoint last, so a reader who sees a
// checkpoint finds every tile it names. A tile already present is skipped:
// the bytes at a tile path never change (a partial tile is a prefix of its
// full tile). One publisher per folder at a time.
#ifndef LEDGER_TILES_STATIC_PUBLISHER_H_
#define LEDGER_TILES_STATIC_PUBLISHER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/tiles/tile_source.h"

namespace ledger::tiles {

struct PublishReport {
  uint64_t size = 0;           // the checkpoint's tree size
  uint64_t written = 0;        // tiles written
  uint64_t skipped = 0;        // tiles already present
  uint64_t bytes_written = 0;  // bytes of the tiles and the checkpoint
};

// Publishes `source`'s latest checkpoint and its tiles into `out_dir`
// (created if missing). `on_write`, when set, is called with each path
// (relative to out_dir) after it is written. Errors: the source's
// (kNotFound: no checkpoint yet; kFailedPrecondition: a bundle holds a leaf
// over kMaxEntrySize — the checkpoint is then not written), and
// common::ErrnoToStatus for file-system failures.
absl::StatusOr<PublishReport> PublishTiles(
    TileSource& source, const std::string& out_dir,
    const std::function<void(const std::string&)>& on_write = nullptr);

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_STATIC_PUBLISHER_H_
