#include "rules/engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "rules/payload_types.h"

namespace rules {

namespace v1 = aifl::rules::v1;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(
    RulePack pack, uint64_t max_evidence_leaves) {
  ASSIGN_OR_RETURN(std::unique_ptr<Evaluator> evaluator,
                   Evaluator::Create(std::move(pack)));
  FoldOptions fold_options = evaluator->fold_options();
  fold_options.max_evidence_leaves = max_evidence_leaves;
  return std::unique_ptr<Engine>(
      new Engine(std::move(evaluator), std::move(fold_options)));
}

Engine::Engine(std::unique_ptr<Evaluator> evaluator, FoldOptions fold_options)
    : evaluator_(std::move(evaluator)),
      fold_(std::move(fold_options)),
      recorded_(evaluator_.get()) {}

absl::Status Engine::Ingest(const LedgerEntry& entry,
                            std::vector<std::string>* affected_out) {
  if (entry.payload_type == kFindingType) {
    if (entry.signer_role != aifl::ledger::v1::ROLE_RULES) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leaf ", entry.leaf_index, ": finding signed by role ",
          aifl::ledger::v1::Role_Name(entry.signer_role), ", want ROLE_RULES"));
    }
    v1::Finding f;
    if (!f.ParseFromString(entry.payload)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leaf ", entry.leaf_index, ": payload does not parse as Finding"));
    }
    recorded_.Record(f);
  }
  ASSIGN_OR_RETURN(std::vector<std::string> affected, fold_.Apply(entry));
  for (const std::string& id : affected) changed_.insert(id);
  if (affected_out != nullptr) *affected_out = std::move(affected);
  return absl::OkStatus();
}

void Engine::EvaluateModel(const ModelState& state, absl::Time now,
                           std::vector<v1::Finding>* out) {
  recorded_.Update(state, now, out);
}

std::vector<v1::Finding> Engine::EvaluateChanged(absl::Time now) {
  std::vector<v1::Finding> out;
  for (const std::string& id : changed_) {
    const ModelState* state = fold_.Find(id);
    if (state != nullptr) EvaluateModel(*state, now, &out);
  }
  changed_.clear();
  return out;
}

std::vector<v1::Finding> Engine::EvaluateAll(absl::Time now) {
  std::vector<const ModelState*> states;
  states.reserve(fold_.models().size());
  for (const auto& [id, state] : fold_.models()) states.push_back(&state);
  std::sort(states.begin(), states.end(),
            [](const ModelState* a, const ModelState* b) {
              return a->model_id < b->model_id;
            });
  std::vector<v1::Finding> out;
  for (const ModelState* s : states) EvaluateModel(*s, now, &out);
  changed_.clear();
  return out;
}

std::vector<v1::Finding> Engine::Current(const std::string& model_id,
                                         absl::Time now) const {
  const ModelState* state = fold_.Find(model_id);
  if (state == nullptr) return {};
  return evaluator_->Evaluate(*state, now);
}

absl::StatusOr<std::vector<v1::Finding>> EvaluateAsOf(
    const RulePack& pack, const std::vector<LedgerEntry>& entries,
    absl::Time as_of) {
  ASSIGN_OR_RETURN(std::unique_ptr<Evaluator> evaluator,
                   Evaluator::Create(pack));
  ModelStateFold fold(evaluator->fold_options());
  for (const LedgerEntry& e : entries) {
    if (e.integration_time > as_of) break;  // integration times never decrease
    // A refused entry changes nothing; the replay goes on without it.
    fold.Apply(e).IgnoreError();
  }
  std::vector<const ModelState*> states;
  for (const auto& [id, state] : fold.models()) states.push_back(&state);
  std::sort(states.begin(), states.end(),
            [](const ModelState* a, const ModelState* b) {
              return a->model_id < b->model_id;
            });
  std::vector<v1::Finding> out;
  for (const ModelState* s : states) {
    std::vector<v1::Finding> f = evaluator->Evaluate(*s, as_of);
    std::move(f.begin(), f.end(), std::back_inserter(out));
  }
  return out;
}

}  // namespace rules
