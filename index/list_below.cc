#include "index/list_below.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/list_nodes.h"
#include "index/map_hash.h"

namespace vindex {

using ledger::merkle::CompactRange;

absl::StatusOr<uint64_t> ListCountBelow(const IndexBuilder& builder,
                                        absl::string_view model_id,
                                        uint64_t input_size) {
  // The first position whose element is at or past input_size, in
  // [lo, hi]: the list ascends.
  uint64_t lo = 0, hi = builder.ListRange(model_id).size();
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    ASSIGN_OR_RETURN(std::vector<uint64_t> at, builder.List(model_id, mid, 1));
    if (at.size() != 1) {
      return absl::DataLossError(absl::StrCat("index: the list of ", model_id,
                                              " has no element at position ",
                                              mid, " below its count ", hi));
    }
    if (at[0] < input_size) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

absl::StatusOr<CompactRange> ListRangeBelow(const IndexBuilder& builder,
                                            absl::string_view model_id,
                                            uint64_t input_size) {
  ASSIGN_OR_RETURN(uint64_t count,
                   ListCountBelow(builder, model_id, input_size));
  if (count == 0) return CompactRange();
  ASSIGN_OR_RETURN(StoredListNodes nodes, builder.ListNodes(model_id, count));
  ASSIGN_OR_RETURN(std::vector<Hash> frontier,
                   nodes.ReadNodes(CompactRange::FrontierNodeIds(count)));
  return CompactRange::FromFrontier(count, std::move(frontier));
}

}  // namespace vindex
