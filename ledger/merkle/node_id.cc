#include "ledger/merkle/node_id.h"

namespace ledger::merkle {

std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end) {
  std::vector<NodeId> nodes;
  ForEachRangeNode(begin, end, [&](const NodeId& id) { nodes.push_back(id); });
  return nodes;
}

}  // namespace ledger::merkle
