#include "ledger/entry/envelope.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/hex.h"
#include "ledger/entry/byte_io.h"

namespace ledger::entry {
namespace {

// Context tag of the signed message: binds signatures to this format and
// version, so they cannot be confused with any other Ed25519 use of the key.
constexpr absl::string_view kSignedMessageContext = "aifl-entry-v1\n";

}  // namespace

absl::Status ValidatePayloadType(absl::string_view payload_type) {
  if (payload_type.empty() || payload_type.size() > kMaxPayloadTypeSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload_type: got ", payload_type.size(),
                     " bytes, want 1..", kMaxPayloadTypeSize));
  }
  for (char c : payload_type) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("payload_type: got \"", absl::CHexEscape(payload_type),
                       "\", want only [A-Za-z0-9._] (a protobuf full name)"));
    }
  }
  return absl::OkStatus();
}

std::string SignedMessage(absl::string_view origin, const KeyId& key_id,
                          uint64_t sequence, absl::string_view payload_type,
                          absl::string_view payload) {
  std::string out;
  out.reserve(kSignedMessageContext.size() + 2 + origin.size() + kKeyIdSize +
              8 + 2 + payload_type.size() + 4 + payload.size());
  out.append(kSignedMessageContext.data(), kSignedMessageContext.size());
  PutU16(&out, static_cast<uint16_t>(origin.size()));
  out.append(origin.data(), origin.size());
  out.append(reinterpret_cast<const char*>(key_id.data()), key_id.size());
  PutU64(&out, sequence);
  PutU16(&out, static_cast<uint16_t>(payload_type.size()));
  out.append(payload_type.data(), payload_type.size());
  PutU32(&out, static_cast<uint32_t>(payload.size()));
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<std::string> EncodeEnvelope(const Envelope& envelope) {
  if (absl::Status s = ValidatePayloadType(envelope.payload_type); !s.ok())
    return s;
  if (envelope.payload.size() > kMaxPayloadSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload: got ", envelope.payload.size(),
                     " bytes, want at most ", kMaxPayloadSize));
  }
  if (envelope.signature.size() != kSignatureSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("signature: got ", envelope.signature.size(),
                     " bytes, want ", kSignatureSize));
  }
  std::string out;
  out.reserve(1 + kKeyIdSize + 8 + 2 + envelope.payload_type.size() + 4 +
              envelope.payload.size() + kSignatureSize);
  out.push_back(static_cast<char>(kEnvelopeVersion));
  out.append(reinterpret_cast<const char*>(envelope.key_id.data()), kKeyIdSize);
  PutU64(&out, envelope.sequence);
  PutU16(&out, static_cast<uint16_t>(envelope.payload_type.size()));
  out.append(envelope.payload_type);
  PutU32(&out, static_cast<uint32_t>(envelope.payload.size()));
  out.append(envelope.payload);
  out.append(envelope.signature);
  return out;
}

absl::StatusOr<Envelope> ParseEnvelope(absl::string_view bytes) {
  ByteReader in(bytes);
  uint8_t version = 0;
  if (!in.ReadU8(&version))
    return absl::InvalidArgumentError("envelope: empty");
  if (version != kEnvelopeVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "envelope version: got ", version, ", want ", kEnvelopeVersion));
  }
  Envelope env;
  absl::string_view key_id;
  uint16_t type_len = 0;
  uint32_t payload_len = 0;
  absl::string_view type, payload, signature;
  if (!in.ReadBytes(kKeyIdSize, &key_id) || !in.ReadU64(&env.sequence) ||
      !in.ReadU16(&type_len) || !in.ReadBytes(type_len, &type)) {
    return absl::InvalidArgumentError("envelope: truncated before the payload");
  }
  if (!in.ReadU32(&payload_len)) {
    return absl::InvalidArgumentError(
        "envelope: truncated at the payload length");
  }
  if (payload_len > kMaxPayloadSize) {
    return absl::InvalidArgumentError(absl::StrCat("payload: got ", payload_len,
                                                   " bytes, want at most ",
                                                   kMaxPayloadSize));
  }
  if (!in.ReadBytes(payload_len, &payload)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "envelope: payload truncated (want ", payload_len, " bytes)"));
  }
  if (!in.ReadBytes(kSignatureSize, &signature)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "signature: got ", in.remaining(), " bytes, want ", kSignatureSize));
  }
  if (in.remaining() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "envelope: ", in.remaining(), " trailing bytes after the signature"));
  }
  if (absl::Status s = ValidatePayloadType(type); !s.ok()) return s;
  std::copy(key_id.begin(), key_id.end(), env.key_id.begin());
  env.payload_type = std::string(type);
  env.payload = std::string(payload);
  env.signature = std::string(signature);
  return env;
}

std::string KeyIdToHex(const KeyId& key_id) {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(key_id.data()), key_id.size()));
}

absl::StatusOr<KeyId> KeyIdFromHex(absl::string_view hex) {
  if (hex.size() != 2 * kKeyIdSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key id: got ", hex.size(), " hex characters, want ", 2 * kKeyIdSize));
  }
  absl::StatusOr<std::string> bytes = common::DecodeHex(hex);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("key id: \"", hex, "\" is not hex"));
  }
  KeyId id;
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

}  // namespace ledger::entry
