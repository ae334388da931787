#include "index/ledger_input.h"

#include <algorithm>

namespace vindex {

InputLeafReader LedgerLeaves(const ledger::Ledger& input) {
  return [&input](uint64_t start, uint64_t max_count) {
    return input.GetLeaves(
        start, std::min(max_count, ledger::StoredLog::kMaxLeavesPerRead));
  };
}

}  // namespace vindex
