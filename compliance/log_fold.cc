#include "compliance/log_fold.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "compliance/global_model.h"
#include "rules/payload_types.h"

namespace compliance {

absl::StatusOr<std::unique_ptr<LogFold>> LogFold::Create(rules::RulePack pack) {
  std::string version = pack.version();
  ASSIGN_OR_RETURN(std::unique_ptr<rules::Engine> engine,
                   rules::Engine::Create(std::move(pack)));
  return std::unique_ptr<LogFold>(
      new LogFold(std::move(engine), std::move(version)));
}

LogFold::LogFold(std::unique_ptr<rules::Engine> engine,
                 std::string pack_version)
    : engine_(std::move(engine)), pack_version_(std::move(pack_version)) {}

absl::StatusOr<LogFold::Added> LogFold::Add(uint64_t index,
                                            absl::string_view leaf_bytes,
                                            const KeyLookup& keys) {
  if (index != next_leaf_) {
    return absl::FailedPreconditionError(
        absl::StrCat("leaf index: got ", index, ", want ", next_leaf_));
  }
  ASSIGN_OR_RETURN(ConvertedLeaf converted,
                   ConvertLeaf(index, leaf_bytes, keys));
  ++next_leaf_;
  Added added;
  if (!converted.evidence()) {
    added.use = Use::kNotEvidence;
    added.why = absl::PermissionDeniedError(
        absl::StrCat("leaf ", index, ": ", converted.not_evidence));
    not_evidence_.Add(index, std::move(converted.not_evidence));
    return added;
  }
  const rules::LedgerEntry& entry = converted.entry;
  added.payload_type = entry.payload_type;
  added.why = engine_->Ingest(entry, &added.models);
  if (!added.why.ok()) {
    added.use = Use::kRefused;
    return added;
  }
  // The engine took it; a finding it took is signed by a rules key and parses.
  LoggedFinding logged{index, {}};
  if (entry.payload_type == rules::kFindingType &&
      logged.finding.ParseFromString(entry.payload)) {
    const aifl::rules::v1::Finding& f = logged.finding;
    open_[FindingModel(f)][f.rule_id()] = f.state() == aifl::rules::v1::RAISED;
    if (const rules::ModelState* m = engine_->fold().Find(f.model_id())) {
      added.models.push_back(m->model_id);
    }
    findings_.push_back(std::move(logged));
  }
  LoggedTotals totals{index, {}};
  if (entry.payload_type == rules::kModelTotalsType &&
      entry.signer_role == aifl::ledger::v1::ROLE_OFFICE &&
      totals.totals.ParseFromString(entry.payload)) {
    const aifl::office::v1::ModelTotals& t = totals.totals;
    const std::string model =
        OfficeModelName(t.provider(), t.model_origin(), t.model_id());
    office_totals_[model] = std::move(totals);
  }
  return added;
}

std::string OfficeModelName(const std::string& provider,
                            const std::string& model_origin,
                            const std::string& model_id) {
  if (provider.empty() && model_origin.empty()) return model_id;
  return GlobalModelKey{provider, model_origin, model_id}.Display();
}

std::string FindingModel(const aifl::rules::v1::Finding& finding) {
  return OfficeModelName(finding.provider(), finding.model_origin(),
                         finding.model_id());
}

uint32_t LogFold::OpenFindings(const std::string& model_id) const {
  auto it = open_.find(model_id);
  if (it == open_.end()) return 0;
  uint32_t open = 0;
  for (const auto& [rule, raised] : it->second) open += raised ? 1 : 0;
  return open;
}

}  // namespace compliance
