#include "api/client/log_verifier.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/merkle/verify.h"

namespace api::client {

using ledger::CheckpointFields;
using ledger::merkle::Hash;
using ledger::merkle::HashToHex;

absl::StatusOr<std::vector<Hash>> ProofHashes(
    absl::Span<const std::string> hashes) {
  std::vector<Hash> out(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (hashes[i].size() != ledger::merkle::kHashSize) {
      return absl::DataLossError(absl::StrCat("proof hash ", i, " is ",
                                              hashes[i].size(), " bytes, want ",
                                              ledger::merkle::kHashSize));
    }
    std::copy(hashes[i].begin(), hashes[i].end(), out[i].begin());
  }
  return out;
}

absl::Status ForkError(uint64_t size, const Hash& now, const Hash& earlier) {
  return absl::DataLossError(absl::StrCat("server forked: at size ", size,
                                          " it now says root ", HashToHex(now),
                                          ", earlier ", HashToHex(earlier)));
}

namespace {
constexpr absl::string_view kSignatureError =
    "checkpoint signature does not verify for key ";
}  // namespace

bool IsCheckpointSignatureError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kDataLoss &&
         absl::StartsWith(status.message(), kSignatureError);
}

absl::StatusOr<LogVerifier> LogVerifier::Create(
    absl::string_view verifier_key) {
  ASSIGN_OR_RETURN(ledger::note::NoteVerifier verifier,
                   ledger::note::NoteVerifier::FromVerifierKey(verifier_key));
  RETURN_IF_ERROR(ledger::ValidateOrigin(verifier.name()));
  return LogVerifier(std::move(verifier));
}

absl::StatusOr<VerifiedCheckpoint> LogVerifier::VerifyCheckpoint(
    absl::string_view note) const {
  absl::StatusOr<CheckpointFields> fields =
      ledger::VerifyCheckpoint(note, origin(), verifier_.public_key());
  if (fields.status().code() == absl::StatusCode::kUnauthenticated) {
    return absl::DataLossError(absl::StrCat(kSignatureError, verifier_key(),
                                            ": ", fields.status().message()));
  }
  if (!fields.ok()) {
    return absl::DataLossError(
        absl::StrCat("checkpoint is malformed: ", fields.status().message()));
  }
  return VerifiedCheckpoint{*std::move(fields), std::string(note)};
}

absl::Status LogVerifier::VerifyInclusion(
    uint64_t index, const Hash& leaf_hash, absl::Span<const Hash> proof,
    const CheckpointFields& checkpoint) const {
  absl::Status status = ledger::merkle::VerifyInclusion(
      index, checkpoint.size, leaf_hash, proof, checkpoint.root);
  if (status.ok()) return status;
  return absl::DataLossError(
      absl::StrCat("inclusion proof for leaf ", index,
                   " does not match checkpoint root at size ", checkpoint.size,
                   ": ", status.message()));
}

absl::Status LogVerifier::VerifyConsistency(
    const CheckpointFields& older, const CheckpointFields& newer,
    absl::Span<const Hash> proof) const {
  if (older.size == newer.size && older.root != newer.root) {
    return ForkError(newer.size, newer.root, older.root);
  }
  absl::Status status = ledger::merkle::VerifyConsistency(
      older.size, newer.size, proof, older.root, newer.root);
  if (status.ok()) return status;
  return absl::DataLossError(absl::StrCat(
      "consistency proof from size ", older.size, " (root ",
      HashToHex(older.root), ") to size ", newer.size, " (root ",
      HashToHex(newer.root), ") does not verify: ", status.message()));
}

}  // namespace api::client
