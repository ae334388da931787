// AuditLog: the full audit of a log through any LogReader (a folder, a
// server, tiles), the same checks for every source:
//   * every leaf up to the checkpoint is read (each proven by the reader) and
//     the Merkle root recomputed from all of them (compact range) equals the
//     checkpoint's root, so nothing was left out or added;
//   * every leaf parses and integration times never decrease;
//   * every entry is admitted by the pure admission rule (ledger/admission.h,
//     replay mode) under the key registry folded from the leaves before it,
//     and its signature verifies under the key that rule names (unless
//     LogAuditOptions::verify_signatures is off);
//   * the checkpoint is signed by the log key the leaves announce (LogKey
//     events) for its size, not only by the key the reader trusts.
// A local folder additionally gets ledger/audit.h's storage-level checks
// (stored tree nodes, every stored checkpoint, the stored registry).
//
// Thread-compatible: one audit per reader at a time.
#ifndef API_CLIENT_LOG_AUDIT_H_
#define API_CLIENT_LOG_AUDIT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/client/log_reader.h"
#include "ledger/key_registry.h"
#include "ledger/merkle/hash.h"

namespace api::client {

struct LogAuditOptions {
  // Called after each page of leaves with (leaves done, leaves total).
  // Default: none.
  std::function<void(uint64_t, uint64_t)> progress;
  // Called for each leaf, in order, after it was admitted and applied:
  // its index, exact bytes and the key registry folded up to and including
  // it (so the signer of every leaf so far is found). Its signature is
  // checked with its page's, after the visits of that page (the audit fails
  // then). A non-OK status stops the audit at the end of the page and is
  // returned as is. Default: none.
  std::function<absl::Status(uint64_t index, absl::string_view leaf,
                             const ledger::KeyRegistry& registry)>
      visit;
  // Leaves asked for per ReadLeaves call. Default: 1000.
  uint64_t page = 1000;
  // Verify every envelope's signature (the dominant cost: one Ed25519
  // verification per leaf). A reader that only needs the signed log's
  // content (compliance_check: the checkpoint covers the leaves, and the
  // admission rule is still replayed) may turn it off. Default: true.
  bool verify_signatures = true;
  // Threads verifying signatures (ledger/leaf_replay.h). Default: 2, as
  // the local audit (ledger/audit.h).
  int threads = 2;
};

struct LogAuditReport {
  bool ok = false;
  uint64_t entries = 0;         // leaves checked
  ledger::merkle::Hash root{};  // recomputed from the leaves checked
  // The first leaf that failed, when the failure is about one leaf.
  std::optional<uint64_t> first_bad_index;
  std::string problem;  // empty when ok
};

// Audits the leaves [0, at.fields.size) of `reader`'s log against `at` (a
// checkpoint the reader verified). Returns a report: ok, or the first
// problem (a leaf that does not parse or is not admitted, a bad signature,
// a root that differs, or the reader's kDataLoss about what the source
// holds). A non-OK status when the audit could not run (the source's other
// errors) or `visit` failed.
absl::StatusOr<LogAuditReport> AuditLog(LogReader& reader,
                                        const VerifiedCheckpoint& at,
                                        const LogAuditOptions& options = {});

}  // namespace api::client

#endif  // API_CLIENT_LOG_AUDIT_H_
