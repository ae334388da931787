// C2SP tlog-cosignature (c2sp.org/tlog-cosignature), the Ed25519
// "cosignature/v1" type: a witness's timestamped signature over a checkpoint.
//
// Signature line (a signed-note signature line, signed_note.h):
//   "\xe2\x80\x94 " <cosigner name> " " base64(key id[4] || timestamp[8] ||
//   Ed25519 signature[64]) "\n"
// with the timestamp a big-endian u64 of POSIX seconds (at most 2^63 - 1).
// Key id (signature type 0x04):
//   SHA-256(name || "\n" || 0x04 || 32-byte public key)[0:4]
// Verifier key: <name> "+" <8 hex key id> "+" base64(0x04 || public key).
// Signed message:
//   "cosignature/v1\n" "time " <timestamp, decimal, no leading zeros> "\n"
//   <the whole checkpoint note body, final newline included, no signature
//   lines>
// Meaning: as of that time, this is the largest consistent tree the cosigner
// has seen for the origin. Because the message does not name the cosigner, one
// key must serve one cosigner name (one set of statements) only.
//
// Thread-safety: Cosigner and CosignatureVerifier are immutable; const
// methods may be called concurrently.
#ifndef LEDGER_NOTE_COSIGNATURE_H_
#define LEDGER_NOTE_COSIGNATURE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/crypto/ed25519.h"

namespace ledger::note {

// The signature-type byte of Ed25519 cosignature/v1.
inline constexpr uint8_t kCosignatureV1Type = 0x04;
// Bytes after the key id: 8-byte timestamp and 64-byte signature.
inline constexpr size_t kCosignatureV1Bytes = 8 + 64;
// Largest timestamp allowed (2^63 - 1).
inline constexpr uint64_t kMaxCosignatureTimestamp = (uint64_t{1} << 63) - 1;

// Returns the cosignature/v1 signed message for `body` at `timestamp`.
std::string CosignatureV1Message(uint64_t timestamp, absl::string_view body);

// Returns the cosignature/v1 key id of (name, key).
uint32_t CosignatureKeyId(absl::string_view name, const crypto::PublicKey& key);

// Makes cosignature/v1 lines with one named Ed25519 key.
class Cosigner {
 public:
  // kInvalidArgument unless `name` is a valid key name (note_syntax.h) and
  // `key` is non-null.
  static absl::StatusOr<std::unique_ptr<Cosigner>> Create(
      absl::string_view name, std::unique_ptr<crypto::SigningKey> key);

  // Returns the signature line "— name base64(...)\n" over checkpoint `body`
  // at `timestamp`. kInvalidArgument if `body` is empty, does not end in
  // '\n', breaks the note character rules, or `timestamp` exceeds
  // kMaxCosignatureTimestamp.
  absl::StatusOr<std::string> CosignatureLine(absl::string_view body,
                                              uint64_t timestamp) const;

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const crypto::PublicKey& public_key() const { return key_->public_key(); }
  // The verifier key (type 0x04).
  std::string VerifierKey() const;

 private:
  Cosigner(std::string name, std::unique_ptr<crypto::SigningKey> key);

  std::string name_;
  std::unique_ptr<crypto::SigningKey> key_;
  uint32_t key_id_;
};

// Verifies cosignature/v1 signatures of one named key.
class CosignatureVerifier {
 public:
  // Parses a type-0x04 verifier key. kInvalidArgument as
  // NoteVerifier::FromVerifierKey, and for any signature type but 0x04.
  static absl::StatusOr<CosignatureVerifier> FromVerifierKey(
      absl::string_view vkey);
  // kInvalidArgument unless IsValidKeyName(name).
  static absl::StatusOr<CosignatureVerifier> Create(
      absl::string_view name, const crypto::PublicKey& key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const crypto::PublicKey& public_key() const { return key_; }
  std::string VerifierKey() const;

  // Verifies `signature` (the 72 bytes after the key id: timestamp and
  // Ed25519 signature) over checkpoint `body`; returns the timestamp.
  // kInvalidArgument for a length other than 72 bytes or a timestamp above
  // kMaxCosignatureTimestamp, and as crypto::PublicKey::Verify;
  // kUnauthenticated when the signature does not verify.
  absl::StatusOr<uint64_t> Verify(absl::string_view body,
                                  absl::string_view signature) const;

 private:
  CosignatureVerifier(std::string name, const crypto::PublicKey& key);

  std::string name_;
  crypto::PublicKey key_;
  uint32_t key_id_;
};

}  // namespace ledger::note

#endif  // LEDGER_NOTE_COSIGNATURE_H_
