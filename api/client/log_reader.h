// LogReader: the one way every reader of a log (ledgerctl, compliance_check,
// the report, the AI Office monitor) reads it, whatever serves it:
//   - a local ledger folder (ledger::Ledger opened read-only),
//   - a ledger server over gRPC (LedgerClient),
//   - C2SP tlog-tiles over HTTP (a checkpoint, hash tiles, entry bundles).
//
// Every implementation verifies what it returns before returning it, so a
// caller never re-checks: checkpoints are signed by the trusted log key and
// consistent with the last checkpoint this reader trusted (which they then
// advance); leaves and proof hashes are proven against the checkpoint they
// were asked for. A local folder is verified the same way: its stored tree
// and signed state are data like any server's answer.
//
// Errors: kDataLoss when what the source holds or sent does not verify (a
// bad signature, a proof that does not match, a rollback or fork), with a
// message naming it; kOutOfRange for an index or size beyond the checkpoint
// asked about; kUnimplemented for a read the source cannot serve (tiles keep
// only the latest signed checkpoint: CheckpointAt; TreeAt serves older
// sizes); the transport's own code otherwise (gRPC
// code, HTTP failure as kUnavailable, a folder's I/O error).
//
// Not thread-safe unless an implementation says so: one command, one thread.
#ifndef API_CLIENT_LOG_READER_H_
#define API_CLIENT_LOG_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/log_verifier.h"
#include "ledger/merkle/hash.h"

namespace api::client {

// A leaf proven to be in the tree of a checkpoint (how it was proven is the
// reader's business: a per-leaf proof, a recomputed tile, a range).
struct VerifiedLeaf {
  uint64_t index = 0;
  std::string leaf;  // leaf bytes (ledger/FORMAT.md, "Leaf")
};

// A leaf and its inclusion proof, verified against one checkpoint.
struct ProvenLeaf {
  uint64_t index = 0;
  std::string leaf;  // leaf bytes (ledger/FORMAT.md, "Leaf")
  std::vector<ledger::merkle::Hash> proof;
};

class LogReader {
 public:
  virtual ~LogReader() = default;

  // Where this reader reads from, for messages: "folder /var/lib/aifl",
  // "server ledger.example:8443", "tiles https://example/log/".
  virtual std::string Source() const = 0;

  // The log's origin (the verifier key's name).
  virtual std::string Origin() const = 0;

  // The newest checkpoint the source publishes: signature verified, then
  // reconciled with the trusted checkpoint (consistency proof for a larger
  // size, equal root for the same size, kDataLoss "rolled back from size X
  // to Y" for a smaller one) and trusted.
  virtual absl::StatusOr<VerifiedCheckpoint> LatestCheckpoint() = 0;

  // The checkpoint published at exactly `size` (> 0), verified and shown
  // consistent with the trusted one. kUnimplemented where the source keeps
  // only its newest checkpoint (tiles); kNotFound when none has that size.
  virtual absl::StatusOr<VerifiedCheckpoint> CheckpointAt(uint64_t size) = 0;

  // The tree of `size` (> 0) leaves, verified: the signed checkpoint of
  // that size where the source keeps one (CheckpointAt, the default), else
  // (tiles) its root computed from nodes verified under the latest signed
  // checkpoint and proven a prefix of it, with an empty `note`. Proofs at
  // such a tree are as sound as at the latest checkpoint; only a signature
  // for `size` itself is missing. kOutOfRange beyond the latest checkpoint.
  virtual absl::StatusOr<VerifiedCheckpoint> TreeAt(uint64_t size) {
    return CheckpointAt(size);
  }

  // Leaves from `start`, in order, each proven to be in `at`'s tree: at
  // least one and at most `max_count` when start < at.fields.size (an
  // implementation may return fewer, e.g. up to a tile or page boundary;
  // callers loop). kOutOfRange when start >= at.fields.size.
  virtual absl::StatusOr<std::vector<VerifiedLeaf>> ReadLeaves(
      const VerifiedCheckpoint& at, uint64_t start, uint64_t max_count) = 0;

  // Leaf `index` and its inclusion proof in `at`'s tree, verified.
  // kOutOfRange when index >= at.fields.size.
  virtual absl::StatusOr<ProvenLeaf> ProveLeaf(const VerifiedCheckpoint& at,
                                               uint64_t index) = 0;

  // The consistency proof from `older` to `newer`, verified (empty when the
  // sizes are equal, after checking the roots are equal).
  // kInvalidArgument when older is larger than newer.
  virtual absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const VerifiedCheckpoint& older, const VerifiedCheckpoint& newer) = 0;
};

}  // namespace api::client

#endif  // API_CLIENT_LOG_READER_H_
