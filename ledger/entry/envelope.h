// The signed entry envelope and the message its signature covers.
//
// Format (version 1) is specified byte for byte in ledger/FORMAT.md. The
// submitter signs a domain-separated message binding the log origin, its key
// id, its per-key sequence number, the payload type and the exact payload
// bytes, so a copied envelope cannot be replayed under another sequence number
// or into another log. Payload bytes are opaque here: never re-serialized.
//
// Pure functions; thread-safe.
#ifndef LEDGER_ENTRY_ENVELOPE_H_
#define LEDGER_ENTRY_ENVELOPE_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ledger::entry {

inline constexpr uint8_t kEnvelopeVersion = 1;
inline constexpr size_t kKeyIdSize = 16;
inline constexpr size_t kSignatureSize = 64;
// Bounds that keep one entry cheap to store, hash and verify.
inline constexpr size_t kMaxPayloadTypeSize = 128;
inline constexpr size_t kMaxPayloadSize = 1 << 20;  // 1 MiB
inline constexpr size_t kMaxOriginSize = 255;

using KeyId = std::array<uint8_t, kKeyIdSize>;

// A decoded envelope. `payload` holds the submitter's exact bytes.
struct Envelope {
  KeyId key_id{};
  uint64_t sequence = 0;
  std::string payload_type;
  std::string payload;
  std::string signature;  // kSignatureSize bytes
};

// The exact bytes the submitter signs (see FORMAT.md, "Signed message").
// REQUIRES: origin, payload type and payload within the bounds above
// (EncodeEnvelope / ParseEnvelope check them).
std::string SignedMessage(absl::string_view origin, const KeyId& key_id,
                          uint64_t sequence, absl::string_view payload_type,
                          absl::string_view payload);

// Serializes `envelope`. Returns kInvalidArgument when a field is out of bounds
// (empty or over-long payload type, payload over kMaxPayloadSize, signature
// not kSignatureSize bytes, payload type with characters outside
// [A-Za-z0-9._]).
absl::StatusOr<std::string> EncodeEnvelope(const Envelope& envelope);

// Parses envelope bytes. Returns kInvalidArgument, naming the field, for an
// unknown version, truncation, trailing bytes or any out-of-bounds field.
absl::StatusOr<Envelope> ParseEnvelope(absl::string_view bytes);

// Checks the payload type's syntax: 1..kMaxPayloadTypeSize characters from
// [A-Za-z0-9._], as protobuf full names are.
absl::Status ValidatePayloadType(absl::string_view payload_type);

// Lower-case hex of a key id (32 characters), and its inverse.
std::string KeyIdToHex(const KeyId& key_id);
absl::StatusOr<KeyId> KeyIdFromHex(absl::string_view hex);

}  // namespace ledger::entry

#endif  // LEDGER_ENTRY_ENVELOPE_H_
