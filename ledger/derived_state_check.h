// Checks, when a ledger is opened for writing, the derived state that
// appends trust without re-reading the leaves: the key registry (the `keys`
// family and the log-key history), which decides who may append, and the
// stored hashes of the newest leaves, on top of which the next checkpoint is
// signed. Editing the `keys` family used to let a revoked key append, and a
// leaf rewritten through RocksDB was served as-is; both are now kDataLoss
// and the ledger is not opened for writing (`ledgerctl verify` checks all of
// it, and more, offline).
//
// Thread-compatible: call before the ledger is shared.
#ifndef LEDGER_DERIVED_STATE_CHECK_H_
#define LEDGER_DERIVED_STATE_CHECK_H_

#include <cstdint>

#include "absl/status/status.h"
#include "ledger/key_registry.h"
#include "ledger/storage/store.h"
#include "ledger/tree_state.h"

namespace ledger {

// How many of the newest leaves CheckNewestLeaves rehashes at open: the
// partial last block and at least the complete block before it.
inline constexpr uint64_t kNewestLeavesChecked = 512;

// Replays every leaf of [0, tree_size) into a fresh KeyRegistry (key events
// and every key's next sequence), each admitted by the one admission rule as
// the audit replays it (admission.h, AdmissionMode::kReplay), and compares
// it with `stored`: the same keys with byte-identical records (FORMAT.md,
// `keys`) and the same log-key history. kDataLoss naming the first
// difference, or a leaf that does not parse or is not admissible. One
// sequential scan of the leaves (see docs/PERFORMANCE.md for its cost at 1M
// entries); does not verify signatures (the audit does).
absl::Status CheckKeyRegistryReplay(const storage::Store& store,
                                    uint64_t tree_size,
                                    const KeyRegistry& stored);

// Rehashes the newest min(count, tree_size) leaves and compares them with
// the leaf hashes the stored tree holds. kDataLoss naming the first leaf
// whose bytes changed (or that is missing).
absl::Status CheckNewestLeaves(const storage::Store& store, TreeState& tree,
                               uint64_t tree_size, uint64_t count);

}  // namespace ledger

#endif  // LEDGER_DERIVED_STATE_CHECK_H_
