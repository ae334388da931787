#include "ledger/tiles/tile_source.h"

#include <utility>

#include "ledger/note/checkpoint.h"

namespace ledger::tiles {

absl::StatusOr<PublishedCheckpoint> ParsePublishedCheckpoint(std::string note) {
  const size_t body_end = note.find("\n\n");
  if (body_end == std::string::npos) {
    return absl::DataLossError("stored checkpoint note has no signature block");
  }
  absl::StatusOr<note::Checkpoint> body = note::ParseCheckpointBody(
      absl::string_view(note).substr(0, body_end + 1));
  if (!body.ok()) {
    return absl::DataLossError(
        absl::StrCat("stored checkpoint note: ", body.status().message()));
  }
  const uint64_t size = body->size;
  return PublishedCheckpoint{std::move(note), size};
}

}  // namespace ledger::tiles
