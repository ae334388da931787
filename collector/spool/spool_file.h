// One spool file: its byte format and its durable write. Format (little-
// endian, collector/FORMAT.md "Spool files"):
//
//   magic "AIFLSPL1" | u64 id | u32 type_len | type | u32 n_replaces |
//   u64 replaces[n] | u32 body_len | body | 16-byte BLAKE2b of all before
//
// pending/<id>.rec holds an unsigned payload (body = payload bytes);
// sealed/<id>.env holds a signed envelope (body = envelope bytes). `replaces`
// lists the pending ids this file supersedes (the sources of a merge, or the
// pending record a sealed envelope was signed from); recovery deletes them.
#ifndef COLLECTOR_SPOOL_SPOOL_FILE_H_
#define COLLECTOR_SPOOL_SPOOL_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace collector {
namespace spool {

struct SpoolFile {
  uint64_t id = 0;
  std::string payload_type;
  std::vector<uint64_t> replaces;
  std::string body;
};

std::string EncodeSpoolFile(const SpoolFile& f);

// kDataLoss when the bytes are truncated, have a bad magic or checksum.
absl::StatusOr<SpoolFile> DecodeSpoolFile(absl::string_view bytes);

// common::WriteFileDurably of dir/name, mode 0600: dir/name.tmp,
// fsync(file), rename, fsync(dir). On OK the file survives power loss; a
// crash before leaves at most a *.tmp, which recovery deletes. Errors (here
// and below) from common::ErrnoToStatus: a full disk is kResourceExhausted.
absl::Status WriteFileDurably(const std::string& dir, const std::string& name,
                              absl::string_view bytes);

// Removes dir/name and fsyncs dir.
absl::Status RemoveFileDurably(const std::string& dir, const std::string& name);

// Renames dir/name to to_dir/name and fsyncs both folders.
absl::Status MoveFileDurably(const std::string& dir, const std::string& to_dir,
                             const std::string& name);

// Links dir/name into to_dir WITHOUT ever replacing a file there: as
// `base` + `ext` when that name is free, else `base`.1`ext`, `base`.2`ext`…
// (link(2) fails with EEXIST instead of overwriting), and fsyncs to_dir.
// Returns the name given in to_dir. dir/name stays (a later rename over it
// leaves the linked copy intact). Both folders must be on one file system.
absl::StatusOr<std::string> LinkFileUniquely(const std::string& dir,
                                             const std::string& name,
                                             const std::string& to_dir,
                                             const std::string& base,
                                             const std::string& ext);

// LinkFileUniquely, then removes dir/name durably. A crash in between
// leaves the file in both folders, never in neither.
absl::StatusOr<std::string> MoveFileUniquely(const std::string& dir,
                                             const std::string& name,
                                             const std::string& to_dir,
                                             const std::string& base,
                                             const std::string& ext);

// Takes an exclusive flock(2) on `path` (created if missing) and returns
// its descriptor: the lock lasts until it is closed or the process ends.
// kFailedPrecondition when another open file (e.g. another process) holds
// it; common::ErrnoToStatus on other errors. One process per spool: the daemon
// and `reship-rejected` take <spool_dir>/lock.
absl::StatusOr<int> LockExclusively(const std::string& path);

// Creates `dir` if missing (one level).
absl::Status EnsureDir(const std::string& dir);

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_SPOOL_FILE_H_
