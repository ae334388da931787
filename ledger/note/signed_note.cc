#include "ledger/note/signed_note.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/hex.h"
#include "common/status_macros.h"
#include "ledger/crypto/base64.h"
#include "ledger/crypto/sha256.h"
#include "ledger/note/note_syntax.h"

namespace ledger::note {
namespace {

constexpr absl::string_view kSignaturePrefix = "\xe2\x80\x94 ";  // "— "

std::string TypedKey(const crypto::PublicKey& key) {
  return absl::StrCat(
      absl::string_view(reinterpret_cast<const char*>(&kEd25519SignatureType),
                        1),
      key.bytes());
}

std::string KeyLabel(absl::string_view name, uint32_t key_id) {
  return absl::StrFormat("%s+%08x", name, key_id);
}

absl::Status CheckText(absl::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return absl::InvalidArgumentError(
        "note text: must be non-empty and end in a newline");
  }
  return CheckNoteCharacters(text);
}

uint32_t BigEndian32(absl::string_view four) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<uint8_t>(four[i]);
  return v;
}

std::string BigEndianBytes(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

}  // namespace

uint32_t NoteKeyId(absl::string_view name, const crypto::PublicKey& key) {
  const crypto::Sha256Digest digest =
      crypto::Sha256({name, "\n", TypedKey(key)});
  return static_cast<uint32_t>(digest[0]) << 24 |
         static_cast<uint32_t>(digest[1]) << 16 |
         static_cast<uint32_t>(digest[2]) << 8 | digest[3];
}

std::string VerifierKeyString(absl::string_view name,
                              const crypto::PublicKey& key) {
  return absl::StrCat(KeyLabel(name, NoteKeyId(name, key)), "+",
                      crypto::Base64Encode(TypedKey(key)));
}

// --- NoteSigner --------------------------------------------------------------

NoteSigner::NoteSigner(std::string name,
                       std::unique_ptr<crypto::SigningKey> key)
    : name_(std::move(name)),
      key_(std::move(key)),
      key_id_(NoteKeyId(name_, key_->public_key())) {}

absl::StatusOr<std::unique_ptr<NoteSigner>> NoteSigner::Create(
    absl::string_view name, std::unique_ptr<crypto::SigningKey> key) {
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "note key name: got \"", name,
        "\", want non-empty UTF-8 without spaces, '+' or control characters"));
  }
  if (key == nullptr) {
    return absl::InvalidArgumentError("note signer: key is null");
  }
  return std::unique_ptr<NoteSigner>(
      new NoteSigner(std::string(name), std::move(key)));
}

absl::StatusOr<std::string> NoteSigner::SignatureLine(
    absl::string_view text) const {
  RETURN_IF_ERROR(CheckText(text));
  return absl::StrCat(kSignaturePrefix, name_, " ",
                      crypto::Base64Encode(absl::StrCat(BigEndianBytes(key_id_),
                                                        key_->Sign(text))),
                      "\n");
}

absl::StatusOr<std::string> NoteSigner::Sign(absl::string_view text) const {
  ASSIGN_OR_RETURN(std::string line, SignatureLine(text));
  return absl::StrCat(text, "\n", line);
}

std::string NoteSigner::VerifierKey() const {
  return VerifierKeyString(name_, key_->public_key());
}

// --- NoteVerifier ------------------------------------------------------------

NoteVerifier::NoteVerifier(std::string name, const crypto::PublicKey& key)
    : name_(std::move(name)), key_(key), key_id_(NoteKeyId(name_, key_)) {}

absl::StatusOr<NoteVerifier> NoteVerifier::Create(
    absl::string_view name, const crypto::PublicKey& key) {
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "note key name: got \"", name,
        "\", want non-empty UTF-8 without spaces, '+' or control characters"));
  }
  return NoteVerifier(std::string(name), key);
}

absl::StatusOr<NoteVerifier> NoteVerifier::FromVerifierKey(
    absl::string_view vkey) {
  const auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key \"", vkey, "\": ", why));
  };
  const size_t plus1 = vkey.find('+');
  if (plus1 == absl::string_view::npos) {
    return error("want <name>+<8 hex key id>+<base64 key>");
  }
  const size_t plus2 = vkey.find('+', plus1 + 1);
  if (plus2 == absl::string_view::npos) {
    return error("want <name>+<8 hex key id>+<base64 key>");
  }
  const absl::string_view name = vkey.substr(0, plus1);
  const absl::string_view hex = vkey.substr(plus1 + 1, plus2 - plus1 - 1);
  const absl::string_view key64 = vkey.substr(plus2 + 1);
  if (!IsValidKeyName(name)) return error("invalid key name");
  uint32_t key_id = 0;
  absl::StatusOr<std::string> key_id_bytes = common::DecodeHex(hex);
  if (hex.size() != 8 || !key_id_bytes.ok()) {
    return error(absl::StrCat("key id: got \"", hex, "\", want 8 hex digits"));
  }
  for (char byte : *key_id_bytes) key_id = key_id << 8 | uint8_t(byte);
  absl::StatusOr<std::string> typed = crypto::Base64Decode(key64);
  if (!typed.ok()) return error(typed.status().message());
  if (typed->empty() ||
      static_cast<uint8_t>((*typed)[0]) != kEd25519SignatureType) {
    return error(absl::StrFormat(
        "signature type: got 0x%02x, want 0x01 (Ed25519)",
        typed->empty() ? 0 : static_cast<uint8_t>((*typed)[0])));
  }
  absl::StatusOr<crypto::PublicKey> key =
      crypto::PublicKey::FromBytes(absl::string_view(*typed).substr(1));
  if (!key.ok()) return error(key.status().message());
  NoteVerifier verifier(std::string(name), *key);
  if (verifier.key_id() != key_id) {
    return error(absl::StrFormat(
        "key id %08x does not match the name and key (want %08x)", key_id,
        verifier.key_id()));
  }
  return verifier;
}

std::string NoteVerifier::VerifierKey() const {
  return VerifierKeyString(name_, key_);
}

absl::Status NoteVerifier::Verify(absl::string_view text,
                                  absl::string_view signature) const {
  return key_.Verify(text, signature);
}

// --- OpenNote ----------------------------------------------------------------

namespace {

// kInvalidArgument when two verifiers share a name and key id (a signature
// could not say which of them it claims).
absl::Status CheckVerifiersDistinct(absl::Span<const NoteVerifier> verifiers) {
  for (size_t i = 0; i < verifiers.size(); ++i) {
    for (size_t j = i + 1; j < verifiers.size(); ++j) {
      if (verifiers[i].name() == verifiers[j].name() &&
          verifiers[i].key_id() == verifiers[j].key_id()) {
        return absl::InvalidArgumentError(
            absl::StrCat("ambiguous verifiers: two keys named ",
                         KeyLabel(verifiers[i].name(), verifiers[i].key_id())));
      }
    }
  }
  return absl::OkStatus();
}

// One signature line "— <name> <base64>" (without its newline), parsed but
// not verified: the signature and its decoded bytes (4-byte key id first).
struct SignatureLine {
  NoteSignature signature;
  std::string raw;
};

// kInvalidArgument naming why the line is malformed (the caller adds the
// line number).
absl::StatusOr<SignatureLine> ParseSignatureLine(absl::string_view line) {
  if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
    return absl::InvalidArgumentError(
        "signature line must start with U+2014 EM DASH and a space");
  }
  line.remove_prefix(kSignaturePrefix.size());
  const size_t space = line.find(' ');
  if (space == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "want \"— <key name> <base64 signature>\"");
  }
  const absl::string_view name = line.substr(0, space);
  const absl::string_view b64 = line.substr(space + 1);
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid key name \"", name, "\""));
  }
  ASSIGN_OR_RETURN(std::string raw, crypto::Base64Decode(b64));
  if (raw.size() < 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        "signature of ", raw.size(), " bytes; want a 4-byte key id and more"));
  }
  const uint32_t key_id = BigEndian32(raw);
  return SignatureLine{
      NoteSignature{std::string(name), key_id, std::string(b64)},
      std::move(raw)};
}

}  // namespace

absl::StatusOr<VerifiedNote> OpenNote(
    absl::string_view note, absl::Span<const NoteVerifier> verifiers) {
  RETURN_IF_ERROR(CheckVerifiersDistinct(verifiers));
  RETURN_IF_ERROR(CheckNoteCharacters(note));
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "note: no empty line separating the text from the signatures");
  }
  VerifiedNote result;
  result.text = std::string(note.substr(0, split + 1));
  absl::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) {
    return absl::InvalidArgumentError(
        "note: no signature lines after the last empty line");
  }
  if (sigs.back() != '\n') {
    return absl::InvalidArgumentError(
        "note: last signature line does not end in a newline");
  }
  // Line numbers in messages count from the start of the note.
  size_t line_number = 1;
  for (char c : result.text) line_number += c == '\n';
  ++line_number;  // The empty line.

  std::vector<std::string> unknown_labels;
  int count = 0;
  while (!sigs.empty()) {
    ++line_number;
    const size_t nl = sigs.find('\n');
    absl::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    const auto malformed = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("note: line ", line_number, ": ", why));
    };
    if (++count > kMaxNoteSignatures) {
      return malformed(
          absl::StrCat("more than ", kMaxNoteSignatures, " signature lines"));
    }
    absl::StatusOr<SignatureLine> parsed = ParseSignatureLine(line);
    if (!parsed.ok()) return malformed(parsed.status().message());
    NoteSignature signature = std::move(parsed->signature);
    const std::string& name = signature.name;
    const uint32_t key_id = signature.key_id;

    const NoteVerifier* verifier = nullptr;
    for (const NoteVerifier& v : verifiers) {
      if (v.name() == name && v.key_id() == key_id) verifier = &v;
    }
    if (verifier == nullptr) {
      unknown_labels.push_back(KeyLabel(name, key_id));
      result.unverified.push_back(std::move(signature));
      continue;
    }
    const absl::Status status =
        verifier->Verify(result.text, absl::string_view(parsed->raw).substr(4));
    if (!status.ok()) {
      return absl::UnauthenticatedError(
          absl::StrCat("note signature by key ", KeyLabel(name, key_id),
                       " (line ", line_number, "): ", status.message()));
    }
    bool seen = false;
    for (const NoteSignature& s : result.verified) {
      seen |= s.name == name && s.key_id == key_id;
    }
    if (!seen) result.verified.push_back(std::move(signature));
  }
  if (result.verified.empty()) {
    return absl::UnauthenticatedError(
        absl::StrCat("note has no signature by a known key; found: ",
                     absl::StrJoin(unknown_labels, ", ")));
  }
  return result;
}

}  // namespace ledger::note
