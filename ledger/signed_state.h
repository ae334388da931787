// The last checkpoint the log key signed, kept in a small file beside the key
// (not in the database). Before signing, the ledger checks the new checkpoint
// against it: sizes only grow and one size has one root. So restoring an old
// database backup can never make the log sign a fork of what it signed
// before. Format (FORMAT.md, "Signed state"), four lines:
//   aifl-log-signed-state-v1
//   <origin>
//   <size, decimal>
//   <root, standard base64>
#ifndef LEDGER_SIGNED_STATE_H_
#define LEDGER_SIGNED_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"

namespace ledger {

struct SignedState {
  std::string origin;
  uint64_t size = 0;
  merkle::Hash root{};
};

// std::nullopt when the file does not exist (nothing signed yet); kDataLoss
// when it exists but is malformed.
absl::StatusOr<std::optional<SignedState>> ReadSignedState(
    const std::string& path);

// Replaces the file atomically and durably (temp file, fsync, rename, fsync
// of the directory).
absl::Status WriteSignedState(const std::string& path,
                              const SignedState& state);

}  // namespace ledger

#endif  // LEDGER_SIGNED_STATE_H_
