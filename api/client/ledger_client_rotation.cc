// LedgerClient: following log-key rotations (ledger/FORMAT.md, "Following a
// rotation").
#include "absl/strings/str_cat.h"
#include "api/client/ledger_client.h"
#include "api/client/rotation_verifier.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"

namespace api::client {
namespace {

namespace v1 = ::aifl::api::v1;

// More rotations than this between two checkpoints a client sees is not a
// plausible operation; stop rather than loop on a hostile server.
constexpr int kMaxRotationsPerCheck = 8;

}  // namespace

absl::StatusOr<VerifiedCheckpoint> LedgerClient::VerifyFollowingRotations(
    absl::string_view note) {
  absl::StatusOr<VerifiedCheckpoint> checkpoint =
      verifier().VerifyCheckpoint(note);
  if (checkpoint.ok() || !IsCheckpointSignatureError(checkpoint.status()))
    return checkpoint;
  absl::MutexLock lock(&trust_mu_);
  for (int i = 0; i < kMaxRotationsPerCheck; ++i) {
    checkpoint = current_verifier_.VerifyCheckpoint(note);
    if (checkpoint.ok() || !IsCheckpointSignatureError(checkpoint.status()))
      return checkpoint;
    RETURN_IF_ERROR(FollowRotation(checkpoint.status()));
  }
  return checkpoint;
}

absl::StatusOr<v1::GetLogKeysResponse> LedgerClient::GetLogKeys() {
  return UnaryCall("Audit.GetLogKeys", audit_.get(),
                   &v1::Audit::Stub::GetLogKeys, v1::GetLogKeysRequest());
}

absl::Status LedgerClient::FollowRotation(const absl::Status& why) {
  absl::StatusOr<v1::GetLogKeysResponse> response = GetLogKeys();
  // A server older than log-key rotation cannot prove one: the signature
  // failure stands.
  if (response.status().code() == absl::StatusCode::kUnimplemented) return why;
  RETURN_IF_ERROR(response.status());
  const std::string trusted_key(current_verifier_.public_key().bytes());
  int at = -1;
  for (int i = 0; i < response->log_keys_size(); ++i) {
    if (response->log_keys(i).public_key() == trusted_key) at = i;
  }
  if (at < 0) {
    return absl::DataLossError(
        absl::StrCat(why.message(),
                     "; and the server's log-key history does not contain "
                     "the key this client trusts"));
  }
  if (at + 1 >= response->log_keys_size()) {
    return absl::DataLossError(absl::StrCat(
        why.message(),
        "; and the server announces no log key after the trusted one: the "
        "checkpoint is signed by a key the log never announced"));
  }
  ASSIGN_OR_RETURN(
      VerifiedRotation rotation,
      VerifyRotation(current_verifier_, response->log_keys(at + 1)));
  // The handover must extend what this client already trusts. A trusted
  // checkpoint beyond the handover would mean the old key signed after its
  // rotation: a fork of keys.
  if (trusted_.has_value()) {
    if (trusted_->fields.size > rotation.handover.fields.size) {
      return absl::DataLossError(absl::StrCat(
          "log-key rotation: the handover checkpoint has size ",
          rotation.handover.fields.size, " but this client trusts size ",
          trusted_->fields.size, " signed by the previous key"));
    }
    RETURN_IF_ERROR(
        CheckConsistency(trusted_->fields, rotation.handover.fields).status());
  }
  current_verifier_ = std::move(rotation.new_verifier);
  return Trust(rotation.handover);
}

}  // namespace api::client
