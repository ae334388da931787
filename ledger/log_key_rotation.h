// Rotates a ledger folder's log key offline (what `ledgerctl rotate-log-key`
// runs): signs the LogKey event with the local admin key, has the Ledger
// append it and publish the handover checkpoint, then installs the new key
// as <dir>/keys/log.key so the next Open or server start uses it. The old
// key is kept as <dir>/keys/log.key.retired-<8 hex note key id> (with its
// .signed-state and .pub beside it).
//
// Crash-safe: each step is durable (temp file + rename + folder fsync) before
// the next, and every step checks what is already done, so re-running with
// the same new key after a crash at any point completes the rotation without
// a second LogKey entry. The folder's files during the rotation:
//   keys/log.key.next (+ .signed-state)  the new key, staged
//   keys/log.key (+ .signed-state)       the old key until the last rename
#ifndef LEDGER_LOG_KEY_ROTATION_H_
#define LEDGER_LOG_KEY_ROTATION_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"

namespace ledger {

struct LogKeyRotationOptions {
  // The ledger folder. Required. The server must not be running.
  std::string dir;
  // Secret key file of the new log key (e.g. from `ledgerctl keygen`).
  // Required.
  std::string new_key_path;
  // Secret key file of an enrolled admin key. Default: <dir>/keys/admin.key.
  std::string admin_key_path;
  // LedgerOptions::signed_state_dir: where the log keys' signed states are
  // kept (the retired and the new key's too). Default: "" (beside the keys).
  std::string signed_state_dir;
  // Clock for the LogKey's integration time. Not owned. Default: real clock.
  common::Clock* clock = nullptr;
  // Test hook: called before each durable step with its name; a non-OK
  // status stops the rotation there, as a crash would. Default: none.
  std::function<absl::Status(absl::string_view step)> before_step;
};

struct LogKeyRotationResult {
  std::string verifier_key;   // the new log key's note verifier key
  std::string handover_note;  // signed by the old key, then the new
  uint64_t announced_at_leaf = 0;
  uint64_t handover_size = 0;
  std::string retired_key_path;  // where the old key now is
};

// Errors: kInvalidArgument (missing options), the key files' read errors,
// kPermissionDenied (the admin key is not an enrolled admin),
// kFailedPrecondition (another rotation is staged in keys/log.key.next, or the
// Ledger refuses: see Ledger::RotateLogKey), and I/O errors
// (common::ErrnoToStatus). After any error, re-running with the same options
// continues where it stopped.
absl::StatusOr<LogKeyRotationResult> RotateLedgerLogKey(
    const LogKeyRotationOptions& options);

// <dir>/keys/log.key.next: the staged new key.
std::string NextLogKeyPath(const std::string& dir);

}  // namespace ledger

#endif  // LEDGER_LOG_KEY_ROTATION_H_
