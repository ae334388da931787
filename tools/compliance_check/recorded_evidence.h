// compliance_check --check_recorded: do the findings recorded in the log
// cite the evidence the rules give? For each RAISED finding recorded under
// this run's rule pack (signed by a rules key), the rules are replayed as
// the recorder saw the log — the entries before the finding's leaf,
// integrated by its evaluation clock (evaluated_at_unix_ms) — and the
// replay's finding for the same model and rule must have the same evidence
// count and SHA-256 (ledger/FORMAT.md, "Payload semantics: finding
// evidence"). A finding the replay does not raise is a mismatch too.
//
// Not compared (counted): CLEARED findings, findings of another rule pack
// version, and findings in the old form (evidence_leaves, capped at 256
// when written, so no full-list hash exists).
//
// One replay per evaluation clock, over the entries before the first
// finding recorded with that clock. A recorder racing an entry integrated
// in the same millisecond as its clock could show a mismatch that is not a
// lie; the message names the leaf so a person can look. Pure.
#ifndef TOOLS_COMPLIANCE_CHECK_RECORDED_EVIDENCE_H_
#define TOOLS_COMPLIANCE_CHECK_RECORDED_EVIDENCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/ledger_entry.h"
#include "rules/rule_pack_loader.h"

namespace compliance_check {

struct RecordedEvidenceCheck {
  uint64_t compared = 0;      // equal or not
  uint64_t not_compared = 0;  // cleared, another pack, old form
  // One sentence per finding whose evidence differs from the replay's.
  std::vector<std::string> mismatches;
};

// `entries`: the log's entries in leaf order (log_entries.h). Errors: the
// rules engine's (kInvalidArgument for an invalid pack).
absl::StatusOr<RecordedEvidenceCheck> CheckRecordedEvidence(
    const rules::RulePack& pack,
    const std::vector<rules::LedgerEntry>& entries);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_RECORDED_EVIDENCE_H_
