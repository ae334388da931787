// CommitObserver: told about every group commit the ledger writes, so that a
// server can export metrics (group size, bytes, synced-write latency) without
// the ledger knowing about any metrics library. Called by the group's leader
// after its synced write returned, with no ledger lock that readers need held
// (the registry lock only), so an implementation must be quick and must not
// call back into the Ledger.
#ifndef LEDGER_COMMIT_OBSERVER_H_
#define LEDGER_COMMIT_OBSERVER_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"

namespace ledger {

struct GroupCommitStats {
  // Leaves written by this group (duplicates and refused entries excluded).
  size_t entries = 0;
  // Their leaf bytes (ledger/FORMAT.md, "Leaf").
  uint64_t leaf_bytes = 0;
  // Real time of the synced RocksDB write (WAL append and fsync).
  absl::Duration sync_time;
  // False when the write failed (nothing of the group was acknowledged).
  bool ok = true;
};

class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  // Thread-safe implementations only: leaders of successive groups may run
  // on different threads.
  virtual void OnGroupCommit(const GroupCommitStats& stats) = 0;
};

}  // namespace ledger

#endif  // LEDGER_COMMIT_OBSERVER_H_
