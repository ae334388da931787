#include "ledger/entry_signer.h"

namespace ledger {

EntrySigner::EntrySigner(std::unique_ptr<crypto::SigningKey> key,
                         std::string origin, uint64_t next_sequence)
    : key_(std::move(key)),
      origin_(std::move(origin)),
      key_id_(crypto::ComputeKeyId(key_->public_key())),
      next_sequence_(next_sequence) {}

absl::StatusOr<std::string> EntrySigner::SignAt(
    uint64_t sequence, absl::string_view payload_type,
    absl::string_view payload) const {
  entry::Envelope envelope;
  envelope.key_id = key_id_.bytes();
  envelope.sequence = sequence;
  envelope.payload_type = std::string(payload_type);
  envelope.payload = std::string(payload);
  if (absl::Status s = entry::ValidatePayloadType(payload_type); !s.ok())
    return s;
  envelope.signature = key_->Sign(entry::SignedMessage(
      origin_, envelope.key_id, sequence, payload_type, payload));
  return entry::EncodeEnvelope(envelope);
}

absl::StatusOr<std::string> EntrySigner::SignNext(
    absl::string_view payload_type, absl::string_view payload) {
  auto envelope = SignAt(next_sequence_, payload_type, payload);
  if (envelope.ok()) ++next_sequence_;
  return envelope;
}

}  // namespace ledger
