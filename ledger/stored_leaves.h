// Reading a range of stored leaves (the leaves family, ledger/FORMAT.md).
#ifndef LEDGER_STORED_LEAVES_H_
#define LEDGER_STORED_LEAVES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/storage/store.h"

namespace ledger {

// The leaf bytes of leaves [start, end), in order. kDataLoss when any of
// them is missing; the storage error otherwise.
absl::StatusOr<std::vector<std::string>> ReadStoredLeaves(
    const storage::Store& store, uint64_t start, uint64_t end);

}  // namespace ledger

#endif  // LEDGER_STORED_LEAVES_H_
