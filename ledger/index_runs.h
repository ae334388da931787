// The ledger's two lookup maps (ledger/FORMAT.md, "Storage"), kept so that an
// append does not insert its own keys into RocksDB's index family:
//
//   `k` ‖ key id ‖ u64 sequence → u64 leaf index   (idempotent retries)
//   `h` ‖ leaf hash             → u64 leaf index   (lookups by leaf hash)
//
// RocksDB holds both maps' keys for leaves [0, stored_size), and meta
// `index_size` = stored_size. The newer leaves' keys are held in memory (on
// open, rebuilt from the stored leaves and tree) until `run_leaves` leaves
// have accumulated; the group commit that gets there writes them all, sorted,
// as one run in its own batch. Everything here is derived from the leaves.
//
// Why: per-append index keys cost the group-commit leader — whose work is
// serial — skip-list searches in the memtable (a leaf hash is a random key:
// a cache miss per level) and then compaction work. Measured with
// ledger_bench at 300–400k entries: the leaf-hash key cost 7 % of append CPU
// and the (key, sequence) key 3–4 µs of the leader's ~20 µs per entry; a
// sorted run of 65,536 keys inserts almost sequentially.
//
// Thread-safe: the Find functions from any thread; Stage and Apply only by
// the (single) group-commit leader, in that order, Apply once the batch is
// durable.
#ifndef LEDGER_INDEX_RUNS_H_
#define LEDGER_INDEX_RUNS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "ledger/crypto/key_id.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/storage/store.h"

namespace ledger {

class IndexRuns {
 public:
  // Leaves per stored run by default: ~5 MiB of maps in memory at most.
  static constexpr uint64_t kDefaultRunLeaves = 65536;

  // What the index records of one new leaf.
  struct Leaf {
    merkle::Hash leaf_hash;
    crypto::KeyId key_id;
    uint64_t sequence = 0;
  };

  // Opens the maps of a tree of `tree_size` leaves, whose perfect nodes
  // `tree` reads (used only here, to rebuild the in-memory part with the
  // leaves). `store` is not owned and must outlive this. A database without
  // the meta value was written when every append stored its own index keys:
  // all its leaves are indexed, and the next Stage records that. kDataLoss
  // when the meta value is malformed or beyond the tree, or a leaf to
  // rebuild from is missing or malformed.
  static absl::StatusOr<std::unique_ptr<IndexRuns>> Load(
      const storage::Store* store, merkle::NodeReader& tree, uint64_t tree_size,
      uint64_t run_leaves = kDefaultRunLeaves);

  // What Stage put into a batch, for Apply.
  struct Staged {
    uint64_t first = 0;
    std::vector<Leaf> leaves;
    bool wrote_run = false;
  };

  // Stages the new leaves [first, first + leaves.size()): when that brings
  // the in-memory part to run_leaves or more, puts all of it as sorted runs,
  // and the new stored size, into `batch`.
  // REQUIRES: first is the tree size that the last Apply left.
  Staged Stage(uint64_t first, std::vector<Leaf> leaves,
               storage::Batch* batch) const;
  // Makes staged leaves findable. REQUIRES: their batch is durable.
  void Apply(Staged staged);

  // The leaf index for a leaf hash, or for a key's sequence number; nullopt
  // when there is none. Leaves are findable once Apply made them so.
  absl::StatusOr<std::optional<uint64_t>> FindLeafHash(
      const merkle::Hash& leaf_hash) const;
  absl::StatusOr<std::optional<uint64_t>> FindSequence(
      const crypto::KeyId& key_id, uint64_t sequence) const;

  size_t MemoryBytes() const;

 private:
  IndexRuns(const storage::Store* store, uint64_t run_leaves)
      : store_(store), run_leaves_(run_leaves) {}
  void AddLocked(uint64_t index, const Leaf& leaf)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const storage::Store* store_;
  const uint64_t run_leaves_;
  mutable absl::Mutex mu_;
  uint64_t stored_size_ ABSL_GUARDED_BY(mu_) = 0;
  // True until the meta value is stored (databases from before runs).
  bool needs_size_record_ ABSL_GUARDED_BY(mu_) = false;
  // Leaves [stored_size_, tree size).
  absl::flat_hash_map<merkle::Hash, uint64_t> by_hash_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::pair<crypto::KeyId, uint64_t>, uint64_t> by_sequence_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ledger

#endif  // LEDGER_INDEX_RUNS_H_
