// A page of a key's list, proven against the list's (count, root) alone
// (index/FORMAT.md, "Pages of a list"): an RFC 6962 range proof made of
// standard parts only. For the page of positions [start, end) of a list of
// `count` elements:
//   left  = the compact range of [0, start): the roots of the perfect
//           subtrees of start's binary decomposition, largest first
//           (popcount(start) hashes);
//   right = the RFC 9162 consistency proof from the tree of `end` elements
//           to the tree of `count` elements.
// The client rebuilds the tree of `end` elements from `left` and the page's
// own leaf hashes, then checks that tree is a prefix of the list's. Both
// parts are logarithmic, so a page of a list of a million elements carries
// ~40 hashes whatever its position.
//
// Pure functions; thread-safe (ProveListRange as far as its reader is).
#ifndef INDEX_LIST_RANGE_H_
#define INDEX_LIST_RANGE_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "index/map_hash.h"
#include "ledger/merkle/node_reader.h"

namespace vindex {

struct ListRangeProof {
  std::vector<Hash> left;   // compact range of [0, start)
  std::vector<Hash> right;  // consistency proof from end to count
};

// The range proof of positions [start, end) in the first `count` elements
// of the list whose perfect nodes `list` reads (the tree of its
// ListLeafHash leaves). kInvalidArgument unless start < end <= count; the
// reader's errors otherwise.
absl::StatusOr<ListRangeProof> ProveListRange(ledger::merkle::NodeReader& list,
                                              uint64_t start, uint64_t end,
                                              uint64_t count);

// OK iff `proof` shows that `page` (leaf indices) are exactly the elements
// at positions [start, start + page.size()) of the list of `count` elements
// whose RFC 6962 root is `root`. kInvalidArgument saying why otherwise (an
// empty page or one past `count`, a malformed proof, a root that does not
// match). Says nothing about order: the caller checks the page ascends.
absl::Status VerifyListRange(const Hash& root, uint64_t count, uint64_t start,
                             absl::Span<const uint64_t> page,
                             const ListRangeProof& proof);

}  // namespace vindex

#endif  // INDEX_LIST_RANGE_H_
