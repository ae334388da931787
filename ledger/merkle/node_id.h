// Identifiers of the perfect subtrees ("nodes") of an RFC 6962 Merkle tree.
//
// NodeId{level, index} names the perfect subtree of height `level` that
// covers leaves [index * 2^level, (index + 1) * 2^level). Level 0 nodes are
// leaves. Every node of a tree of size n whose range ends at or before n
// exists, immutably, once the tree reaches that size: this is what storage
// keeps and what proofs are built from. Plain values; thread-compatible.
#ifndef LEDGER_MERKLE_NODE_ID_H_
#define LEDGER_MERKLE_NODE_ID_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace ledger::merkle {

struct NodeId {
  uint32_t level = 0;
  uint64_t index = 0;

  // First leaf covered. REQUIRES: the result fits in 64 bits.
  uint64_t begin() const { return index << level; }
  // One past the last leaf covered. REQUIRES: the result fits in 64 bits.
  uint64_t end() const { return (index + 1) << level; }

  // "level/index", e.g. "3/5".
  std::string ToString() const { return absl::StrCat(level, "/", index); }

  // Ordered by level, then index.
  friend bool operator==(const NodeId& a, const NodeId& b) {
    return a.level == b.level && a.index == b.index;
  }
  friend bool operator!=(const NodeId& a, const NodeId& b) { return !(a == b); }
  friend bool operator<(const NodeId& a, const NodeId& b) {
    return std::tie(a.level, a.index) < std::tie(b.level, b.index);
  }
  friend bool operator>(const NodeId& a, const NodeId& b) { return b < a; }
  friend bool operator<=(const NodeId& a, const NodeId& b) { return !(b < a); }
  friend bool operator>=(const NodeId& a, const NodeId& b) { return !(a < b); }

  template <typename H>
  friend H AbslHashValue(H h, const NodeId& id) {
    return H::combine(std::move(h), id.level, id.index);
  }
  friend std::ostream& operator<<(std::ostream& os, const NodeId& id) {
    return os << id.ToString();
  }
};

// Returns the minimal list of perfect nodes that exactly cover leaves
// [begin, end), left to right (the "compact range" of transparency-dev). For
// begin == 0 these are the perfect subtrees of end's binary decomposition,
// largest first: the frontier of a tree of size `end`. Empty if begin >= end.
std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end);

// Calls `visit(NodeId)` for each node of RangeNodes(begin, end), in the same
// order, without allocating (proof planning is on the hot path of serving).
template <typename Visit>
void ForEachRangeNode(uint64_t begin, uint64_t end, Visit&& visit) {
  while (begin < end) {
    // The largest node starting at `begin` is limited by begin's alignment
    // and by the number of leaves left.
    const uint32_t align = begin == 0 ? 63 : __builtin_ctzll(begin);
    const uint32_t fit = 63 - __builtin_clzll(end - begin);
    const uint32_t level = align < fit ? align : fit;
    visit(NodeId{level, begin >> level});
    begin += uint64_t{1} << level;
  }
}

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_NODE_ID_H_
