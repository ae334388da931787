// Checkpointer: loading and checking the log key, and publishing
// checkpoints. The log never signs a checkpoint inconsistent with one it
// signed before: the last signed (size, root) is kept beside the log key and
// checked first, then recorded before the new note is stored. Rotation is in
// checkpointer_rotate.cc.
#include "ledger/checkpointer.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/crypto/key_file.h"
#include "ledger/note/checkpoint.h"
#include "ledger/signed_state.h"
#include "ledger/storage_keys.h"

namespace ledger {

absl::StatusOr<std::unique_ptr<note::NoteSigner>> LoadCheckpointSigner(
    const storage::Store& store, const LedgerOptions& options) {
  if (options.read_only) return nullptr;
  auto key = crypto::ReadSecretKeyFile(options.log_key_path);
  if (!key.ok()) {
    if (key.status().code() == absl::StatusCode::kNotFound) return nullptr;
    return key.status();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> origin,
                   store.Get(storage::Family::kMeta, keys::kOrigin));
  return note::NoteSigner::Create(origin.value_or(""), std::move(*key));
}

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Create(
    const LedgerOptions& options, StoredLog* log, Sequencer* sequencer,
    std::unique_ptr<note::NoteSigner> signer) {
  auto checkpointer =
      std::unique_ptr<Checkpointer>(new Checkpointer(options, log, sequencer));
  {
    absl::MutexLock lock(&checkpointer->checkpoint_mu_);
    checkpointer->signer_ = std::move(signer);
    checkpointer->log_key_path_ = options.log_key_path;
    checkpointer->signed_state_path_ =
        SignedStatePath(options.log_key_path, options.signed_state_dir);
  }
  RETURN_IF_ERROR(checkpointer->CheckLoadedKey());
  RETURN_IF_ERROR(checkpointer->CheckSignedState());
  return checkpointer;
}

std::optional<crypto::PublicKey> Checkpointer::LoadedKey() const {
  absl::MutexLock lock(&checkpoint_mu_);
  if (signer_ == nullptr) return std::nullopt;
  return signer_->public_key();
}

absl::Status Checkpointer::CheckLoadedKey() const {
  // A retired or previous log key may be loaded (reads work, and a
  // half-done rotation is finished with it); a key that was never this
  // log's is a configuration mistake.
  const std::optional<crypto::PublicKey> loaded = LoadedKey();
  const crypto::PublicKey current = log_->log_public_key();
  if (loaded.has_value() && *loaded != current &&
      !log_->LogKeys().Contains(*loaded)) {
    const std::string& origin = log_->origin();
    return absl::FailedPreconditionError(absl::StrCat(
        "the log key in ", options_.log_key_path, " (",
        DescribeLogKey(origin, *loaded),
        ") is not this ledger's log key, nor a former one (current: ",
        DescribeLogKey(origin, current), ")"));
  }
  return absl::OkStatus();
}

absl::Status Checkpointer::CheckSignedState() const {
  std::string signed_state_path;
  {
    absl::MutexLock lock(&checkpoint_mu_);
    if (signer_ == nullptr) return absl::OkStatus();
    signed_state_path = signed_state_path_;
  }
  ASSIGN_OR_RETURN(std::optional<SignedState> signed_state,
                   ReadSignedState(signed_state_path));
  const uint64_t size = log_->Size();
  const std::string& origin = log_->origin();
  if (!signed_state.has_value()) {
    if (!log_->LatestCheckpoint().ok()) return absl::OkStatus();  // none yet
    // Checkpoints exist, so the key signed them and recorded each one: a
    // missing file was deleted or left behind by a restore. Signing without
    // it could sign a second root for a size already published.
    return absl::FailedPreconditionError(absl::StrCat(
        "the log key has signed checkpoints of this ledger (latest size ",
        log_->LatestCheckpointSize(), ") but its signed state ",
        signed_state_path,
        " is missing; refusing to sign (the log could fork). Restore the "
        "file from where it is kept (--signed_state_dir), or rebuild it from "
        "the newest checkpoint published anywhere with `ledgerctl "
        "restore-signed-state` (docs/operator-guide.md, \"Restoring\")"));
  }
  if (signed_state->origin != origin) {
    return absl::FailedPreconditionError(
        absl::StrCat(signed_state_path, " belongs to log \"",
                     signed_state->origin, "\", not \"", origin, "\""));
  }
  if (signed_state->size > size) {
    return absl::DataLossError(
        absl::StrCat("the log key already signed a checkpoint of size ",
                     signed_state->size, " but the database holds only ", size,
                     " entries (restored from an old backup?); refusing to "
                     "serve a log that could fork"));
  }
  ASSIGN_OR_RETURN(merkle::Hash root, log_->RootAt(signed_state->size));
  if (root != signed_state->root) {
    return absl::DataLossError(
        absl::StrCat("the stored tree at size ", signed_state->size,
                     " does not match the root the log key signed"));
  }
  return absl::OkStatus();
}

absl::Status Checkpointer::CheckCanPublish() const {
  absl::MutexLock lock(&checkpoint_mu_);
  return CheckCanPublishLocked();
}

absl::Status Checkpointer::CheckCanPublishLocked() const {
  if (signer_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no log key loaded (", log_key_path_, "): cannot sign checkpoints"));
  }
  const LogKeyHistory history = log_->LogKeys();
  const crypto::PublicKey current = log_->log_public_key();
  const crypto::PublicKey& loaded = signer_->public_key();
  const bool handover_pending =
      history.epochs().size() >= 2 &&
      log_->LatestCheckpointSize() <= history.current().announced_at_leaf;
  const std::string finish =
      absl::StrCat("finish the rotation with `ledgerctl rotate-log-key --dir ",
                   options_.dir, " --new-key <the announced key's file>`");
  if (loaded != current) {
    std::string why = absl::StrCat(
        "the loaded log key ", log_key_path_, " (",
        DescribeLogKey(log_->origin(), loaded),
        ") is not the current log key (",
        DescribeLogKey(log_->origin(), current),
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

absl::StatusOr<std::string> Checkpointer::SignAndStoreLocked(
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
        WriteSignedState(path, {log_->origin(), fields.size, fields.root}));
  }
  storage::Batch batch;
  batch.Put(storage::Family::kMeta, keys::kLatestCheckpoint, note);
  batch.Put(storage::Family::kMeta, keys::CheckpointAt(fields.size), note);
  RETURN_IF_ERROR(log_->mutable_store().Write(&batch));
  log_->SetLatestCheckpoint(note, fields.size);
  return note;
}

absl::StatusOr<std::string> Checkpointer::PublishCheckpoint() {
  absl::MutexLock lock(&checkpoint_mu_);
  const CheckpointFields fields = log_->CurrentTree();
  // Only this class stores checkpoints, under checkpoint_mu_: the latest
  // note and its size cannot change between these reads.
  if (absl::StatusOr<std::string> latest = log_->LatestCheckpoint();
      latest.ok() && log_->LatestCheckpointSize() == fields.size) {
    return latest;
  }
  RETURN_IF_ERROR(CheckCanPublishLocked());
  return SignAndStoreLocked(fields, {signer_.get()}, {signed_state_path_});
}

}  // namespace ledger
