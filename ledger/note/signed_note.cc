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

uint32_t TypedKeyId(absl::string_view name, uint8_t type,
                    absl::string_view key_bytes) {
  const char type_byte = static_cast<char>(type);
  const crypto::Sha256Digest digest =
      crypto::Sha256({name, "\n", absl::string_view(&type_byte, 1), key_bytes});
  return static_cast<uint32_t>(digest[0]) << 24 |
         static_cast<uint32_t>(digest[1]) << 16 |
         static_cast<uint32_t>(digest[2]) << 8 | digest[3];
}

std::string TypedVerifierKey(absl::string_view name, uint8_t type,
                             absl::string_view key_bytes) {
  const char type_byte = static_cast<char>(type);
  return absl::StrCat(KeyLabel(name, TypedKeyId(name, type, key_bytes)), "+",
                      crypto::Base64Encode(absl::StrCat(
                          absl::string_view(&type_byte, 1), key_bytes)));
}

absl::StatusOr<ParsedVerifierKey> ParseVerifierKey(absl::string_view vkey) {
  const auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key \"", vkey, "\": ", why));
  };
  const size_t plus1 = vkey.find('+');
  const size_t plus2 = plus1 == absl::string_view::npos
                           ? absl::string_view::npos
                           : vkey.find('+', plus1 + 1);
  if (plus2 == absl::string_view::npos) {
    return error("want <name>+<8 hex key id>+<base64 key>");
  }
  ParsedVerifierKey parsed;
  parsed.name = std::string(vkey.substr(0, plus1));
  const absl::string_view hex = vkey.substr(plus1 + 1, plus2 - plus1 - 1);
  const absl::string_view key64 = vkey.substr(plus2 + 1);
  if (!IsValidKeyName(parsed.name)) return error("invalid key name");
  absl::StatusOr<std::string> key_id_bytes = common::DecodeHex(hex);
  if (hex.size() != 8 || !key_id_bytes.ok()) {
    return error(absl::StrCat("key id: got \"", hex, "\", want 8 hex digits"));
  }
  for (char byte : *key_id_bytes) {
    parsed.key_id = parsed.key_id << 8 | static_cast<uint8_t>(byte);
  }
  absl::StatusOr<std::string> typed = crypto::Base64Decode(key64);
  if (!typed.ok()) return error(typed.status().message());
  if (typed->empty()) return error("empty key");
  parsed.type = static_cast<uint8_t>((*typed)[0]);
  parsed.key = typed->substr(1);
  const uint32_t want = TypedKeyId(parsed.name, parsed.type, parsed.key);
  if (parsed.key_id != want) {
    return error(absl::StrFormat(
        "key id %08x does not match the name and key (want %08x)",
        parsed.key_id, want));
  }
  return parsed;
}

uint32_t NoteKeyId(absl::string_view name, const crypto::PublicKey& key) {
  return TypedKeyId(name, kEd25519SignatureType, key.bytes());
}

std::string VerifierKeyString(absl::string_view name,
                              const crypto::PublicKey& key) {
  return TypedVerifierKey(name, kEd25519SignatureType, key.bytes());
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
  ASSIGN_OR_RETURN(ParsedVerifierKey parsed, ParseVerifierKey(vkey));
  const auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key \"", vkey, "\": ", why));
  };
  if (parsed.type != kEd25519SignatureType) {
    return error(absl::StrFormat(
        "signature type: got 0x%02x, want 0x01 (Ed25519)", parsed.type));
  }
  absl::StatusOr<crypto::PublicKey> key =
      crypto::PublicKey::FromBytes(parsed.key);
  if (!key.ok()) return error(key.status().message());
  return NoteVerifier(std::move(parsed.name), *key);
}

std::string NoteVerifier::VerifierKey() const {
  return VerifierKeyString(name_, key_);
}

absl::Status NoteVerifier::Verify(absl::string_view text,
                                  absl::string_view signature) const {
  return key_.Verify(text, signature);
}

// --- SplitSignedNote / OpenNote ---------------------------------------------

absl::StatusOr<SplitNote> SplitSignedNote(absl::string_view note) {
  RETURN_IF_ERROR(CheckNoteCharacters(note));
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "note: no empty line separating the text from the signatures");
  }
  SplitNote result;
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
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return malformed(
          "signature line must start with U+2014 EM DASH and a space");
    }
    line.remove_prefix(kSignaturePrefix.size());
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) {
      return malformed("want \"— <key name> <base64 signature>\"");
    }
    const absl::string_view name = line.substr(0, space);
    const absl::string_view b64 = line.substr(space + 1);
    if (!IsValidKeyName(name)) {
      return malformed(absl::StrCat("invalid key name \"", name, "\""));
    }
    absl::StatusOr<std::string> raw = crypto::Base64Decode(b64);
    if (!raw.ok()) return malformed(raw.status().message());
    if (raw->size() < 5) {
      return malformed(absl::StrCat("signature of ", raw->size(),
                                    " bytes; want a 4-byte key id and more"));
    }
    result.signatures.push_back(SignatureLine{std::string(name),
                                              BigEndian32(*raw), raw->substr(4),
                                              std::string(b64), line_number});
  }
  return result;
}

absl::StatusOr<VerifiedNote> OpenNote(
    absl::string_view note, absl::Span<const NoteVerifier> verifiers) {
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
  ASSIGN_OR_RETURN(SplitNote split, SplitSignedNote(note));
  VerifiedNote result;
  result.text = std::move(split.text);
  std::vector<std::string> unknown_labels;
  for (const SignatureLine& line : split.signatures) {
    NoteSignature signature{line.name, line.key_id, line.base64};
    const NoteVerifier* verifier = nullptr;
    for (const NoteVerifier& v : verifiers) {
      if (v.name() == line.name && v.key_id() == line.key_id) verifier = &v;
    }
    if (verifier == nullptr) {
      unknown_labels.push_back(KeyLabel(line.name, line.key_id));
      result.unverified.push_back(std::move(signature));
      continue;
    }
    const absl::Status status = verifier->Verify(result.text, line.signature);
    if (!status.ok()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "note signature by key ", KeyLabel(line.name, line.key_id), " (line ",
          line.line_number, "): ", status.message()));
    }
    bool seen = false;
    for (const NoteSignature& s : result.verified) {
      seen |= s.name == line.name && s.key_id == line.key_id;
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
