// Refuses appends before the disk is full. RocksDB on a full disk fails its
// writes at best and, in some paths, aborts the process (issue 14: SIGABRT in
// `sync_without_flush_called_` on every restart until space was freed). So
// the ledger stops appending while the free space of its folder is below a
// floor, and keeps serving reads; appends resume once space is freed.
//
// The probe (statvfs in production) runs at most once per `recheck`, so the
// check costs a mutex and a clock read per append call.
//
// Thread-safe.
#ifndef LEDGER_FREE_SPACE_FLOOR_H_
#define LEDGER_FREE_SPACE_FLOOR_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace ledger {

// Bytes available to an unprivileged writer on the filesystem holding
// `path` (statvfs: f_bavail × f_frsize). common::ErrnoToStatus when statvfs
// fails.
absl::StatusOr<uint64_t> StatvfsFreeBytes(const std::string& path);

class FreeSpaceFloor {
 public:
  // Returns the free bytes where the ledger writes.
  using Probe = std::function<absl::StatusOr<uint64_t>()>;

  // `what` names the folder in messages; `clock` is not owned and must
  // outlive this object.
  FreeSpaceFloor(std::string what, uint64_t floor_bytes, absl::Duration recheck,
                 const common::Clock* clock, Probe probe);

  // OK when the latest probe (at most `recheck` old) found at least the
  // floor free. kResourceExhausted below the floor ("free space on …: X MiB,
  // below the floor of Y MiB"); the probe's error when it fails.
  absl::Status Check();

 private:
  const std::string what_;
  const uint64_t floor_bytes_;
  const absl::Duration recheck_;
  const common::Clock* const clock_;
  const Probe probe_;

  absl::Mutex mu_;
  absl::Time checked_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ledger

#endif  // LEDGER_FREE_SPACE_FLOOR_H_
