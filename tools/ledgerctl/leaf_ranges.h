// Leaf indices grouped as contiguous ranges, for reports a person reads:
// "1200–1890 (691), 1900" instead of 692 numbers. Pure; thread-compatible.
#ifndef TOOLS_LEDGERCTL_LEAF_RANGES_H_
#define TOOLS_LEDGERCTL_LEAF_RANGES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace ledgerctl {

// Inclusive range of leaf indices: first <= last.
struct LeafRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t count() const { return last - first + 1; }
};

// The distinct indices of `leaves` (any order, duplicates allowed) as sorted,
// maximal contiguous ranges.
std::vector<LeafRange> ToLeafRanges(std::vector<uint64_t> leaves);

// Total number of leaves in `ranges`.
uint64_t LeafCount(const std::vector<LeafRange>& ranges);

// "3, 7–9, 12" (en dash; a single leaf prints once). Empty for no ranges.
std::string LeafRangesText(const std::vector<LeafRange>& ranges);

// JSON: {"count":N,"ranges":[[first,last],...]}.
std::string LeafRangesJson(const std::vector<LeafRange>& ranges);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_LEAF_RANGES_H_
