// AuditLog: the full audit of a log through any LogReader — a remote log
// read from its tiles alone (`ledgerctl verify --tiles URL`), or any other
// source. What it checks:
//   * the latest checkpoint (verified by the reader: signature, consistency
//     with the reader's trusted checkpoint);
//   * every leaf, read in order and proven in that checkpoint by the reader,
//     replayed by ledger::LeafReplay as the local audit does: leaves and
//     envelopes parse, integration times never decrease, every envelope is
//     admitted under the key registry replayed from leaf 0 and its
//     signature verifies;
//   * the root recomputed from the leaves equals the checkpoint's;
//   * the checkpoint is signed by the log key the leaves announce for its
//     size (the LogKey events), not merely by the key the caller trusted.
// A source that serves data which does not verify (the reader's kDataLoss)
// is an audit failure, reported like a bad leaf; other reader errors (HTTP,
// gRPC, I/O) are returned as the status.
#ifndef API_CLIENT_LOG_AUDIT_H_
#define API_CLIENT_LOG_AUDIT_H_

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "ledger/audit.h"

namespace api::client {

// `options.progress` and `options.threads` as for ledger::AuditStore. The
// report counts one checkpoint (the latest; a remote source need not keep
// the others); simulated_clock_since is unknown (unset).
absl::StatusOr<ledger::AuditReport> AuditLog(
    LogReader& reader, const ledger::AuditOptions& options);

}  // namespace api::client

#endif  // API_CLIENT_LOG_AUDIT_H_
