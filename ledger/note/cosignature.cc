#include "ledger/note/cosignature.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "ledger/crypto/base64.h"
#include "ledger/note/note_syntax.h"
#include "ledger/note/signed_note.h"

namespace ledger::note {
namespace {

std::string BigEndian(uint64_t v, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) {
    out[i] = static_cast<char>(v & 0xff);
  }
  return out;
}

absl::Status CheckName(absl::string_view name) {
  if (IsValidKeyName(name)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "cosigner name: got \"", name,
      "\", want non-empty UTF-8 without spaces, '+' or control characters"));
}

}  // namespace

std::string CosignatureV1Message(uint64_t timestamp, absl::string_view body) {
  return absl::StrCat("cosignature/v1\ntime ", timestamp, "\n", body);
}

uint32_t CosignatureKeyId(absl::string_view name,
                          const crypto::PublicKey& key) {
  return TypedKeyId(name, kCosignatureV1Type, key.bytes());
}

// --- Cosigner ----------------------------------------------------------------

Cosigner::Cosigner(std::string name, std::unique_ptr<crypto::SigningKey> key)
    : name_(std::move(name)),
      key_(std::move(key)),
      key_id_(CosignatureKeyId(name_, key_->public_key())) {}

absl::StatusOr<std::unique_ptr<Cosigner>> Cosigner::Create(
    absl::string_view name, std::unique_ptr<crypto::SigningKey> key) {
  RETURN_IF_ERROR(CheckName(name));
  if (key == nullptr) {
    return absl::InvalidArgumentError("cosigner: key is null");
  }
  return std::unique_ptr<Cosigner>(
      new Cosigner(std::string(name), std::move(key)));
}

absl::StatusOr<std::string> Cosigner::CosignatureLine(
    absl::string_view body, uint64_t timestamp) const {
  if (body.empty() || body.back() != '\n') {
    return absl::InvalidArgumentError(
        "checkpoint body: must be non-empty and end in a newline");
  }
  RETURN_IF_ERROR(CheckNoteCharacters(body));
  if (timestamp > kMaxCosignatureTimestamp) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cosignature timestamp: got ", timestamp, ", want at most 2^63 - 1"));
  }
  const std::string signature =
      key_->Sign(CosignatureV1Message(timestamp, body));
  return absl::StrCat(
      "\xe2\x80\x94 ", name_, " ",
      crypto::Base64Encode(absl::StrCat(BigEndian(key_id_, 4),
                                        BigEndian(timestamp, 8), signature)),
      "\n");
}

std::string Cosigner::VerifierKey() const {
  return TypedVerifierKey(name_, kCosignatureV1Type,
                          key_->public_key().bytes());
}

// --- CosignatureVerifier -----------------------------------------------------

CosignatureVerifier::CosignatureVerifier(std::string name,
                                         const crypto::PublicKey& key)
    : name_(std::move(name)),
      key_(key),
      key_id_(CosignatureKeyId(name_, key_)) {}

absl::StatusOr<CosignatureVerifier> CosignatureVerifier::Create(
    absl::string_view name, const crypto::PublicKey& key) {
  RETURN_IF_ERROR(CheckName(name));
  return CosignatureVerifier(std::string(name), key);
}

absl::StatusOr<CosignatureVerifier> CosignatureVerifier::FromVerifierKey(
    absl::string_view vkey) {
  ASSIGN_OR_RETURN(ParsedVerifierKey parsed, ParseVerifierKey(vkey));
  const auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key \"", vkey, "\": ", why));
  };
  if (parsed.type != kCosignatureV1Type) {
    return error(absl::StrFormat(
        "signature type: got 0x%02x, want 0x04 (Ed25519 cosignature/v1)",
        parsed.type));
  }
  absl::StatusOr<crypto::PublicKey> key =
      crypto::PublicKey::FromBytes(parsed.key);
  if (!key.ok()) return error(key.status().message());
  return CosignatureVerifier(std::move(parsed.name), *key);
}

std::string CosignatureVerifier::VerifierKey() const {
  return TypedVerifierKey(name_, kCosignatureV1Type, key_.bytes());
}

absl::StatusOr<uint64_t> CosignatureVerifier::Verify(
    absl::string_view body, absl::string_view signature) const {
  if (signature.size() != kCosignatureV1Bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("cosignature/v1: got ", signature.size(),
                     " bytes after the key id, want 72 (timestamp and "
                     "Ed25519 signature)"));
  }
  uint64_t timestamp = 0;
  for (int i = 0; i < 8; ++i) {
    timestamp = timestamp << 8 | static_cast<uint8_t>(signature[i]);
  }
  if (timestamp > kMaxCosignatureTimestamp) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cosignature/v1: timestamp ", timestamp, " above 2^63 - 1"));
  }
  RETURN_IF_ERROR(
      key_.Verify(CosignatureV1Message(timestamp, body), signature.substr(8)));
  return timestamp;
}

}  // namespace ledger::note
