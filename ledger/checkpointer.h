// Checkpointer: the signing side of a ledger. It holds the log key, signs
// and stores C2SP checkpoints of the committed tree, and rotates the log
// key. The log never signs a checkpoint inconsistent with one it signed
// before: each log key's last signed (size, root) is kept in its
// signed-state file (signed_state.h), checked first and recorded before the
// new note is stored. One of the three parts of a Ledger (ledger.h); it
// reads the tree from the StoredLog and appends a rotation's LogKey through
// the Sequencer.
//
// Thread-safe. Lock order (ledger/README.md): checkpoint_mu_ → the
// StoredLog's (leaf) locks. checkpoint_mu_ is never held while calling the
// Sequencer (RotateLogKey appends first, then takes it), and the Sequencer
// never takes it.
#ifndef LEDGER_CHECKPOINTER_H_
#define LEDGER_CHECKPOINTER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/ledger_options.h"
#include "ledger/note/signed_note.h"
#include "ledger/sequencer.h"
#include "ledger/storage/store.h"
#include "ledger/stored_log.h"

namespace ledger {

// The checkpoint signer for the log key file options.log_key_path (made
// for the log named in `store`'s meta); null when the ledger opens
// read-only or the file is absent. The file's own errors otherwise.
absl::StatusOr<std::unique_ptr<note::NoteSigner>> LoadCheckpointSigner(
    const storage::Store& store, const LedgerOptions& options);

class Checkpointer {
 public:
  // Takes `signer` (may be null: then nothing can be published) for `log`
  // and `sequencer` (not owned; both must outlive it), and checks it:
  // kFailedPrecondition when it holds a key that was never this log's log
  // key, or when checkpoints are stored and its signed state is missing
  // (deleted, or an old folder restored without it: signing again could
  // fork the log); kDataLoss when the signed state is ahead of the stored
  // tree or names another root. A retired or previous log key is accepted
  // (reads work; PublishCheckpoint refuses: see CheckCanPublish).
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Create(
      const LedgerOptions& options, StoredLog* log, Sequencer* sequencer,
      std::unique_ptr<note::NoteSigner> signer);

  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Signs and stores a checkpoint for the current tree, unless the latest
  // checkpoint already covers it; returns the latest signed note.
  // kFailedPrecondition when CheckCanPublish fails, or when signing would
  // contradict the last signed state (a restored old backup).
  absl::StatusOr<std::string> PublishCheckpoint();

  // OK when PublishCheckpoint can sign: a log key is loaded, it is the
  // current log key, and no rotation waits for its handover checkpoint.
  // Otherwise kFailedPrecondition naming both keys' note key ids and what to
  // do (e.g. finish a half-done rotation with `ledgerctl rotate-log-key`).
  absl::Status CheckCanPublish() const;

  // Rotates the log key to `new_key` (ledger/FORMAT.md, "Log-key rotation"):
  // appends `log_key_envelope` (an admin-signed KeyEvent whose LogKey
  // announces new_key's public key; durable), then publishes the handover
  // checkpoint signed by the loaded (previous) key and by new_key, recording
  // it in both keys' signed-state files, and then signs later checkpoints
  // with new_key (whose file is `new_key_path`; its signed state is
  // SignedStatePath(new_key_path)). Returns the handover note.
  // Re-running after a crash completes the rotation: when new_key is already
  // the current log key, the envelope is not appended again (it may be
  // empty) and only the missing handover is published; when the handover is
  // already stored, it is returned. Errors: kFailedPrecondition (read-only,
  // no key loaded, the loaded key is not the current one — or, to finish a
  // rotation, the previous one — the envelope does not announce new_key, or
  // a LogKey refusal: key already used, enrolled as a signing key), plus
  // Sequencer::Append's errors for the envelope.
  absl::StatusOr<std::string> RotateLogKey(
      absl::string_view log_key_envelope,
      std::unique_ptr<crypto::SigningKey> new_key,
      const std::string& new_key_path);

 private:
  Checkpointer(const LedgerOptions& options, StoredLog* log,
               Sequencer* sequencer)
      : options_(options), log_(log), sequencer_(sequencer) {}
  // The open-time checks of Create, for a loaded signer.
  absl::Status CheckLoadedKey() const;
  absl::Status CheckSignedState() const;
  // CheckCanPublish for a caller holding checkpoint_mu_.
  absl::Status CheckCanPublishLocked() const
      ABSL_SHARED_LOCKS_REQUIRED(checkpoint_mu_);
  // The loaded key, if any.
  std::optional<crypto::PublicKey> LoadedKey() const;
  // Checks `fields` against each signed-state file (sizes only grow, one root
  // per size), records it in each, then signs it with every signer (in
  // order, one signature line each) and stores it as the latest checkpoint.
  absl::StatusOr<std::string> SignAndStoreLocked(
      const CheckpointFields& fields,
      const std::vector<const note::NoteSigner*>& signers,
      const std::vector<std::string>& signed_state_paths)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(checkpoint_mu_);

  const LedgerOptions options_;
  StoredLog* const log_;
  Sequencer* const sequencer_;

  mutable absl::Mutex checkpoint_mu_;
  // Signs checkpoints with the loaded log key; null when no key is loaded.
  // Replaced only by RotateLogKey.
  std::unique_ptr<note::NoteSigner> signer_ ABSL_GUARDED_BY(checkpoint_mu_);
  std::string signed_state_path_ ABSL_GUARDED_BY(checkpoint_mu_);
  std::string log_key_path_ ABSL_GUARDED_BY(checkpoint_mu_);
};

}  // namespace ledger

#endif  // LEDGER_CHECKPOINTER_H_
