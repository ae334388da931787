// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, byte-compatible
// with Go's golang.org/x/mod/sumdb/note.
//
// A signed note is the note text (non-empty, ending in '\n', MAY contain empty
// lines), one empty line, then one or more signature lines:
//   "\xe2\x80\x94 " <key name> " " base64(key id (4 bytes, big-endian) ||
//   signature) "\n"
// where "\xe2\x80\x94" is U+2014 EM DASH. The text is separated from the
// signatures by the LAST empty line of the note. The whole note must be valid
// UTF-8 without control characters other than '\n' (note_syntax.h).
//
// Ed25519 note key id (signature type 0x01):
//   key id = SHA-256(key name || "\n" || 0x01 || 32-byte public key)[0:4]
// Verifier key (what a log publishes):
//   <key name> "+" <8 lowercase hex digits of key id> "+"
//   base64(0x01 || 32-byte public key)
//
// Thread-safety: NoteSigner and NoteVerifier are immutable; const methods may
// be called concurrently.
#ifndef LEDGER_NOTE_SIGNED_NOTE_H_
#define LEDGER_NOTE_SIGNED_NOTE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "ledger/crypto/ed25519.h"

namespace ledger::note {

// The signature-type byte of Ed25519 note signatures.
inline constexpr uint8_t kEd25519SignatureType = 0x01;
// OpenNote rejects notes with more signature lines than this (C2SP requires
// accepting at least 16; Go's implementation also stops at 100).
inline constexpr int kMaxNoteSignatures = 100;

// Returns SHA-256(name || "\n" || type || key_bytes)[0:4] as a big-endian
// number: the key id of every C2SP signature type (0x01 Ed25519 note
// signatures, 0x04 Ed25519 cosignatures: cosignature.h).
uint32_t TypedKeyId(absl::string_view name, uint8_t type,
                    absl::string_view key_bytes);

// Returns "<name>+<8 lowercase hex of TypedKeyId>+base64(type || key_bytes)".
std::string TypedVerifierKey(absl::string_view name, uint8_t type,
                             absl::string_view key_bytes);

// A verifier key split into its parts, before any check of the type.
struct ParsedVerifierKey {
  std::string name;
  uint32_t key_id = 0;
  uint8_t type = 0;
  std::string key;  // The bytes after the type byte.
};

// Parses "<name>+<8 hex key id>+<base64(type || key)>". kInvalidArgument,
// saying what is wrong, for: missing parts, an invalid name, a key id that is
// not 8 hex digits, bad base64, an empty typed key, or a key id that does not
// match TypedKeyId(name, type, key). The caller checks the type and the key.
absl::StatusOr<ParsedVerifierKey> ParseVerifierKey(absl::string_view vkey);

// Returns the Ed25519 note key id of (name, key), defined above.
uint32_t NoteKeyId(absl::string_view name, const crypto::PublicKey& key);

// Returns the verifier key string of (name, key), defined above.
// REQUIRES: IsValidKeyName(name).
std::string VerifierKeyString(absl::string_view name,
                              const crypto::PublicKey& key);

// Signs notes with one named Ed25519 key.
class NoteSigner {
 public:
  // kInvalidArgument unless `name` is a valid key name (non-empty, no Unicode
  // spaces, no '+'; see note_syntax.h) and `key` is non-null.
  static absl::StatusOr<std::unique_ptr<NoteSigner>> Create(
      absl::string_view name, std::unique_ptr<crypto::SigningKey> key);

  // Returns the signed note: `text`, an empty line, and this key's signature
  // line. kInvalidArgument if `text` is empty, does not end in '\n', is not
  // valid UTF-8 or contains control characters other than '\n'.
  absl::StatusOr<std::string> Sign(absl::string_view text) const;

  // Returns only the signature line for `text` ("— name base64\n"), for
  // adding to an existing note's signatures. Same errors as Sign().
  absl::StatusOr<std::string> SignatureLine(absl::string_view text) const;

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const crypto::PublicKey& public_key() const { return key_->public_key(); }
  // The verifier key for this signer's key.
  std::string VerifierKey() const;

 private:
  NoteSigner(std::string name, std::unique_ptr<crypto::SigningKey> key);

  std::string name_;
  std::unique_ptr<crypto::SigningKey> key_;
  uint32_t key_id_;
};

// Verifies note signatures of one named Ed25519 key.
class NoteVerifier {
 public:
  // Parses a verifier key "<name>+<8 hex key id>+<base64(0x01 || key)>".
  // kInvalidArgument, saying what is wrong, for: missing parts, an invalid
  // name, a key id that is not 8 hex digits, bad base64, a signature type
  // other than 0x01, a key that is not 32 bytes or that crypto::PublicKey
  // rejects, or a key id that does not match the name and key.
  static absl::StatusOr<NoteVerifier> FromVerifierKey(absl::string_view vkey);

  // kInvalidArgument unless IsValidKeyName(name).
  static absl::StatusOr<NoteVerifier> Create(absl::string_view name,
                                             const crypto::PublicKey& key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const crypto::PublicKey& public_key() const { return key_; }
  std::string VerifierKey() const;

  // Verifies `signature` (without the 4-byte key id) over the note text, as
  // crypto::PublicKey::Verify.
  absl::Status Verify(absl::string_view text,
                      absl::string_view signature) const;

 private:
  NoteVerifier(std::string name, const crypto::PublicKey& key);

  std::string name_;
  crypto::PublicKey key_;
  uint32_t key_id_;
};

// One signature line of a note.
struct NoteSignature {
  std::string name;
  uint32_t key_id;
  std::string base64;  // base64(key id || signature) as it appeared.
};

// A note split into its text and signature lines, nothing verified.
struct SignatureLine {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;   // The bytes after the 4-byte key id.
  std::string base64;      // base64(key id || signature) as it appeared.
  size_t line_number = 0;  // In the note, counting from 1.
};
struct SplitNote {
  std::string text;  // The note text, including its final '\n'.
  std::vector<SignatureLine> signatures;  // In order; at least one.
};

// Splits `note` at its last empty line and parses each signature line.
// kInvalidArgument, naming the line, for the malformed notes OpenNote lists.
absl::StatusOr<SplitNote> SplitSignedNote(absl::string_view note);

// A note with at least one valid signature by a known key.
struct VerifiedNote {
  std::string text;  // The note text, including its final '\n'.
  std::vector<NoteSignature> verified;    // By known keys, each key once.
  std::vector<NoteSignature> unverified;  // By unknown keys, ignored.
};

// Parses `note` and verifies its signatures against `verifiers`.
// Signatures whose (name, key id) match no verifier are ignored, as the spec
// requires, and listed in `unverified`; every signature whose (name, key id)
// matches a verifier is verified.
// Errors:
//   kInvalidArgument: the note is malformed (characters, no empty line before
//     the signatures, a signature line that does not start with U+2014 and a
//     space, an invalid key name, bad base64, fewer than 5 signature bytes,
//     more than kMaxNoteSignatures lines), or two verifiers share a name and
//     key id. The message names the line and the problem.
//   kUnauthenticated: a signature by a known key does not verify ("note
//     signature by key NAME+KEYID: <why>"), or no signature is by a known key
//     ("note has no signature by a known key; found: ...").
absl::StatusOr<VerifiedNote> OpenNote(absl::string_view note,
                                      absl::Span<const NoteVerifier> verifiers);

}  // namespace ledger::note

#endif  // LEDGER_NOTE_SIGNED_NOTE_H_
