// A key's list as the builder stores it (index/FORMAT.md, "Storage"): its
// elements, one record a position, and the perfect nodes of its RFC 6962
// tree at level kStoredListLevel and above (one node per 256 elements and
// their parents: ~0.6 bytes an element). A node below that level is folded
// from its at most 128 stored elements when read; a node at or above it is
// one point read. So a range proof for any page of any list (list_range.h)
// reads O(log n) stored nodes and at most ~2 × 255 elements, never the
// whole list (the server used to rebuild the list's tree for the first page
// of an answer: 1.4 s for a million elements, under the index host's lock).
//
// The nodes of a list's tree of n elements never change as the list grows,
// so a reader pinned to an older count sees the same tree.
//
// StoredListNodes reads through a Store (thread-safe for reads); the key
// and value helpers are pure.
#ifndef INDEX_LIST_NODES_H_
#define INDEX_LIST_NODES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "index/map_hash.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/storage/store.h"

namespace vindex {

// The lowest level of a list's tree whose nodes are stored (2^8 = 256
// elements a node, the input ledger's block height). Written down in every
// store (FORMAT.md): a store with another level is refused.
inline constexpr uint32_t kStoredListLevel = 8;

// Storage keys: "l" ‖ K ‖ u64 position → u64 leaf index (family kLeaves);
// "n" ‖ K ‖ u8 level ‖ u64 index → 32-byte node hash (family kTree).
std::string ListEntryKey(const Hash& key, uint64_t position);
std::string ListNodeKey(const Hash& key, const ledger::merkle::NodeId& id);

// Up to `max_count` elements of the list of `key` from `position` (fewer
// past the list's end). The store's errors.
absl::StatusOr<std::vector<uint64_t>> ReadListElements(
    const ledger::storage::Store& store, const Hash& key, uint64_t position,
    uint64_t max_count);

// The perfect nodes of the tree of the first `count` elements of a stored
// list, for ProveListRange.
class StoredListNodes : public ledger::merkle::NodeReader {
 public:
  // `store` is not owned and must outlive this reader.
  StoredListNodes(const ledger::storage::Store* store, const Hash& key,
                  uint64_t count)
      : store_(store), key_(key), count_(count) {}

  // kInvalidArgument for a node not complete within the first count
  // elements; kDataLoss for a node or element that should be stored and is
  // not (or is malformed); the store's errors.
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const ledger::merkle::NodeId> ids) override;

 private:
  absl::StatusOr<Hash> ReadNode(const ledger::merkle::NodeId& id) const;

  const ledger::storage::Store* store_;
  Hash key_;
  uint64_t count_;
};

// The nodes at kStoredListLevel and above of the tree of `elements` (a
// whole list from position 0), in the order a growing tree completes them,
// and its compact range in `range`: what the builder writes for a list it
// did not store nodes for (a store from before the nodes were kept).
std::vector<std::pair<ledger::merkle::NodeId, Hash>> StoredLevelNodes(
    absl::Span<const uint64_t> elements, ledger::merkle::CompactRange* range);

}  // namespace vindex

#endif  // INDEX_LIST_NODES_H_
