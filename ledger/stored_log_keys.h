// Reads and writes the log-key history kept as derived state in the meta
// family (ledger/FORMAT.md, "Storage"): "log_key/" ‖ u64 announcing leaf →
// 32-byte key, plus "log_public_key" = the current key.
#ifndef LEDGER_STORED_LOG_KEYS_H_
#define LEDGER_STORED_LOG_KEYS_H_

#include "absl/status/statusor.h"
#include "ledger/log_key_history.h"
#include "ledger/storage/store.h"

namespace ledger {

// The stored history. A ledger written before rotation existed has no
// "log_key/" values: its only log key is "log_public_key", announced by the
// genesis LogKey at leaf 1, and that is what is returned once the tree has
// two leaves (an empty history before). kDataLoss for a malformed value.
absl::StatusOr<LogKeyHistory> ReadLogKeyHistory(const storage::Store& store);

// Whether the store holds explicit "log_key/" values (false for ledgers
// written before rotation existed).
absl::StatusOr<bool> HasStoredLogKeys(const storage::Store& store);

// Stages every epoch of `history` and "log_public_key" = its current key.
// REQUIRES: !history.empty().
void PutLogKeyHistory(const LogKeyHistory& history, storage::Batch* batch);

}  // namespace ledger

#endif  // LEDGER_STORED_LOG_KEYS_H_
