// The ledger: an append-only log of signed entries with an RFC 6962 Merkle
// tree and signed C2SP checkpoints, stored in RocksDB.
//
// Ledger is a thin facade over three parts, split the way the data flows
// (as Trillian splits a log):
//   - Sequencer (sequencer.h): the key registry and the group-committed
//     append path;
//   - Checkpointer (checkpointer.h): the log key, signed state, checkpoint
//     publication and log-key rotation;
//   - StoredLog (stored_log.h): read-only leaves, proofs, checkpoints and
//     tree nodes, which the other two advance after their durable writes.
// Open() builds and checks all three; each method below forwards to one of
// them, and callers that need only one part can take it (log(),
// sequencer(), checkpointer()). The lock order across the parts is in
// ledger/README.md.
//
// Thread-safe. Readers (proofs, leaves) run concurrently with appends.
#ifndef LEDGER_LEDGER_H_
#define LEDGER_LEDGER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/checkpointer.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/key_registry.h"
#include "ledger/ledger_options.h"
#include "ledger/log_key_history.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/sequencer.h"
#include "ledger/storage/store.h"
#include "ledger/stored_log.h"

namespace ledger {

class Ledger {
 public:
  // Opens an existing ledger and checks it: the latest checkpoint's signature
  // (by the log key for its size), and that the stored tree reproduces the
  // latest checkpoint's root and the last signed root beside the log key;
  // opened for writing, also the key registry and the newest leaves against
  // the leaves (derived_state_check.h).
  // kDataLoss (and no ledger) when any check fails; kNotFound when there is
  // no ledger in options.dir; kFailedPrecondition when the log key file holds
  // a key that was never this ledger's log key, or when a log key is loaded,
  // checkpoints are stored and its signed state is missing (deleted, or an
  // old folder restored without it: signing again could fork the log). A
  // retired or previous log key opens (reads work; PublishCheckpoint refuses:
  // see CheckCanPublish).
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  ~Ledger();

  // The three parts (see the file comment); valid as long as the Ledger.
  const StoredLog& log() const { return *log_; }
  Sequencer& sequencer() { return *sequencer_; }
  Checkpointer& checkpointer() { return *checkpointer_; }

  // Writing: Sequencer::Append.
  std::vector<AppendResult> Append(absl::Span<const std::string> envelopes) {
    return sequencer_->Append(envelopes);
  }

  // Signing: Checkpointer::PublishCheckpoint, CheckCanPublish, RotateLogKey.
  absl::StatusOr<std::string> PublishCheckpoint() {
    return checkpointer_->PublishCheckpoint();
  }
  absl::Status CheckCanPublish() const {
    return checkpointer_->CheckCanPublish();
  }
  absl::StatusOr<std::string> RotateLogKey(
      absl::string_view log_key_envelope,
      std::unique_ptr<crypto::SigningKey> new_key,
      const std::string& new_key_path) {
    return checkpointer_->RotateLogKey(log_key_envelope, std::move(new_key),
                                       new_key_path);
  }

  // Reading: StoredLog's methods of the same names.
  absl::StatusOr<std::string> LatestCheckpoint() const {
    return log_->LatestCheckpoint();
  }
  absl::StatusOr<std::string> CheckpointAt(uint64_t size) const {
    return log_->CheckpointAt(size);
  }
  uint64_t Size() const { return log_->Size(); }
  const std::string& origin() const { return log_->origin(); }
  std::optional<uint64_t> simulated_clock_since() const {
    return log_->simulated_clock_since();
  }
  crypto::PublicKey log_public_key() const { return log_->log_public_key(); }
  std::string VerifierKey() const { return log_->VerifierKey(); }
  LogKeyHistory LogKeys() const { return log_->LogKeys(); }
  absl::StatusOr<CheckpointFields> VerifyCheckpointNote(
      absl::string_view note) const {
    return log_->VerifyCheckpointNote(note);
  }
  absl::StatusOr<std::optional<uint64_t>> FirstCheckpointAfter(
      uint64_t leaf) const {
    return log_->FirstCheckpointAfter(leaf);
  }
  absl::StatusOr<std::vector<uint64_t>> CheckpointSizesAfter(uint64_t after,
                                                             size_t max) const {
    return log_->CheckpointSizesAfter(after, max);
  }
  absl::StatusOr<std::string> GetLeaf(uint64_t index) const {
    return log_->GetLeaf(index);
  }
  absl::StatusOr<std::vector<std::string>> GetLeaves(uint64_t start,
                                                     uint64_t count) const {
    return log_->GetLeaves(start, count);
  }
  absl::StatusOr<uint64_t> FindLeafByHash(const merkle::Hash& leaf_hash) const {
    return log_->FindLeafByHash(leaf_hash);
  }
  absl::StatusOr<std::vector<merkle::Hash>> InclusionProof(
      uint64_t index, uint64_t size) const {
    return log_->InclusionProof(index, size);
  }
  absl::StatusOr<std::vector<merkle::Hash>> ConsistencyProof(
      uint64_t size1, uint64_t size2) const {
    return log_->ConsistencyProof(size1, size2);
  }
  absl::StatusOr<merkle::Hash> RootAt(uint64_t size) const {
    return log_->RootAt(size);
  }
  absl::StatusOr<std::vector<merkle::Hash>> ReadTreeNodes(
      absl::Span<const merkle::NodeId> ids) const {
    return log_->ReadTreeNodes(ids);
  }
  absl::Status Snapshot(const std::string& out_dir) const {
    return log_->Snapshot(out_dir);
  }
  // OK while storage can write; the storage error that recovery could not
  // clear otherwise: every append now fails, and a server should report
  // NOT_SERVING and exit.
  absl::Status StorageFailure() const { return log_->StorageFailure(); }
  const storage::Store& store() const { return log_->store(); }
  size_t MemoryBytes() const { return log_->MemoryBytes(); }
  TreeState::CacheStats TreeCacheStats() const {
    return log_->TreeCacheStats();
  }

  // The key registry: Sequencer::Keys, FindKey.
  std::vector<KeyInfo> Keys() const { return sequencer_->Keys(); }
  std::optional<KeyInfo> FindKey(const crypto::KeyId& id) const {
    return sequencer_->FindKey(id);
  }

 private:
  Ledger() = default;

  // Destroyed in reverse: the checkpointer and the sequencer before the log
  // they point to.
  std::unique_ptr<StoredLog> log_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace ledger

#endif  // LEDGER_LEDGER_H_
