// Ledger::PublishCheckpoint. The log never signs a checkpoint inconsistent
// with one it signed before: the last signed (size, root) is kept beside the
// log key and checked first, then recorded before the new note is stored.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/ledger.h"
#include "ledger/signed_state.h"
#include "ledger/storage_keys.h"

namespace ledger {

absl::StatusOr<std::string> Ledger::PublishCheckpoint() {
  if (checkpoint_signer_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no log key loaded (", options_.log_key_path,
                     "): cannot sign checkpoints"));
  }
  absl::MutexLock lock(&checkpoint_mu_);
  CheckpointFields fields{origin_, 0, {}};
  {
    absl::ReaderMutexLock tree_lock(&tree_mu_);
    fields.size = tree_->size();
    fields.root = tree_->Root();
  }
  if (!latest_checkpoint_.empty() && latest_checkpoint_size_ == fields.size) {
    return latest_checkpoint_;
  }
  ASSIGN_OR_RETURN(std::optional<SignedState> last,
                   ReadSignedState(signed_state_path_));
  if (last.has_value()) {
    if (last->size > fields.size) {
      return absl::FailedPreconditionError(
          absl::StrCat("refusing to sign size ", fields.size,
                       ": the log key already signed size ", last->size,
                       " (was the database restored from an old backup?)"));
    }
    if (last->size == fields.size && last->root != fields.root) {
      return absl::DataLossError(
          absl::StrCat("refusing to sign a second root for size ", fields.size,
                       ": the tree does not match what "
                       "the log key signed"));
    }
  }
  ASSIGN_OR_RETURN(std::string note,
                   SignCheckpoint(fields, *checkpoint_signer_));
  // Record what is about to be signed first: if we crash after this, the next
  // open finds the same (size, root) in the tree and may sign it again.
  RETURN_IF_ERROR(WriteSignedState(signed_state_path_,
                                   {origin_, fields.size, fields.root}));
  storage::Batch batch;
  batch.Put(storage::Family::kMeta, keys::kLatestCheckpoint, note);
  batch.Put(storage::Family::kMeta, keys::CheckpointAt(fields.size), note);
  RETURN_IF_ERROR(store_->Write(&batch));
  latest_checkpoint_ = note;
  latest_checkpoint_size_ = fields.size;
  return note;
}

}  // namespace ledger
