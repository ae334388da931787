// Checkpointer::RotateLogKey: the LogKey append and the handover checkpoint
// signed by the previous and the new log key (ledger/FORMAT.md, "Log-key
// rotation"). Each step is durable before the next, and a re-run skips what is
// done, so a crash anywhere leaves a ledger that a re-run with the same key
// completes.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpointer.h"
#include "ledger/entry/envelope.h"
#include "ledger/signed_state.h"

namespace ledger {
namespace {

// Checks that `envelope` is a key event whose LogKey announces `key`.
absl::Status CheckAnnounces(absl::string_view envelope,
                            const crypto::PublicKey& key) {
  ASSIGN_OR_RETURN(entry::Envelope parsed, entry::ParseEnvelope(envelope));
  if (parsed.payload_type != kKeyEventType) {
    return absl::InvalidArgumentError(
        absl::StrCat("log-key envelope: payload type \"", parsed.payload_type,
                     "\", want \"", kKeyEventType, "\""));
  }
  ASSIGN_OR_RETURN(aifl::ledger::v1::KeyEvent event,
                   ParseKeyEvent(parsed.payload));
  if (!event.has_log_key() || event.log_key().public_key() != key.bytes()) {
    return absl::FailedPreconditionError(
        "log-key envelope: it does not announce the new log key");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> Checkpointer::RotateLogKey(
    absl::string_view log_key_envelope,
    std::unique_ptr<crypto::SigningKey> new_key,
    const std::string& new_key_path) {
  if (log_->store().read_only())
    return absl::FailedPreconditionError("the ledger is open read-only");
  if (new_key == nullptr)
    return absl::InvalidArgumentError("new log key: got null");
  ASSIGN_OR_RETURN(
      std::unique_ptr<note::NoteSigner> new_signer,
      note::NoteSigner::Create(log_->origin(), std::move(new_key)));
  const crypto::PublicKey new_pub = new_signer->public_key();
  const std::optional<crypto::PublicKey> loaded = LoadedKey();
  if (!loaded.has_value()) {
    return absl::FailedPreconditionError(
        "no log key loaded: the handover checkpoint needs the current key");
  }
  if (log_->log_public_key() != new_pub) {
    // Not announced yet: the loaded key must be the current one.
    if (*loaded != log_->log_public_key()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the loaded log key (", DescribeLogKey(log_->origin(), *loaded),
          ") is not the current log key (",
          DescribeLogKey(log_->origin(), log_->log_public_key()),
          "); a rotation starts from the current key"));
    }
    if (log_->LogKeys().empty()) {
      return absl::FailedPreconditionError(
          "the ledger has no genesis log key yet");
    }
    RETURN_IF_ERROR(CheckAnnounces(log_key_envelope, new_pub));
    AppendResult appended =
        sequencer_->AppendLogKeyAnnouncement(std::string(log_key_envelope));
    RETURN_IF_ERROR(appended.status);
  }
  const LogKeyHistory history = log_->LogKeys();
  if (history.epochs().size() < 2 || history.current().key != new_pub) {
    return absl::InternalError("the LogKey append did not rotate the key");
  }
  const LogKeyEpoch& previous = history.epochs()[history.epochs().size() - 2];
  const uint64_t announced = history.current().announced_at_leaf;

  absl::MutexLock lock(&checkpoint_mu_);
  if (log_->LatestCheckpointSize() <= announced) {
    if (signer_->public_key() != previous.key) {
      return absl::FailedPreconditionError(
          absl::StrCat("the handover checkpoint needs the previous log key (",
                       DescribeLogKey(log_->origin(), previous.key), "), but ",
                       log_key_path_, " holds ",
                       DescribeLogKey(log_->origin(), signer_->public_key())));
    }
    // The previous key signs first, so a verifier that trusts it reads its
    // line first; the new key's line follows (FORMAT.md, "Handover").
    RETURN_IF_ERROR(
        SignAndStoreLocked(
            log_->CurrentTree(), {signer_.get(), new_signer.get()},
            {signed_state_path_,
             SignedStatePath(new_key_path, options_.signed_state_dir)})
            .status());
  }
  ASSIGN_OR_RETURN(std::optional<uint64_t> handover,
                   log_->FirstCheckpointAfter(announced));
  if (!handover.has_value())
    return absl::InternalError("the handover checkpoint is not stored");
  // From here on the new key signs.
  signer_ = std::move(new_signer);
  log_key_path_ = new_key_path;
  signed_state_path_ = SignedStatePath(new_key_path, options_.signed_state_dir);
  return log_->CheckpointAt(*handover);
}

}  // namespace ledger
