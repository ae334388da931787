#include "index/list_range.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/verify.h"

namespace vindex {

using ledger::merkle::CompactRange;

absl::StatusOr<ListRangeProof> ProveListRange(ledger::merkle::NodeReader& list,
                                              uint64_t start, uint64_t end,
                                              uint64_t count) {
  if (!(start < end && end <= count)) {
    return absl::InvalidArgumentError(
        absl::StrCat("list range [", start, ", ", end, ") of ", count,
                     " elements: want start < end <= count"));
  }
  ListRangeProof proof;
  const std::vector<ledger::merkle::NodeId> ids =
      CompactRange::FrontierNodeIds(start);
  if (!ids.empty()) {
    ASSIGN_OR_RETURN(proof.left, list.ReadNodes(ids));
  }
  ASSIGN_OR_RETURN(proof.right,
                   ledger::merkle::ConsistencyProof(end, count, list));
  return proof;
}

absl::Status VerifyListRange(const Hash& root, uint64_t count, uint64_t start,
                             absl::Span<const uint64_t> page,
                             const ListRangeProof& proof) {
  if (page.empty() || start >= count || page.size() > count - start) {
    return absl::InvalidArgumentError(
        absl::StrCat("list page of ", page.size(), " at position ", start,
                     ": not a non-empty range of a list of ", count));
  }
  absl::StatusOr<CompactRange> range =
      CompactRange::FromFrontier(start, proof.left);
  if (!range.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("list range proof: ", range.status().message()));
  }
  for (uint64_t index : page) range->Append(ListLeafHash(index), nullptr);
  absl::Status prefix = ledger::merkle::VerifyConsistency(
      range->size(), count, proof.right, range->Root(), root);
  if (!prefix.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "list range proof: positions [", start, ", ", range->size(),
        ") do not make the list root: ", prefix.message()));
  }
  return absl::OkStatus();
}

}  // namespace vindex
