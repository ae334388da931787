#include "tools/ledgerctl/model_source.h"

#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "api/client/grpc_log_reader.h"
#include "api/client/log_audit.h"
#include "api/client/model_records.h"
#include "common/status_macros.h"
#include "rules/default_pack.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/log_source.h"

namespace ledgerctl {

namespace v1 = ::aifl::api::v1;

absl::StatusOr<std::unique_ptr<ModelSource>> ModelSource::Open(
    const CommandArgs& args) {
  std::unique_ptr<ModelSource> source(new ModelSource());
  const std::string server = absl::GetFlag(FLAGS_server);
  if (!server.empty()) {
    ASSIGN_OR_RETURN(ServerConnection conn, Connect());
    source->grpc_ =
        new api::client::GrpcLogReader(std::move(conn.client), server);
    source->reader_.reset(source->grpc_);
    source->server_ = std::move(conn);
    source->verifier_key_ = source->grpc_->client().verifier().verifier_key();
    source->name_ = server;
  } else {
    ASSIGN_OR_RETURN(api::client::OpenedLog opened, OpenLog(args));
    source->reader_ = std::move(opened.reader);
    source->name_ = source->reader_->Source();
    source->verifier_key_ = opened.verifier_key;
  }
  ASSIGN_OR_RETURN(source->cp_, source->reader_->LatestCheckpoint());
  if (source->grpc_ == nullptr) RETURN_IF_ERROR(source->Fold());
  return source;
}

absl::Status ModelSource::Fold() {
  ASSIGN_OR_RETURN(rules::RulePack pack, rules::LoadRulePack(""));
  ASSIGN_OR_RETURN(fold_, compliance::LogFold::Create(std::move(pack)));
  api::client::LogAuditOptions options;
  options.visit = [this](uint64_t index, absl::string_view leaf,
                         const ledger::KeyRegistry& registry) -> absl::Status {
    const compliance::KeyLookup keys =
        [&registry](
            const ledger::crypto::KeyId& id) -> std::optional<ledger::KeyInfo> {
      const ledger::KeyInfo* info = registry.Find(id);
      if (info == nullptr) return std::nullopt;
      return *info;
    };
    // A leaf the fold cannot use (kRefused, kNotEvidence) is left out of
    // the model state, as the server leaves it out.
    return fold_->Add(index, leaf, keys).status();
  };
  ASSIGN_OR_RETURN(api::client::LogAuditReport report,
                   api::client::AuditLog(*reader_, cp_, options));
  if (!report.ok) {
    return absl::DataLossError(
        absl::StrCat(reader_->Source(), " does not verify: ", report.problem));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::ModelSummary>> ModelSource::Models() {
  if (fold_ == nullptr) {
    return ListAllModels(server_);
  }
  v1::ListModelsResponse all =
      api::client::ListModelsOf(*fold_, UINT32_MAX, "");
  return std::vector<v1::ModelSummary>(all.models().begin(),
                                       all.models().end());
}

absl::StatusOr<v1::ModelDetail> ModelSource::Model(const std::string& id) {
  if (fold_ == nullptr) {
    return GetModel(server_, id);
  }
  return api::client::ModelDetailOf(*fold_, id);
}

absl::StatusOr<std::vector<v1::RecordedFinding>> ModelSource::FindingsOf(
    const std::string& model_id) {
  std::vector<v1::RecordedFinding> out;
  if (fold_ != nullptr) {
    for (const compliance::LoggedFinding& f : fold_->findings()) {
      if (f.finding.model_id() == model_id) {
        out.push_back(api::client::RecordedFindingOf(f));
      }
    }
    return out;
  }
  v1::ListFindingsRequest request;
  request.set_model_id(model_id);
  request.set_page_size(1000);
  do {
    ASSIGN_OR_RETURN(v1::ListFindingsResponse response,
                     grpc_->client().ListFindings(request));
    for (auto& f : *response.mutable_findings()) out.push_back(std::move(f));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

}  // namespace ledgerctl
