#include "tools/ledgerctl/server_connection.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "api/client/open_log_reader.h"
#include "api/client/rpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "tools/ledgerctl/log_source.h"

namespace ledgerctl {
namespace {

namespace v1 = ::aifl::api::v1;

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
}

}  // namespace

absl::StatusOr<ServerConnection> Connect() {
  ASSIGN_OR_RETURN(
      api::client::ConnectedClient connected,
      api::client::ConnectLedgerClient(LogSourceFromFlags(CommandArgs{})));
  ServerConnection conn;
  conn.client = std::move(connected.client);
  conn.audit = v1::Audit::NewStub(connected.channel);
  conn.admin = v1::Admin::NewStub(connected.channel);
  return conn;
}

absl::StatusOr<std::vector<v1::ModelSummary>> ListAllModels(
    ServerConnection& conn) {
  std::vector<v1::ModelSummary> out;
  v1::ListModelsRequest request;
  request.set_page_size(1000);
  do {
    v1::ListModelsResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    RETURN_IF_ERROR(api::client::FromGrpcStatus(
        "Audit.ListModels",
        conn.audit->ListModels(&context, request, &response)));
    for (auto& m : *response.mutable_models()) out.push_back(std::move(m));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<v1::ModelDetail> GetModel(ServerConnection& conn,
                                         const std::string& id) {
  v1::GetModelRequest request;
  request.set_model_id(id);
  v1::ModelDetail response;
  grpc::ClientContext context;
  SetDeadline(context);
  RETURN_IF_ERROR(api::client::FromGrpcStatus(
      "Audit.GetModel", conn.audit->GetModel(&context, request, &response)));
  return response;
}

absl::StatusOr<std::vector<v1::RecordedFinding>> ListAllFindings(
    ServerConnection& conn, v1::ListFindingsRequest request) {
  std::vector<v1::RecordedFinding> out;
  request.set_page_size(1000);
  request.clear_page_token();
  do {
    ASSIGN_OR_RETURN(v1::ListFindingsResponse response,
                     conn.client->ListFindings(request));
    for (auto& f : *response.mutable_findings()) out.push_back(std::move(f));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

}  // namespace ledgerctl
