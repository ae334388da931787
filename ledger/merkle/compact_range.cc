#include "ledger/merkle/compact_range.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ledger::merkle {

absl::StatusOr<CompactRange> CompactRange::FromFrontier(
    uint64_t size, std::vector<Hash> hashes) {
  const int want = __builtin_popcountll(size);
  if (hashes.size() != static_cast<size_t>(want)) {
    return absl::InvalidArgumentError(
        absl::StrCat("frontier hashes: got ", hashes.size(), ", want ", want,
                     " (popcount of size ", size, ")"));
  }
  return CompactRange(size, std::move(hashes));
}

std::vector<NodeId> CompactRange::FrontierNodeIds(uint64_t size) {
  return RangeNodes(0, size);
}

void CompactRange::Append(const Hash& leaf_hash,
                          std::vector<std::pair<NodeId, Hash>>* completed) {
  const uint64_t index = size_;
  hashes_.push_back(leaf_hash);
  if (completed != nullptr)
    completed->emplace_back(NodeId{0, index}, leaf_hash);
  // Each trailing 1 bit of the old size is a perfect subtree of that level
  // which the new node now completes into its parent.
  for (uint32_t level = 0; (index >> level) & 1; ++level) {
    const Hash right = hashes_.back();
    hashes_.pop_back();
    Hash& left = hashes_.back();
    left = HashChildren(left, right);
    if (completed != nullptr) {
      completed->emplace_back(NodeId{level + 1, index >> (level + 1)}, left);
    }
  }
  ++size_;
}

}  // namespace ledger::merkle
