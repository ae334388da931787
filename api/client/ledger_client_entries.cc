// LedgerClient: entries and inclusion proofs, each verified against a
// verified checkpoint (the latest one, or one the caller passes).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "api/client/ledger_client.h"
#include "api/client/log_reader_checks.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"

namespace api::client {

using ledger::merkle::Hash;
namespace v1 = ::aifl::api::v1;

absl::StatusOr<std::vector<std::string>> LedgerClient::GetEntries(
    uint64_t start, uint32_t count) {
  v1::GetEntriesRequest request;
  request.set_start(start);
  request.set_count(count);
  v1::GetEntriesResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options_.rpc_timeout);
  RETURN_IF_ERROR(FromGrpcStatus(
      "Audit.GetEntries", audit_->GetEntries(&context, request, &response)));
  if (response.leaves_size() > static_cast<int64_t>(count)) {
    return absl::DataLossError(absl::StrCat(
        "asked for ", count, " leaves, got ", response.leaves_size()));
  }
  return std::vector<std::string>(response.leaves().begin(),
                                  response.leaves().end());
}

absl::StatusOr<std::vector<Hash>> LedgerClient::ProveInclusion(
    const VerifiedCheckpoint& checkpoint, uint64_t index,
    absl::string_view leaf) {
  v1::InclusionProofRequest request;
  request.set_leaf_index(index);
  request.set_tree_size(checkpoint.fields.size);
  v1::InclusionProof response;
  grpc::ClientContext context;
  SetDeadline(context, options_.rpc_timeout);
  RETURN_IF_ERROR(
      FromGrpcStatus("Audit.GetInclusionProof",
                     audit_->GetInclusionProof(&context, request, &response)));
  if (response.leaf_index() != index ||
      response.tree_size() != checkpoint.fields.size) {
    return absl::DataLossError(
        absl::StrCat("asked for the inclusion proof of leaf ", index,
                     " at size ", checkpoint.fields.size, ", got leaf ",
                     response.leaf_index(), " at size ", response.tree_size()));
  }
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, Hashes(response.hashes()));
  RETURN_IF_ERROR(verifier_.VerifyInclusion(
      index, ledger::merkle::HashLeaf(leaf), hashes, checkpoint.fields));
  return hashes;
}

absl::StatusOr<std::vector<VerifiedLeaf>> LedgerClient::ReadLeaves(
    const VerifiedCheckpoint& at, uint64_t start, uint32_t count) {
  RETURN_IF_ERROR(CheckLeafInTree(at, start));
  const uint64_t size = at.fields.size;
  const uint32_t n =
      static_cast<uint32_t>(std::min<uint64_t>(count, size - start));
  ASSIGN_OR_RETURN(std::vector<std::string> leaves, GetEntries(start, n));
  if (leaves.empty() && n > 0) {
    return absl::DataLossError(
        absl::StrCat("server returned no leaves from ", start,
                     " though its checkpoint covers size ", size));
  }
  std::vector<VerifiedLeaf> out;
  out.reserve(leaves.size());
  for (size_t i = 0; i < leaves.size(); ++i) {
    RETURN_IF_ERROR(ProveInclusion(at, start + i, leaves[i]).status());
    out.push_back(VerifiedLeaf{start + i, std::move(leaves[i])});
  }
  return out;
}

absl::StatusOr<ProvenLeaf> LedgerClient::ProveLeaf(const VerifiedCheckpoint& at,
                                                   uint64_t index) {
  RETURN_IF_ERROR(CheckLeafInTree(at, index));
  ASSIGN_OR_RETURN(std::vector<std::string> leaves, GetEntries(index, 1));
  if (leaves.size() != 1) {
    return absl::DataLossError(
        absl::StrCat("server returned no leaf at index ", index));
  }
  ProvenLeaf out;
  out.index = index;
  out.leaf = std::move(leaves[0]);
  ASSIGN_OR_RETURN(out.proof, ProveInclusion(at, index, out.leaf));
  return out;
}

absl::StatusOr<VerifiedEntries> LedgerClient::GetVerifiedEntries(
    uint64_t start, uint32_t count) {
  VerifiedEntries out;
  ASSIGN_OR_RETURN(out.checkpoint, LatestCheckpoint());
  if (start >= out.checkpoint.fields.size) {
    return absl::OutOfRangeError(absl::StrCat(
        "start ", start, " is beyond the latest checkpoint's size ",
        out.checkpoint.fields.size));
  }
  ASSIGN_OR_RETURN(out.leaves, ReadLeaves(out.checkpoint, start, count));
  return out;
}

absl::StatusOr<VerifiedLeaf> LedgerClient::InclusionProofByIndex(
    uint64_t index) {
  ASSIGN_OR_RETURN(VerifiedEntries entries, GetVerifiedEntries(index, 1));
  return std::move(entries.leaves.front());
}

absl::StatusOr<uint64_t> LedgerClient::InclusionProofByHash(
    const Hash& leaf_hash) {
  ASSIGN_OR_RETURN(VerifiedCheckpoint checkpoint, LatestCheckpoint());
  return FindLeaf(leaf_hash, checkpoint);
}

absl::StatusOr<uint64_t> LedgerClient::FindLeaf(const Hash& leaf_hash,
                                                const VerifiedCheckpoint& at) {
  v1::InclusionProofRequest request;
  request.set_leaf_hash(std::string(leaf_hash.begin(), leaf_hash.end()));
  request.set_tree_size(at.fields.size);
  v1::InclusionProof response;
  grpc::ClientContext context;
  SetDeadline(context, options_.rpc_timeout);
  RETURN_IF_ERROR(
      FromGrpcStatus("Audit.GetInclusionProof",
                     audit_->GetInclusionProof(&context, request, &response)));
  if (response.tree_size() != at.fields.size) {
    return absl::DataLossError(
        absl::StrCat("asked for an inclusion proof at size ", at.fields.size,
                     ", got one at size ", response.tree_size()));
  }
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, Hashes(response.hashes()));
  RETURN_IF_ERROR(verifier_.VerifyInclusion(response.leaf_index(), leaf_hash,
                                            hashes, at.fields));
  return response.leaf_index();
}

}  // namespace api::client
