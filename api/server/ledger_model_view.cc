#include "api/server/ledger_model_view.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "api/server/log.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "rules/flop_range.h"

namespace api::server {
namespace {

void SetRange(const rules::FlopRange& r, aifl::api::v1::ComputeRange* out) {
  if (!r.known) return;
  out->set_lower(r.lower);
  out->set_upper(r.upper);
  out->set_method(rules::MethodNames(r.methods));
}

}  // namespace

LedgerModelView::LedgerModelView(const ledger::Ledger* ledger)
    : ledger_(ledger), fold_(rules::FoldOptions{}) {}

absl::Status LedgerModelView::CatchUp() {
  absl::MutexLock lock(&mu_);
  const uint64_t size = ledger_->Size();
  const size_t first_new = findings_.size();
  while (cursor_ < size) {
    uint64_t count = std::min<uint64_t>(1000, size - cursor_);
    absl::StatusOr<std::vector<std::string>> leaves =
        ledger_->GetLeaves(cursor_, count);
    if (!leaves.ok()) return leaves.status();
    for (const std::string& leaf : *leaves) Fold(cursor_++, leaf);
  }
  if (findings_.size() > first_new) {
    absl::MutexLock sub_lock(&sub_mu_);
    for (size_t i = first_new; i < findings_.size(); ++i) {
      for (auto& [id, sink] : sinks_) sink(findings_[i]);
    }
  }
  return absl::OkStatus();
}

void LedgerModelView::Fold(uint64_t index, const std::string& leaf_bytes) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) return;  // the ledger's open-time check covers stored leaves
  absl::StatusOr<ledger::entry::Envelope> envelope =
      ledger::entry::ParseEnvelope(leaf->envelope);
  if (!envelope.ok()) return;
  std::optional<ledger::KeyInfo> key =
      ledger_->FindKey(ledger::crypto::KeyId(envelope->key_id));
  rules::LedgerEntry entry;
  entry.leaf_index = index;
  entry.integration_time = leaf->integration_time();
  if (key.has_value()) {
    entry.signer_role = key->role;
    entry.signer_organisation = key->organisation;
  }
  entry.payload_type = std::move(envelope->payload_type);
  entry.payload = std::move(envelope->payload);
  if (entry.payload_type == kFindingType &&
      entry.signer_role == aifl::ledger::v1::ROLE_RULES) {
    aifl::api::v1::RecordedFinding recorded;
    if (recorded.mutable_finding()->ParseFromString(entry.payload)) {
      recorded.set_leaf_index(index);
      const aifl::rules::v1::Finding& f = recorded.finding();
      open_[f.model_id()][f.rule_id()] = f.state() == aifl::rules::v1::RAISED;
      findings_.push_back(std::move(recorded));
    }
    return;
  }
  absl::StatusOr<std::vector<std::string>> changed = fold_.Apply(entry);
  if (!changed.ok() && fold_errors_++ < 10) {
    // A signed entry the fold cannot use (e.g. a payload that does not
    // parse) stays in the log; the model state leaves it out.
    LogEvent("warning", "model_fold_skipped_entry",
             {{"leaf", absl::StrCat(index)},
              {"error", changed.status().ToString()}});
  }
}

aifl::api::v1::ModelSummary LedgerModelView::Summary(
    const rules::ModelState& state) const {
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
  auto it = open_.find(state.model_id);
  if (it != open_.end()) {
    uint32_t open = 0;
    for (const auto& [rule, raised] : it->second) open += raised ? 1 : 0;
    s.set_open_findings(open);
  }
  return s;
}

absl::StatusOr<aifl::api::v1::ListModelsResponse> LedgerModelView::ListModels(
    uint32_t page_size, const std::string& page_token) {
  absl::MutexLock lock(&mu_);
  std::vector<const rules::ModelState*> models;
  for (const auto& [id, state] : fold_.models()) {
    if (id > page_token) models.push_back(&state);
  }
  std::sort(models.begin(), models.end(),
            [](const rules::ModelState* a, const rules::ModelState* b) {
              return a->model_id < b->model_id;
            });
  aifl::api::v1::ListModelsResponse response;
  for (size_t i = 0; i < models.size() && i < page_size; ++i) {
    *response.add_models() = Summary(*models[i]);
  }
  if (models.size() > page_size) {
    response.set_next_page_token(models[page_size - 1]->model_id);
  }
  return response;
}

absl::StatusOr<aifl::api::v1::ModelDetail> LedgerModelView::GetModel(
    const std::string& model_id) {
  absl::MutexLock lock(&mu_);
  const rules::ModelState* state = fold_.Find(model_id);
  if (state == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("model_id: no entries about model \"", model_id, "\""));
  }
  aifl::api::v1::ModelDetail detail;
  *detail.mutable_summary() = Summary(*state);
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
  for (const auto& f : findings_) {
    if (f.finding().model_id() == state->model_id) {
      *detail.add_findings() = f.finding();
    }
  }
  return detail;
}

std::vector<aifl::api::v1::RecordedFinding> LedgerModelView::Findings(
    const FindingFilter& filter, uint64_t from_leaf, uint32_t limit,
    uint64_t* next_leaf) {
  absl::MutexLock lock(&mu_);
  std::vector<aifl::api::v1::RecordedFinding> out;
  *next_leaf = 0;
  auto it =
      std::lower_bound(findings_.begin(), findings_.end(), from_leaf,
                       [](const aifl::api::v1::RecordedFinding& f,
                          uint64_t leaf) { return f.leaf_index() < leaf; });
  for (; it != findings_.end(); ++it) {
    if (!filter.Matches(it->finding())) continue;
    if (out.size() == limit) {
      *next_leaf = it->leaf_index();
      break;
    }
    out.push_back(*it);
  }
  return out;
}

uint64_t LedgerModelView::Subscribe(FindingSink sink) {
  absl::MutexLock lock(&sub_mu_);
  uint64_t id = next_id_++;
  sinks_[id] = std::move(sink);
  return id;
}

void LedgerModelView::Unsubscribe(uint64_t id) {
  absl::MutexLock lock(&sub_mu_);
  sinks_.erase(id);
}

}  // namespace api::server
