#include "ledger/checkpoint_note.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/note/checkpoint.h"

namespace ledger {

absl::Status ValidateOrigin(absl::string_view origin) {
  if (origin.empty() || origin.size() > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("origin: got ", origin.size(), " bytes, want 1..255"));
  }
  for (char c : origin) {
    if (c <= ' ' || c > '~' || c == '+') {
      return absl::InvalidArgumentError(
          absl::StrCat("origin: got \"", origin,
                       "\", want printable ASCII without spaces or '+'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SignCheckpoint(const CheckpointFields& fields,
                                           const note::NoteSigner& signer) {
  note::Checkpoint checkpoint;
  checkpoint.origin = fields.origin;
  checkpoint.size = fields.size;
  checkpoint.root = fields.root;
  return signer.Sign(note::FormatCheckpointBody(checkpoint));
}

absl::StatusOr<OpenedCheckpoint> OpenCheckpoint(
    absl::string_view note_text, absl::string_view origin,
    absl::Span<const crypto::PublicKey> keys) {
  std::vector<note::NoteVerifier> verifiers;
  for (const crypto::PublicKey& key : keys) {
    ASSIGN_OR_RETURN(note::NoteVerifier verifier,
                     note::NoteVerifier::Create(origin, key));
    verifiers.push_back(std::move(verifier));
  }
  ASSIGN_OR_RETURN(note::VerifiedNote opened,
                   note::OpenNote(note_text, verifiers));
  ASSIGN_OR_RETURN(note::Checkpoint checkpoint,
                   note::ParseCheckpointBody(opened.text));
  if (checkpoint.origin != origin) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint origin: got \"", checkpoint.origin,
                     "\", want \"", origin, "\""));
  }
  OpenedCheckpoint out;
  out.fields = {checkpoint.origin, checkpoint.size, checkpoint.root};
  for (const note::NoteSignature& s : opened.verified)
    out.signed_by.push_back(s.key_id);
  return out;
}

absl::StatusOr<CheckpointFields> VerifyCheckpoint(
    absl::string_view note_text, absl::string_view origin,
    const crypto::PublicKey& log_key) {
  ASSIGN_OR_RETURN(OpenedCheckpoint opened,
                   OpenCheckpoint(note_text, origin, {log_key}));
  return opened.fields;
}

std::string LogVerifierKey(absl::string_view origin,
                           const crypto::PublicKey& log_key) {
  return note::VerifierKeyString(origin, log_key);
}

}  // namespace ledger
