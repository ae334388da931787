// The Merkle tree as stored: every perfect node, laid out so that a proof
// costs about one storage read.
//
//  * Levels 0..7 (and the level-8 root) of each complete 256-leaf block live
//    together in one value of the tree family ("b" ‖ u64 block → 511
//    hashes), written once when the block completes, so the lower part of
//    any proof path is a single read.
//  * The partial last block is stored as its leaf hashes only, one small
//    value per append group ("t" ‖ u64 block ‖ u8 first leaf → hashes), so a
//    group does not rewrite 16 KiB; its inner nodes are recomputed on Load and
//    it is served from memory. The block's "t" values are deleted in the
//    batch that writes its "b" value.
//  * Nodes at level ≥ 8 ("u" ‖ u8 level ‖ u64 index → hash) are few (one per
//    256 leaves and their parents) and are all cached in memory.
//  * The right frontier (a CompactRange) and the partial last block are kept
//    in memory for appends.
//  * The most recent complete blocks (as many as the caller's budget allows:
//    LedgerOptions::tree_cache_bytes, by default 65,536 blocks = 1 GiB =
//    the last 16.7M leaves, which most receipts and proofs ask about) are
//    cached in memory, filled as blocks complete and as proofs read them, so
//    proofs for them skip RocksDB (a RocksDB read of a 16 KiB value costs
//    ~10 µs even from its block cache: 5–10× a cached proof). Complete
//    blocks never change, so the cache needs no invalidation.
//
// Appending is two-phase so memory never runs ahead of disk: StageAppend puts
// the writes into a Batch and returns a PendingAppend; Apply makes it visible
// after the batch is durable. Not thread-safe: the Ledger serialises writers
// and guards readers with its state mutex.
#ifndef LEDGER_TREE_STATE_H_
#define LEDGER_TREE_STATE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/storage/store.h"

namespace ledger {

inline constexpr uint32_t kBlockHeight = 8;  // 256 leaves per block
inline constexpr uint64_t kBlockLeaves = uint64_t{1} << kBlockHeight;
inline constexpr size_t kBlockNodes = 2 * kBlockLeaves - 1;  // 511
inline constexpr size_t kBlockBytes = kBlockNodes * merkle::kHashSize;

// Storage keys of the tree family.
std::string BlockKey(uint64_t block);
std::string UpperNodeKey(uint32_t level, uint64_t index);
// Leaf hashes of the partial block `block`, from its leaf `first` (0…255).
std::string TailKey(uint64_t block, uint32_t first);

// Offset in a block value of node (level, index), level ≤ kBlockHeight.
size_t BlockSlotOffset(uint32_t level, uint64_t index);

struct PendingAppend {
  merkle::CompactRange range;
  uint64_t block = 0;       // the block the partial block buffer belongs to
  std::string block_bytes;  // kBlockBytes
  std::vector<std::pair<merkle::NodeId, merkle::Hash>> upper_nodes;
  // Blocks this append completes, for the recent-block cache.
  std::vector<std::pair<uint64_t, std::string>> completed_blocks;
  // First leaves (within `block`) of its stored "t" values.
  std::vector<uint32_t> tail_starts;
  // Leaves of `block` whose hashes are stored in "t" values.
  uint32_t tail_persisted = 0;
};

class TreeState : public merkle::NodeReader {
 public:
  // Loads the tree of `size` leaves from `store` (not owned; must outlive
  // this). kDataLoss when nodes are missing or the stored frontier is broken.
  // `recent_blocks` is how many of the most recent complete blocks to cache
  // (0: none).
  static absl::StatusOr<std::unique_ptr<TreeState>> Load(
      const storage::Store* store, uint64_t size,
      size_t recent_blocks = kDefaultRecentBlocks);
  static constexpr size_t kDefaultRecentBlocks = 1024;

  uint64_t size() const { return range_.size(); }
  merkle::Hash Root() const { return range_.Root(); }

  // The RFC 6962 root of the first `size` leaves (size ≤ this->size()).
  absl::StatusOr<merkle::Hash> RootAt(uint64_t size);

  // Stages appending `leaf_hashes` after the current size: puts completed
  // blocks, the new leaf hashes of the partial block and new upper nodes into
  // `batch` (and deletes the "t" values of blocks it completes).
  PendingAppend StageAppend(absl::Span<const merkle::Hash> leaf_hashes,
                            storage::Batch* batch) const;
  // Makes a staged append visible. REQUIRES: `pending` was staged from the
  // current state and its batch is durable.
  void Apply(PendingAppend pending);

  // merkle::NodeReader: reads perfect nodes of the committed tree. Safe to
  // call from several threads at once (the recent-block cache has its own
  // locks), but not concurrently with StageAppend/Apply.
  // kDataLoss when a node that must exist is missing; kInvalidArgument for a
  // node beyond the tree.
  absl::StatusOr<std::vector<merkle::Hash>> ReadNodes(
      absl::Span<const merkle::NodeId> ids) override;

  // Bytes held in memory (upper cache + buffers), for status reports.
  size_t MemoryBytes() const;

  // Reads of nodes in complete blocks (levels < 8, not the partial last
  // block) since Load: from the recent-block cache, and from storage.
  struct CacheStats {
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  CacheStats cache_stats() const {
    return {cache_hits_.load(std::memory_order_relaxed),
            cache_misses_.load(std::memory_order_relaxed)};
  }

 private:
  // One entry of the direct-mapped cache of recent complete blocks: block b
  // lives in slot b % size, so the most recent blocks never evict each other.
  struct CachedBlock {
    absl::Mutex mu;
    uint64_t block ABSL_GUARDED_BY(mu) = UINT64_MAX;
    std::string bytes ABSL_GUARDED_BY(mu);
  };

  TreeState(const storage::Store* store, size_t recent_blocks)
      : store_(store), recent_(recent_blocks) {}
  // Caches a complete block if it is among the most recent ones.
  void CacheBlock(uint64_t block, absl::string_view bytes);
  absl::StatusOr<std::vector<merkle::Hash>> ReadNodesOfTree(
      absl::Span<const merkle::NodeId> ids, uint64_t tree_size);
  // Copies `run`, nodes of the complete block `block`, into out[0…] if the
  // block is cached; false if it is not (nothing copied).
  absl::StatusOr<bool> CopyRunFromCache(uint64_t block,
                                        absl::Span<const merkle::NodeId> run,
                                        merkle::Hash* out) const;
  // Copies the nodes of `ids` that lie in the stored complete `blocks` into
  // (*out)[k], caching each block read.
  absl::Status ReadNodesFromStoredBlocks(absl::Span<const merkle::NodeId> ids,
                                         absl::Span<const uint64_t> blocks,
                                         std::vector<merkle::Hash>* out);
  // Fills block_bytes_ with the first `leaves` leaf hashes of block_ from its
  // "t" values (or, from older versions, its partial "b" value) and
  // recomputes the inner nodes.
  absl::Status LoadPartialBlock(uint32_t leaves);

  const storage::Store* store_;
  merkle::CompactRange range_;
  uint64_t block_ = 0;
  std::string block_bytes_;
  std::vector<uint32_t> tail_starts_;
  uint32_t tail_persisted_ = 0;
  mutable std::vector<CachedBlock> recent_;
  std::atomic<uint64_t> cache_hits_{0};  // metrics only: relaxed
  std::atomic<uint64_t> cache_misses_{0};
  // upper_[l - kBlockHeight][i] is node (l, i).
  std::vector<std::vector<merkle::Hash>> upper_;
};

}  // namespace ledger

#endif  // LEDGER_TREE_STATE_H_
