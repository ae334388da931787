// Sequencer: the write path of a ledger. It owns the key registry and the
// group commit: Append() validates each envelope through the one admission
// rule (admission.h), assigns leaf indices and the integration time, and
// returns only after the entries are durable. Concurrent callers are
// group-committed: one caller leads and writes everyone's entries in one
// synced WriteBatch. Signatures are verified in the callers' threads, so
// verification scales with cores. After each durable write it advances the
// StoredLog it shares (tree, indexes, log-key history). One of the three
// parts of a Ledger (ledger.h).
//
// Thread-safe. Lock order (ledger/README.md): queue_mu_ is never held with
// another lock; registry_mu_ → verify_keys_mu_, and registry_mu_ → the
// StoredLog's (leaf) locks. It never takes the Checkpointer's lock.
#ifndef LEDGER_SEQUENCER_H_
#define LEDGER_SEQUENCER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "ledger/free_space_floor.h"
#include "ledger/key_registry.h"
#include "ledger/ledger_options.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/stored_log.h"

namespace ledger {

class AppendPipeline;

class Sequencer {
 public:
  // Loads the key registry of `log` (not owned; must outlive the sequencer)
  // and the last integration time. kDataLoss when a stored key record or
  // the log-key history is malformed.
  static absl::StatusOr<std::unique_ptr<Sequencer>> Create(
      const LedgerOptions& options, common::Clock* clock, StoredLog* log);

  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Appends envelopes (encoded per FORMAT.md), in order. Returns one result
  // per envelope; entries that fail validation are not appended and do not
  // affect the others. Error codes: kInvalidArgument (malformed envelope or
  // key event), kUnauthenticated (bad signature), kPermissionDenied (unknown
  // or revoked key, role not allowed), kFailedPrecondition (sequence gap, or
  // read-only ledger), kAlreadyExists (sequence reused with other bytes),
  // kUnavailable / kDataLoss (storage failed: nothing of the group was
  // acknowledged), kResourceExhausted (free space below
  // LedgerOptions::min_free_bytes: nothing appended).
  // LogKey events announcing a new key are refused with kFailedPrecondition:
  // rotation needs the new secret key (Checkpointer::RotateLogKey).
  std::vector<AppendResult> Append(absl::Span<const std::string> envelopes);

  // Append() of one envelope that may announce a new log key: for
  // Checkpointer::RotateLogKey only, which holds the new secret key.
  AppendResult AppendLogKeyAnnouncement(const std::string& envelope);

  std::vector<KeyInfo> Keys() const;
  std::optional<KeyInfo> FindKey(const crypto::KeyId& id) const;

  // At open, for writing: records the `simulated_clock` mark (the tree size
  // now) unless the ledger already carries it.
  absl::Status MarkSimulatedClock();
  // At open, for writing: appends trust the key registry and sign on top of
  // the newest leaves, so both are checked against the leaves
  // (derived_state_check.h). kDataLoss naming the difference.
  absl::Status CheckDerivedState() const;

 private:
  // The asynchronous front end (append_pipeline.h): verifies with
  // PrepareOne on its own workers and commits through Commit.
  friend class AppendPipeline;

  // One envelope on its way into the log.
  struct Prepared {
    const std::string* bytes = nullptr;
    entry::Envelope envelope;
    // Set when parsing or pre-verification already failed.
    absl::Status early_error;
    // True when the signature was verified (before the commit) with a
    // known key.
    bool verified = false;
    // True only for RotateLogKey's LogKey envelope.
    bool allow_rotation = false;
    AppendResult* result = nullptr;
  };
  // One unit of the group-commit queue: an Append() call, or a run of
  // pipeline batches. Never split across groups.
  struct Writer {
    std::vector<Prepared> items;
    bool done = false;
    absl::CondVar cv;
  };
  struct Group;

  Sequencer(const LedgerOptions& options, common::Clock* clock, StoredLog* log)
      : options_(options), clock_(clock), log_(log) {}
  // The durable key registry, as stored in the keys family.
  absl::StatusOr<KeyRegistry> ReadRegistry() const;
  std::vector<AppendResult> AppendImpl(absl::Span<const std::string> envelopes,
                                       bool allow_rotation);
  // Parses `bytes` and, when its key is known, verifies its signature (in
  // the caller's thread). `bytes` must outlive `out`.
  void PrepareOne(const std::string& bytes, Prepared* out) const;
  // OK when appends may be tried now; else the status every entry gets
  // (kFailedPrecondition read-only, kResourceExhausted below the floor).
  absl::Status CheckWritable();
  // Queues `w` for group commit and returns once it is committed (by this
  // thread as the leader, or by another): each item's result is then set.
  void Commit(Writer& w);
  // The leader's part: admits, stages and writes a group of writers.
  void CommitGroup(std::vector<Writer*>& group);
  // Admits `item` into `group` (its result says why not), staging its leaf.
  void AdmitItem(Prepared& item, Group& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(registry_mu_);
  // Answers a used (key, sequence): the original receipt for the same
  // bytes, kAlreadyExists for other bytes.
  void AnswerUsedSequence(Prepared& item, Group& group) const
      ABSL_SHARED_LOCKS_REQUIRED(registry_mu_);
  // Checks a LogKey announcement beyond KeyRegistry::ValidateKeyEvent: the
  // genesis one must announce the key the ledger was created with; later
  // ones only through RotateLogKey (allow_rotation).
  absl::Status CheckLogKeyAnnouncement(const aifl::ledger::v1::LogKey& log_key,
                                       bool allow_rotation) const
      ABSL_SHARED_LOCKS_REQUIRED(registry_mu_);
  // Writes the group's batch (with the registry's changes) and, once
  // durable, advances the StoredLog; on failure, fails the group's results
  // and reloads the registry.
  void WriteGroup(Group& group) ABSL_EXCLUSIVE_LOCKS_REQUIRED(registry_mu_);

  const LedgerOptions options_;
  common::Clock* const clock_;
  StoredLog* const log_;
  // Null when there is no floor or the ledger is read-only.
  std::unique_ptr<FreeSpaceFloor> free_space_;
  int64_t last_time_micros_ = 0;  // leader only

  // Writers queue for group commit; the front writer leads.
  absl::Mutex queue_mu_;
  std::deque<Writer*> writers_ ABSL_GUARDED_BY(queue_mu_);

  // The key registry: read by callers pre-verifying, written by the leader.
  mutable absl::Mutex registry_mu_;
  KeyRegistry registry_ ABSL_GUARDED_BY(registry_mu_);
  // The public key of every registered key whose record is durable, for
  // callers pre-verifying signatures. The leader holds registry_mu_ across
  // its synced write; a separate mutex lets callers verify meanwhile. Only
  // grows (a key id names one public key for ever); revocation and roles are
  // still checked by the leader against registry_.
  mutable absl::Mutex verify_keys_mu_;
  absl::flat_hash_map<crypto::KeyId, crypto::PublicKey> verify_keys_
      ABSL_GUARDED_BY(verify_keys_mu_);
};

}  // namespace ledger

#endif  // LEDGER_SEQUENCER_H_
