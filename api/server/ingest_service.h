// Ingest: Submit (signed envelopes → durable receipts), GetProofReceipt
// (checkpoint + inclusion proofs) and GetOwnKeyState (the caller's keys). Thin
// callback handlers: validate, check the caller's right to each signing key,
// call Ledger::Append (on the service's own threads: it verifies signatures and
// waits for fsync), convert. Thread-safe.
#ifndef API_SERVER_INGEST_SERVICE_H_
#define API_SERVER_INGEST_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "api/server/bad_signature_backoff.h"
#include "api/server/blocking_work_pool.h"
#include "api/server/fairness_options.h"
#include "api/server/identity_limiter.h"
#include "api/server/identity_rate_limiter.h"
#include "api/server/service_deps.h"
#include "api/v1/ledger_service.grpc.pb.h"

namespace api::server {

// The Submit queue now, for metrics.
struct IngestSample {
  size_t queued_batches = 0;  // waiting for an append thread
  size_t queued_bytes = 0;    // request bytes of batches admitted, unfinished
};

class IngestService final : public aifl::api::v1::Ingest::CallbackService {
 public:
  // Submit batches verified and committed at once; more wait in a queue of
  // kMaxQueuedSubmits, beyond which Submit answers UNAVAILABLE.
  static constexpr int kAppendThreads = 16;
  static constexpr size_t kMaxQueuedSubmits = 1024;

  // Fairness (api/README.md, fairness_options.h): per identity, Submit is
  // refused with RESOURCE_EXHAUSTED, in this order, while it owes bad
  // signatures, beyond its call and entry rates, beyond its batches in
  // flight, and while all waiting batches hold too many request bytes.
  explicit IngestService(ServiceDeps deps,
                         const FairnessOptions& fairness = FairnessOptions());

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
  // Destroyed after the gRPC server, which waits for every call to finish.
  std::unique_ptr<BlockingWorkPool> appenders_;
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
