// Remembers, per log, the last checkpoint a client verified and trusted, so
// that a restarted client still detects a server that rolls back or forks
// history. One small file per log origin in a folder of the caller's choice:
//   <dir>/<origin, with bytes outside [A-Za-z0-9._-] written as %XX>.checkpoint
// File format (version 2; ledger/FORMAT.md, "Trusted checkpoint file"):
//   aifl-trusted-checkpoint-v2\n
//   <origin>\n
//   <size, decimal>\n
//   <root, standard base64>\n
//   <note verifier key the client trusts now (it changes when the client
//    follows a log-key rotation)>\n
//   <the signed checkpoint note, byte for byte, to the end of the file: the
//    log's signature line(s), then any witnesses' cosignature lines, as
//    received>
// Version 1 files (header "aifl-trusted-checkpoint-v1", no verifier key line)
// are still read; Save always writes version 2. The store does not verify
// signatures: the client re-verifies the note when it loads it.
//
// Thread-compatible: one writer at a time (LedgerClient serializes its use).
#ifndef API_CLIENT_TRUSTED_CHECKPOINT_STORE_H_
#define API_CLIENT_TRUSTED_CHECKPOINT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"

namespace api::client {

struct TrustedCheckpoint {
  std::string origin;
  uint64_t size = 0;
  ledger::merkle::Hash root{};
  std::string note;  // the signed note the client verified
  // The note verifier key trusted along with it; empty when read from a
  // version 1 file (the client's configured key then applies).
  std::string verifier_key;
};

class TrustedCheckpointStore {
 public:
  // Uses folder `dir`, creating it (one level) if missing. An error from
  // common::ErrnoToStatus when it cannot be created (e.g. kPermissionDenied);
  // kInvalidArgument for an empty path.
  static absl::StatusOr<std::unique_ptr<TrustedCheckpointStore>> Open(
      std::string dir);

  // The trusted checkpoint of log `origin`; std::nullopt when none was saved.
  // kDataLoss when the file exists but is malformed or names another origin;
  // common::ErrnoToStatus's code when it cannot be read.
  absl::StatusOr<std::optional<TrustedCheckpoint>> Load(
      absl::string_view origin) const;

  // Replaces the file of checkpoint.origin atomically and durably (temp file,
  // fsync, rename, fsync of the folder). common::ErrnoToStatus on I/O errors,
  // in which case the previous file is intact.
  absl::Status Save(const TrustedCheckpoint& checkpoint);

  // The file that holds the checkpoint of `origin`.
  std::string PathFor(absl::string_view origin) const;

 private:
  explicit TrustedCheckpointStore(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
};

}  // namespace api::client

#endif  // API_CLIENT_TRUSTED_CHECKPOINT_STORE_H_
