#include "api/server/ingest_service.h"

#include <algorithm>
#include <array>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/server/grpc_status.h"
#include "api/server/key_record.h"
#include "api/validation/payload_validator.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/roles.h"

namespace api::server {
namespace {

using aifl::api::v1::EntryResult;

void SetError(EntryResult* result, const absl::Status& status) {
  result->mutable_error()->set_code(static_cast<int>(status.code()));
  result->mutable_error()->set_message(std::string(status.message()));
}

// OK when `caller` may read the receipt of leaf `index`.
absl::Status CheckMayReadLeaf(const ledger::Ledger& ledger,
                              const Caller& caller, uint64_t index) {
  if (ReadsEverything(caller)) return absl::OkStatus();
  return CheckSignedByCaller(ledger, caller, index);
}

// OK when the envelope's payload holds numbers that can be true
// (api/validation/payload_validator.h), judged against the window of an entry
// integrated now; every caller, the local operator too. An envelope whose key
// is unknown or whose key's role may not sign its payload type is left to the
// ledger, which refuses it with PERMISSION_DENIED (that answer comes first).
absl::Status CheckPayload(const ledger::Ledger& ledger,
                          const std::string& bytes, absl::Time now) {
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(bytes);
  if (!envelope.ok()) return envelope.status();
  std::optional<ledger::KeyInfo> key =
      ledger.FindKey(ledger::crypto::KeyId(envelope->key_id));
  if (!key.has_value() ||
      !ledger::CheckRoleMaySign(key->role, envelope->payload_type).ok()) {
    return absl::OkStatus();
  }
  return validation::ValidatePayload(
      envelope->payload_type, envelope->payload,
      validation::WindowForIntegrationTime(absl::ToUnixMicros(now)));
}

}  // namespace

IngestSample IngestService::Sample() const {
  return {pipeline_->Now().batches, submits_->held_bytes()};
}

int IngestService::DefaultVerifyThreads() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

IngestService::IngestService(ServiceDeps deps, const FairnessOptions& fairness,
                             int verify_threads)
    : deps_(deps),
      backoff_(std::make_shared<BadSignatureBackoff>(
          deps.clock,
          BadSignatureBackoff::Options{fairness.bad_signature_burst,
                                       fairness.bad_signatures_per_second})),
      disconnect_seconds_(fairness.bad_signature_disconnect_seconds),
      rates_(std::make_unique<IdentityRateLimiter>(
          deps.clock,
          IdentityRateLimiter::Options{fairness.submit_calls_per_second,
                                       fairness.submit_call_burst,
                                       fairness.submit_entries_per_second,
                                       fairness.submit_entry_burst})),
      submits_(std::make_unique<IdentityLimiter>(
          "Submit batches in flight", fairness.max_submits_per_identity,
          fairness.max_queued_submit_bytes)),
      pipeline_(ledger::AppendPipeline::Start(
          &deps.ledger->sequencer(),
          ledger::PipelineOptions{
              verify_threads > 0 ? verify_threads : DefaultVerifyThreads(),
              kMaxPipelineEntries, kMaxPipelineBytes})) {}

absl::Status BuildProofReceipt(
    const ServiceDeps& deps,
    const google::protobuf::RepeatedField<uint64_t>& indices,
    aifl::api::v1::ProofReceipt* receipt) {
  const ledger::Ledger& ledger = *deps.ledger;
  absl::StatusOr<std::string> note = ReceiptCheckpoint(deps);
  if (!note.ok()) return note.status();
  absl::StatusOr<uint64_t> size = CheckpointNoteSize(*note);
  if (!size.ok()) return size.status();
  receipt->set_checkpoint(*note);
  for (uint64_t index : indices) {
    if (index >= *size) {
      return absl::FailedPreconditionError(absl::StrCat(
          "leaf ", index, " is not covered by the latest checkpoint (size ",
          *size, ") yet: retry, or set wait"));
    }
    absl::StatusOr<std::vector<ledger::merkle::Hash>> proof =
        ledger.InclusionProof(index, *size);
    if (!proof.ok()) return proof.status();
    aifl::api::v1::InclusionProof* out = receipt->add_proofs();
    out->set_leaf_index(index);
    out->set_tree_size(*size);
    for (const ledger::merkle::Hash& h : *proof) {
      out->add_hashes(h.data(), h.size());
    }
  }
  return absl::OkStatus();
}

namespace {

// Checks each envelope of `request` the caller may submit; a refused one gets
// its error in the response here. Returns the accepted envelopes and, in
// *position, the index of each in the request.
std::vector<std::string> ScreenEnvelopes(
    grpc::CallbackServerContext* ctx, const ServiceDeps& deps,
    const Caller& caller, const aifl::api::v1::SubmitRequest& request,
    aifl::api::v1::SubmitResponse* response, std::vector<int>* position) {
  const int n = request.envelopes_size();
  std::vector<std::string> accepted;
  accepted.reserve(n);
  const absl::Time now = deps.clock->Now();
  for (int i = 0; i < n; ++i) {
    EntryResult* result = response->add_results();
    absl::Status allowed =
        CheckMaySubmitEnvelope(*deps.ledger, caller, request.envelopes(i));
    if (allowed.ok())
      allowed = CheckPayload(*deps.ledger, request.envelopes(i), now);
    if (!allowed.ok()) {
      deps.metrics->CountEntriesRefused(allowed.code());
      SetError(result, allowed);
      LogRefusal(ctx, &caller, "Ingest.Submit", allowed);
      continue;
    }
    accepted.push_back(request.envelopes(i));
    position->push_back(i);
  }
  return accepted;
}

// Writes the ledger's result for each appended envelope (position[j] in the
// request) into the response, counting refusals and duplicates. Returns the
// number of bad signatures.
int RecordAppendResults(grpc::CallbackServerContext* ctx, const Caller& caller,
                        ServerMetrics* metrics,
                        const std::vector<ledger::AppendResult>& results,
                        const std::vector<int>& position,
                        aifl::api::v1::SubmitResponse* response) {
  int bad_signatures = 0;
  int duplicates = 0;
  for (size_t j = 0; j < results.size(); ++j) {
    EntryResult* result = response->mutable_results(position[j]);
    if (!results[j].status.ok()) {
      if (absl::IsUnauthenticated(results[j].status)) ++bad_signatures;
      metrics->CountEntriesRefused(results[j].status.code());
      SetError(result, results[j].status);
      LogRefusal(ctx, &caller, "Ingest.Submit", results[j].status);
      continue;
    }
    aifl::api::v1::DurableReceipt* receipt = result->mutable_receipt();
    receipt->set_leaf_index(results[j].leaf_index);
    receipt->set_integration_time_unix_micros(
        results[j].integration_time_micros);
    receipt->set_duplicate(results[j].duplicate);
    duplicates += results[j].duplicate;
  }
  metrics->CountDuplicates(duplicates);
  return bad_signatures;
}

}  // namespace

absl::Status IngestService::AdmitSubmit(grpc::CallbackServerContext* ctx,
                                        const Caller& caller, int entries) {
  ServerMetrics* metrics = deps_.metrics;
  if (absl::Status admitted = backoff_->Admit(caller.identity);
      !admitted.ok()) {
    metrics->CountFairnessRefusal(FairnessLimiter::kBadSignatureBackoff);
    LogRefusal(ctx, &caller, "Ingest.Submit", admitted);
    // Deep in debt: stop reading this connection at all (its queued calls
    // are dropped unread, and its handshakes fail until it owes less).
    if (sever_ && disconnect_seconds_ > 0 &&
        backoff_->SecondsOwed(caller.identity) >= disconnect_seconds_ &&
        sever_(ctx->peer())) {
      metrics->CountFairnessRefusal(FairnessLimiter::kBadSignatureDisconnect);
    }
    return admitted;
  }
  // The local operator (insecure loopback: every caller) is trusted and
  // shares one identity among all local tools: no rate limit.
  if (absl::Status admitted = caller.role == TlsRole::kLocalOperator
                                  ? absl::OkStatus()
                                  : rates_->Admit(caller.identity, entries);
      !admitted.ok()) {
    metrics->CountFairnessRefusal(FairnessLimiter::kSubmitRate);
    LogRefusal(ctx, &caller, "Ingest.Submit", admitted);
    return admitted;
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* IngestService::Submit(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::SubmitRequest* request,
    aifl::api::v1::SubmitResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kSubmit);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  const int n = request->envelopes_size();
  if (n < 1 || n > kMaxBatch) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "envelopes: got ", n, ", want 1..", kMaxBatch)));
  }
  ServerMetrics* metrics = deps_.metrics;
  if (absl::Status admitted = AdmitSubmit(ctx, *caller, n); !admitted.ok()) {
    return FinishWith(ctx, admitted);
  }
  absl::StatusOr<std::unique_ptr<IdentityLimiter::Lease>> lease =
      submits_->TryAcquire(caller->identity, request->ByteSizeLong());
  if (!lease.ok()) {
    metrics->CountFairnessRefusal(FairnessLimiter::kSubmitConcurrency);
    LogRefusal(ctx, &*caller, "Ingest.Submit", lease.status());
    return FinishWith(ctx, lease.status());
  }
  // Entries the caller may not submit get their error here; the others go to
  // the ledger in one Append (group-committed with concurrent calls).
  std::vector<int> position;
  std::vector<std::string> accepted =
      ScreenEnvelopes(ctx, deps_, *caller, *request, response, &position);
  if (accepted.empty()) return FinishWith(ctx, absl::OkStatus());
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  BadSignatureBackoff* backoff = backoff_.get();
  // Answered on the pipeline's commit thread once the entries are synced.
  absl::Status submitted = pipeline_->Submit(
      std::move(accepted),
      [ctx, reactor, backoff, metrics, response, caller = *caller,
       lease = std::shared_ptr<IdentityLimiter::Lease>(std::move(*lease)),
       position =
           std::move(position)](std::vector<ledger::AppendResult> results) {
        const int bad_signatures = RecordAppendResults(
            ctx, caller, metrics, results, position, response);
        backoff->RecordFailures(caller.identity, bad_signatures);
        reactor->Finish(grpc::Status::OK);
      });
  if (!submitted.ok()) {
    metrics->CountFairnessRefusal(FairnessLimiter::kIngestQueue);
    response->Clear();
    reactor->Finish(ToGrpcStatus(absl::UnavailableError(
        absl::StrCat("ingest queue full: ", submitted.message()))));
  }
  return reactor;
}

grpc::ServerUnaryReactor* IngestService::GetProofReceipt(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::ProofReceiptRequest* request,
    aifl::api::v1::ProofReceipt* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kGetProofReceipt);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  const int n = request->leaf_indices_size();
  if (n < 1 || n > kMaxBatch) {
    return FinishWith(
        ctx, absl::InvalidArgumentError(absl::StrCat("leaf_indices: got ", n,
                                                     ", want 1..", kMaxBatch)));
  }
  const uint64_t tree_size = deps_.ledger->Size();
  uint64_t needed = 0;
  for (int i = 0; i < n; ++i) {
    uint64_t index = request->leaf_indices(i);
    if (index >= tree_size) {
      return FinishWith(ctx, absl::OutOfRangeError(absl::StrCat(
                                 "leaf_indices[", i, "]: got ", index,
                                 ", the log has ", tree_size, " entries")));
    }
    absl::Status may_read = CheckMayReadLeaf(*deps_.ledger, *caller, index);
    if (!may_read.ok()) return FinishWith(ctx, may_read);
    needed = std::max(needed, index + 1);
  }
  if (!request->wait()) {
    return FinishWith(
        ctx, BuildProofReceipt(deps_, request->leaf_indices(), response));
  }
  // Wait without holding a thread: the publisher answers after the
  // checkpoint that covers `needed` (or at the deadline, at most 30 s).
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  // Answer a little before the caller's deadline, so that it hears why it
  // waited in vain (e.g. the witnesses missing from the quorum).
  absl::Time call_deadline =
      absl::FromChrono(ctx->deadline()) - absl::Milliseconds(500);
  if (call_deadline < deadline) deadline = call_deadline;
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const ServiceDeps* deps = &deps_;
  deps_.publisher->WhenCovered(
      needed, deadline, [reactor, deps, request, response](absl::Status s) {
        if (s.ok())
          s = BuildProofReceipt(*deps, request->leaf_indices(), response);
        reactor->Finish(ToGrpcStatus(s));
      });
  return reactor;
}

grpc::ServerUnaryReactor* IngestService::GetOwnKeyState(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::GetOwnKeyStateRequest* request,
    aifl::api::v1::GetOwnKeyStateResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kGetOwnKeyState);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  const int n = request->key_ids_size();
  if (n > kMaxBatch) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "key_ids: got ", n, ", want 0..", kMaxBatch)));
  }
  std::vector<ledger::crypto::KeyId> requested;
  for (int i = 0; i < n; ++i) {
    const std::string& bytes = request->key_ids(i);
    std::array<uint8_t, ledger::crypto::kKeyIdSize> id;
    if (bytes.size() != id.size()) {
      return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                                 "key_ids[", i, "]: got ", bytes.size(),
                                 " bytes, want ", id.size())));
    }
    std::copy(bytes.begin(), bytes.end(), id.begin());
    requested.emplace_back(id);
  }
  absl::StatusOr<std::vector<ledger::KeyInfo>> keys =
      OwnKeys(*caller, requested, deps_.ledger->Keys());
  if (!keys.ok()) return FinishWith(ctx, keys.status());
  for (const ledger::KeyInfo& key : *keys) {
    FillKeyRecord(key, response->add_keys());
  }
  return FinishWith(ctx, absl::OkStatus());
}

}  // namespace api::server
