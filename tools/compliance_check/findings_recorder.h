// compliance_check --record: evaluates a ledger's entries and records the
// raised, changed and cleared findings relative to those already in it
// (signed by rules keys) through compliance::FindingsRecorder (rules-key
// check, signing, appending), then publishes a checkpoint. Recording again
// without new facts appends nothing. With the ledger's index, each finding
// about a model carries its model's index citation as of the ledger's size
// (vindex::CiteFindings, as the server's rules runner records them).
#ifndef TOOLS_COMPLIANCE_CHECK_FINDINGS_RECORDER_H_
#define TOOLS_COMPLIANCE_CHECK_FINDINGS_RECORDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "index/model_citations.h"
#include "ledger/ledger.h"
#include "rules/ledger_entry.h"
#include "rules/rule_pack_loader.h"
#include "schema/findings.pb.h"

namespace compliance_check {

struct RecordResult {
  std::vector<aifl::rules::v1::Finding> appended;
  uint64_t first_leaf = 0;  // leaf of appended[0]
  // Why the findings were recorded without an index citation though an
  // index was given (it is too far behind the ledger: kUnavailable); OK
  // otherwise.
  absl::Status uncited;
};

// Folds `entries` (every leaf of `ledger`, in order) into a rules engine,
// evaluates every model at `now` and appends what changed, in order, signed
// by the secret key in `rules_key_path`; then publishes a checkpoint.
// `model` ("" = all) limits what is appended. `cite` (null: no index) cites
// the findings' models as of the ledger's size, the size the findings were
// computed at; when it fails the findings are recorded without a citation
// and `uncited` says why. `ledger` must be open read-write. Errors: kNotFound /
// kInvalidArgument for the key file; kPermissionDenied when the key is not an
// enrolled, unrevoked rules key; the ledger's append errors (nothing after the
// first failure is appended).
absl::StatusOr<RecordResult> RecordFindings(
    ledger::Ledger& ledger, const rules::RulePack& pack,
    const std::vector<rules::LedgerEntry>& entries,
    const std::string& rules_key_path, absl::Time now, const std::string& model,
    const vindex::CiteFn& cite);

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_FINDINGS_RECORDER_H_
