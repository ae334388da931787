#include "ledger/merkle/in_memory_tree.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace ledger::merkle {

void InMemoryTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // While the level just extended has an even count, its last two nodes are
  // the children of a newly completed parent.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const std::vector<Hash>& nodes = levels_[level];
    const Hash parent = HashChildren(nodes[nodes.size() - 2], nodes.back());
    if (levels_.size() == level + 1) levels_.emplace_back();
    levels_[level + 1].push_back(parent);
  }
}

absl::StatusOr<Hash> InMemoryTree::Node(const NodeId& id) const {
  if (id.level >= levels_.size() || id.index >= levels_[id.level].size()) {
    return absl::NotFoundError(absl::StrCat(
        "node ", id.ToString(), " is not in the tree of size ", size()));
  }
  return levels_[id.level][id.index];
}

absl::StatusOr<Hash> InMemoryTree::Root(uint64_t size) const {
  if (size > this->size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("size: got ", size, ", want <= tree size ", this->size()));
  }
  std::vector<Hash> parts;
  for (const NodeId& id : RangeNodes(0, size)) {
    ASSIGN_OR_RETURN(Hash hash, Node(id));
    parts.push_back(hash);
  }
  return FoldSubtrees(parts);
}

absl::StatusOr<std::vector<Hash>> InMemoryTree::ReadNodes(
    absl::Span<const NodeId> ids) {
  std::vector<Hash> hashes;
  hashes.reserve(ids.size());
  for (const NodeId& id : ids) {
    ASSIGN_OR_RETURN(Hash hash, Node(id));
    hashes.push_back(hash);
  }
  return hashes;
}

}  // namespace ledger::merkle
