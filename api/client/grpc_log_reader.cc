#include "api/client/grpc_log_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace api::client {

namespace {
// Audit.GetEntries serves at most this many leaves per call.
constexpr uint64_t kMaxPage = 1000;
}  // namespace

GrpcLogReader::GrpcLogReader(std::unique_ptr<LedgerClient> client,
                             std::string target)
    : client_(std::move(client)), target_(std::move(target)) {}

std::string GrpcLogReader::Source() const {
  return absl::StrCat("server ", target_);
}

std::string GrpcLogReader::Origin() const {
  return client_->configured_verifier().origin();
}

absl::StatusOr<VerifiedCheckpoint> GrpcLogReader::LatestCheckpoint() {
  return client_->LatestCheckpoint();
}

absl::StatusOr<VerifiedCheckpoint> GrpcLogReader::CheckpointAt(uint64_t size) {
  return client_->CheckpointAt(size);
}

absl::StatusOr<std::vector<VerifiedLeaf>> GrpcLogReader::ReadLeaves(
    const VerifiedCheckpoint& at, uint64_t start, uint64_t max_count) {
  return client_->ReadLeaves(
      at, start, static_cast<uint32_t>(std::min(max_count, kMaxPage)));
}

absl::StatusOr<ProvenLeaf> GrpcLogReader::ProveLeaf(
    const VerifiedCheckpoint& at, uint64_t index) {
  return client_->ProveLeaf(at, index);
}

absl::StatusOr<std::vector<ledger::merkle::Hash>>
GrpcLogReader::ProveConsistency(const VerifiedCheckpoint& older,
                                const VerifiedCheckpoint& newer) {
  return client_->ProveConsistency(older, newer);
}

}  // namespace api::client
