#include "api/server/audit_service.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/server/log_keys_response.h"
#include "api/server/watch_findings_reactor.h"

namespace api::server {
namespace {

using aifl::api::v1::ListFindingsResponse;

void CopyHashes(const std::vector<ledger::merkle::Hash>& hashes,
                google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const ledger::merkle::Hash& h : hashes) {
    out->Add(std::string(reinterpret_cast<const char*>(h.data()), h.size()));
  }
}

// ListModels page tokens: "m" ‖ lowercase hex of the last model id of the
// previous page, so that a token no response could have given is refused
// (as ListFindings refuses a non-number) instead of read as a model id.
std::string ModelPageToken(const std::string& last_model_id) {
  return absl::StrCat("m", absl::BytesToHexString(last_model_id));
}

absl::StatusOr<std::string> ModelIdAfter(const std::string& token) {
  if (token.empty()) return std::string();
  bool hex =
      token.size() % 2 == 1 && token.size() <= 1 + 2 * 256 && token[0] == 'm';
  for (size_t i = 1; hex && i < token.size(); ++i) {
    hex = absl::ascii_isxdigit(static_cast<unsigned char>(token[i])) &&
          !absl::ascii_isupper(static_cast<unsigned char>(token[i]));
  }
  if (!hex) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page_token: got \"", absl::CHexEscape(token.substr(0, 64)),
        "\", want a token from a previous response"));
  }
  return absl::HexStringToBytes(absl::string_view(token).substr(1));
}

// The one answer to a provider about a leaf hash it may not read, whether a
// leaf has that hash or not.
constexpr char kNoReadableLeaf[] =
    "leaf_hash: no entry this provider may read has this hash";

}  // namespace

ReadScope ScopeOf(const ServiceDeps& deps, const Caller& caller) {
  if (ReadsEverything(caller)) return ReadScope();
  return ReadScopeOf(caller, deps.ledger->Keys());
}

absl::StatusOr<uint64_t> ResolveTreeSize(const ledger::Ledger& ledger,
                                         uint64_t requested) {
  if (requested != 0) {
    if (requested > ledger.Size()) {
      return absl::OutOfRangeError(absl::StrCat("tree size: got ", requested,
                                                ", the log has ", ledger.Size(),
                                                " entries"));
    }
    return requested;
  }
  absl::StatusOr<std::string> note = ledger.LatestCheckpoint();
  if (!note.ok()) {
    if (absl::IsNotFound(note.status())) {
      return absl::FailedPreconditionError("no checkpoint published yet");
    }
    return note.status();
  }
  return CheckpointNoteSize(*note);
}

absl::Status ValidateFilter(int unit, int min_severity) {
  if (!aifl::rules::v1::Unit_IsValid(unit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unit: got ", unit, ", want a aifl.rules.v1.Unit value"));
  }
  if (!aifl::rules::v1::Severity_IsValid(min_severity)) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_severity: got ", min_severity,
                     ", want a aifl.rules.v1.Severity value"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> ResolvePageSize(uint32_t page_size) {
  if (page_size == 0) return kDefaultPage;
  if (page_size > kMaxPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: got ", page_size, ", want 0 (default ",
                     kDefaultPage, ") or 1..", kMaxPage));
  }
  return page_size;
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::GetCheckpointRequest* request,
    aifl::api::v1::Checkpoint* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kGetCheckpoint);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::StatusOr<std::string> note =
      request->size() == 0 ? PublishedCheckpoint(deps_)
                           : PublishedCheckpointAt(deps_, request->size());
  if (!note.ok()) {
    if (absl::IsNotFound(note.status())) {
      return FinishWith(
          ctx, absl::NotFoundError(
                   request->size() == 0
                       ? std::string("no checkpoint published yet")
                       : absl::StrCat("size: no checkpoint was published at "
                                      "size ",
                                      request->size())));
    }
    return FinishWith(ctx, note.status());
  }
  absl::StatusOr<uint64_t> size = CheckpointNoteSize(*note);
  if (!size.ok()) return FinishWith(ctx, size.status());
  response->set_note(*note);
  response->set_size(*size);
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::ListCheckpoints(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::ListCheckpointsRequest* request,
    aifl::api::v1::ListCheckpointsResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kListCheckpoints);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::StatusOr<uint32_t> page = ResolvePageSize(request->page_size());
  if (!page.ok()) return FinishWith(ctx, page.status());
  absl::StatusOr<std::vector<uint64_t>> sizes =
      deps_.ledger->CheckpointSizesAfter(request->after_size(), *page);
  if (!sizes.ok()) return FinishWith(ctx, sizes.status());
  for (uint64_t size : *sizes) {
    absl::StatusOr<std::string> note = PublishedCheckpointAt(deps_, size);
    if (!note.ok()) return FinishWith(ctx, note.status());
    aifl::api::v1::Checkpoint* checkpoint = response->add_checkpoints();
    checkpoint->set_note(*std::move(note));
    checkpoint->set_size(size);
  }
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetLogKeys(
    grpc::CallbackServerContext* ctx, const aifl::api::v1::GetLogKeysRequest*,
    aifl::api::v1::GetLogKeysResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kGetLogKeys);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::StatusOr<aifl::api::v1::GetLogKeysResponse> log_keys =
      LogKeysResponse(*deps_.ledger);
  if (!log_keys.ok()) return FinishWith(ctx, log_keys.status());
  *response = *std::move(log_keys);
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetEntries(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::GetEntriesRequest* request,
    aifl::api::v1::GetEntriesResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kGetEntries);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  if (request->count() < 1 || request->count() > kMaxPage) {
    return FinishWith(
        ctx, absl::InvalidArgumentError(absl::StrCat(
                 "count: got ", request->count(), ", want 1..", kMaxPage)));
  }
  const uint64_t size = deps_.ledger->Size();
  if (request->start() >= size) {
    return FinishWith(ctx, absl::OutOfRangeError(absl::StrCat(
                               "start: got ", request->start(),
                               ", the log has ", size, " entries")));
  }
  uint64_t count =
      std::min<uint64_t>(request->count(), size - request->start());
  absl::Status readable = CheckMayReadLeaves(
      deps_, *caller, ScopeOf(deps_, *caller), request->start(), count);
  if (!readable.ok()) return FinishWith(ctx, readable);
  absl::StatusOr<std::vector<std::string>> leaves =
      deps_.ledger->GetLeaves(request->start(), count);
  if (!leaves.ok()) return FinishWith(ctx, leaves.status());
  // Stop early rather than exceed what a default gRPC client accepts (4 MiB):
  // the client continues from start + leaves_size(). At least one leaf.
  size_t bytes = 0;
  for (std::string& leaf : *leaves) {
    bytes += leaf.size();
    if (response->leaves_size() > 0 && bytes > kMaxResponseLeafBytes) break;
    response->add_leaves(std::move(leaf));
  }
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::InclusionProofRequest* request,
    aifl::api::v1::InclusionProof* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kGetInclusionProof);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  const ReadScope scope = ScopeOf(deps_, *caller);
  uint64_t index = 0;
  switch (request->leaf_case()) {
    case aifl::api::v1::InclusionProofRequest::kLeafIndex:
      index = request->leaf_index();
      break;
    case aifl::api::v1::InclusionProofRequest::kLeafHash: {
      if (request->leaf_hash().size() != ledger::merkle::kHashSize) {
        return FinishWith(ctx,
                          absl::InvalidArgumentError(absl::StrCat(
                              "leaf_hash: got ", request->leaf_hash().size(),
                              " bytes, want ", ledger::merkle::kHashSize)));
      }
      ledger::merkle::Hash hash;
      std::copy(request->leaf_hash().begin(), request->leaf_hash().end(),
                hash.begin());
      absl::StatusOr<uint64_t> found = deps_.ledger->FindLeafByHash(hash);
      if (!found.ok()) {
        if (absl::IsNotFound(found.status())) {
          return FinishWith(
              ctx, scope.everything
                       ? absl::NotFoundError("leaf_hash: no leaf has this hash")
                       : absl::PermissionDeniedError(kNoReadableLeaf));
        }
        return FinishWith(ctx, found.status());
      }
      if (!CheckMayReadLeaves(deps_, *caller, scope, *found, 1).ok()) {
        return FinishWith(ctx, absl::PermissionDeniedError(kNoReadableLeaf));
      }
      index = *found;
      break;
    }
    default:
      return FinishWith(
          ctx, absl::InvalidArgumentError("leaf: set leaf_index or leaf_hash"));
  }
  absl::StatusOr<uint64_t> size =
      ResolveTreeSize(*deps_.ledger, request->tree_size());
  if (!size.ok()) return FinishWith(ctx, size.status());
  if (index >= *size) {
    return FinishWith(
        ctx, absl::OutOfRangeError(absl::StrCat(
                 "leaf index ", index, " is not in the tree of size ", *size)));
  }
  absl::Status readable = CheckMayReadLeaves(deps_, *caller, scope, index, 1);
  if (!readable.ok()) return FinishWith(ctx, readable);
  absl::StatusOr<std::vector<ledger::merkle::Hash>> proof =
      deps_.ledger->InclusionProof(index, *size);
  if (!proof.ok()) return FinishWith(ctx, proof.status());
  response->set_leaf_index(index);
  response->set_tree_size(*size);
  CopyHashes(*proof, response->mutable_hashes());
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::ConsistencyProofRequest* request,
    aifl::api::v1::ConsistencyProof* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kGetConsistencyProof);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::StatusOr<uint64_t> to =
      ResolveTreeSize(*deps_.ledger, request->to_size());
  if (!to.ok()) return FinishWith(ctx, to.status());
  if (request->from_size() < 1 || request->from_size() > *to) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "from_size: got ", request->from_size(),
                               ", want 1..", *to, " (to_size)")));
  }
  absl::StatusOr<std::vector<ledger::merkle::Hash>> proof =
      deps_.ledger->ConsistencyProof(request->from_size(), *to);
  if (!proof.ok()) return FinishWith(ctx, proof.status());
  response->set_from_size(request->from_size());
  response->set_to_size(*to);
  CopyHashes(*proof, response->mutable_hashes());
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::ListModels(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::ListModelsRequest* request,
    aifl::api::v1::ListModelsResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kListModels);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::StatusOr<uint32_t> page = ResolvePageSize(request->page_size());
  if (!page.ok()) return FinishWith(ctx, page.status());
  absl::StatusOr<std::string> after = ModelIdAfter(request->page_token());
  if (!after.ok()) return FinishWith(ctx, after.status());
  absl::Status caught_up = deps_.models->CatchUp();
  if (!caught_up.ok()) return FinishWith(ctx, caught_up);
  absl::StatusOr<aifl::api::v1::ListModelsResponse> models =
      deps_.models->ListModels(ScopeOf(deps_, *caller), *page, *after);
  if (!models.ok()) return FinishWith(ctx, models.status());
  *response = std::move(*models);
  if (!response->next_page_token().empty()) {
    response->set_next_page_token(ModelPageToken(response->next_page_token()));
  }
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetModel(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::GetModelRequest* request,
    aifl::api::v1::ModelDetail* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kGetModel);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  if (request->model_id().empty() || request->model_id().size() > 256) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "model_id: got ", request->model_id().size(),
                               " bytes, want 1..256")));
  }
  absl::Status caught_up = deps_.models->CatchUp();
  if (!caught_up.ok()) return FinishWith(ctx, caught_up);
  absl::StatusOr<aifl::api::v1::ModelDetail> model =
      deps_.models->GetModel(ScopeOf(deps_, *caller), request->model_id());
  if (!model.ok()) return FinishWith(ctx, model.status());
  *response = std::move(*model);
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::ListFindings(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::ListFindingsRequest* request,
    aifl::api::v1::ListFindingsResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kListFindings);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  absl::Status valid = ValidateFilter(request->unit(), request->min_severity());
  if (!valid.ok()) return FinishWith(ctx, valid);
  absl::StatusOr<uint32_t> page = ResolvePageSize(request->page_size());
  if (!page.ok()) return FinishWith(ctx, page.status());
  uint64_t from_leaf = 0;
  if (!request->page_token().empty() &&
      !absl::SimpleAtoi(request->page_token(), &from_leaf)) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "page_token: got \"", request->page_token(),
                               "\", want a token from a previous response")));
  }
  absl::Status caught_up = deps_.models->CatchUp();
  if (!caught_up.ok()) return FinishWith(ctx, caught_up);
  FindingFilter filter{request->unit(), request->min_severity(),
                       request->model_id(), ScopeOf(deps_, *caller)};
  if (!filter.scope.everything && !filter.model_id.empty()) {
    absl::StatusOr<aifl::api::v1::ModelDetail> own =
        deps_.models->GetModel(filter.scope, filter.model_id);
    if (!own.ok()) return FinishWith(ctx, own.status());
  }
  uint64_t next = 0;
  for (aifl::api::v1::RecordedFinding& f :
       deps_.models->Findings(filter, from_leaf, *page, &next)) {
    *response->add_findings() = std::move(f);
  }
  if (next != 0) response->set_next_page_token(absl::StrCat(next));
  return FinishWith(ctx, absl::OkStatus());
}

grpc::ServerWriteReactor<aifl::api::v1::RecordedFinding>*
AuditService::WatchFindings(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::WatchFindingsRequest* request) {
  absl::StatusOr<Caller> caller = Authorize(ctx, deps_, Method::kWatchFindings);
  absl::Status status = caller.status();
  if (status.ok()) {
    status = ValidateFilter(request->unit(), request->min_severity());
  }
  std::unique_ptr<IdentityLimiter::Lease> lease;
  if (status.ok()) {
    auto acquired = watchers_.TryAcquire(caller->identity);
    if (acquired.ok()) {
      lease = std::move(*acquired);
    } else {
      status = acquired.status();
      deps_.metrics->CountFairnessRefusal(FairnessLimiter::kWatchStreams);
      LogRefusal(ctx, &*caller, "Audit.WatchFindings", status);
    }
  }
  FindingFilter filter{request->unit(), request->min_severity(), ""};
  if (caller.ok()) filter.scope = ScopeOf(deps_, *caller);
  return WatchFindingsReactor::Start(deps_.models, filter, request->from_leaf(),
                                     status, std::move(lease));
}

}  // namespace api::server
