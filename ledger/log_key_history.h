// The history of the log's checkpoint keys, folded from LogKey events in log
// order (ledger/FORMAT.md, "Log-key rotation"). A LogKey event at leaf L
// announcing key K makes K the signer of every checkpoint of size > L; the
// first checkpoint of size > L (the handover checkpoint) is signed by the
// previous key too, so a verifier that trusts the old key can follow the
// rotation. The genesis LogKey (leaf 1) announces the first key.
//
// A value type; not thread-safe (owners guard it).
#ifndef LEDGER_LOG_KEY_HISTORY_H_
#define LEDGER_LOG_KEY_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/ed25519.h"

namespace ledger {

// One log key and the leaf whose LogKey event announced it.
struct LogKeyEpoch {
  uint64_t announced_at_leaf = 0;
  crypto::PublicKey key;
};

class LogKeyHistory {
 public:
  bool empty() const { return epochs_.empty(); }
  const std::vector<LogKeyEpoch>& epochs() const { return epochs_; }
  // The newest epoch: its key signs the next checkpoint. REQUIRES: !empty().
  const LogKeyEpoch& current() const { return epochs_.back(); }

  // Checks that `key` may be announced under `origin` as the next log key:
  // not the current key, never a log key before (keys are never re-used),
  // and its C2SP note key id differs from every earlier log key's (so a
  // handover note's two signature lines can be told apart).
  // kFailedPrecondition saying which.
  absl::Status CheckAnnounce(const crypto::PublicKey& key,
                             absl::string_view origin) const;

  // Records an announcement. REQUIRES: leaves grow; CheckAnnounce passed.
  void Add(uint64_t leaf, const crypto::PublicKey& key);

  // Whether `key` is or was a log key.
  bool Contains(const crypto::PublicKey& key) const;

  // The position of the epoch whose key signs a checkpoint of `size`: the
  // last epoch announced at a leaf < size (the first epoch for sizes up to
  // its own leaf, e.g. 0). REQUIRES: !empty().
  size_t EpochForSize(uint64_t size) const;

  // Verifies that `note` is a checkpoint of `origin` signed by the key of
  // the epoch for its size and, when `handover` is set, also by the key of
  // the epoch before (REQUIRES: that epoch is not the first). kUnauthenticated
  // naming the missing or bad signature; kInvalidArgument when malformed.
  absl::StatusOr<CheckpointFields> VerifyCheckpoint(absl::string_view note,
                                                    absl::string_view origin,
                                                    bool handover) const;

 private:
  std::vector<LogKeyEpoch> epochs_;
};

// "note key id 1a2b3c4d" of a log key under `origin`, for messages.
std::string DescribeLogKey(absl::string_view origin,
                           const crypto::PublicKey& key);

}  // namespace ledger

#endif  // LEDGER_LOG_KEY_HISTORY_H_
