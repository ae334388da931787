// Mirror: the AI Office monitor's verified copy of every factory log it
// follows, in RocksDB (ledger/storage/store.h; layout in office/README.md,
// "Storage"). This is the contract between the follower (log_follower.h),
// which alone writes it, and the Office's readers (the cross-factory
// aggregation, the Office ledger recorder), which only read it:
//
//   * per origin, the entries [0, VerifiedSize(origin)) in order — the exact
//     leaf bytes, each checked against the tiles of a checkpoint the log
//     signed and replayed (admission and envelope signature) — read back
//     with Visit at any time, also after a restart;
//   * VerifiedCheckpoint: the signed checkpoints the monitor accepted whose
//     whole tree it verified (what it cosigns);
//   * Incidents: why a log was stopped, with the evidence (log_incident.h).
//
// Everything one follow step learns (entries, checkpoint, replay state) is
// written in one synced batch, so a reader never sees entries beyond the
// stored verified size and a crash loses at most the step in flight.
//
// Thread-safe (RocksDB is); one follower per origin writes.
#ifndef OFFICE_MIRROR_H_
#define OFFICE_MIRROR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/key_registry.h"
#include "ledger/storage/store.h"
#include "office/log_incident.h"
#include "office/proto/mirror.pb.h"

namespace office {

using FollowState = aifl::office::monitor::v1::FollowState;

// What one follow step writes, atomically.
struct FollowCommit {
  std::string origin;
  FollowState state;  // after the step
  // Leaves [first_index, first_index + entries.size()); first_index is the
  // verified size before the step.
  uint64_t first_index = 0;
  std::vector<std::string> entries;
  // Registry keys changed by those leaves (ledger::KeyRegistry::TakeDirty).
  std::vector<ledger::KeyInfo> changed_keys;
  // Set when state.verified_size reached the size of state.checkpoint_note:
  // that checkpoint is then fully verified (see VerifiedCheckpoint).
  bool checkpoint_verified = false;
};

class Mirror {
 public:
  // Opens the database in `dir`, creating it when absent. kUnavailable when
  // another process holds it.
  static absl::StatusOr<std::unique_ptr<Mirror>> Open(const std::string& dir);

  // ---- Readers' side ----

  // Every origin ever followed, sorted.
  absl::StatusOr<std::vector<std::string>> Origins() const;
  // The number of verified entries of `origin` (0 when never followed).
  absl::StatusOr<uint64_t> VerifiedSize(absl::string_view origin) const;
  // Calls fn(index, leaf) for entries [from, VerifiedSize(origin)) in order,
  // until fn returns non-OK (returned as is).
  absl::Status Visit(
      absl::string_view origin, uint64_t from,
      const std::function<absl::Status(uint64_t index, absl::string_view leaf)>&
          fn) const;
  // The accepted checkpoint note of `size` whose tree was fully verified,
  // std::nullopt when there is none.
  absl::StatusOr<std::optional<std::string>> VerifiedCheckpoint(
      absl::string_view origin, uint64_t size) const;
  // Incidents of `origin` ("" for every origin), in key order.
  absl::StatusOr<std::vector<LogIncident>> Incidents(
      absl::string_view origin) const;

  // ---- The follower's side ----

  // The stored follow state, std::nullopt when never followed.
  absl::StatusOr<std::optional<FollowState>> LoadFollowState(
      absl::string_view origin) const;
  // The registry keys stored for `origin`.
  absl::StatusOr<std::vector<ledger::KeyInfo>> LoadKeys(
      absl::string_view origin) const;
  // Writes one step, synced. REQUIRES: commit.first_index is the stored
  // verified size (kFailedPrecondition otherwise).
  absl::Status Commit(const FollowCommit& commit);
  // Marks `incident.origin` stopped at its stored verified size and keeps
  // the incident, in one synced batch.
  absl::Status Stop(const LogIncident& incident);

 private:
  explicit Mirror(std::unique_ptr<ledger::storage::Store> store)
      : store_(std::move(store)) {}

  std::unique_ptr<ledger::storage::Store> store_;
};

}  // namespace office

#endif  // OFFICE_MIRROR_H_
