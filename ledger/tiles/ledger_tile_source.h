// LedgerTileSource: serves C2SP tlog-tiles from an open ledger::Ledger —
// hash tiles from its stored tree (the tree-block cache makes a recent tile
// one memory copy), entry bundles from its stored leaves, and its latest
// checkpoint note. Read-only: it never writes to the ledger.
//
// Thread-safe (the ledger is). The ledger is not owned and must outlive this.
#ifndef LEDGER_TILES_LEDGER_TILE_SOURCE_H_
#define LEDGER_TILES_LEDGER_TILE_SOURCE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/ledger.h"
#include "ledger/tiles/tile_source.h"

namespace ledger::tiles {

class LedgerTileSource : public TileSource {
 public:
  explicit LedgerTileSource(const Ledger* ledger) : ledger_(ledger) {}

  // The ledger's latest checkpoint with the size parsed from its body.
  // kNotFound before the first; kDataLoss when the stored note's body does
  // not parse.
  absl::StatusOr<PublishedCheckpoint> LatestCheckpoint() override;

  // A hash tile: its hashes read through Ledger::ReadTreeNodes in one call.
  // An entry bundle: Ledger::GetLeaves of its leaves, encoded. A stored leaf
  // longer than kMaxEntrySize (65,535 bytes, possible only in ledgers
  // written before that limit) cannot be encoded: kFailedPrecondition naming
  // the leaf index and its length, never a truncated bundle (FORMAT.md,
  // "Tiles"). kNotFound when the tile is not in the tree of `size`.
  absl::StatusOr<std::string> ReadTile(const TileId& tile,
                                       uint64_t size) override;

  // The ledger's stored checkpoint at Ledger::FirstCheckpointAfter the leaf
  // that announced key `epoch`.
  absl::StatusOr<std::string> LogKeyHandover(uint64_t epoch) override;

 private:
  const Ledger* ledger_;
};

}  // namespace ledger::tiles

#endif  // LEDGER_TILES_LEDGER_TILE_SOURCE_H_
