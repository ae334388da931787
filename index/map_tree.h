// The map of the verifiable index in memory: key hash → KeyValue, as a
// compressed sparse Merkle tree (index/FORMAT.md, "Map tree"). A subtree
// with no key hashes to EmptyMapHash(), one with a single key to that key's
// map leaf hash wherever it sits, one with two or more keys to
// MapNodeHash(left half, right half), split on the next bit of the key
// hashes. So the root is a function of the set of (key, value) pairs alone,
// whatever the order of updates, and a path is as deep as the key's longest
// shared prefix with another key: about log2(keys) for random hashes.
//
// Keys are never removed (the index's lists only grow). Set() rehashes the
// one path it changes: O(depth). SetSorted() sets many keys in one descent
// and rehashes each node above them once: a batch that changes k of n keys
// rehashes about k * (log2(n) - log2(k) + 2) nodes instead of k * log2(n)
// (the top of the tree is shared by all of their paths). Not thread-safe;
// value type (movable).
#ifndef INDEX_MAP_TREE_H_
#define INDEX_MAP_TREE_H_

#include <cstddef>
#include <memory>
#include <utility>

#include "absl/types/span.h"
#include "index/map_hash.h"
#include "index/map_proof.h"

namespace vindex {

class MapTree {
 public:
  MapTree();
  ~MapTree();
  MapTree(MapTree&&) noexcept;
  MapTree& operator=(MapTree&&) noexcept;

  // Sets the value of `key_hash` (adding the key when new).
  void Set(const Hash& key_hash, const KeyValue& value);

  // Sets each key's value, as Set() for each. REQUIRES: keys strictly
  // ascending (as bytes).
  void SetSorted(absl::Span<const std::pair<Hash, KeyValue>> sorted);

  // The map root; EmptyMapHash() for the empty map.
  Hash Root() const;

  // The number of keys.
  size_t size() const { return size_; }

  // The proof for `key_hash`: membership when it is in the map, else
  // non-membership. `value` (may be null) gets the key's value when present.
  MapProof Prove(const Hash& key_hash, KeyValue* value) const;

 private:
  struct Node;
  // Sets `sorted` (ascending, sharing the first `depth` bits) below `node`,
  // at `depth`, rehashing each node on their paths once: Set and SetSorted.
  std::unique_ptr<Node> Insert(
      std::unique_ptr<Node> node, int depth,
      absl::Span<const std::pair<Hash, KeyValue>> sorted);

  std::unique_ptr<Node> root_;
  size_t size_ = 0;
};

}  // namespace vindex

#endif  // INDEX_MAP_TREE_H_
