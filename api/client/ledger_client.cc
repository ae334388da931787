// LedgerClient: creation, checkpoints and the trusted state, admin calls.
// Submission and receipts are in ledger_client_ingest.cc, entries and
// inclusion proofs in ledger_client_entries.cc.
#include "api/client/ledger_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/client/load_trust.h"
#include "api/client/log_reader_checks.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"

namespace api::client {

using ledger::CheckpointFields;
using ledger::merkle::Hash;
namespace v1 = ::aifl::api::v1;

LedgerClient::LedgerClient(std::shared_ptr<grpc::Channel> channel,
                           LogVerifier verifier, LedgerClientOptions options)
    : ingest_(v1::Ingest::NewStub(channel)),
      audit_(v1::Audit::NewStub(channel)),
      admin_(v1::Admin::NewStub(channel)),
      verifier_(verifier),
      options_(std::move(options)),
      current_verifier_(std::move(verifier)) {}

absl::StatusOr<std::unique_ptr<LedgerClient>> LedgerClient::Create(
    std::shared_ptr<grpc::Channel> channel, absl::string_view verifier_key,
    LedgerClientOptions options) {
  if (channel == nullptr) {
    return absl::InvalidArgumentError("channel: got null");
  }
  ASSIGN_OR_RETURN(LogVerifier verifier, LogVerifier::Create(verifier_key));
  if (options.witness_policy != nullptr) {
    RETURN_IF_ERROR(CheckPolicyNamesLog(*options.witness_policy, verifier));
  }
  std::unique_ptr<TrustedCheckpointStore> store;
  std::optional<VerifiedCheckpoint> trusted;
  std::optional<LogVerifier> current;
  if (!options.trusted_store_dir.empty()) {
    ASSIGN_OR_RETURN(store,
                     TrustedCheckpointStore::Open(options.trusted_store_dir));
    ASSIGN_OR_RETURN(std::optional<LoadedTrust> loaded,
                     LoadTrust(*store, verifier));
    if (loaded.has_value()) {
      trusted = std::move(loaded->checkpoint);
      current = std::move(loaded->verifier);
    }
  }
  auto client = std::unique_ptr<LedgerClient>(new LedgerClient(
      std::move(channel), std::move(verifier), std::move(options)));
  absl::MutexLock lock(&client->trust_mu_);
  client->store_ = std::move(store);
  client->trusted_ = std::move(trusted);
  if (current.has_value()) client->current_verifier_ = *std::move(current);
  return client;
}

uint64_t LedgerClient::TrustedSize() const {
  absl::MutexLock lock(&trust_mu_);
  return trusted_.has_value() ? trusted_->fields.size : 0;
}

LogVerifier LedgerClient::verifier() const {
  absl::MutexLock lock(&trust_mu_);
  return current_verifier_;
}

std::optional<VerifiedCheckpoint> LedgerClient::trusted() const {
  absl::MutexLock lock(&trust_mu_);
  return trusted_;
}

void LedgerClient::SetDeadline(grpc::ClientContext& context,
                               absl::Duration timeout) const {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

absl::StatusOr<std::vector<Hash>> LedgerClient::Hashes(
    const google::protobuf::RepeatedPtrField<std::string>& hashes) {
  return ProofHashes(std::vector<std::string>(hashes.begin(), hashes.end()));
}

absl::Status LedgerClient::Trust(const VerifiedCheckpoint& checkpoint) {
  if (store_ != nullptr) {
    RETURN_IF_ERROR(store_->Save(
        TrustedCheckpoint{checkpoint.fields.origin, checkpoint.fields.size,
                          checkpoint.fields.root, checkpoint.note,
                          current_verifier_.verifier_key()}));
  }
  trusted_ = checkpoint;
  return absl::OkStatus();
}

absl::Status LedgerClient::Witnessed(absl::string_view note) const {
  if (options_.witness_policy == nullptr) return absl::OkStatus();
  return CheckWitnessQuorum(*options_.witness_policy, current_verifier_, note);
}

absl::Status LedgerClient::WitnessedOrTrustedWitnessed(
    const absl::Status& status) const {
  if (status.ok() || !trusted_.has_value()) return status;
  // A prefix of a tree the quorum cosigned is what every party sees too.
  if (Witnessed(trusted_->note).ok()) return absl::OkStatus();
  return status;
}

absl::StatusOr<std::vector<Hash>> LedgerClient::CheckConsistency(
    const CheckpointFields& older, const CheckpointFields& newer) {
  std::vector<Hash> proof;
  if (older.size != 0 && older.size < newer.size) {
    v1::ConsistencyProofRequest request;
    request.set_from_size(older.size);
    request.set_to_size(newer.size);
    ASSIGN_OR_RETURN(v1::ConsistencyProof response,
                     UnaryCall("Audit.GetConsistencyProof", audit_.get(),
                               &v1::Audit::Stub::GetConsistencyProof, request));
    if (response.from_size() != older.size ||
        response.to_size() != newer.size) {
      return absl::DataLossError(
          absl::StrCat("asked for the consistency proof from size ", older.size,
                       " to ", newer.size, ", got one from ",
                       response.from_size(), " to ", response.to_size()));
    }
    ASSIGN_OR_RETURN(proof, Hashes(response.hashes()));
  }
  absl::Status status = verifier_.VerifyConsistency(older, newer, proof);
  if (status.ok()) return proof;
  if (older.size == newer.size) return status;
  return absl::DataLossError(
      absl::StrCat("server forked or sent a bad proof: ", status.message()));
}

absl::StatusOr<std::vector<Hash>> LedgerClient::ProveConsistency(
    const VerifiedCheckpoint& older, const VerifiedCheckpoint& newer) {
  RETURN_IF_ERROR(CheckConsistencyOrder(older, newer));
  return CheckConsistency(older.fields, newer.fields);
}

absl::StatusOr<VerifiedCheckpoint> LedgerClient::Accept(
    absl::string_view note, bool latest, uint64_t want_size,
    uint64_t trusted_size_when_asked) {
  ASSIGN_OR_RETURN(VerifiedCheckpoint checkpoint,
                   VerifyFollowingRotations(note));
  const CheckpointFields& got = checkpoint.fields;
  if (want_size != 0 && got.size != want_size) {
    return absl::DataLossError(absl::StrCat("asked for the checkpoint at size ",
                                            want_size, ", got size ",
                                            got.size));
  }
  absl::MutexLock lock(&trust_mu_);
  const absl::Status witnessed = Witnessed(checkpoint.note);
  if (!trusted_.has_value()) {  // trust on first use
    RETURN_IF_ERROR(witnessed);
    RETURN_IF_ERROR(Trust(checkpoint));
    return checkpoint;
  }
  const CheckpointFields known = trusted_->fields;
  if (got.size == known.size) {
    if (got.root != known.root)
      return ForkError(got.size, got.root, known.root);
    RETURN_IF_ERROR(WitnessedOrTrustedWitnessed(witnessed));
    if (options_.witness_policy != nullptr && witnessed.ok() &&
        !Witnessed(trusted_->note).ok()) {
      // Keep the cosignatures that make the trusted tree witnessed.
      RETURN_IF_ERROR(Trust(checkpoint));
    }
    return checkpoint;
  }
  if (got.size < known.size) {
    // A "latest" answer older than what this client trusted when it asked is
    // a rollback. One older only than what another thread trusted since is a
    // race between concurrent calls: it must still be a prefix.
    if (latest && got.size < trusted_size_when_asked) {
      return absl::DataLossError(absl::StrCat(
          "server rolled back from size ", known.size, " to ", got.size,
          ": its latest checkpoint is older than one "
          "this client already verified"));
    }
    RETURN_IF_ERROR(CheckConsistency(got, known).status());
    RETURN_IF_ERROR(WitnessedOrTrustedWitnessed(witnessed));
    return checkpoint;
  }
  RETURN_IF_ERROR(witnessed);
  RETURN_IF_ERROR(CheckConsistency(known, got).status());
  RETURN_IF_ERROR(Trust(checkpoint));
  return checkpoint;
}

absl::StatusOr<VerifiedCheckpoint> LedgerClient::FetchCheckpoint(uint64_t size,
                                                                 bool latest) {
  const uint64_t trusted_size = TrustedSize();
  v1::GetCheckpointRequest request;
  request.set_size(size);
  v1::Checkpoint response;
  grpc::ClientContext context;
  SetDeadline(context, options_.rpc_timeout);
  RETURN_IF_ERROR(
      FromGrpcStatus("Audit.GetCheckpoint",
                     audit_->GetCheckpoint(&context, request, &response)));
  return Accept(response.note(), latest, size, trusted_size);
}

absl::StatusOr<VerifiedCheckpoint> LedgerClient::LatestCheckpoint() {
  return FetchCheckpoint(0, /*latest=*/true);
}

absl::StatusOr<VerifiedCheckpoint> LedgerClient::CheckpointAt(uint64_t size) {
  if (size == 0) {
    return absl::InvalidArgumentError("checkpoint size: got 0, want > 0");
  }
  return FetchCheckpoint(size, /*latest=*/false);
}

absl::StatusOr<VerifiedCheckpoint> LedgerClient::ConsistencyProof(
    uint64_t from_size, uint64_t to_size) {
  if (to_size != 0 && from_size > to_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "consistency proof: from size ", from_size, " > to size ", to_size));
  }
  ASSIGN_OR_RETURN(VerifiedCheckpoint newer,
                   to_size == 0 ? LatestCheckpoint() : CheckpointAt(to_size));
  if (from_size > newer.fields.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("consistency proof: from size ", from_size,
                     " > latest size ", newer.fields.size));
  }
  CheckpointFields older{verifier_.origin(), 0, ledger::merkle::EmptyRoot()};
  if (from_size != 0) {
    ASSIGN_OR_RETURN(VerifiedCheckpoint fetched, CheckpointAt(from_size));
    older = fetched.fields;
  }
  RETURN_IF_ERROR(CheckConsistency(older, newer.fields).status());
  return newer;
}

absl::StatusOr<v1::ListFindingsResponse> LedgerClient::ListFindings(
    const v1::ListFindingsRequest& request) {
  return UnaryCall("Audit.ListFindings", audit_.get(),
                   &v1::Audit::Stub::ListFindings, request);
}

absl::StatusOr<v1::ListKeysResponse> LedgerClient::ListKeys() {
  return UnaryCall("Admin.ListKeys", admin_.get(), &v1::Admin::Stub::ListKeys,
                   v1::ListKeysRequest());
}

absl::StatusOr<v1::ServerStatus> LedgerClient::GetStatus() {
  v1::ServerStatus response;
  grpc::ClientContext context;
  SetDeadline(context, options_.rpc_timeout);
  RETURN_IF_ERROR(FromGrpcStatus(
      "Admin.GetStatus",
      admin_->GetStatus(&context, v1::GetStatusRequest(), &response)));
  if (!response.verifier_key().empty() &&
      response.verifier_key() != verifier().verifier_key()) {
    // Maybe the log key was rotated: the latest checkpoint proves it or not.
    RETURN_IF_ERROR(LatestCheckpoint().status());
  }
  if (!response.verifier_key().empty() &&
      response.verifier_key() != verifier().verifier_key()) {
    return absl::DataLossError(
        absl::StrCat("server reports verifier key ", response.verifier_key(),
                     ", this client trusts ", verifier().verifier_key()));
  }
  return response;
}

}  // namespace api::client
