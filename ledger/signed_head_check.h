// Rollback evidence: compares the stored tree of a ledger with a head the log
// key signed elsewhere — its signed-state file, or a checkpoint published to
// clients, witnesses or auditors — and says which is ahead. A database
// restored from an old backup is behind what was signed: entries with
// durable receipts are gone, and signing again would fork the log.
//
// Thread-safe (reads the ledger only).
#ifndef LEDGER_SIGNED_HEAD_CHECK_H_
#define LEDGER_SIGNED_HEAD_CHECK_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/ledger.h"
#include "ledger/merkle/hash.h"

namespace ledger {

struct HeadComparison {
  enum class Verdict {
    kSame,        // the tree is exactly the signed head
    kTreeAhead,   // the tree extends the signed head (not signed yet)
    kHeadAhead,   // the signed head is larger than the tree: rolled back
    kRootDiffers  // same size range, other root: a fork or a damaged tree
  };
  Verdict verdict = Verdict::kSame;
  // One line for a person, naming `source`, both sizes and what it means.
  std::string message;
  bool ok() const {
    return verdict == Verdict::kSame || verdict == Verdict::kTreeAhead;
  }
};

// Compares `ledger`'s stored tree with the head (`size`, `root`) signed in
// `source` (a file name, for the message). Errors only when the tree cannot
// be read.
absl::StatusOr<HeadComparison> CompareTreeWithSignedHead(
    const Ledger& ledger, absl::string_view source, uint64_t size,
    const merkle::Hash& root);

}  // namespace ledger

#endif  // LEDGER_SIGNED_HEAD_CHECK_H_
