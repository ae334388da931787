// The Audit service's model and finding messages (api/v1/ledger_service.proto:
// ModelSummary, ModelDetail, RecordedFinding) made from a compliance::LogFold.
// One conversion for the server (api/server/ledger_model_view.cc answers
// Audit.ListModels/GetModel/ListFindings with it) and for ledgerctl, which
// folds a log it read itself (--dir, --tiles), so both print the same models
// for the same log and rule pack.
//
// Pure functions of the fold; the caller serializes access to it.
#ifndef API_CLIENT_MODEL_RECORDS_H_
#define API_CLIENT_MODEL_RECORDS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "api/v1/ledger_service.pb.h"
#include "compliance/log_fold.h"
#include "rules/model_state_fold.h"

namespace api::client {

aifl::api::v1::RecordedFinding RecordedFindingOf(
    const compliance::LoggedFinding& finding);

// One model's summary: declaration, combined compute ranges, energy, runs,
// open findings.
aifl::api::v1::ModelSummary ModelSummaryOf(const compliance::LogFold& fold,
                                           const rules::ModelState& state);

// Models ordered by id, after the model id `page_token` ("" = from the
// start), at most `page_size`; next_page_token is the last id of this page
// when more follow. In an AI Office ledger, the global models of its latest
// ModelTotals entries too, named compliance::OfficeModelName ("<provider> /
// <model id>"), with their per-factory shares. Only models for which
// `include` (when set) is true are listed or counted. REQUIRES: page_size ≥ 1.
aifl::api::v1::ListModelsResponse ListModelsOf(
    const compliance::LogFold& fold, uint32_t page_size,
    const std::string& page_token,
    const std::function<bool(const std::string& model_id)>& include = nullptr);

// One model's detail (summary, compute by account and run label, evidence
// leaves, findings); an Office ledger's global model by its OfficeModelName
// (evidence: its totals entry). kNotFound for a model no entry is about.
absl::StatusOr<aifl::api::v1::ModelDetail> ModelDetailOf(
    const compliance::LogFold& fold, const std::string& model_id);

}  // namespace api::client

#endif  // API_CLIENT_MODEL_RECORDS_H_
