#include "office/log_incident.h"

#include "absl/strings/str_cat.h"
#include "office/proto/mirror.pb.h"

namespace office {

absl::string_view IncidentKindName(IncidentKind kind) {
  switch (kind) {
    case IncidentKind::kFork:
      return "fork";
    case IncidentKind::kRollback:
      return "rollback";
    case IncidentKind::kBadTile:
      return "bad_tile";
    case IncidentKind::kBadEntry:
      return "bad_entry";
    case IncidentKind::kIndexMismatch:
      return "index_mismatch";
  }
  return "unknown";
}

absl::StatusOr<IncidentKind> ParseIncidentKind(absl::string_view name) {
  for (IncidentKind k :
       {IncidentKind::kFork, IncidentKind::kRollback, IncidentKind::kBadTile,
        IncidentKind::kBadEntry, IncidentKind::kIndexMismatch}) {
    if (IncidentKindName(k) == name) return k;
  }
  return absl::DataLossError(absl::StrCat(
      "incident kind: got \"", name,
      "\", want fork, rollback, bad_tile, bad_entry or index_mismatch"));
}

std::string EncodeIncident(const LogIncident& in) {
  aifl::office::monitor::v1::LogIncident p;
  p.set_origin(in.origin);
  p.set_stopped_at_size(in.stopped_at_size);
  p.set_kind(std::string(IncidentKindName(in.kind)));
  p.set_reason(in.reason);
  if (in.leaf_index.has_value()) {
    p.set_has_leaf_index(true);
    p.set_leaf_index(*in.leaf_index);
  }
  p.set_accepted_note(in.accepted_note);
  p.set_offending_note(in.offending_note);
  p.set_tile_url(in.tile_url);
  p.set_tile_bytes(in.tile_bytes);
  p.set_detected_unix_seconds(in.detected_unix_seconds);
  return p.SerializeAsString();
}

absl::StatusOr<LogIncident> DecodeIncident(absl::string_view bytes) {
  aifl::office::monitor::v1::LogIncident p;
  if (!p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("stored incident does not parse");
  }
  LogIncident out;
  out.origin = p.origin();
  out.stopped_at_size = p.stopped_at_size();
  absl::StatusOr<IncidentKind> kind = ParseIncidentKind(p.kind());
  if (!kind.ok()) return kind.status();
  out.kind = *kind;
  out.reason = p.reason();
  if (p.has_leaf_index()) out.leaf_index = p.leaf_index();
  out.accepted_note = p.accepted_note();
  out.offending_note = p.offending_note();
  out.tile_url = p.tile_url();
  out.tile_bytes = p.tile_bytes();
  out.detected_unix_seconds = p.detected_unix_seconds();
  return out;
}

}  // namespace office
