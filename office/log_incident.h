// LogIncident: why the monitor stopped following a factory log, with the
// evidence that lets anyone check it without trusting the monitor: the
// checkpoints the log signed (both, for a fork or a rollback), the tile or
// bundle as served, the leaf and the reason it failed. The Office records
// it as a finding (unit: Regulation and Compliance; the factory named by
// the origin); xfactory reads it through Mirror::Incidents (mirror.h).
#ifndef OFFICE_LOG_INCIDENT_H_
#define OFFICE_LOG_INCIDENT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace office {

enum class IncidentKind {
  // Two validly signed checkpoints of one tree size with different roots,
  // or a larger one that is not consistent with the accepted one.
  kFork,
  // A validly signed checkpoint smaller than the accepted one.
  kRollback,
  // A hash tile or entry bundle that does not hash to the signed root (a
  // leaf that does not hash to its tile included).
  kBadTile,
  // An entry in the signed tree that fails parsing, admission (unenrolled or
  // revoked signer, role, sequence, time) or its envelope signature.
  kBadEntry,
  // An index's output log (an `index` line) whose IndexUpdate does not
  // replay over the mirror of the log it indexes (index_check.h): an entry
  // left out of a model's list or a foreign one added (a wrong map root), a
  // wrong input root, another input log, sizes going back, or a leaf that
  // is no IndexUpdate. The leaf is that update; the tile its entry bundle.
  kIndexMismatch,
};

// "fork", "rollback", "bad_tile", "bad_entry", "index_mismatch" (the
// stored spelling).
absl::string_view IncidentKindName(IncidentKind kind);
absl::StatusOr<IncidentKind> ParseIncidentKind(absl::string_view name);

struct LogIncident {
  std::string origin;
  uint64_t stopped_at_size = 0;  // the verified size the log stays at
  IncidentKind kind = IncidentKind::kFork;
  std::string reason;  // one line
  std::optional<uint64_t> leaf_index;
  std::string accepted_note;   // the checkpoint accepted before ("" if none)
  std::string offending_note;  // the signed checkpoint that contradicts it,
                               // or under which the bad data was served
  std::string tile_url;        // the bad tile or bundle, when one is
  std::string tile_bytes;      // ... and its bytes as served
  int64_t detected_unix_seconds = 0;
};

// The stored record (proto aifl.office.monitor.v1.LogIncident,
// office/README.md).
std::string EncodeIncident(const LogIncident& incident);
// kDataLoss for bytes that are not a record.
absl::StatusOr<LogIncident> DecodeIncident(absl::string_view bytes);

}  // namespace office

#endif  // OFFICE_LOG_INCIDENT_H_
