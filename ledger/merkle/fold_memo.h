// Remembers the hashes of "ephemeral" proof entries: subtrees [begin, end)
// on a tree's right edge that are not perfect, which a proof computes by
// folding several perfect nodes (FoldSubtrees). Every proof against one tree
// size that reaches the right edge needs the same few of them (one per level
// of the edge: all leaves left of 2^k share the sibling [2^k, size)), and
// folding them was ~40 % of serving an inclusion proof from memory (SHA-256
// in libsodium is software-only). A subtree's hash depends only on leaves
// that never change, so entries never go stale; the memo is bounded and
// simply cleared when full (proofs against many old sizes).
//
// Thread-safe.
#ifndef LEDGER_MERKLE_FOLD_MEMO_H_
#define LEDGER_MERKLE_FOLD_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "ledger/merkle/hash.h"

namespace ledger::merkle {

class FoldMemo {
 public:
  explicit FoldMemo(size_t max_entries = 1024) : max_entries_(max_entries) {}

  // The hash of subtree [begin, end), if remembered.
  std::optional<Hash> Find(uint64_t begin, uint64_t end) const;
  void Remember(uint64_t begin, uint64_t end, const Hash& hash);

  size_t size() const;

 private:
  const size_t max_entries_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::pair<uint64_t, uint64_t>, Hash> folds_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ledger::merkle

#endif  // LEDGER_MERKLE_FOLD_MEMO_H_
