#include "api/server/cosigned_tile_source.h"

#include <utility>

#include "api/server/service_deps.h"

namespace api::server {

absl::StatusOr<ledger::tiles::PublishedCheckpoint>
CosignedTileSource::LatestCheckpoint() {
  if (witnesses_ == nullptr) return tiles_->LatestCheckpoint();
  absl::StatusOr<std::string> note = witnesses_->Latest();
  if (!note.ok()) return note.status();
  absl::StatusOr<uint64_t> size = CheckpointNoteSize(*note);
  if (!size.ok()) return size.status();
  return ledger::tiles::PublishedCheckpoint{*std::move(note), *size};
}

}  // namespace api::server
