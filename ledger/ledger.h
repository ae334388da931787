// The ledger: an append-only log of signed entries with an RFC 6962 Merkle
// tree and signed C2SP checkpoints, stored in RocksDB.
//
// Append() validates each envelope (signature, key known and not revoked,
// role allowed, per-key sequence contiguous, idempotent retries), assigns
// leaf indices and the integration time, and returns only after the entries
// are durable. Concurrent callers are group-committed: one caller leads and
// writes everyone's entries in one synced WriteBatch. Signatures are verified
// in the callers' threads, so verification scales with cores.
//
// Thread-safe. Readers (proofs, leaves) run concurrently with appends.
#ifndef LEDGER_LEDGER_H_
#define LEDGER_LEDGER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "ledger/commit_observer.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/entry/leaf.h"
#include "ledger/free_space_floor.h"
#include "ledger/index_runs.h"
#include "ledger/key_registry.h"
#include "ledger/log_key_history.h"
#include "ledger/merkle/fold_memo.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/note/signed_note.h"
#include "ledger/storage/store.h"
#include "ledger/tree_state.h"

namespace ledger {

struct LedgerOptions {
  // The ledger folder (made by InitLedger): db/ and keys/.
  std::string dir;
  // Time source for integration times. Not owned. Default: the real clock.
  common::Clock* clock = nullptr;
  // Open for reading only (works while a server holds the ledger). Default:
  // false.
  bool read_only = false;
  // The log's checkpoint signing key. Default: <dir>/keys/log.key. When the
  // file is absent the ledger still opens but cannot publish checkpoints.
  std::string log_key_path;
  // Where the signed state of each log key is kept (see SignedStatePath).
  // Keep it outside the ledger folder and its backups, so that restoring an
  // old copy of the folder cannot also restore an old signed state. Default:
  // "" (beside the log key, <log key path>.signed-state).
  std::string signed_state_dir;
  // The most entries one group commit writes. Default: 8192.
  size_t max_group_entries = 8192;
  // Memory for complete tree blocks (16 KiB per 256 leaves), most recent
  // first, so inclusion proofs skip RocksDB. The default 1 GiB covers the
  // last 16.7M leaves: every proof of a 10M-entry ledger (610 MiB) is served
  // from memory (~175–300k proofs/s per core, vs 77–140k/s with 256 MiB).
  // Filled only as blocks complete and as proofs read them, so a small log,
  // or a tool that reads little, uses little of it.
  size_t tree_cache_bytes = size_t{1} << 30;
  // Appends are refused (kResourceExhausted) while the filesystem holding
  // `dir` has less than this many bytes free (see free_space_floor.h), not
  // counting the space that flushing the memtables will take; reads go on.
  // 0 = no floor. Default: 0 (the server sets --min_free_mb).
  uint64_t min_free_bytes = 0;
  // Appends whose leaf would be longer than this are refused
  // (kInvalidArgument naming the limit). Default: entry::kMaxLeafSize, the
  // tlog-tiles limit; tests raise it to make a ledger like those written
  // before the limit existed.
  size_t max_leaf_bytes = entry::kMaxLeafSize;
  // How often the free space is measured at most. Default: 100 ms.
  absl::Duration free_space_recheck = absl::Milliseconds(100);
  // Measures the free bytes; tests inject it. Default: statvfs of `dir`
  // less Store::UnflushedBytes().
  std::function<absl::StatusOr<uint64_t>()> free_space_probe;
  // Leaves whose index keys are written together, as sorted runs (see
  // index_runs.h). Tests make it small.
  uint64_t index_run_leaves = IndexRuns::kDefaultRunLeaves;
  // The clock is simulated (tools/factory_sim, demos, tests), not a real
  // clock. Opened for writing with it, the ledger records the meta value
  // `simulated_clock` (the tree size then) unless already present; the mark
  // is sticky: opening later with false keeps it. Read-only opens ignore
  // it. Default: false.
  bool simulated_clock = false;
  // Told about every group commit (metrics). Not owned; must outlive the
  // ledger. Default: none.
  CommitObserver* commit_observer = nullptr;
  storage::StoreOptions store_options;
};

// The outcome of appending one envelope.
struct AppendResult {
  absl::Status status;  // OK: durable at leaf_index
  uint64_t leaf_index = 0;
  int64_t integration_time_micros = 0;
  // True when this (key, sequence, bytes) was already in the log: the result
  // is the original receipt and nothing was appended.
  bool duplicate = false;
};

// Paths inside a ledger folder.
std::string DbPath(const std::string& dir);

// The `simulated_clock` meta value of a ledger database: the tree size when
// it was marked as written under a simulated clock, or nullopt for a ledger
// whose integration times come from a real clock. kDataLoss when the value
// is not 8 bytes.
absl::StatusOr<std::optional<uint64_t>> ReadSimulatedClockMark(
    const storage::Store& store);
std::string KeysPath(const std::string& dir);
std::string DefaultLogKeyPath(const std::string& dir);
std::string DefaultAdminKeyPath(const std::string& dir);
// The signed-state file of the log key in `log_key_path`: beside it
// (`<log_key_path>.signed-state`) when `signed_state_dir` is empty, else
// `<signed_state_dir>/<file name of log_key_path>.signed-state`.
std::string SignedStatePath(const std::string& log_key_path,
                            const std::string& signed_state_dir = "");

class Ledger {
 public:
  // Opens an existing ledger and checks it: the latest checkpoint's signature
  // (by the log key for its size), and that the stored tree reproduces the
  // latest checkpoint's root and the last signed root beside the log key.
  // kDataLoss (and no ledger) when any check fails; kNotFound when there is
  // no ledger in options.dir; kFailedPrecondition when the log key file holds
  // a key that was never this ledger's log key, or when a log key is loaded,
  // checkpoints are stored and its signed state is missing (deleted, or an
  // old folder restored without it: signing again could fork the log). A
  // retired or previous log key opens (reads work; PublishCheckpoint refuses:
  // see CheckCanPublish).
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  ~Ledger();

  // Appends envelopes (encoded per FORMAT.md), in order. Returns one result
  // per envelope; entries that fail validation are not appended and do not
  // affect the others. Error codes: kInvalidArgument (malformed envelope or
  // key event), kUnauthenticated (bad signature), kPermissionDenied (unknown
  // or revoked key, role not allowed), kFailedPrecondition (sequence gap, or
  // read-only ledger), kAlreadyExists (sequence reused with other bytes),
  // kUnavailable / kDataLoss (storage failed: nothing of the group was
  // acknowledged), kResourceExhausted (free space below
  // LedgerOptions::min_free_bytes: nothing appended).
  std::vector<AppendResult> Append(absl::Span<const std::string> envelopes);
  // LogKey events announcing a new key are refused by Append with
  // kFailedPrecondition: rotation needs the new secret key (RotateLogKey).

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
  // Append's errors for the envelope.
  absl::StatusOr<std::string> RotateLogKey(
      absl::string_view log_key_envelope,
      std::unique_ptr<crypto::SigningKey> new_key,
      const std::string& new_key_path);

  // The latest signed checkpoint note. kNotFound before the first.
  absl::StatusOr<std::string> LatestCheckpoint() const;
  // A stored checkpoint note for exactly `size`. kNotFound when none.
  absl::StatusOr<std::string> CheckpointAt(uint64_t size) const;

  uint64_t Size() const;
  const std::string& origin() const { return origin_; }
  // Set when the ledger's integration times follow a simulated clock
  // (LedgerOptions::simulated_clock, now or at any earlier open): the tree
  // size when it was marked.
  std::optional<uint64_t> simulated_clock_since() const {
    return simulated_clock_since_;
  }
  // The current log key: the signer of the next checkpoint.
  crypto::PublicKey log_public_key() const;
  // The note verifier key of the current log key.
  std::string VerifierKey() const;
  // Every log key with the leaf that announced it, oldest first.
  LogKeyHistory LogKeys() const;
  // Verifies a checkpoint note of this log with the log key for its size
  // (see LogKeyHistory::VerifyCheckpoint; the handover's second signature
  // is the audit's business). kUnauthenticated / kInvalidArgument.
  absl::StatusOr<CheckpointFields> VerifyCheckpointNote(
      absl::string_view note) const;
  // The size of the first stored checkpoint larger than `leaf` (for a
  // LogKey announced at `leaf`: its handover checkpoint); std::nullopt when
  // none is stored yet.
  absl::StatusOr<std::optional<uint64_t>> FirstCheckpointAfter(
      uint64_t leaf) const;
  // The sizes of stored checkpoints larger than `after`, ascending, at most
  // `max` of them (for listing every published checkpoint page by page).
  absl::StatusOr<std::vector<uint64_t>> CheckpointSizesAfter(uint64_t after,
                                                             size_t max) const;

  // The exact leaf bytes at `index` (what the tree hashes). kOutOfRange
  // beyond the tree.
  absl::StatusOr<std::string> GetLeaf(uint64_t index) const;
  // Leaves [start, start + count), count ≤ 1000.
  absl::StatusOr<std::vector<std::string>> GetLeaves(uint64_t start,
                                                     uint64_t count) const;
  // The leaf index whose leaf hash is `leaf_hash`. kNotFound when none.
  absl::StatusOr<uint64_t> FindLeafByHash(const merkle::Hash& leaf_hash) const;

  // RFC 6962 proofs against the tree of `size` leaves (size ≤ Size()).
  absl::StatusOr<std::vector<merkle::Hash>> InclusionProof(uint64_t index,
                                                           uint64_t size) const;
  absl::StatusOr<std::vector<merkle::Hash>> ConsistencyProof(
      uint64_t size1, uint64_t size2) const;
  absl::StatusOr<merkle::Hash> RootAt(uint64_t size) const;
  // Perfect nodes of the committed tree (as merkle::NodeReader::ReadNodes),
  // for serving hash tiles. A perfect node never changes once it exists, so
  // nodes within any published size are stable. kInvalidArgument for a node
  // beyond the tree; kDataLoss when a stored node is missing.
  absl::StatusOr<std::vector<merkle::Hash>> ReadTreeNodes(
      absl::Span<const merkle::NodeId> ids) const;

  std::vector<KeyInfo> Keys() const;
  std::optional<KeyInfo> FindKey(const crypto::KeyId& id) const;

  // A consistent copy of the database in `out_dir` (see Store::Snapshot).
  absl::Status Snapshot(const std::string& out_dir) const;

  // OK while storage can write; the storage error that recovery could not
  // clear otherwise (storage::Store::failure()): every append now fails, and
  // a server should report NOT_SERVING and exit.
  absl::Status StorageFailure() const { return store_->failure(); }

  const storage::Store& store() const { return *store_; }
  size_t MemoryBytes() const;
  // Node reads of complete tree blocks served by the recent-block cache
  // (LedgerOptions::tree_cache_bytes) and from storage, since open.
  TreeState::CacheStats TreeCacheStats() const;

 private:
  struct Prepared;
  struct Writer;

  Ledger() = default;
  std::vector<AppendResult> AppendImpl(absl::Span<const std::string> envelopes,
                                       bool allow_rotation);
  // Checks a LogKey announcement beyond KeyRegistry::ValidateKeyEvent: the
  // genesis one must announce the key the ledger was created with; later ones
  // only through RotateLogKey.
  absl::Status CheckLogKeyAnnouncement(const aifl::ledger::v1::LogKey& log_key,
                                       bool allow_rotation) const
      ABSL_SHARED_LOCKS_REQUIRED(registry_mu_);
  // CheckCanPublish for a caller holding checkpoint_mu_.
  absl::Status CheckCanPublishLocked() const
      ABSL_SHARED_LOCKS_REQUIRED(checkpoint_mu_);
  // Checks `fields` against each signed-state file (sizes only grow, one root
  // per size), records it in each, then signs it with every signer (in
  // order, one signature line each) and stores it as the latest checkpoint.
  absl::StatusOr<std::string> SignAndStoreLocked(
      const CheckpointFields& fields,
      const std::vector<const note::NoteSigner*>& signers,
      const std::vector<std::string>& signed_state_paths)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(checkpoint_mu_);
  CheckpointFields CurrentTree() const;
  absl::Status LoadState();
  absl::Status CheckOpenInvariants();
  // The durable key registry, as stored in the keys family.
  absl::StatusOr<KeyRegistry> ReadRegistry() const;
  void CommitGroup(std::vector<Writer*>& group);
  void PrepareOne(const std::string& bytes, Prepared* out) const;

  LedgerOptions options_;
  common::Clock* clock_ = nullptr;
  std::string origin_;
  std::optional<uint64_t> simulated_clock_since_;  // set in Open
  std::unique_ptr<storage::Store> store_;
  // Null when there is no floor or the ledger is read-only.
  std::unique_ptr<FreeSpaceFloor> free_space_;
  // Signs checkpoints with the loaded log key; null when no key is loaded.
  // Replaced only by RotateLogKey, under checkpoint_mu_.
  std::unique_ptr<note::NoteSigner> checkpoint_signer_
      ABSL_GUARDED_BY(checkpoint_mu_);
  std::string signed_state_path_ ABSL_GUARDED_BY(checkpoint_mu_);
  std::string log_key_path_ ABSL_GUARDED_BY(checkpoint_mu_);

  // The log-key history as durable (a copy of registry_'s, updated after each
  // durable write), and the key the ledger was created with, which is current
  // until the genesis LogKey is appended.
  mutable absl::Mutex log_keys_mu_;
  LogKeyHistory log_keys_ ABSL_GUARDED_BY(log_keys_mu_);
  std::optional<crypto::PublicKey> created_log_key_;

  // Writers queue for group commit; the front writer leads.
  absl::Mutex queue_mu_;
  std::deque<Writer*> writers_ ABSL_GUARDED_BY(queue_mu_);

  // The key registry: read by callers pre-verifying, written by the leader.
  mutable absl::Mutex registry_mu_;
  KeyRegistry registry_ ABSL_GUARDED_BY(registry_mu_);
  // The public key of every registered key whose record is durable, for
  // callers pre-verifying signatures. The leader holds registry_mu_ across its
  // synced write; a separate mutex lets callers verify meanwhile. Only grows
  // (a key id names one public key for ever); revocation and roles are still
  // checked by the leader against registry_.
  mutable absl::Mutex verify_keys_mu_;
  absl::flat_hash_map<crypto::KeyId, crypto::PublicKey> verify_keys_
      ABSL_GUARDED_BY(verify_keys_mu_);

  // The committed tree: read by proofs, written by the leader after a
  // durable write.
  mutable absl::Mutex tree_mu_;
  std::unique_ptr<TreeState> tree_ ABSL_GUARDED_BY(tree_mu_);
  // Right-edge subtrees that proofs fold (shared by most proofs against one
  // size); thread-safe on its own.
  mutable merkle::FoldMemo proof_folds_;
  // (key, sequence) → leaf and leaf hash → leaf; set on open, thread-safe
  // on its own.
  std::unique_ptr<IndexRuns> indexes_;
  int64_t last_time_micros_ = 0;  // leader only

  mutable absl::Mutex checkpoint_mu_;
  std::string latest_checkpoint_ ABSL_GUARDED_BY(checkpoint_mu_);
  uint64_t latest_checkpoint_size_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;
};

}  // namespace ledger

#endif  // LEDGER_LEDGER_H_
