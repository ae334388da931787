// Durable file replacement for the small files kept beside the log key (the
// signed state, key files during a rotation): rename(2) is atomic, and the
// folder's fsync makes the new name survive a power loss.
#ifndef LEDGER_DURABLE_RENAME_H_
#define LEDGER_DURABLE_RENAME_H_

#include <string>

#include "absl/status/status.h"

namespace ledger {

// fsync of the folder that holds `path`. kUnavailable naming it on failure.
absl::Status SyncParentDir(const std::string& path);

// rename(from, to) (replacing `to`), then SyncParentDir(to). kUnavailable
// naming the paths on failure.
absl::Status RenameDurably(const std::string& from, const std::string& to);

// Whether `path` exists (stat succeeds).
bool PathExists(const std::string& path);

}  // namespace ledger

#endif  // LEDGER_DURABLE_RENAME_H_
