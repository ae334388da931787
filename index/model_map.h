// The verifiable index's state in memory, as a function of the input log's
// leaves: for each model id its list of leaf indices (kept as an RFC 6962
// compact range, so appending is O(log n) and nothing else is needed for
// the root) and the map over keys (map_tree.h). Both the builder
// (index_builder.h, which stores it) and a replaying verifier
// (`ledgerctl verify-index`) feed leaves through it, so they compute the
// same roots by construction.
//
// Not thread-safe (one writer).
#ifndef INDEX_MODEL_MAP_H_
#define INDEX_MODEL_MAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "index/map_hash.h"
#include "index/map_tree.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {

class ModelMap {
 public:
  struct KeyState {
    std::string model_id;
    ledger::merkle::CompactRange list;
  };

  // Runs MapFn v1 on leaf `index` and appends `index` to the list of each
  // model it names. Leaves come in increasing order. kDataLoss when the leaf
  // does not parse (map_fn.h); kFailedPrecondition when `index` is not above
  // the previous leaf's; nothing changes on an error.
  absl::Status AddLeaf(uint64_t index, absl::string_view leaf_bytes);

  // Appends `index` to the list of each of `models`, as AddLeaf does after
  // MapFn (for callers that already ran it).
  absl::Status Add(uint64_t index, const std::vector<std::string>& models);

  // Brings the map tree up to date with the lists changed since the last
  // call and returns the keys whose value changed (for storage), sorted.
  std::vector<Hash> Flush();

  // The map root as of the last Flush().
  Hash Root() const { return tree_.Root(); }
  const MapTree& tree() const { return tree_; }
  size_t key_count() const { return keys_.size(); }

  // The key's state, or null when absent. Valid until the next change.
  const KeyState* Find(const Hash& key_hash) const;

  // Puts back a key read from storage (the tree is updated at Flush()).
  void Restore(const Hash& key_hash, KeyState state);

 private:
  absl::flat_hash_map<Hash, KeyState> keys_;
  absl::flat_hash_set<Hash> touched_;
  MapTree tree_;
  std::optional<uint64_t> last_index_;
};

}  // namespace vindex

#endif  // INDEX_MODEL_MAP_H_
