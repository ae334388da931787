// The verifiable index's state in memory, as a function of the input log's
// leaves: for each model id its list of leaf indices (kept as an RFC 6962
// compact range, so appending is O(log n) and nothing else is needed for
// the root) and the map over keys (map_tree.h). Both the builder
// (index_builder.h, which stores it) and a replaying verifier
// (`ledgerctl verify-index`) feed leaves through it, so they compute the
// same roots by construction. In map version 2 each key also folds its
// IntervalReports into totals (model_totals.h) that its map value commits
// to.
//
// Not thread-safe (one writer).
#ifndef INDEX_MODEL_MAP_H_
#define INDEX_MODEL_MAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "index/map_fn.h"
#include "index/map_hash.h"
#include "index/map_tree.h"
#include "index/model_totals.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/node_id.h"

namespace vindex {

class ModelMap {
 public:
  struct KeyState {
    std::string model_id;
    ledger::merkle::CompactRange list;
    TotalsFold totals;  // version 2 only
  };

  // A map of `version` (map_fn.h; IsKnownMapFnVersion).
  explicit ModelMap(uint32_t version = kMapFnVersion) : version_(version) {}
  uint32_t version() const { return version_; }

  // Runs MapFn on leaf `index` and appends `index` to the list of each
  // model it names (and, in version 2, folds an IntervalReport into its
  // model's totals). Leaves come in increasing order. kDataLoss when the
  // leaf does not parse (map_fn.h); kFailedPrecondition when `index` is not
  // above the previous leaf's; nothing changes on an error.
  absl::Status AddLeaf(uint64_t index, absl::string_view leaf_bytes);

  // As AddLeaf after MapFn (for callers that already ran it).
  absl::Status AddMapped(uint64_t index, const MappedLeaf& leaf);

  // Appends `index` to the list of each of `models`, folding nothing (a
  // version 1 map, or a leaf that is no IntervalReport).
  absl::Status Add(uint64_t index, const std::vector<std::string>& models);

  // The key's map value (count, list root and, in version 2, totals hash).
  KeyValue ValueOf(const KeyState& state) const;

  // Brings the map tree up to date with the lists changed since the last
  // call and returns the keys whose value changed (for storage), sorted,
  // with their states (valid until the next change).
  struct Changed {
    Hash key;
    const KeyState* state;
  };
  std::vector<Changed> Flush();

  // The map root as of the last Flush().
  Hash Root() const { return tree_.Root(); }
  const MapTree& tree() const { return tree_; }
  size_t key_count() const { return keys_.size(); }

  // The key's state, or null when absent. Valid until the next change.
  const KeyState* Find(const Hash& key_hash) const;

  // Puts back a key read from storage (the tree is updated at Flush()).
  void Restore(const Hash& key_hash, KeyState state);

  // A perfect node of a key's list tree that an append completed.
  struct CompletedNode {
    Hash key;
    ledger::merkle::NodeId id;
    Hash hash;
  };
  // From now on, Add keeps the list nodes at `level` and above that appends
  // complete, until TakeCompletedNodes (the builder stores them: a range
  // proof then reads them instead of rehashing the list). Off by default
  // (a replay needs only the roots).
  void KeepListNodesFrom(uint32_t level) { keep_level_ = level; }
  // The nodes kept since the last call, in the order they completed.
  std::vector<CompletedNode> TakeCompletedNodes() {
    std::vector<CompletedNode> out;
    out.swap(completed_);
    return out;
  }

 private:
  // Appends `leaf_hash` to `state`'s list, keeping the nodes it completes
  // at keep_level_ and above.
  void AppendToList(const Hash& key, const Hash& leaf_hash, KeyState& state);

  uint32_t version_;
  absl::flat_hash_map<Hash, KeyState> keys_;
  absl::flat_hash_set<Hash> touched_;
  MapTree tree_;
  std::optional<uint64_t> last_index_;
  std::optional<uint32_t> keep_level_;
  std::vector<CompletedNode> completed_;
  std::vector<std::pair<ledger::merkle::NodeId, Hash>> scratch_;
};

}  // namespace vindex

#endif  // INDEX_MODEL_MAP_H_
