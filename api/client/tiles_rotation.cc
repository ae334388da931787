#include "api/client/tiles_rotation.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/key_registry.h"
#include "ledger/roles.h"
#include "ledger/tiles/tile_path.h"

namespace api::client {
namespace {

// The LogKey event `leaf` holds, if it holds one.
std::optional<aifl::ledger::v1::KeyEvent> LogKeyEventOf(
    const std::string& leaf) {
  absl::StatusOr<ledger::entry::Leaf> parsed = ledger::entry::ParseLeaf(leaf);
  if (!parsed.ok()) return std::nullopt;
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(parsed->envelope);
  if (!envelope.ok() || envelope->payload_type != ledger::kKeyEventType) {
    return std::nullopt;
  }
  absl::StatusOr<aifl::ledger::v1::KeyEvent> event =
      ledger::ParseKeyEvent(envelope->payload);
  if (!event.ok() || !event->has_log_key()) return std::nullopt;
  return *std::move(event);
}

}  // namespace

absl::StatusOr<aifl::api::v1::LogKeyRecord> TilesRotationRecord(
    LogReader& reader, const VerifiedCheckpoint& handover, uint64_t from) {
  // Backwards, one entry bundle at a time, from the handover's last leaf.
  for (uint64_t end = handover.fields.size; end > from;) {
    const uint64_t bundle_first =
        (end - 1) / ledger::tiles::kTileWidth * ledger::tiles::kTileWidth;
    const uint64_t first = std::max(bundle_first, from);
    ASSIGN_OR_RETURN(std::vector<VerifiedLeaf> leaves,
                     reader.ReadLeaves(handover, first, end - first));
    for (auto it = leaves.rbegin(); it != leaves.rend(); ++it) {
      std::optional<aifl::ledger::v1::KeyEvent> event = LogKeyEventOf(it->leaf);
      if (!event.has_value()) continue;
      ASSIGN_OR_RETURN(ProvenLeaf proven,
                       reader.ProveLeaf(handover, it->index));
      aifl::api::v1::LogKeyRecord record;
      record.set_announced_at_leaf(it->index);
      record.set_public_key(event->log_key().public_key());
      record.set_first_checkpoint_size(handover.fields.size);
      record.set_first_checkpoint_note(handover.note);
      record.set_leaf(proven.leaf);
      for (const ledger::merkle::Hash& h : proven.proof) {
        record.add_inclusion_proof(
            std::string(reinterpret_cast<const char*>(h.data()), h.size()));
      }
      return record;
    }
    end = first;
  }
  return absl::DataLossError(absl::StrCat(
      "log-key handover of size ", handover.fields.size,
      ": no LogKey event among leaves ", from, " to ", handover.fields.size - 1,
      " (the rotation it hands over is not in its "
      "tree)"));
}

}  // namespace api::client
