#include "ledger/merkle/fold_memo.h"

namespace ledger::merkle {

std::optional<Hash> FoldMemo::Find(uint64_t begin, uint64_t end) const {
  absl::MutexLock lock(&mu_);
  auto it = folds_.find({begin, end});
  if (it == folds_.end()) return std::nullopt;
  return it->second;
}

void FoldMemo::Remember(uint64_t begin, uint64_t end, const Hash& hash) {
  absl::MutexLock lock(&mu_);
  if (folds_.size() >= max_entries_) folds_.clear();
  folds_[{begin, end}] = hash;
}

size_t FoldMemo::size() const {
  absl::MutexLock lock(&mu_);
  return folds_.size();
}

}  // namespace ledger::merkle
