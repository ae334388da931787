// Reads a whole file into memory: for the small files the services keep
// (keys, certificates, notes, spool records, rule packs), not for logs.
#ifndef COMMON_READ_FILE_H_
#define COMMON_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace common {

// The bytes of the file at `path`. Errors come from common::ErrnoToStatus
// with the message "reading <path>: <reason>": kNotFound when the file does
// not exist, kPermissionDenied when it may not be read, kFailedPrecondition
// for a folder, kUnavailable for an I/O error.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace common

#endif  // COMMON_READ_FILE_H_
