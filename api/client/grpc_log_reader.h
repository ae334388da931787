// GrpcLogReader: the LogReader of a ledger server, over the verifying
// LedgerClient. Checkpoints are verified and reconciled with the client's
// trusted checkpoint (and its store, log-key rotations included); each leaf
// comes with an inclusion proof the client checks (one Audit.GetInclusionProof
// per leaf: correct, not fast; tiles are the fast path for whole logs).
//
// Errors as log_reader.h; the server's refusals keep their gRPC code.
// Thread-safe (LedgerClient is).
#ifndef API_CLIENT_GRPC_LOG_READER_H_
#define API_CLIENT_GRPC_LOG_READER_H_

#include <memory>
#include <string>
#include <vector>

#include "api/client/ledger_client.h"
#include "api/client/log_reader.h"

namespace api::client {

class GrpcLogReader : public LogReader {
 public:
  // `target` names the server in Source(). REQUIRES: client != nullptr.
  GrpcLogReader(std::unique_ptr<LedgerClient> client, std::string target);

  std::string Source() const override;
  std::string Origin() const override;
  absl::StatusOr<VerifiedCheckpoint> LatestCheckpoint() override;
  absl::StatusOr<VerifiedCheckpoint> CheckpointAt(uint64_t size) override;
  absl::StatusOr<std::vector<VerifiedLeaf>> ReadLeaves(
      const VerifiedCheckpoint& at, uint64_t start,
      uint64_t max_count) override;
  absl::StatusOr<ProvenLeaf> ProveLeaf(const VerifiedCheckpoint& at,
                                       uint64_t index) override;
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const VerifiedCheckpoint& older,
      const VerifiedCheckpoint& newer) override;

  // The client, for the server's other services (keys, models, findings).
  LedgerClient& client() { return *client_; }

 private:
  std::unique_ptr<LedgerClient> client_;
  std::string target_;
};

}  // namespace api::client

#endif  // API_CLIENT_GRPC_LOG_READER_H_
