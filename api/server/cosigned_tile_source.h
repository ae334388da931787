// A TileSource whose checkpoint carries the witnesses' cosignatures: the
// tiles' /checkpoint (and the --publish_dir folder) serve
// WitnessCollector::Latest(), every tile comes from the wrapped source.
//
// Thread-safe when the wrapped source is. Neither is owned.
#ifndef API_SERVER_COSIGNED_TILE_SOURCE_H_
#define API_SERVER_COSIGNED_TILE_SOURCE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "api/server/witness_collector.h"
#include "ledger/tiles/tile_source.h"

namespace api::server {

class CosignedTileSource : public ledger::tiles::TileSource {
 public:
  // `witnesses` may be null: then the wrapped source's checkpoint.
  CosignedTileSource(ledger::tiles::TileSource* tiles,
                     const WitnessCollector* witnesses)
      : tiles_(tiles), witnesses_(witnesses) {}

  absl::StatusOr<ledger::tiles::PublishedCheckpoint> LatestCheckpoint()
      override;
  absl::StatusOr<std::string> ReadTile(const ledger::tiles::TileId& tile,
                                       uint64_t size) override {
    return tiles_->ReadTile(tile, size);
  }
  absl::StatusOr<std::string> LogKeyHandover(uint64_t epoch) override {
    return tiles_->LogKeyHandover(epoch);
  }

 private:
  ledger::tiles::TileSource* const tiles_;
  const WitnessCollector* const witnesses_;
};

}  // namespace api::server

#endif  // API_SERVER_COSIGNED_TILE_SOURCE_H_
