// CompactRange: the right frontier of a growing RFC 6962 tree, enough to
// append leaves and compute the root without reading anything else.
//
// For a tree of size n the frontier is the hashes of the perfect subtrees of
// n's binary decomposition, largest (leftmost) first: popcount(n) hashes, at
// most 64. Appending a leaf completes one or more perfect nodes (the leaf
// itself and every ancestor it finishes), which Append reports so that the
// caller can store them; they are exactly the nodes proofs are served from.
//
// Value type; thread-compatible (no internal locking).
#ifndef LEDGER_MERKLE_COMPACT_RANGE_H_
#define LEDGER_MERKLE_COMPACT_RANGE_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ledger::merkle {

class CompactRange {
 public:
  // The empty tree.
  CompactRange() = default;

  // Restores the frontier of a tree of `size` leaves from its hashes, as
  // returned by hashes() (for example after reading FrontierNodeIds(size)
  // from storage). Returns kInvalidArgument if hashes.size() differs from
  // popcount(size). The hashes themselves cannot be checked here.
  static absl::StatusOr<CompactRange> FromFrontier(uint64_t size,
                                                   std::vector<Hash> hashes);

  // The ids of the frontier nodes of a tree of `size` leaves, in the order of
  // hashes(): largest (leftmost) first.
  static std::vector<NodeId> FrontierNodeIds(uint64_t size);

  // Appends the leaf whose RFC 6962 leaf hash is `leaf_hash`. If `completed`
  // is not null, appends to it every perfect node this leaf completes, bottom
  // up: first {0, old size} with the leaf hash, then each parent finished.
  // REQUIRES: size() < UINT64_MAX.
  void Append(const Hash& leaf_hash,
              std::vector<std::pair<NodeId, Hash>>* completed);

  // Number of leaves appended (or restored).
  uint64_t size() const { return size_; }

  // The RFC 6962 root of the whole range; EmptyRoot() when size() is 0.
  Hash Root() const { return FoldSubtrees(hashes_); }

  // The frontier hashes, largest subtree first; see FrontierNodeIds().
  const std::vector<Hash>& hashes() const { return hashes_; }

 private:
  CompactRange(uint64_t size, std::vector<Hash> hashes)
      : size_(size), hashes_(std::move(hashes)) {}

  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_COMPACT_RANGE_H_
