// The full offline audit of a ledger folder: recomputes everything a verifier
// would and compares it with what is stored and signed.
//
//  * every leaf parses, integration times never decrease;
//  * every envelope's signature verifies under the key registry as it stood
//    at that leaf (replayed from leaf 0: genesis, enrolments, revocations),
//    roles are respected and per-key sequence numbers are contiguous;
//  * the Merkle root recomputed from the leaves equals the root of every
//    stored checkpoint at its size, each checkpoint's signature verifies, and
//    the stored tree nodes give the same roots;
//  * the stored key registry equals the replayed one.
//
// Reads the database directly (read-only), so a damaged ledger that the
// server would refuse to open is still audited down to the first bad leaf.
#ifndef LEDGER_AUDIT_H_
#define LEDGER_AUDIT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"
#include "ledger/storage/store.h"

namespace ledger {

struct AuditOptions {
  // Called every few thousand leaves with (leaves done, leaves total).
  std::function<void(uint64_t, uint64_t)> progress;
  // Threads verifying signatures. Default: 2.
  int threads = 2;
};

struct AuditReport {
  bool ok = false;
  uint64_t entries = 0;      // leaves checked
  uint64_t checkpoints = 0;  // stored checkpoints checked
  uint64_t latest_checkpoint_size = 0;
  merkle::Hash root{};  // recomputed root of all leaves
  // The first leaf that failed, when the failure is about one leaf.
  std::optional<uint64_t> first_bad_index;
  std::string problem;  // empty when ok
  // The meta value `simulated_clock`: set when the integration times follow
  // a simulated clock (the tree size when the ledger was marked).
  std::optional<uint64_t> simulated_clock_since;
};

// Audits the ledger whose database is open in `store` (read-only is fine).
// Returns a report (ok or the first problem found); a non-OK status only when
// the audit itself could not run (I/O errors).
absl::StatusOr<AuditReport> AuditStore(const storage::Store& store,
                                       const AuditOptions& options);

// Opens <dir>/db (or `dir` itself when it is a database, e.g. a snapshot)
// read-only and audits it.
absl::StatusOr<AuditReport> AuditLedgerDir(const std::string& dir,
                                           const AuditOptions& options);

}  // namespace ledger

#endif  // LEDGER_AUDIT_H_
