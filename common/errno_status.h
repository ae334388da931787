// The one conversion from a POSIX errno to an absl::Status. Every file,
// folder and socket call that fails with errno goes through here, so a full
// disk reads the same in the ledger, the collector's spool and the client's
// trusted store. Thread-safe (uses strerror_r).
#ifndef COMMON_ERRNO_STATUS_H_
#define COMMON_ERRNO_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace common {

// The code for `err`, chosen by what the caller should do:
//   ENOENT                                   -> kNotFound
//   EEXIST                                   -> kAlreadyExists
//   EACCES, EPERM, EROFS                     -> kPermissionDenied
//   ENOSPC, EDQUOT (a full disk or quota),
//   EMFILE, ENFILE, ENOMEM, ENOBUFS          -> kResourceExhausted
//   EINVAL, ENAMETOOLONG                     -> kInvalidArgument
//   ENOTDIR, EISDIR, ENOTEMPTY, EWOULDBLOCK  -> kFailedPrecondition
//   anything else (EIO, EINTR, EAGAIN, ...)  -> kUnavailable
// REQUIRES: err != 0.
absl::StatusCode ErrnoToStatusCode(int err);

// A Status with ErrnoToStatusCode(err) and the message
// "<context>: <strerror(err)>", e.g. "fsync of /var/ledger: No space left on
// device". Pass `errno` right after the failing call, before anything that
// may change it. REQUIRES: err != 0.
absl::Status ErrnoToStatus(int err, absl::string_view context);

}  // namespace common

#endif  // COMMON_ERRNO_STATUS_H_
