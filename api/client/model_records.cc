#include "api/client/model_records.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rules/flop_range.h"

namespace api::client {
namespace {

void SetRange(const rules::FlopRange& r, aifl::api::v1::ComputeRange* out) {
  if (!r.known) return;
  out->set_lower(r.lower);
  out->set_upper(r.upper);
  out->set_method(rules::MethodNames(r.methods));
}

void SetRange(const aifl::common::v1::FlopRange& r,
              aifl::api::v1::ComputeRange* out) {
  out->set_lower(r.lower());
  out->set_upper(r.upper());
}

// An AI Office ledger's global model, from its latest totals entry.
aifl::api::v1::ModelSummary OfficeSummaryOf(
    const compliance::LogFold& fold, const std::string& name,
    const aifl::office::v1::ModelTotals& t) {
  aifl::api::v1::ModelSummary s;
  s.set_model_id(t.model_id());
  s.set_provider(t.provider());
  SetRange(t.training(), s.mutable_training_compute_flop());
  SetRange(t.cumulative(), s.mutable_cumulative_compute_flop());
  s.set_energy_joules(t.accelerator_energy_joules());
  s.set_runs(t.runs());
  s.set_open_findings(fold.OpenFindings(name));
  *s.mutable_factories() = t.factories();
  s.set_office_name(name);
  return s;
}

}  // namespace

aifl::api::v1::RecordedFinding RecordedFindingOf(
    const compliance::LoggedFinding& finding) {
  aifl::api::v1::RecordedFinding recorded;
  recorded.set_leaf_index(finding.leaf_index);
  *recorded.mutable_finding() = finding.finding;
  return recorded;
}

aifl::api::v1::ModelSummary ModelSummaryOf(const compliance::LogFold& fold,
                                           const rules::ModelState& state) {
  aifl::api::v1::ModelSummary s;
  s.set_model_id(state.model_id);
  if (const auto* d = state.declaration()) {
    s.set_provider(d->provider());
    if (d->has_base_model()) s.set_base_model_id(d->base_model().model_id());
  }
  SetRange(rules::CombinedTraining(state), s.mutable_training_compute_flop());
  SetRange(rules::CombinedCumulative(state),
           s.mutable_cumulative_compute_flop());
  s.set_energy_joules(state.accelerator_energy_joules);
  s.set_runs(state.runs.size());
  s.set_open_findings(fold.OpenFindings(state.model_id));
  return s;
}

aifl::api::v1::ListModelsResponse ListModelsOf(
    const compliance::LogFold& fold, uint32_t page_size,
    const std::string& page_token,
    const std::function<bool(const std::string& model_id)>& include) {
  // By name: a factory's models by id, an Office ledger's global models by
  // compliance::OfficeModelName.
  std::vector<std::pair<std::string, const rules::ModelState*>> models;
  for (const auto& [id, state] : fold.engine().fold().models()) {
    if (id > page_token && (!include || include(id))) {
      models.emplace_back(id, &state);
    }
  }
  for (const auto& [name, totals] : fold.office_totals()) {
    if (name > page_token && (!include || include(name))) {
      models.emplace_back(name, nullptr);
    }
  }
  std::sort(models.begin(), models.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  aifl::api::v1::ListModelsResponse response;
  for (size_t i = 0; i < models.size() && i < page_size; ++i) {
    const auto& [name, state] = models[i];
    *response.add_models() =
        state != nullptr
            ? ModelSummaryOf(fold, *state)
            : OfficeSummaryOf(fold, name, fold.office_totals().at(name).totals);
  }
  if (models.size() > page_size) {
    response.set_next_page_token(models[page_size - 1].first);
  }
  return response;
}

absl::StatusOr<aifl::api::v1::ModelDetail> ModelDetailOf(
    const compliance::LogFold& fold, const std::string& model_id) {
  const rules::ModelState* state = fold.engine().fold().Find(model_id);
  auto office = fold.office_totals().find(model_id);
  if (state == nullptr && office != fold.office_totals().end()) {
    aifl::api::v1::ModelDetail detail;
    *detail.mutable_summary() =
        OfficeSummaryOf(fold, model_id, office->second.totals);
    detail.add_evidence_leaves(office->second.leaf_index);
    for (const compliance::LoggedFinding& f : fold.findings()) {
      if (compliance::FindingModel(f.finding) == model_id) {
        *detail.add_findings() = f.finding;
      }
    }
    return detail;
  }
  if (state == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("model_id: no entries about model \"", model_id, "\""));
  }
  aifl::api::v1::ModelDetail detail;
  *detail.mutable_summary() = ModelSummaryOf(fold, *state);
  for (const auto& [account, r] : state->measured_by_account) {
    (*detail.mutable_compute_by_account())[account] = r.upper;
  }
  for (const auto& [label, r] : state->measured_by_label) {
    (*detail.mutable_compute_by_run_label())[label] = r.upper;
  }
  for (const auto& d : state->declarations) {
    detail.add_evidence_leaves(d.at.leaf);
  }
  for (uint64_t leaf : state->counted_leaves) detail.add_evidence_leaves(leaf);
  for (const compliance::LoggedFinding& f : fold.findings()) {
    if (f.finding.model_id() == state->model_id) {
      *detail.add_findings() = f.finding;
    }
  }
  return detail;
}

}  // namespace api::client
