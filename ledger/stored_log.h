// StoredLog: the read-only view of one ledger's storage — leaves, the
// committed Merkle tree (proofs, roots, the perfect nodes hash tiles are cut
// from), stored checkpoints, and the log-key history that verifies them. One
// of the three parts of a Ledger (ledger.h), beside the Sequencer, which
// appends, and the Checkpointer, which signs.
//
// It serves what the local storage holds. Loading checks the latest stored
// checkpoint against its log key and the stored tree; the full check of every
// leaf is the audit's (audit.h). It is the server side of reading: the
// client-side api::client::LogReader (api/client/log_reader.h) verifies every
// answer against a trusted checkpoint, and its local-folder implementation
// reads a Ledger opened read-only, that is, this class.
//
// Nobody can change it through its public interface. Its only writers are its
// two friends, after their own durable writes: the Sequencer (tree, indexes,
// log-key history, the simulated-clock mark) and the Checkpointer (the latest
// checkpoint).
//
// Thread-safe; reads run concurrently with appends. Its three mutexes
// (tree_mu_, log_keys_mu_, latest_mu_) are leaves of the ledger's lock order
// (ledger/README.md): none is held while any other lock is taken.
#ifndef LEDGER_STORED_LOG_H_
#define LEDGER_STORED_LOG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/index_runs.h"
#include "ledger/ledger_options.h"
#include "ledger/log_key_history.h"
#include "ledger/merkle/fold_memo.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/storage/store.h"
#include "ledger/tree_state.h"

namespace ledger {

// The `simulated_clock` meta value of a ledger database: the tree size when
// it was marked as written under a simulated clock, or nullopt for a ledger
// whose integration times come from a real clock. kDataLoss when the value
// is not 8 bytes.
absl::StatusOr<std::optional<uint64_t>> ReadSimulatedClockMark(
    const storage::Store& store);

class StoredLog {
 public:
  // Loads the log in `store` (opened by the caller for options.dir): origin,
  // tree, indexes, log-key history and latest checkpoint, and checks that
  // checkpoint: signed by the log key for its size, within the tree, and
  // the stored tree's root at its size. `loaded_log_key` is the public key
  // of the log key file the caller loaded, if any: a ledger written before
  // the creation key was stored in the database takes it as that key.
  // kDataLoss when a check fails or the database is not a ledger.
  static absl::StatusOr<std::unique_ptr<StoredLog>> Load(
      std::unique_ptr<storage::Store> store, const LedgerOptions& options,
      const std::optional<crypto::PublicKey>& loaded_log_key);

  StoredLog(const StoredLog&) = delete;
  StoredLog& operator=(const StoredLog&) = delete;

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

  // The latest signed checkpoint note. kNotFound before the first.
  absl::StatusOr<std::string> LatestCheckpoint() const;
  // The size of the latest signed checkpoint; 0 before the first.
  uint64_t LatestCheckpointSize() const;
  // A stored checkpoint note for exactly `size`. kNotFound when none.
  absl::StatusOr<std::string> CheckpointAt(uint64_t size) const;
  // The size of the first stored checkpoint larger than `leaf` (for a
  // LogKey announced at `leaf`: its handover checkpoint); std::nullopt when
  // none is stored yet.
  absl::StatusOr<std::optional<uint64_t>> FirstCheckpointAfter(
      uint64_t leaf) const;
  // The sizes of stored checkpoints larger than `after`, ascending, at most
  // `max` of them (for listing every published checkpoint page by page).
  absl::StatusOr<std::vector<uint64_t>> CheckpointSizesAfter(uint64_t after,
                                                             size_t max) const;
  // The origin, size and root of the committed tree, read together.
  CheckpointFields CurrentTree() const;

  // The exact leaf bytes at `index` (what the tree hashes). kOutOfRange
  // beyond the tree.
  absl::StatusOr<std::string> GetLeaf(uint64_t index) const;
  // The most leaves one GetLeaves reads.
  static constexpr uint64_t kMaxLeavesPerRead = 1000;
  // Leaves [start, start + count), count ≤ kMaxLeavesPerRead.
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
  // for serving hash tiles (ledger/tiles). A perfect node never changes once
  // it exists, so nodes within any published size are stable.
  // kInvalidArgument for a node beyond the tree; kDataLoss when a stored
  // node is missing.
  absl::StatusOr<std::vector<merkle::Hash>> ReadTreeNodes(
      absl::Span<const merkle::NodeId> ids) const;

  // A consistent copy of the database in `out_dir` (see Store::Snapshot).
  absl::Status Snapshot(const std::string& out_dir) const;
  // OK while storage can write; the storage error that recovery could not
  // clear otherwise (storage::Store::failure()).
  absl::Status StorageFailure() const { return store_->failure(); }
  const storage::Store& store() const { return *store_; }
  // Memory of the tree caches and the in-memory indexes.
  size_t MemoryBytes() const;
  // Node reads of complete tree blocks served by the recent-block cache
  // (LedgerOptions::tree_cache_bytes) and from storage, since open.
  TreeState::CacheStats TreeCacheStats() const;

 private:
  friend class Sequencer;
  friend class Checkpointer;

  StoredLog() = default;
  absl::Status LoadLatestCheckpoint();

  // For the Sequencer and Checkpointer only (see the file comment).
  storage::Store& mutable_store() { return *store_; }
  IndexRuns& indexes() { return *indexes_; }
  // The key the ledger was created with: current until the genesis LogKey.
  const crypto::PublicKey& created_log_key() const { return *created_log_key_; }
  // TreeState::StageAppend / Apply on the committed tree.
  PendingAppend StageAppend(absl::Span<const merkle::Hash> leaf_hashes,
                            storage::Batch* batch) const;
  void ApplyAppend(PendingAppend pending);
  // CheckNewestLeaves (derived_state_check.h) on the committed tree.
  absl::Status CheckNewestLeaves(uint64_t count) const;
  void SetLogKeys(LogKeyHistory history);
  void SetLatestCheckpoint(std::string note, uint64_t size);
  // REQUIRES: the ledger is still opening (not shared yet).
  void set_simulated_clock_since(uint64_t size) {
    simulated_clock_since_ = size;
  }

  std::string origin_;
  std::unique_ptr<storage::Store> store_;
  // (key, sequence) → leaf and leaf hash → leaf; thread-safe on its own.
  std::unique_ptr<IndexRuns> indexes_;
  std::optional<crypto::PublicKey> created_log_key_;  // set by Load

  // The committed tree: read by proofs, advanced by the Sequencer after a
  // durable write.
  mutable absl::Mutex tree_mu_;
  std::unique_ptr<TreeState> tree_ ABSL_GUARDED_BY(tree_mu_);
  // Right-edge subtrees that proofs fold (shared by most proofs against one
  // size); thread-safe on its own.
  mutable merkle::FoldMemo proof_folds_;

  // Set by Load, and by the Sequencer while the ledger opens (before it is
  // shared).
  std::optional<uint64_t> simulated_clock_since_;

  // The log-key history as durable (the Sequencer's registry's copy, updated
  // after each durable write).
  mutable absl::Mutex log_keys_mu_;
  LogKeyHistory log_keys_ ABSL_GUARDED_BY(log_keys_mu_);

  mutable absl::Mutex latest_mu_;
  std::string latest_checkpoint_ ABSL_GUARDED_BY(latest_mu_);
  uint64_t latest_checkpoint_size_ ABSL_GUARDED_BY(latest_mu_) = 0;
};

}  // namespace ledger

#endif  // LEDGER_STORED_LOG_H_
