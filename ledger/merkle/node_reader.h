// NodeReader: the smallest interface proof serving needs from storage, and
// the plan -> read -> rehash functions that serve proofs through it.
#ifndef LEDGER_MERKLE_NODE_READER_H_
#define LEDGER_MERKLE_NODE_READER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/fold_memo.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ledger::merkle {

// Reads stored perfect-node hashes. Implementations say whether they are
// thread-safe.
class NodeReader {
 public:
  virtual ~NodeReader() = default;

  // Returns the hashes of `ids`, one per id, in the same order. Returns an
  // error (kNotFound for a node that is not stored, kDataLoss for stored data
  // that fails its checks, or the storage error) instead of a partial result.
  virtual absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) = 0;
};

// Returns the RFC 6962 inclusion proof of leaf `index` in the tree of `size`
// leaves, reading the needed nodes with one ReadNodes call (none when the
// proof is empty). Errors: kInvalidArgument if index >= size; the reader's
// error; kInternal if the reader returns the wrong number of hashes.
absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                                 NodeReader& reader,
                                                 FoldMemo* memo = nullptr);

// Returns the RFC 6962 consistency proof between the trees of `size1` and
// `size2` leaves (empty when size1 is 0 or equals size2), reading the needed
// nodes with at most one ReadNodes call. Errors: kInvalidArgument if
// size1 > size2; the reader's error; kInternal on a wrong hash count.
absl::StatusOr<std::vector<Hash>> ConsistencyProof(uint64_t size1,
                                                   uint64_t size2,
                                                   NodeReader& reader,
                                                   FoldMemo* memo = nullptr);
// (Both: an optional `memo` saves re-folding the right-edge subtrees that
// many proofs share; see fold_memo.h.)

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_NODE_READER_H_
