#include "ledger/merkle/proof_plan.h"

#include <algorithm>
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

}  // namespace

// Builds a ProofPlan from the proof's subtree ranges, in proof order.
class ProofPlanBuilder {
 public:
  static ProofPlan Build(const std::vector<Range>& proof_ranges) {
    ProofPlan plan;
    // Sized for the usual proof (one node per entry plus one ephemeral
    // decomposition), so serving a proof allocates a handful of times.
    plan.entries_.reserve(proof_ranges.size());
    plan.node_ids_.reserve(proof_ranges.size() + 64);
    plan.refs_.reserve(proof_ranges.size() + 64);
    for (const Range& range : proof_ranges) {
      const size_t begin = plan.refs_.size();
      // A subtree of the RFC 6962 tree starts at a multiple of a power of two
      // larger than its size: when its size is a power of two it is one
      // perfect node; otherwise (ephemeral) RangeNodes gives its binary
      // decomposition.
      const uint64_t n = range.end - range.begin;
      if ((n & (n - 1)) == 0) {
        const uint32_t level = __builtin_ctzll(n);
        plan.refs_.push_back(
            AddNode(plan, NodeId{level, range.begin >> level}));
      } else {
        for (const NodeId& id : RangeNodes(range.begin, range.end)) {
          plan.refs_.push_back(AddNode(plan, id));
        }
      }
      plan.entries_.push_back({begin, plan.refs_.size()});
    }
    return plan;
  }

 private:
  // Returns the position of `id` in plan.node_ids_, adding it if new. Proofs
  // have at most ~128 nodes, so a linear scan beats a hash map here.
  static size_t AddNode(ProofPlan& plan, const NodeId& id) {
    auto it = std::find(plan.node_ids_.begin(), plan.node_ids_.end(), id);
    if (it != plan.node_ids_.end()) return it - plan.node_ids_.begin();
    plan.node_ids_.push_back(id);
    return plan.node_ids_.size() - 1;
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
  std::vector<Hash> parts;
  for (const Entry& entry : entries_) {
    if (entry.end - entry.begin == 1) {
      proof.push_back(fetched[refs_[entry.begin]]);
      continue;
    }
    // The entry's nodes are its subtree's decomposition, left to right.
    const uint64_t begin = node_ids_[refs_[entry.begin]].begin();
    const uint64_t end = node_ids_[refs_[entry.end - 1]].end();
    if (memo != nullptr) {
      if (std::optional<Hash> known = memo->Find(begin, end)) {
        proof.push_back(*known);
        continue;
      }
    }
    parts.clear();
    for (size_t k = entry.begin; k < entry.end; ++k) {
      parts.push_back(fetched[refs_[k]]);
    }
    proof.push_back(FoldSubtrees(parts));
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
  std::vector<Range> siblings;
  siblings.reserve(64);
  uint64_t lo = 0, hi = size;
  while (hi - lo > 1) {
    const uint64_t k = SplitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      siblings.push_back({lo, lo + k});
      lo += k;
    }
  }
  std::reverse(siblings.begin(), siblings.end());
  return ProofPlanBuilder::Build(siblings);
}

absl::StatusOr<ProofPlan> ConsistencyPlan(uint64_t size1, uint64_t size2) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("size1: got ", size1, ", want <= size2 ", size2));
  }
  if (size1 == 0 || size1 == size2) return ProofPlanBuilder::Build({});
  // Descend RFC 6962 SUBPROOF(m, D[lo:hi], b) from the root. Each level
  // appends its node after the sub-proof, so collect and reverse.
  std::vector<Range> nodes;
  nodes.reserve(65);
  uint64_t lo = 0, hi = size2;
  bool whole_old_tree = true;  // The RFC's `b`.
  while (size1 != hi) {
    const uint64_t k = SplitPoint(hi - lo);
    if (size1 <= lo + k) {
      nodes.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      nodes.push_back({lo, lo + k});
      lo += k;
      whole_old_tree = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true it is empty, since
  // the verifier already holds the old root.
  if (!whole_old_tree) nodes.push_back({lo, hi});
  std::reverse(nodes.begin(), nodes.end());
  return ProofPlanBuilder::Build(nodes);
}

}  // namespace ledger::merkle
