// Pure planning of RFC 6962 inclusion and consistency proofs, in the
// transparency-dev/merkle `proof` package style: serving a proof is
//   1. plan   (this file, pure): which perfect nodes are needed;
//   2. read   (storage, I/O):    fetch their hashes;
//   3. rehash (this file, pure): turn the fetched hashes into the proof.
//
// Every proof entry is the hash of a subtree that lies within the tree. Most
// are perfect nodes, read as they are. At most one is "ephemeral": a subtree
// on the tree's right edge that is not perfect (its range ends at the tree
// size); it is computed by folding the perfect nodes that cover it with
// FoldSubtrees (right to left with HashChildren).
//
// Proofs are exactly RFC 6962 §2.1.1 PATH and §2.1.2 PROOF (RFC 9162 §2.1.3.1
// and §2.1.4.1), ordered as the RFC orders them (leaf side first).
//
// Value types; thread-compatible.
#ifndef LEDGER_MERKLE_PROOF_PLAN_H_
#define LEDGER_MERKLE_PROOF_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/fold_memo.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ledger::merkle {

class ProofPlan {
 public:
  // The perfect nodes to fetch, in proof order (an ephemeral entry's nodes
  // left to right). A proof's subtrees are disjoint, so no node repeats.
  absl::Span<const NodeId> node_ids() const { return node_ids_; }

  // Number of hashes in the proof that Rehash produces.
  size_t proof_size() const { return entries_.size(); }

  // Builds the proof from `fetched`, the hashes of node_ids() in the same
  // order. Returns kInvalidArgument if fetched.size() != node_ids().size().
  // The fetched hashes are trusted; nothing can be checked here. With a
  // `memo`, ephemeral entries are looked up there first and remembered.
  absl::StatusOr<std::vector<Hash>> Rehash(absl::Span<const Hash> fetched,
                                           FoldMemo* memo = nullptr) const;

 private:
  friend class ProofPlanBuilder;

  // Proof entry i is the fold of node_ids_[k] for k in
  // [entries_[i].begin, entries_[i].end), the nodes left to right.
  struct Entry {
    uint32_t begin;
    uint32_t end;
  };

  // Inline room for any proof of a tree below 2^32 leaves (≤ 32 entries,
  // one ephemeral entry of ≤ 31 nodes): planning a proof does not allocate
  // (a profile of cached proofs spent ~25 % of their time building plans).
  static constexpr size_t kInlineNodes = 64;
  absl::InlinedVector<NodeId, kInlineNodes> node_ids_;
  absl::InlinedVector<Entry, kInlineNodes / 2> entries_;
};

// Plans the inclusion proof (audit path) of leaf `index` in the tree of
// `size` leaves. Returns kInvalidArgument if index >= size (which includes
// every index of the empty tree). The proof of the only leaf of a one-leaf
// tree is empty.
absl::StatusOr<ProofPlan> InclusionPlan(uint64_t index, uint64_t size);

// Plans the consistency proof between the trees of `size1` and `size2`
// leaves. Returns kInvalidArgument if size1 > size2. Following RFC 9162, which
// defines PROOF only for 0 < size1 < size2, the proof is empty when
// size1 == size2 (the roots must be equal) and when size1 == 0 (the empty tree
// is a prefix of every tree).
absl::StatusOr<ProofPlan> ConsistencyPlan(uint64_t size1, uint64_t size2);

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_PROOF_PLAN_H_
