// Audit.GetModelEntries: the hosted per-model index's answer, head and pages
// (api/index/index_host.h; index/FORMAT.md, "Pages of a list"). A provider
// asks about its own models only (the same fixed refusal as GetModel); an
// entry on a page it may not read (as GetEntries decides) comes redacted.
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/index/index_host.h"
#include "api/server/audit_service.h"
#include "index/model_answer_wire.h"

namespace api::server {
namespace {

// The page the request asks for, and the head when it starts an answer.
absl::Status Answer(const ServiceDeps& deps, const Caller& caller,
                    const ReadScope& scope,
                    const aifl::api::v1::GetModelEntriesRequest& request,
                    uint64_t page_size,
                    aifl::api::v1::GetModelEntriesResponse* response) {
  const std::string& model = request.model_id();
  uint64_t count = request.list_size();
  uint64_t input_size = request.input_size();
  if (request.start() == 0) {
    absl::StatusOr<api::index::HostedHead> head = deps.index->Head(model);
    if (!head.ok()) return head.status();
    response->set_output_checkpoint(head->output_checkpoint);
    *response->mutable_head() = vindex::ModelHeadToProto(head->head);
    count = head->head.value.count;
    input_size = head->input_size;
    if (count == 0) return absl::OkStatus();
  } else if (request.start() >= count) {
    return absl::InvalidArgumentError(
        absl::StrCat("start: got ", request.start(), ", want below list_size ",
                     count, " (the head's count)"));
  }
  std::optional<uint64_t> as_of;
  if (request.as_of_size() != 0) as_of = request.as_of_size();
  absl::StatusOr<vindex::ModelPage> page =
      deps.index->Page(model, count, input_size, request.start(), page_size,
                       as_of, kMaxResponseLeafBytes);
  if (!page.ok()) return page.status();
  // An entry the caller may not read (another organisation's entry about
  // the same model id) is redacted to its leaf hash: the page stays
  // complete and proven without revealing it (FORMAT.md, "Redacted
  // entries").
  for (vindex::ProvenEntry& e : page->entries) {
    absl::Status readable = CheckMayReadLeaves(deps, caller, scope, e.index, 1);
    if (absl::IsPermissionDenied(readable)) {
      e = vindex::Redact(std::move(e));
    } else if (!readable.ok()) {
      return readable;
    }
  }
  *response->mutable_page() = vindex::ModelPageToProto(*page);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AuditService::GetModelEntries(
    grpc::CallbackServerContext* ctx,
    const aifl::api::v1::GetModelEntriesRequest* request,
    aifl::api::v1::GetModelEntriesResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(ctx, deps_, Method::kGetModelEntries);
  if (!caller.ok()) return FinishWith(ctx, caller.status());
  if (deps_.index == nullptr) {
    return FinishWith(ctx, absl::FailedPreconditionError(
                               "this server hosts no per-model index "
                               "(ledger_server --index_dir)"));
  }
  if (request->model_id().empty() || request->model_id().size() > 256) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "model_id: got ", request->model_id().size(),
                               " bytes, want 1..256")));
  }
  const uint32_t page_size =
      request->page_size() == 0 ? kMaxPage : request->page_size();
  if (page_size > kMaxPage) {
    return FinishWith(ctx, absl::InvalidArgumentError(absl::StrCat(
                               "page_size: got ", request->page_size(),
                               ", want 0 (", kMaxPage, ") or 1..", kMaxPage)));
  }
  const ReadScope scope = ScopeOf(deps_, *caller);
  if (!scope.everything) {
    absl::Status caught_up = deps_.models->CatchUp();
    if (!caught_up.ok()) return FinishWith(ctx, caught_up);
    // kNotOwnModel for another's model and an unknown one alike.
    absl::StatusOr<aifl::api::v1::ModelDetail> own =
        deps_.models->GetModel(scope, request->model_id());
    if (!own.ok()) return FinishWith(ctx, own.status());
  }
  return FinishWith(
      ctx, Answer(deps_, *caller, scope, *request, page_size, response));
}

}  // namespace api::server
