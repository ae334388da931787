#include "ledger/merkle/proof_plan.h"

#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ledger::merkle {
namespace {

// The largest power of two strictly less than n. REQUIRES: n >= 2.
uint64_t SplitPoint(uint64_t n) {
  return uint64_t{1} << (63 - __builtin_clzll(n - 1));
}

// A subtree [begin, end) of the RFC 6962 tree, as met while descending it.
struct Range {
  uint64_t begin;
  uint64_t end;
};

// A proof's subtrees, in the order met. The descent from the root meets at
// most one per level of a tree below 2^64 leaves, plus a consistency proof's
// last one. A plain array: this is the hot path of serving proofs, and
// growing a vector element by element showed in profiles.
struct Ranges {
  Range items[65];
  size_t size = 0;
  void Add(uint64_t begin, uint64_t end) { items[size++] = {begin, end}; }
};

}  // namespace

// Builds a ProofPlan from the proof's subtree ranges, given root side first
// (the order the descent meets them): the plan lists them leaf side first.
class ProofPlanBuilder {
 public:
  static ProofPlan Build(const Ranges& root_first) {
    ProofPlan plan;
    plan.entries_.resize(root_first.size);
    // Nodes are collected on the stack and appended in bulk (every element
    // pushed onto the plan's vectors one by one cost ~15 % of a cached
    // proof). A range's decomposition has at most 64 nodes.
    NodeId buffer[128];
    size_t buffered = 0;
    uint32_t count = 0;
    for (size_t i = 0; i < root_first.size; ++i) {
      const Range& range = root_first.items[root_first.size - 1 - i];
      if (buffered + 64 > std::size(buffer)) {
        plan.node_ids_.insert(plan.node_ids_.end(), buffer, buffer + buffered);
        buffered = 0;
      }
      const uint32_t begin = count;
      // A subtree of the RFC 6962 tree starts at a multiple of a power of two
      // larger than its size: when its size is a power of two it is one
      // perfect node; otherwise (ephemeral) its binary decomposition.
      ForEachRangeNode(range.begin, range.end, [&](const NodeId& id) {
        buffer[buffered++] = id;
        ++count;
      });
      // The subtrees are disjoint, so their nodes are too: no node repeats.
      plan.entries_[i].begin = begin;
      plan.entries_[i].end = count;
    }
    plan.node_ids_.insert(plan.node_ids_.end(), buffer, buffer + buffered);
    return plan;
  }
};

absl::StatusOr<std::vector<Hash>> ProofPlan::Rehash(
    absl::Span<const Hash> fetched, FoldMemo* memo) const {
  if (fetched.size() != node_ids_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("fetched: got ", fetched.size(), " hashes, want ",
                     node_ids_.size(), " (one per planned node)"));
  }
  std::vector<Hash> proof;
  proof.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    if (entry.end - entry.begin == 1) {
      proof.push_back(fetched[entry.begin]);
      continue;
    }
    // The entry's nodes are its subtree's decomposition, left to right.
    const uint64_t begin = node_ids_[entry.begin].begin();
    const uint64_t end = node_ids_[entry.end - 1].end();
    if (memo != nullptr) {
      if (std::optional<Hash> known = memo->Find(begin, end)) {
        proof.push_back(*known);
        continue;
      }
    }
    proof.push_back(
        FoldSubtrees(fetched.subspan(entry.begin, entry.end - entry.begin)));
    if (memo != nullptr) memo->Remember(begin, end, proof.back());
  }
  return proof;
}

absl::StatusOr<ProofPlan> InclusionPlan(uint64_t index, uint64_t size) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("index: got ", index, ", want < size ", size));
  }
  // Descend RFC 6962 PATH(m, D[lo:hi]) from the root; the siblings met on the
  // way down are the proof, root side first.
  Ranges siblings;
  uint64_t lo = 0, hi = size;
  while (hi - lo > 1) {
    const uint64_t k = SplitPoint(hi - lo);
    if (index < lo + k) {
      siblings.Add(lo + k, hi);
      hi = lo + k;
    } else {
      siblings.Add(lo, lo + k);
      lo += k;
    }
  }
  return ProofPlanBuilder::Build(siblings);
}

absl::StatusOr<ProofPlan> ConsistencyPlan(uint64_t size1, uint64_t size2) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("size1: got ", size1, ", want <= size2 ", size2));
  }
  if (size1 == 0 || size1 == size2) return ProofPlanBuilder::Build(Ranges());
  // Descend RFC 6962 SUBPROOF(m, D[lo:hi], b) from the root. Each level
  // appends its node after the sub-proof: collected root side first, Build
  // reverses them.
  Ranges nodes;
  uint64_t lo = 0, hi = size2;
  bool whole_old_tree = true;  // The RFC's `b`.
  while (size1 != hi) {
    const uint64_t k = SplitPoint(hi - lo);
    if (size1 <= lo + k) {
      nodes.Add(lo + k, hi);
      hi = lo + k;
    } else {
      nodes.Add(lo, lo + k);
      lo += k;
      whole_old_tree = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true it is empty, since
  // the verifier already holds the old root.
  if (!whole_old_tree) nodes.Add(lo, hi);
  return ProofPlanBuilder::Build(nodes);
}

}  // namespace ledger::merkle
