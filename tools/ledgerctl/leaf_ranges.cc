#include "tools/ledgerctl/leaf_ranges.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ledgerctl {

std::vector<LeafRange> ToLeafRanges(std::vector<uint64_t> leaves) {
  std::sort(leaves.begin(), leaves.end());
  std::vector<LeafRange> out;
  for (uint64_t leaf : leaves) {
    if (!out.empty() && leaf <= out.back().last + 1) {
      out.back().last = std::max(out.back().last, leaf);
    } else {
      out.push_back(LeafRange{leaf, leaf});
    }
  }
  return out;
}

uint64_t LeafCount(const std::vector<LeafRange>& ranges) {
  uint64_t n = 0;
  for (const LeafRange& r : ranges) n += r.count();
  return n;
}

std::string LeafRangesText(const std::vector<LeafRange>& ranges) {
  std::string out;
  for (const LeafRange& r : ranges) {
    if (!out.empty()) out += ", ";
    if (r.first == r.last) {
      absl::StrAppend(&out, r.first);
    } else {
      absl::StrAppend(&out, r.first, "\xE2\x80\x93", r.last);
    }
  }
  return out;
}

std::string LeafRangesJson(const std::vector<LeafRange>& ranges) {
  std::string list;
  for (const LeafRange& r : ranges)
    absl::StrAppend(&list, list.empty() ? "" : ",", "[", r.first, ",", r.last,
                    "]");
  return absl::StrCat("{\"count\":", LeafCount(ranges), ",\"ranges\":[", list,
                      "]}");
}

}  // namespace ledgerctl
