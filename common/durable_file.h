// Durable file replacement: write a temporary file, fsync it, rename(2) it
// over the target (atomic), fsync the folder (so the new name survives a
// power loss). The one implementation for the signed state, key rotation,
// the collector's spool, the client's trusted checkpoints and static tiles.
// Errors come from common::ErrnoToStatus (a full disk is kResourceExhausted).
#ifndef COMMON_DURABLE_FILE_H_
#define COMMON_DURABLE_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace common {

// fsync of the folder `dir` itself, which makes the names created, renamed
// or removed in it durable.
absl::Status SyncDir(const std::string& dir);

// fsync of the folder that holds `path` ("." when `path` has no '/').
absl::Status SyncParentDir(const std::string& path);

// rename(from, to) (replacing `to`), then SyncParentDir(to).
absl::Status RenameDurably(const std::string& from, const std::string& to);

// Replaces `path` with `content` atomically and durably: writes `path`.tmp
// (created with mode `mode`, truncated if a crash left one), fsyncs it, then
// RenameDurably to `path`. A reader sees the old file or the whole new one,
// never a part. On failure the .tmp is removed (best effort) and `path` is
// unchanged. One writer per path at a time.
absl::Status WriteFileDurably(const std::string& path,
                              absl::string_view content, int mode = 0644);

// Whether `path` exists (stat succeeds).
bool PathExists(const std::string& path);

}  // namespace common

#endif  // COMMON_DURABLE_FILE_H_
