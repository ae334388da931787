#include "api/server/admin_service.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "api/index/index_host.h"
#include "api/server/key_record.h"
#include "api/server/witness_status.h"
#include "ledger/entry/envelope.h"
#include "ledger/roles.h"

namespace api::server {
namespace {

// The size of `ledger`'s latest checkpoint; 0 before its first.
absl::StatusOr<uint64_t> CheckpointSize(const ledger::Ledger& ledger) {
  absl::StatusOr<std::string> note = ledger.LatestCheckpoint();
  if (!note.ok()) return 0;
  return CheckpointNoteSize(*note);
}

// The hosted index's output log, shown as the ledger is.
absl::Status IndexLog(const ServiceDeps& deps,
                      aifl::api::v1::IndexLogStatus* out) {
  const ledger::Ledger& log = *deps.index->output_ledger();
  out->set_origin(log.origin());
  absl::StatusOr<uint64_t> size = CheckpointSize(log);
  if (!size.ok()) return size.status();
  out->set_checkpoint_size(*size);
  if (deps.index_witnesses != nullptr) {
    FillWitnessStatus(*deps.index_witnesses, out);
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::SubmitKeyEvent(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::SubmitKeyEventRequest* request,
    aifl::api::v1::EntryResult* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kSubmitKeyEvent);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(request->envelope());
  if (!envelope.ok()) return FinishWith(ctx, envelope.status());
  if (envelope->payload_type != ledger::kKeyEventType) {
    return FinishWith(ctx,
                      absl::InvalidArgumentError(absl::StrCat(
                          "envelope payload type: got ", envelope->payload_type,
                          ", want ", ledger::kKeyEventType)));
  }
  absl::Status may_submit =
      CheckMaySubmitEnvelope(*deps_.ledger, *caller, request->envelope());
  if (!may_submit.ok()) return FinishWith(ctx, may_submit);
  std::vector<ledger::AppendResult> results =
      deps_.ledger->Append({request->envelope()});
  if (!results[0].status.ok()) return FinishWith(ctx, results[0].status);
  aifl::api::v1::DurableReceipt* receipt = response->mutable_receipt();
  receipt->set_leaf_index(results[0].leaf_index);
  receipt->set_integration_time_unix_micros(results[0].integration_time_micros);
  receipt->set_duplicate(results[0].duplicate);
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AdminService::ListKeys(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::ListKeysRequest* request,
    aifl::api::v1::ListKeysResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kListKeys);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  const std::vector<ledger::KeyInfo> keys = deps_.ledger->Keys();
  const ReadScope scope = ReadScopeOf(*caller, keys);
  for (const ledger::KeyInfo& key : keys) {
    if (KeyVisibleTo(scope, key)) FillKeyRecord(key, response->add_keys());
  }
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AdminService::GetStatus(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::GetStatusRequest* request,
    aifl::api::v1::ServerStatus* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kGetStatus);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  const ledger::Ledger& ledger = *deps_.ledger;
  response->set_origin(ledger.origin());
  response->set_verifier_key(ledger.VerifierKey());
  response->set_tree_size(ledger.Size());
  absl::StatusOr<uint64_t> size = CheckpointSize(ledger);
  if (!size.ok()) return FinishWith(ctx, size.status());
  response->set_checkpoint_size(*size);
  response->set_checkpoint_age_seconds(deps_.publisher->CheckpointAgeSeconds());
  response->set_storage_bytes(ledger.store().ApproximateDiskBytes());
  response->set_ingest_entries_per_second(deps_.publisher->IngestRate());
  response->set_version(version_);
  if (std::optional<uint64_t> since = ledger.simulated_clock_since())
    response->set_simulated_clock_since(*since);
  if (deps_.witnesses != nullptr) FillWitnessStatus(*deps_.witnesses, response);
  if (deps_.index != nullptr) {
    return FinishWith(ctx, IndexLog(deps_, response->mutable_index_log()));
  }
  return FinishWith(ctx, absl::OkStatus());
}

}  // namespace api::server
