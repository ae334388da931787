// What the ledger already says about findings, and which findings to append
// so that it says what the evaluator says now. Re-evaluating without new
// facts appends nothing. Not thread-safe.
//
// A finding is identified by (model, rule). A raised finding is appended when
// none is recorded for its identity, when the recorded one is cleared, or
// when what a person reads changed: severity, deadline, message (the message
// carries the numbers at two significant figures, so growing compute
// re-raises only when a shown figure moves) or rule-pack version. Evidence
// leaves and the evaluation time alone never cause an append. A recorded
// raised finding the evaluator no longer raises is appended again with state
// CLEARED ("Cleared: " before its message, no deadline, the new evaluation
// time).
//
// Speed: each record keeps the compact outcome (rules/conditions.h Outcome)
// it was rendered from. Update() evaluates compactly and renders a finding
// only when its compact outcome differs from the recorded one (or none is
// known, e.g. for a finding read back from the ledger that this process did
// not emit); the rendered finding is then compared in full (SameAsRecorded),
// so the result is the same as rendering everything.
#ifndef RULES_FINDINGS_DIFF_H_
#define RULES_FINDINGS_DIFF_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "rules/conditions.h"
#include "rules/evaluator.h"
#include "rules/model_state.h"
#include "schema/findings.pb.h"

namespace rules {

class RecordedFindings {
 public:
  // `evaluator` must outlive this object.
  explicit RecordedFindings(const Evaluator* evaluator);

  // Records a finding read back from the ledger (rules-signed), or emitted.
  // The latest record for an identity wins.
  void Record(const aifl::rules::v1::Finding& finding);

  // Evaluates `state` at `as_of`, appends to `out` the findings to append
  // (raised or changed in pack order, then cleared by rule id), and records
  // them.
  void Update(const ModelState& state, absl::Time as_of,
              std::vector<aifl::rules::v1::Finding>* out);

  // The recorded finding for (model, rule), or null.
  const aifl::rules::v1::Finding* Find(const std::string& model_id,
                                       const std::string& rule_id) const;

 private:
  struct Record_ {
    aifl::rules::v1::Finding finding;
    bool has_outcome = false;  // `outcome` is what `finding` was rendered from
    Outcome outcome;
  };
  struct ModelRecords {
    std::vector<std::unique_ptr<Record_>> by_rule;  // pack order, null: none
    // Findings of rule ids not in the pack (another pack version).
    std::map<std::string, aifl::rules::v1::Finding> other;
  };

  const Evaluator* evaluator_;
  absl::flat_hash_map<std::string, int> rule_index_;
  absl::flat_hash_map<std::string, ModelRecords> by_model_;
};

// True when appending `now` after `recorded` would tell a reader nothing new.
bool SameAsRecorded(const aifl::rules::v1::Finding& recorded,
                    const aifl::rules::v1::Finding& now);

// The CLEARED finding appended for `recorded` when it is no longer raised:
// "Cleared: " before its message, no deadline, evaluated at `as_of`.
aifl::rules::v1::Finding ClearedFinding(
    const aifl::rules::v1::Finding& recorded, absl::Time as_of);

}  // namespace rules

#endif  // RULES_FINDINGS_DIFF_H_
