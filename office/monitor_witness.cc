#include "office/monitor_witness.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"

namespace office {

witness::Witness::Vouch VerifiedUpToSize(const Mirror* mirror) {
  return [mirror](absl::string_view origin, uint64_t size,
                  const ledger::merkle::Hash& root) -> absl::Status {
    absl::StatusOr<std::optional<FollowState>> state =
        mirror->LoadFollowState(origin);
    if (!state.ok()) return state.status();
    if (state->has_value() && (*state)->stopped()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the monitor stopped following ", origin, " (an incident)"));
    }
    absl::StatusOr<std::optional<std::string>> note =
        mirror->VerifiedCheckpoint(origin, size);
    if (!note.ok()) return note.status();
    if (!note->has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("checkpoint ", size, " of ", origin,
                       " is not verified by the monitor yet; retry later"));
    }
    // The stored note verified when it was accepted; its body is the text
    // before the blank line.
    const std::string& text = **note;
    const size_t end = text.find("\n\n");
    absl::StatusOr<ledger::note::Checkpoint> stored =
        ledger::note::ParseCheckpointBody(
            text.substr(0, end == std::string::npos ? end : end + 1));
    if (!stored.ok()) return stored.status();
    if (stored->root != root) {
      return absl::FailedPreconditionError(
          absl::StrCat("checkpoint ", size, " of ", origin,
                       ": the monitor verified another root at this size"));
    }
    return absl::OkStatus();
  };
}

witness::Witness::MoreLogKeys AnnouncedLogKeys(const Mirror* mirror) {
  return [mirror](absl::string_view origin) {
    std::vector<ledger::note::NoteVerifier> keys;
    absl::StatusOr<std::optional<FollowState>> state =
        mirror->LoadFollowState(origin);
    if (!state.ok() || !state->has_value()) return keys;
    for (const aifl::office::monitor::v1::LogKeyEpoch& epoch :
         (*state)->log_keys()) {
      absl::StatusOr<ledger::crypto::PublicKey> key =
          ledger::crypto::PublicKey::FromBytes(epoch.public_key());
      if (!key.ok()) continue;
      absl::StatusOr<ledger::note::NoteVerifier> verifier =
          ledger::note::NoteVerifier::Create(origin, *key);
      if (verifier.ok()) keys.push_back(*std::move(verifier));
    }
    return keys;
  };
}

}  // namespace office
