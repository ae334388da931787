#include "api/index/model_entries_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "index/model_answer_wire.h"

namespace api::index {
namespace {

absl::StatusOr<aifl::api::v1::GetModelEntriesResponse> Call(
    aifl::api::v1::Audit::Stub& audit,
    const aifl::api::v1::GetModelEntriesRequest& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  aifl::api::v1::GetModelEntriesResponse response;
  RETURN_IF_ERROR(
      client::FromGrpcStatus("Audit.GetModelEntries",
                             audit.GetModelEntries(&ctx, request, &response)));
  return response;
}

// With refuse_redacted, the first redacted entry of a verified page.
absl::Status CheckNoneRedacted(const ModelEntriesOptions& options,
                               const vindex::ModelPage& page) {
  if (!options.refuse_redacted) return absl::OkStatus();
  for (const vindex::ProvenEntry& e : page.entries) {
    if (!e.redacted) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "leaf ", e.index,
        " of the answer is redacted (the server withholds it from this "
        "identity, so MapFn cannot be checked on it) and redacted entries "
        "were refused"));
  }
  return absl::OkStatus();
}

// A page the server sent, verified (a malformed one is the server's fault).
absl::Status AddPage(const aifl::api::v1::GetModelEntriesResponse& response,
                     const ModelEntriesOptions& options,
                     vindex::ModelPagesVerifier& answer) {
  if (!response.has_page()) {
    return absl::DataLossError(
        absl::StrCat("the server sent no page at position ",
                     answer.next_position(), " of ", answer.value().count));
  }
  absl::StatusOr<vindex::ModelPage> page =
      vindex::ModelPageFromProto(response.page());
  if (!page.ok()) return absl::DataLossError(page.status().message());
  RETURN_IF_ERROR(answer.Add(*page));
  return CheckNoneRedacted(options, *page);
}

}  // namespace

absl::StatusOr<VerifiedModelPages> FetchModelEntries(
    aifl::api::v1::Audit::Stub& audit, const client::LogVerifier& index_log,
    const std::string& model_id, const ModelEntriesOptions& options) {
  aifl::api::v1::GetModelEntriesRequest request;
  request.set_model_id(model_id);
  request.set_as_of_size(options.as_of.value_or(0));
  request.set_page_size(options.page_size);
  ASSIGN_OR_RETURN(aifl::api::v1::GetModelEntriesResponse first,
                   Call(audit, request));
  ASSIGN_OR_RETURN(client::VerifiedCheckpoint cp,
                   index_log.VerifyCheckpoint(first.output_checkpoint()));
  absl::StatusOr<vindex::ModelAnswerHead> head =
      vindex::ModelHeadFromProto(first.head());
  if (!head.ok()) return absl::DataLossError(head.status().message());
  ASSIGN_OR_RETURN(
      vindex::ModelPagesVerifier answer,
      vindex::ModelPagesVerifier::Start(*head, model_id, cp.fields.size,
                                        cp.fields.root, options.as_of));
  VerifiedModelPages out{std::move(cp), std::move(answer), head->output_leaf,
                         0};
  if (out.answer.done()) return out;
  RETURN_IF_ERROR(AddPage(first, options, out.answer));
  ++out.pages;
  request.set_list_size(out.answer.value().count);
  request.set_input_size(out.answer.update().state.input_size);
  while (!out.answer.done()) {
    request.set_start(out.answer.next_position());
    ASSIGN_OR_RETURN(aifl::api::v1::GetModelEntriesResponse next,
                     Call(audit, request));
    RETURN_IF_ERROR(AddPage(next, options, out.answer));
    ++out.pages;
  }
  return out;
}

absl::Status CheckIndexLag(const vindex::IndexUpdate& update,
                           uint64_t input_size, uint64_t max_lag) {
  const uint64_t indexed = update.state.input_size;
  if (indexed < input_size && input_size - indexed > max_lag) {
    return absl::DataLossError(absl::StrCat(
        "stale index: as of size ", indexed, ", the input log is at size ",
        input_size, " (more than ", max_lag, " leaves behind)"));
  }
  return absl::OkStatus();
}

}  // namespace api::index
