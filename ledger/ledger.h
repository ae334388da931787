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
#include "ledger/crypto/ed25519.h"
#include "ledger/key_registry.h"
#include "ledger/merkle/hash.h"
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
  // The most entries one group commit writes. Default: 8192.
  size_t max_group_entries = 8192;
  // Memory for complete tree blocks (16 KiB per 256 leaves), most recent
  // first, so inclusion proofs skip RocksDB. The default 256 MiB covers the
  // last 4.2M leaves; a budget ≥ 64 bytes × the log's size keeps every
  // proof in memory (640 MiB at 10M entries). Filled as blocks complete and
  // as proofs read them, so a small log uses little of it.
  size_t tree_cache_bytes = size_t{256} << 20;
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
std::string KeysPath(const std::string& dir);
std::string DefaultLogKeyPath(const std::string& dir);
std::string DefaultAdminKeyPath(const std::string& dir);
std::string SignedStatePath(const std::string& log_key_path);

class Ledger {
 public:
  // Opens an existing ledger and checks it: the latest checkpoint's signature,
  // and that the stored tree reproduces the latest checkpoint's root and the
  // last signed root beside the log key. kDataLoss (and no ledger) when any
  // check fails; kNotFound when there is no ledger in options.dir.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  ~Ledger();

  // Appends envelopes (encoded per FORMAT.md), in order. Returns one result
  // per envelope; entries that fail validation are not appended and do not
  // affect the others. Error codes: kInvalidArgument (malformed envelope or
  // key event), kUnauthenticated (bad signature), kPermissionDenied (unknown
  // or revoked key, role not allowed), kFailedPrecondition (sequence gap, or
  // read-only ledger), kAlreadyExists (sequence reused with other bytes),
  // kUnavailable / kDataLoss (storage failed: nothing of the group was
  // acknowledged).
  std::vector<AppendResult> Append(absl::Span<const std::string> envelopes);

  // Signs and stores a checkpoint for the current tree, unless the latest
  // checkpoint already covers it; returns the latest signed note.
  // kFailedPrecondition when no log key is loaded, or when signing would
  // contradict the last signed state (a restored old backup).
  absl::StatusOr<std::string> PublishCheckpoint();

  // The latest signed checkpoint note. kNotFound before the first.
  absl::StatusOr<std::string> LatestCheckpoint() const;
  // A stored checkpoint note for exactly `size`. kNotFound when none.
  absl::StatusOr<std::string> CheckpointAt(uint64_t size) const;

  uint64_t Size() const;
  const std::string& origin() const { return origin_; }
  const crypto::PublicKey& log_public_key() const { return *log_public_key_; }
  std::string VerifierKey() const;

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

  std::vector<KeyInfo> Keys() const;
  std::optional<KeyInfo> FindKey(const crypto::KeyId& id) const;

  // A consistent copy of the database in `out_dir` (see Store::Snapshot).
  absl::Status Snapshot(const std::string& out_dir) const;

  const storage::Store& store() const { return *store_; }
  size_t MemoryBytes() const;

 private:
  struct Prepared;
  struct Writer;

  Ledger() = default;
  absl::Status LoadState();
  absl::Status CheckOpenInvariants();
  // The durable key registry, as stored in the keys family.
  absl::StatusOr<KeyRegistry> ReadRegistry() const;
  void CommitGroup(std::vector<Writer*>& group);
  void PrepareOne(const std::string& bytes, Prepared* out) const;

  LedgerOptions options_;
  common::Clock* clock_ = nullptr;
  std::string origin_;
  std::unique_ptr<storage::Store> store_;
  // Signs checkpoints with the log key; null when no key is loaded.
  std::unique_ptr<note::NoteSigner> checkpoint_signer_;
  std::optional<crypto::PublicKey> log_public_key_;
  std::string signed_state_path_;

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
  int64_t last_time_micros_ = 0;  // leader only

  mutable absl::Mutex checkpoint_mu_;
  std::string latest_checkpoint_ ABSL_GUARDED_BY(checkpoint_mu_);
  uint64_t latest_checkpoint_size_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;
};

}  // namespace ledger

#endif  // LEDGER_LEDGER_H_
