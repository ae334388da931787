// Ledger::PublishCheckpoint. The log never signs a checkpoint inconsistent
// with one it signed before: the last signed (size, root) is kept beside the
// log key and checked first, then recorded before the new note is stored.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/ledger.h"
#include "ledger/note/checkpoint.h"
#include "ledger/signed_state.h"
#include "ledger/storage_keys.h"

namespace ledger {

CheckpointFields Ledger::CurrentTree() const {
  absl::ReaderMutexLock tree_lock(&tree_mu_);
  return CheckpointFields{origin_, tree_->size(), tree_->Root()};
}

absl::Status Ledger::CheckCanPublish() const {
  absl::MutexLock lock(&checkpoint_mu_);
  return CheckCanPublishLocked();
}

absl::Status Ledger::CheckCanPublishLocked() const {
  if (checkpoint_signer_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no log key loaded (", log_key_path_, "): cannot sign checkpoints"));
  }
  const LogKeyHistory history = LogKeys();
  const crypto::PublicKey current = log_public_key();
  const crypto::PublicKey& loaded = checkpoint_signer_->public_key();
  const bool handover_pending =
      history.epochs().size() >= 2 &&
      latest_checkpoint_size_ <= history.current().announced_at_leaf;
  const std::string finish =
      absl::StrCat("finish the rotation with `ledgerctl rotate-log-key --dir ",
                   options_.dir, " --new-key <the announced key's file>`");
  if (loaded != current) {
    std::string why = absl::StrCat(
        "the loaded log key ", log_key_path_, " (",
        DescribeLogKey(origin_, loaded), ") is not the current log key (",
        DescribeLogKey(origin_, current),
        history.empty() ? ""
                        : absl::StrCat(", announced at leaf ",
                                       history.current().announced_at_leaf),
        "): ");
    if (handover_pending &&
        history.epochs()[history.epochs().size() - 2].key == loaded) {
      return absl::FailedPreconditionError(absl::StrCat(
          why, "a log-key rotation is half done (no handover checkpoint yet); ",
          finish));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        why,
        "start with the current log key (after `ledgerctl rotate-log-key` it "
        "is <dir>/keys/log.key); read-only use works with any key"));
  }
  if (handover_pending) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the log-key rotation announced at leaf ",
        history.current().announced_at_leaf,
        " has no handover checkpoint yet (it needs the previous key's "
        "signature too); ",
        finish));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Ledger::SignAndStoreLocked(
    const CheckpointFields& fields,
    const std::vector<const note::NoteSigner*>& signers,
    const std::vector<std::string>& signed_state_paths) {
  for (const std::string& path : signed_state_paths) {
    ASSIGN_OR_RETURN(std::optional<SignedState> last, ReadSignedState(path));
    if (!last.has_value()) continue;
    if (last->size > fields.size) {
      return absl::FailedPreconditionError(
          absl::StrCat("refusing to sign size ", fields.size, ": the log key (",
                       path, ") already signed size ", last->size,
                       " (was the database restored from an old backup?)"));
    }
    if (last->size == fields.size && last->root != fields.root) {
      return absl::DataLossError(absl::StrCat(
          "refusing to sign a second root for size ", fields.size,
          ": the tree does not match what the log key (", path, ") signed"));
    }
  }
  note::Checkpoint body{fields.origin, fields.size, fields.root};
  const std::string text = note::FormatCheckpointBody(body);
  std::string note;
  for (const note::NoteSigner* signer : signers) {
    ASSIGN_OR_RETURN(std::string part, note.empty()
                                           ? signer->Sign(text)
                                           : signer->SignatureLine(text));
    note += part;
  }
  // Record what is about to be signed first: if we crash after this, the next
  // open finds the same (size, root) in the tree and may sign it again.
  for (const std::string& path : signed_state_paths) {
    RETURN_IF_ERROR(
        WriteSignedState(path, {origin_, fields.size, fields.root}));
  }
  storage::Batch batch;
  batch.Put(storage::Family::kMeta, keys::kLatestCheckpoint, note);
  batch.Put(storage::Family::kMeta, keys::CheckpointAt(fields.size), note);
  RETURN_IF_ERROR(store_->Write(&batch));
  latest_checkpoint_ = note;
  latest_checkpoint_size_ = fields.size;
  return note;
}

absl::StatusOr<std::string> Ledger::PublishCheckpoint() {
  absl::MutexLock lock(&checkpoint_mu_);
  const CheckpointFields fields = CurrentTree();
  if (!latest_checkpoint_.empty() && latest_checkpoint_size_ == fields.size) {
    return latest_checkpoint_;
  }
  RETURN_IF_ERROR(CheckCanPublishLocked());
  return SignAndStoreLocked(fields, {checkpoint_signer_.get()},
                            {signed_state_path_});
}

}  // namespace ledger
