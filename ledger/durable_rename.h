// Durable file replacement for the small files kept beside the log key (the
// signed state, key files during a rotation): rename(2) is atomic, and the
// folder's fsync makes the new name survive a power loss.
#ifndef LEDGER_DURABLE_RENAME_H_
#define LEDGER_DURABLE_RENAME_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ledger {

// fsync of the folder that holds `path`. kUnavailable naming it on failure.
absl::Status SyncParentDir(const std::string& path);

// rename(from, to) (replacing `to`), then SyncParentDir(to). kUnavailable
// naming the paths on failure.
absl::Status RenameDurably(const std::string& from, const std::string& to);

// Replaces `path` with `content` atomically and durably: writes
// `path`.tmp (mode `mode`), fsyncs it, then RenameDurably to `path`. A
// reader sees the old file or the whole new one, never a part. One writer
// per path at a time. kUnavailable naming the file on failure.
absl::Status WriteFileDurably(const std::string& path,
                              absl::string_view content, int mode = 0644);

// Whether `path` exists (stat succeeds).
bool PathExists(const std::string& path);

}  // namespace ledger

#endif  // LEDGER_DURABLE_RENAME_H_
