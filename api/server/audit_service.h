// Audit: checkpoints, entries, proofs, models and findings (and a stream of
// new findings). Thin callback handlers: validate, call the ledger or the
// model view, convert. Thread-safe.
#ifndef API_SERVER_AUDIT_SERVICE_H_
#define API_SERVER_AUDIT_SERVICE_H_

#include "api/server/fairness_options.h"
#include "api/server/identity_limiter.h"
#include "api/server/service_deps.h"
#include "api/v1/ledger_service.grpc.pb.h"

namespace api::server {

class AuditService final : public aifl::api::v1::Audit::CallbackService {
 public:
  // `max_watchers_per_identity`: WatchFindings streams one identity may hold
  // open at once; beyond, RESOURCE_EXHAUSTED (10,000 streams from one
  // certificate took 1.7 GiB). See FairnessOptions.
  explicit AuditService(ServiceDeps deps,
                        size_t max_watchers_per_identity =
                            FairnessOptions().max_watchers_per_identity)
      : deps_(deps),
        watchers_("WatchFindings streams", max_watchers_per_identity) {}

  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetCheckpointRequest* request,
      aifl::api::v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* ListCheckpoints(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ListCheckpointsRequest* request,
      aifl::api::v1::ListCheckpointsResponse* response) override;
  grpc::ServerUnaryReactor* GetEntries(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetEntriesRequest* request,
      aifl::api::v1::GetEntriesResponse* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::InclusionProofRequest* request,
      aifl::api::v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ConsistencyProofRequest* request,
      aifl::api::v1::ConsistencyProof* response) override;
  grpc::ServerUnaryReactor* ListModels(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ListModelsRequest* request,
      aifl::api::v1::ListModelsResponse* response) override;
  grpc::ServerUnaryReactor* GetModel(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetModelRequest* request,
      aifl::api::v1::ModelDetail* response) override;
  grpc::ServerUnaryReactor* ListFindings(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ListFindingsRequest* request,
      aifl::api::v1::ListFindingsResponse* response) override;
  grpc::ServerUnaryReactor* GetLogKeys(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetLogKeysRequest* request,
      aifl::api::v1::GetLogKeysResponse* response) override;
  // Defined in audit_model_entries.cc.
  grpc::ServerUnaryReactor* GetModelEntries(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetModelEntriesRequest* request,
      aifl::api::v1::GetModelEntriesResponse* response) override;
  grpc::ServerWriteReactor<aifl::api::v1::RecordedFinding>* WatchFindings(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::WatchFindingsRequest* request) override;

 private:
  ServiceDeps deps_;
  // Destroyed after the gRPC server, which ends every stream (and so every
  // lease) first.
  IdentityLimiter watchers_;
};

// What `caller` may read (access_policy.h, ReadScopeOf).
ReadScope ScopeOf(const ServiceDeps& deps, const Caller& caller);

// The size a request's "0 = latest checkpoint" means. kFailedPrecondition
// before the first checkpoint.
absl::StatusOr<uint64_t> ResolveTreeSize(const ledger::Ledger& ledger,
                                         uint64_t requested);

// Checks a findings filter's enums. kInvalidArgument naming the field.
absl::Status ValidateFilter(int unit, int min_severity);

// Page size 0 → default; 1..1000 kept; else kInvalidArgument.
absl::StatusOr<uint32_t> ResolvePageSize(uint32_t page_size);

}  // namespace api::server

#endif  // API_SERVER_AUDIT_SERVICE_H_
