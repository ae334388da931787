// LedgerClient: submission and proof receipts.
#include "absl/strings/str_cat.h"
#include "api/client/ledger_client.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "ledger/entry/leaf.h"

namespace api::client {

using ledger::merkle::Hash;
namespace v1 = ::aifl::api::v1;

absl::StatusOr<std::vector<absl::StatusOr<v1::DurableReceipt>>>
LedgerClient::Submit(absl::Span<const std::string> envelopes) {
  v1::SubmitRequest request;
  for (const std::string& envelope : envelopes) request.add_envelopes(envelope);
  v1::SubmitResponse response;
  grpc::ClientContext context;
  SetDeadline(context, options_.rpc_timeout);
  RETURN_IF_ERROR(FromGrpcStatus(
      "Ingest.Submit", ingest_->Submit(&context, request, &response)));
  if (response.results_size() != static_cast<int>(envelopes.size())) {
    return absl::DataLossError(
        absl::StrCat("server returned ", response.results_size(),
                     " results for ", envelopes.size(), " envelopes"));
  }
  std::vector<absl::StatusOr<v1::DurableReceipt>> results;
  results.reserve(envelopes.size());
  for (const v1::EntryResult& result : response.results()) {
    switch (result.result_case()) {
      case v1::EntryResult::kReceipt:
        results.push_back(result.receipt());
        break;
      case v1::EntryResult::kError:
        results.push_back(FromEntryError(result.error()));
        break;
      default:
        results.push_back(absl::DataLossError(
            "server returned a result with neither receipt nor error"));
    }
  }
  return results;
}

absl::StatusOr<v1::ProofReceipt> LedgerClient::GetProofReceipt(
    absl::Span<const uint64_t> leaf_indices, bool wait) {
  const uint64_t trusted_size = TrustedSize();
  v1::ProofReceiptRequest request;
  for (uint64_t index : leaf_indices) request.add_leaf_indices(index);
  request.set_wait(wait);
  v1::ProofReceipt response;
  grpc::ClientContext context;
  SetDeadline(context, wait ? options_.wait_timeout : options_.rpc_timeout);
  RETURN_IF_ERROR(
      FromGrpcStatus("Ingest.GetProofReceipt",
                     ingest_->GetProofReceipt(&context, request, &response)));
  ASSIGN_OR_RETURN(
      VerifiedCheckpoint checkpoint,
      Accept(response.checkpoint(), /*latest=*/true, 0, trusted_size));
  if (response.proofs_size() != static_cast<int>(leaf_indices.size())) {
    return absl::DataLossError(
        absl::StrCat("proof receipt has ", response.proofs_size(),
                     " proofs for ", leaf_indices.size(), " leaves"));
  }
  for (size_t i = 0; i < leaf_indices.size(); ++i) {
    const v1::InclusionProof& proof = response.proofs(i);
    if (proof.leaf_index() != leaf_indices[i] ||
        proof.tree_size() != checkpoint.fields.size) {
      return absl::DataLossError(absl::StrCat(
          "proof receipt entry ", i, " is for leaf ", proof.leaf_index(),
          " at size ", proof.tree_size(), ", want leaf ", leaf_indices[i],
          " at the checkpoint's size ", checkpoint.fields.size));
    }
    RETURN_IF_ERROR(Hashes(proof.hashes()).status());
  }
  return response;
}

absl::Status LedgerClient::VerifyReceipt(
    absl::string_view envelope, const v1::DurableReceipt& receipt,
    const v1::ProofReceipt& proof_receipt) const {
  ASSIGN_OR_RETURN(VerifiedCheckpoint checkpoint,
                   verifier().VerifyCheckpoint(proof_receipt.checkpoint()));
  const v1::InclusionProof* proof = nullptr;
  for (const v1::InclusionProof& candidate : proof_receipt.proofs()) {
    if (candidate.leaf_index() == receipt.leaf_index()) proof = &candidate;
  }
  if (proof == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "proof receipt has no proof for leaf ", receipt.leaf_index()));
  }
  if (proof->tree_size() != checkpoint.fields.size) {
    return absl::DataLossError(
        absl::StrCat("inclusion proof for leaf ", receipt.leaf_index(),
                     " is at size ", proof->tree_size(),
                     ", the checkpoint's size is ", checkpoint.fields.size));
  }
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, Hashes(proof->hashes()));
  const std::string leaf = ledger::entry::EncodeLeaf(
      receipt.integration_time_unix_micros(), envelope);
  return verifier_.VerifyInclusion(receipt.leaf_index(),
                                   ledger::merkle::HashLeaf(leaf), hashes,
                                   checkpoint.fields);
}

absl::Status LedgerClient::ConfirmIncluded(
    absl::Span<const SubmittedEntry> entries, bool wait) {
  std::vector<uint64_t> indices;
  indices.reserve(entries.size());
  for (const SubmittedEntry& entry : entries) {
    indices.push_back(entry.receipt.leaf_index());
  }
  ASSIGN_OR_RETURN(v1::ProofReceipt proof_receipt,
                   GetProofReceipt(indices, wait));
  for (const SubmittedEntry& entry : entries) {
    RETURN_IF_ERROR(
        VerifyReceipt(entry.envelope, entry.receipt, proof_receipt));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::KeyRecord> LedgerClient::OwnKeyState(
    absl::string_view key_id_bytes) {
  v1::GetOwnKeyStateRequest request;
  request.add_key_ids(std::string(key_id_bytes));
  ASSIGN_OR_RETURN(v1::GetOwnKeyStateResponse response,
                   UnaryCall("Ingest.GetOwnKeyState", ingest_.get(),
                             &v1::Ingest::Stub::GetOwnKeyState, request));
  if (response.keys_size() == 0) {
    return absl::NotFoundError(
        "Ingest.GetOwnKeyState: the server reports no such key of yours (not "
        "enrolled, or not bound to this client's TLS identity and role)");
  }
  if (response.keys_size() != 1 || response.keys(0).key_id() != key_id_bytes) {
    return absl::DataLossError(
        absl::StrCat("Ingest.GetOwnKeyState: asked for one key, got ",
                     response.keys_size(), " keys or another key"));
  }
  return response.keys(0);
}

}  // namespace api::client
