// Ingest: Submit (signed envelopes → durable receipts) and GetProofReceipt
// (checkpoint + inclusion proofs). Thin callback handlers: validate, check
// the caller's right to each signing key, call Ledger::Append, convert.
// Thread-safe.
#ifndef API_SERVER_INGEST_SERVICE_H_
#define API_SERVER_INGEST_SERVICE_H_

#include "api/server/service_deps.h"
#include "api/v1/ledger_service.grpc.pb.h"

namespace api::server {

class IngestService final : public aifl::api::v1::Ingest::CallbackService {
 public:
  explicit IngestService(ServiceDeps deps) : deps_(deps) {}

  grpc::ServerUnaryReactor* Submit(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::SubmitRequest* request,
      aifl::api::v1::SubmitResponse* response) override;

  grpc::ServerUnaryReactor* GetProofReceipt(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ProofReceiptRequest* request,
      aifl::api::v1::ProofReceipt* response) override;

 private:
  ServiceDeps deps_;
};

// Fills `receipt` with the latest checkpoint and an inclusion proof of each
// of `indices` against it. kFailedPrecondition when the latest checkpoint
// does not cover every index yet.
absl::Status BuildProofReceipt(
    const ledger::Ledger& ledger,
    const google::protobuf::RepeatedField<uint64_t>& indices,
    aifl::api::v1::ProofReceipt* receipt);

}  // namespace api::server

#endif  // API_SERVER_INGEST_SERVICE_H_
