// Static publishing of C2SP tlog-tiles: writes a log's latest checkpoint and
// every tile of the tree it covers (TilesForSize) into a folder, so that any
// web server (nginx), CDN or object-store sync serves the log with no code of
// ours in the path. The folder then holds exactly the paths the HTTP endpoint
// serves: <out>/checkpoint, <out>/tile/<L>/<N>[.p/<W>],
// <out>/tile/entries/<N>[.p/<W>], and the log-key handover extension
// <out>/log-key-handover/<E> (FORMAT.md, "Tiles"), so a static copy lets
// readers follow a log-key rotation as the server's endpoint does.
//
// Each file is written atomically and durably (temp file, fsync, rename,
// folder fsync); tiles first, then each handover the folder lacks (after
// the tiles of its own tree size), the checkpoint last, so a reader who sees
// a checkpoint finds every tile and handover it needs. A tile or handover
// already present is skipped: the bytes at those paths never change (a
// partial tile is a prefix of its full tile). One publisher per folder at a
// time.
#ifndef LEDGER_TILES_STATIC_PUBLISHER_H_
#define LEDGER_TILES_STATIC_PUBLISHER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/tiles/tile_source.h"

namespace ledger::tiles {

struct PublishReport {
  uint64_t size = 0;               // the checkpoint's tree size
  uint64_t written = 0;            // tiles written
  uint64_t skipped = 0;            // tiles already present
  uint64_t bytes_written = 0;      // bytes of every file written
  uint64_t handovers_written = 0;  // log-key-handover/<E> files written
};

// Publishes `source`'s latest checkpoint and its tiles into `out_dir`
// (created if missing), with every log-key handover the source keeps
// (TileSource::LogKeyHandover, epochs 1, 2, ... until kNotFound) and the
// tiles of each handover's tree. `on_write`, when set, is called with each
// path (relative to out_dir) after it is written. Errors: the source's
// (kNotFound: no checkpoint yet; kFailedPrecondition: a bundle holds a leaf
// over kMaxEntrySize — the checkpoint is then not written), and
// common::ErrnoToStatus for file-system failures.
absl::StatusOr<PublishReport> PublishTiles(
    TileSource& source, const std::string& out_dir,
    const std::function<void(const std::string&)>& on_write = nullptr);

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_STATIC_PUBLISHER_H_
