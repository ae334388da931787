// File descriptors: storage must never be starved of them by peers.
// RaiseDescriptorLimit() lifts the soft RLIMIT_NOFILE to the hard limit at
// start (systemd's LimitNOFILE sets the hard one); CheckDescriptorReserve()
// then checks, after the ledger is open, that at least `reserve` descriptors
// remain for RocksDB (new WAL, table and MANIFEST files, bounded by
// --rocksdb_max_open_files) and for connections.
#ifndef API_SERVER_DESCRIPTOR_BUDGET_H_
#define API_SERVER_DESCRIPTOR_BUDGET_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace api::server {

struct DescriptorBudget {
  uint64_t limit = 0;  // soft RLIMIT_NOFILE
  uint64_t open = 0;   // descriptors open now
  uint64_t free() const { return limit > open ? limit - open : 0; }
};

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new budget.
// kUnavailable when the limit cannot be read or set.
absl::StatusOr<DescriptorBudget> RaiseDescriptorLimit();

// The current budget (limit and descriptors open, from /proc/self/fd).
absl::StatusOr<DescriptorBudget> CurrentDescriptorBudget();

// OK when at least `reserve` descriptors are free; kResourceExhausted with
// what to do (raise LimitNOFILE / ulimit -n, or lower --fd_reserve) otherwise.
absl::Status CheckDescriptorReserve(uint64_t reserve);

}  // namespace api::server

#endif  // API_SERVER_DESCRIPTOR_BUDGET_H_
