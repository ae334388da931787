#include "api/server/service_deps.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "api/server/grpc_status.h"
#include "api/server/identify_caller.h"
#include "api/server/refusal_log.h"
#include "ledger/entry/envelope.h"
#include "ledger/note/checkpoint.h"

namespace api::server {

absl::StatusOr<Caller> Authorize(grpc::CallbackServerContext* ctx,
                                 const ServiceDeps& deps, Method method) {
  std::shared_ptr<const grpc::AuthContext> auth = ctx->auth_context();
  absl::StatusOr<Caller> caller =
      IdentifyCaller(auth.get(), deps.insecure_loopback, deps.revocations);
  if (!caller.ok()) {
    LogRefusal(ctx, nullptr, MethodName(method), caller.status());
    return caller.status();
  }
  absl::Status allowed = CheckMethodAllowed(*caller, method);
  if (!allowed.ok()) {
    LogRefusal(ctx, &*caller, MethodName(method), allowed);
    return allowed;
  }
  return caller;
}

void LogRefusal(const grpc::ServerContextBase* ctx, const Caller* caller,
                absl::string_view method, const absl::Status& status) {
  Refusal refusal;
  refusal.peer = ctx->peer();
  refusal.method = std::string(method);
  refusal.status = status;
  if (caller != nullptr) {
    refusal.identity = caller->identity;
    refusal.role = std::string(TlsRoleName(caller->role));
  } else {
    // Before authentication the bucket is the peer's address, not its port
    // (one host, many connections).
    absl::string_view peer = refusal.peer;
    size_t colon = peer.rfind(':');
    refusal.identity = std::string(
        colon == absl::string_view::npos ? peer : peer.substr(0, colon));
  }
  RefusalLog::Default().Record(refusal);
}

absl::Status CheckMaySubmitEnvelope(const ledger::Ledger& ledger,
                                    const Caller& caller,
                                    const std::string& bytes) {
  if (caller.role == TlsRole::kLocalOperator) return absl::OkStatus();
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(bytes);
  if (!envelope.ok()) return envelope.status();
  std::optional<ledger::KeyInfo> key =
      ledger.FindKey(ledger::crypto::KeyId(envelope->key_id));
  if (!key.has_value()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "unknown key ", ledger::entry::KeyIdToHex(envelope->key_id)));
  }
  return CheckMaySubmitWith(caller, *key);
}

absl::StatusOr<uint64_t> CheckpointNoteSize(absl::string_view note) {
  size_t end = note.find("\n\n");
  if (end == absl::string_view::npos) {
    return absl::DataLossError("stored checkpoint note has no signature block");
  }
  absl::StatusOr<ledger::note::Checkpoint> body =
      ledger::note::ParseCheckpointBody(note.substr(0, end + 1));
  if (!body.ok()) {
    return absl::DataLossError(
        absl::StrCat("stored checkpoint: ", body.status().message()));
  }
  return body->size;
}

grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* ctx,
                                     const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

absl::StatusOr<std::string> PublishedCheckpoint(const ServiceDeps& deps) {
  if (deps.witnesses != nullptr) return deps.witnesses->Latest();
  return deps.ledger->LatestCheckpoint();
}

absl::StatusOr<std::string> PublishedCheckpointAt(const ServiceDeps& deps,
                                                  uint64_t size) {
  absl::StatusOr<std::string> note = deps.ledger->CheckpointAt(size);
  if (!note.ok() || deps.witnesses == nullptr) return note;
  return deps.witnesses->WithCosignatures(*note, size);
}

absl::StatusOr<std::string> ReceiptCheckpoint(const ServiceDeps& deps) {
  absl::StatusOr<std::string> note = deps.wait_for_quorum
                                         ? deps.witnesses->QuorumCheckpoint()
                                         : PublishedCheckpoint(deps);
  if (absl::IsNotFound(note.status())) {
    return absl::FailedPreconditionError(deps.wait_for_quorum
                                             ? note.status().message()
                                             : "no checkpoint published yet");
  }
  return note;
}

}  // namespace api::server
