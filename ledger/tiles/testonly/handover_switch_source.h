// A ledger's tiles (LedgerTileSource) whose log-key handovers can be hidden,
// as a server without the handover extension serves them: for tests of
// readers that follow log-key rotations over tiles. Not thread-safe to
// switch while serving.
#ifndef LEDGER_TILES_TESTONLY_HANDOVER_SWITCH_SOURCE_H_
#define LEDGER_TILES_TESTONLY_HANDOVER_SWITCH_SOURCE_H_

#include <cstdint>
#include <string>

#include "ledger/ledger.h"
#include "ledger/tiles/ledger_tile_source.h"
#include "ledger/tiles/tile_source.h"

namespace ledger::tiles::testonly {

class HandoverSwitchSource final : public TileSource {
 public:
  explicit HandoverSwitchSource(const Ledger* ledger) : tiles_(ledger) {}
  // Whether LogKeyHandover answers (the default) or says kNotFound.
  void set_handovers(bool served) { handovers_ = served; }

  absl::StatusOr<PublishedCheckpoint> LatestCheckpoint() override {
    return tiles_.LatestCheckpoint();
  }
  absl::StatusOr<std::string> ReadTile(const TileId& tile,
                                       uint64_t size) override {
    return tiles_.ReadTile(tile, size);
  }
  absl::StatusOr<std::string> LogKeyHandover(uint64_t epoch) override {
    if (!handovers_) return TileSource::LogKeyHandover(epoch);
    return tiles_.LogKeyHandover(epoch);
  }

 private:
  LedgerTileSource tiles_;
  bool handovers_ = true;
};

}  // namespace ledger::tiles::testonly

#endif  // LEDGER_TILES_TESTONLY_HANDOVER_SWITCH_SOURCE_H_
