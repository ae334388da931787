// A key's list below an input size, from the builder's storage: the compact
// range of the list's elements (leaf indices) below `input_size`, what an
// index citation as of an older size commits to (finding_citation.h).
//
// The list ascends, so the elements below a size are a prefix of it: its
// length is found by binary search over the stored elements (O(log n) point
// reads) and its compact range read from the stored list nodes
// (list_nodes.h: O(log n) nodes and at most 255 elements), never the whole
// list (reading it was 1M element reads for a model with a million entries).
//
// Reads through the builder; thread-safe as far as its const reads are.
#ifndef INDEX_LIST_BELOW_H_
#define INDEX_LIST_BELOW_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/index_builder.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {

// The number of elements of `model_id`'s stored list (at the builder's
// current state) that are below `input_size` (0 for an absent model). The
// store's errors.
absl::StatusOr<uint64_t> ListCountBelow(const IndexBuilder& builder,
                                        absl::string_view model_id,
                                        uint64_t input_size);

// The compact range (ListLeafHash leaves) of those elements. kDataLoss for a
// stored node or element missing or malformed (list_nodes.h); the store's
// errors.
absl::StatusOr<ledger::merkle::CompactRange> ListRangeBelow(
    const IndexBuilder& builder, absl::string_view model_id,
    uint64_t input_size);

}  // namespace vindex

#endif  // INDEX_LIST_BELOW_H_
