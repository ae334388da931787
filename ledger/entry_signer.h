// Signs payloads into envelopes for one key: the submitter's side of the
// entry format. Numbers entries with the key's next sequence number.
//
// Not thread-safe (it owns a counter); one EntrySigner per key and process.
#ifndef LEDGER_ENTRY_SIGNER_H_
#define LEDGER_ENTRY_SIGNER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"

namespace ledger {

class EntrySigner {
 public:
  // `origin` is the log the entries are meant for; `next_sequence` the
  // sequence number of the next entry (the ledger reports it per key).
  EntrySigner(std::unique_ptr<crypto::SigningKey> key, std::string origin,
              uint64_t next_sequence);

  // Signs `payload` as `payload_type` with the next sequence number and
  // returns the encoded envelope. kInvalidArgument for a bad payload type or
  // an oversized payload (the counter does not advance then).
  absl::StatusOr<std::string> SignNext(absl::string_view payload_type,
                                       absl::string_view payload);

  // Signs with an explicit sequence number (for tests and replays).
  absl::StatusOr<std::string> SignAt(uint64_t sequence,
                                     absl::string_view payload_type,
                                     absl::string_view payload) const;

  const crypto::KeyId& key_id() const { return key_id_; }
  const crypto::PublicKey& public_key() const { return key_->public_key(); }
  uint64_t next_sequence() const { return next_sequence_; }
  void set_next_sequence(uint64_t next) { next_sequence_ = next; }

 private:
  std::unique_ptr<crypto::SigningKey> key_;
  std::string origin_;
  crypto::KeyId key_id_;
  uint64_t next_sequence_;
};

}  // namespace ledger

#endif  // LEDGER_ENTRY_SIGNER_H_
