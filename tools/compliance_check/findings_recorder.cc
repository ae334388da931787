#include "tools/compliance_check/findings_recorder.h"

#include <memory>
#include <utility>

#include "common/status_macros.h"
#include "compliance/findings_recorder.h"
#include "rules/engine.h"

namespace compliance_check {

namespace v1 = aifl::rules::v1;

absl::StatusOr<RecordResult> RecordFindings(
    ledger::Ledger& ledger, const rules::RulePack& pack,
    const std::vector<rules::LedgerEntry>& entries,
    const std::string& rules_key_path, absl::Time now, const std::string& model,
    const vindex::CiteFn& cite) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<compliance::FindingsRecorder> recorder,
      compliance::FindingsRecorder::Create(&ledger, rules_key_path));
  ASSIGN_OR_RETURN(std::unique_ptr<rules::Engine> engine,
                   rules::Engine::Create(pack));
  for (const rules::LedgerEntry& e : entries) {
    // Entries the engine refuses (findings under other roles, payloads that
    // do not parse) change nothing; the report shows the same view.
    engine->Ingest(e).IgnoreError();
  }
  RecordResult result;
  for (v1::Finding& f : engine->EvaluateAll(now)) {
    if (!model.empty() && f.model_id() != model) continue;
    result.appended.push_back(std::move(f));
  }
  if (result.appended.empty()) return result;
  // The findings rest on every leaf: [0, Size()) before they are appended.
  result.uncited = vindex::CiteFindings(cite, ledger.Size(), &result.appended);
  ASSIGN_OR_RETURN(result.first_leaf, recorder->Record(result.appended));
  RETURN_IF_ERROR(ledger.PublishCheckpoint().status());
  return result;
}

}  // namespace compliance_check
