// Ingest: Submit (signed envelopes → durable receipts), GetProofReceipt
// (checkpoint + inclusion proofs) and GetOwnKeyState (the caller's keys). Thin
// callback handlers: validate, check the caller's right to each signing key,
// hand the batch to the ledger's AppendPipeline (its workers verify
// signatures while earlier batches are group-committed; the call finishes
// from the pipeline's commit thread once the entries are synced), convert.
// Thread-safe.
#ifndef API_SERVER_INGEST_SERVICE_H_
#define API_SERVER_INGEST_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "api/server/bad_signature_backoff.h"
#include "api/server/fairness_options.h"
#include "api/server/identity_limiter.h"
#include "api/server/identity_rate_limiter.h"
#include "api/server/service_deps.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "ledger/append_pipeline.h"

namespace api::server {

// The Submit queue now, for metrics.
struct IngestSample {
  size_t queued_batches = 0;  // in the append pipeline, not yet answered
  size_t queued_bytes = 0;    // request bytes of batches admitted, unfinished
};

class IngestService final : public aifl::api::v1::Ingest::CallbackService {
 public:
  // The append pipeline's bounds: beyond this many entries, or envelope
  // bytes, accepted and not yet answered, Submit answers UNAVAILABLE.
  static constexpr size_t kMaxPipelineEntries = 32768;
  static constexpr size_t kMaxPipelineBytes = size_t{128} << 20;

  // Fairness (api/README.md, fairness_options.h): per identity, Submit is
  // refused with RESOURCE_EXHAUSTED, in this order, while it owes bad
  // signatures, beyond its call and entry rates, beyond its batches in
  // flight, and while all waiting batches hold too many request bytes.
  // `verify_threads`: the pipeline's verify workers; 0 means
  // DefaultVerifyThreads().
  explicit IngestService(ServiceDeps deps,
                         const FairnessOptions& fairness = FairnessOptions(),
                         int verify_threads = 0);

  // Verify workers by default: one per hardware thread. More workers than
  // cores share the cores among more batches at once, so each batch, and the
  // in-order commit behind it, finishes later: at 2 cores, 8 workers gave
  // closed-loop gRPC ingest 25 % lower (4 of 4 runs) while at a fixed rate
  // below saturation, on a loaded machine, they lowered the median receipt
  // latency (docs/PERFORMANCE.md, issue 21). Raise it with --verify_threads
  // only where latency at low rates matters more than throughput.
  static int DefaultVerifyThreads();

  grpc::ServerUnaryReactor* Submit(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::SubmitRequest* request,
      aifl::api::v1::SubmitResponse* response) override;

  grpc::ServerUnaryReactor* GetProofReceipt(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ProofReceiptRequest* request,
      aifl::api::v1::ProofReceipt* response) override;

  // The caller's own keys only (access_policy.h, OwnKeys).
  grpc::ServerUnaryReactor* GetOwnKeyState(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetOwnKeyStateRequest* request,
      aifl::api::v1::GetOwnKeyStateResponse* response) override;

  IngestSample Sample() const;

  // Refusing at the transport (transport_refusal.h): the backoff that the
  // TLS certificate verifier reads, and, when set (mTLS), how to close a
  // peer's connection (ConnectionGate::Sever) once its identity owes at
  // least FairnessOptions::bad_signature_disconnect_seconds. Set before the
  // server starts.
  std::shared_ptr<BadSignatureBackoff> backoff() const { return backoff_; }
  void set_sever(std::function<bool(const std::string& peer)> sever) {
    sever_ = std::move(sever);
  }

 private:
  // Submit's fairness checks for `entries` entries from `caller`: the
  // bad-signature backoff (which may sever the connection) and the rate
  // limit. Logs and counts a refusal; returns the status to finish with.
  absl::Status AdmitSubmit(grpc::CallbackServerContext* ctx,
                           const Caller& caller, int entries);

  ServiceDeps deps_;
  // All outlive the pool's tasks, which use them.
  std::shared_ptr<BadSignatureBackoff> backoff_;  // shared with the verifier
  const double disconnect_seconds_;
  std::function<bool(const std::string&)> sever_;
  std::unique_ptr<IdentityRateLimiter> rates_;
  std::unique_ptr<IdentityLimiter> submits_;
  // Destroyed after the gRPC server, which waits for every call to finish;
  // its destructor commits and answers whatever it still holds.
  std::unique_ptr<ledger::AppendPipeline> pipeline_;
};

// Fills `receipt` with ReceiptCheckpoint(deps) (the latest checkpoint, or
// with wait_for_quorum the newest the witness quorum cosigned) and an
// inclusion proof of each of `indices` against it. kFailedPrecondition when
// that checkpoint does not cover every index yet.
absl::Status BuildProofReceipt(
    const ServiceDeps& deps,
    const google::protobuf::RepeatedField<uint64_t>& indices,
    aifl::api::v1::ProofReceipt* receipt);

}  // namespace api::server

#endif  // API_SERVER_INGEST_SERVICE_H_
