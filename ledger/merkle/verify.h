// Client-side verification of RFC 6962 inclusion and consistency proofs,
// following RFC 9162 §2.1.3.2 and §2.1.4.2. Needs no storage: only the sizes,
// hashes and proof a log served. Pure functions; thread-safe.
//
// Every failure is kInvalidArgument with a message saying why: a size or
// index out of range, a proof of the wrong length (with the length wanted),
// or a computed root that differs from the given one (both in hex). Callers
// treat any error as "this proof does not show what was claimed".
#ifndef LEDGER_MERKLE_VERIFY_H_
#define LEDGER_MERKLE_VERIFY_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"

namespace ledger::merkle {

// Number of hashes in the inclusion proof of leaf `index` in a tree of `size`
// leaves. REQUIRES: index < size.
size_t InclusionProofLength(uint64_t index, uint64_t size);

// Number of hashes in the consistency proof between sizes size1 and size2.
// 0 when size1 is 0 or equals size2. REQUIRES: size1 <= size2.
size_t ConsistencyProofLength(uint64_t size1, uint64_t size2);

// Returns the root implied by `proof` for the leaf with hash `leaf_hash` at
// `index` in a tree of `size` leaves. Errors: index >= size, proof length
// other than InclusionProofLength(index, size).
absl::StatusOr<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Hash& leaf_hash,
                                            absl::Span<const Hash> proof);

// Returns OK iff `proof` proves that the leaf with hash `leaf_hash` is at
// `index` in the tree of `size` leaves whose root is `root`.
absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Hash& leaf_hash,
                             absl::Span<const Hash> proof, const Hash& root);

// Returns OK iff `proof` proves that the tree of size1 leaves with root
// `root1` is a prefix of the tree of size2 leaves with root `root2`.
// Edge cases (RFC 9162 defines proofs only for 0 < size1 < size2):
//   size1 > size2             -> error;
//   size1 == size2            -> the proof must be empty and root1 == root2;
//   size1 == 0 (size2 > 0)    -> the proof must be empty and root1 must be
//                                EmptyRoot(); root2 is not constrained.
absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               absl::Span<const Hash> proof, const Hash& root1,
                               const Hash& root2);

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_VERIFY_H_
