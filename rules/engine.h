// The rules engine: folds ledger entries as they arrive, re-evaluates only
// the models they touched, and returns the findings to append to the ledger
// (signed by the rules key by the caller). The clock is an argument, never
// read. Not thread-safe: the owner serializes calls.
//
// Findings come back to the engine as ledger entries
// ("aifl.rules.v1.Finding", role ROLE_RULES); findings under any other role
// are refused. Findings the engine returns are recorded at once, so a second
// evaluation before they come back appends nothing twice.
#ifndef RULES_ENGINE_H_
#define RULES_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rules/evaluator.h"
#include "rules/findings_diff.h"
#include "rules/ledger_entry.h"
#include "rules/model_state_fold.h"
#include "schema/findings.pb.h"

namespace rules {

class Engine {
 public:
  // kInvalidArgument when the pack is not valid. `max_evidence_leaves`:
  // FoldOptions::max_evidence_leaves (0: every leaf kept).
  static absl::StatusOr<std::unique_ptr<Engine>> Create(
      RulePack pack, uint64_t max_evidence_leaves = 0);

  // Folds one entry (in leaf order) and marks the models it touched; when
  // `affected` is not null it receives their ids (aliases resolved; empty
  // for entries about no model, e.g. key events, findings, unattributed
  // collector records). Errors as ModelStateFold::Apply (the entry is then
  // ignored), plus kInvalidArgument for a finding not signed by the rules
  // role.
  absl::Status Ingest(const LedgerEntry& entry,
                      std::vector<std::string>* affected = nullptr);

  // Evaluates the models touched since the last evaluation at `now` and
  // returns the raised and cleared findings to append (and records them).
  std::vector<aifl::rules::v1::Finding> EvaluateChanged(absl::Time now);

  // Evaluates every model at `now` (periodic run for deadlines, on demand).
  std::vector<aifl::rules::v1::Finding> EvaluateAll(absl::Time now);

  // The findings currently raised for a model, without diffing or recording.
  std::vector<aifl::rules::v1::Finding> Current(const std::string& model_id,
                                                absl::Time now) const;

  const ModelStateFold& fold() const { return fold_; }
  const Evaluator& evaluator() const { return *evaluator_; }

 private:
  Engine(std::unique_ptr<Evaluator> evaluator, FoldOptions fold_options);
  void EvaluateModel(const ModelState& state, absl::Time now,
                     std::vector<aifl::rules::v1::Finding>* out);

  std::unique_ptr<Evaluator> evaluator_;
  ModelStateFold fold_;
  RecordedFindings recorded_;
  absl::btree_set<std::string> changed_;
};

// "What did we know on that day": folds only the entries integrated at or
// before `as_of` (entries in leaf order) and returns every model's raised
// findings at `as_of`, by model id then pack order. Entries the fold refuses
// are skipped. kInvalidArgument when the pack is not valid.
absl::StatusOr<std::vector<aifl::rules::v1::Finding>> EvaluateAsOf(
    const RulePack& pack, const std::vector<LedgerEntry>& entries,
    absl::Time as_of);

}  // namespace rules

#endif  // RULES_ENGINE_H_
