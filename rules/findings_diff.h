// What the ledger already says about findings, and which findings to append
// so that it says what the evaluator says now. Re-evaluating without new
// facts appends nothing. Not thread-safe.
//
// A finding is identified by (model, rule). A raised finding is appended when
// none is recorded for its identity, when the recorded one is cleared, or
// when what a person reads changed: severity, deadline or message (the
// message carries the numbers at two significant figures, so growing compute
// re-raises only when a shown figure moves). Evidence leaves and the
// evaluation time alone never cause an append. A recorded raised finding the
// evaluator no longer raises is appended again with state CLEARED.
#ifndef RULES_FINDINGS_DIFF_H_
#define RULES_FINDINGS_DIFF_H_

#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "api/v1/findings.pb.h"

namespace rules {

class RecordedFindings {
 public:
  // Records a finding as appended (from a rules-signed ledger entry, or
  // just emitted). The latest record for an identity wins.
  void Record(const aifl::rules::v1::Finding& finding);

  // The findings to append for `model_id`, given all findings the evaluator
  // currently raises for it (any order). Cleared findings copy the recorded
  // one with state CLEARED, "Cleared: " before its message, no deadline and
  // `as_of` as their evaluation time. Does not record them.
  std::vector<aifl::rules::v1::Finding> Diff(
      const std::string& model_id,
      const std::vector<aifl::rules::v1::Finding>& current,
      absl::Time as_of) const;

  // The recorded finding for (model, rule), or null.
  const aifl::rules::v1::Finding* Find(const std::string& model_id,
                                       const std::string& rule_id) const;

 private:
  absl::flat_hash_map<std::string,
                      std::map<std::string, aifl::rules::v1::Finding>>
      by_model_;
};

// True when appending `now` after `recorded` would tell a reader nothing new.
bool SameAsRecorded(const aifl::rules::v1::Finding& recorded,
                    const aifl::rules::v1::Finding& now);

}  // namespace rules

#endif  // RULES_FINDINGS_DIFF_H_
