#include "ledger/merkle/node_id.h"

#include <algorithm>

namespace ledger::merkle {

std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end) {
  std::vector<NodeId> nodes;
  while (begin < end) {
    // The largest node starting at `begin` is limited by begin's alignment
    // and by the number of leaves left.
    const uint32_t align = begin == 0 ? 63 : __builtin_ctzll(begin);
    const uint32_t fit = 63 - __builtin_clzll(end - begin);
    const uint32_t level = std::min(align, fit);
    nodes.push_back(NodeId{level, begin >> level});
    begin += uint64_t{1} << level;
  }
  return nodes;
}

}  // namespace ledger::merkle
