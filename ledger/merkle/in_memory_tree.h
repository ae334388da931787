// InMemoryTree: an append-only RFC 6962 tree that keeps every perfect node in
// memory. A NodeReader for tests (ours and the storage layer's) and
// benchmarks; a model of what storage keeps. Memory: 2 hashes per leaf.
//
// Thread-compatible: concurrent const use (including ReadNodes, which does
// not mutate) is safe; Append needs exclusive access.
#ifndef LEDGER_MERKLE_IN_MEMORY_TREE_H_
#define LEDGER_MERKLE_IN_MEMORY_TREE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/merkle/node_reader.h"

namespace ledger::merkle {

class InMemoryTree : public NodeReader {
 public:
  InMemoryTree() = default;

  // Appends the leaf with RFC 6962 leaf hash `leaf_hash` and every perfect
  // node it completes.
  void Append(const Hash& leaf_hash);

  // Number of leaves.
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

  // Returns the root of the tree made of the first `size` leaves (EmptyRoot()
  // for 0), folded from the perfect nodes of size's binary decomposition.
  // Returns kInvalidArgument if size > this->size().
  absl::StatusOr<Hash> Root(uint64_t size) const;

  // Returns the hash of one perfect node, or kNotFound if it is not complete
  // in the current tree.
  absl::StatusOr<Hash> Node(const NodeId& id) const;

  // NodeReader: kNotFound, naming the first missing node, if any is absent.
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) override;

 private:
  // levels_[l][i] is the hash of NodeId{l, i}.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_IN_MEMORY_TREE_H_
