// One fold of a log, in leaf order, for everything a server derives from it:
// the rules engine (per-model state and the findings diff), the findings
// recorded in the log, and the leaves that are not evidence. The ledger
// server feeds it once (api/server/ledger_model_view.h) and both the Audit
// service's model view and the rules runner read it, instead of each folding
// the log again.
//
// Pure: the caller reads the leaves and passes their bytes; no storage, no
// clock. Not thread-safe: the owner serializes every call.
#ifndef COMPLIANCE_LOG_FOLD_H_
#define COMPLIANCE_LOG_FOLD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compliance/leaf_entry.h"
#include "rules/engine.h"
#include "rules/rule_pack_loader.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"

namespace compliance {

// A finding entry of the log: signed by a rules key, payload parsed.
struct LoggedFinding {
  uint64_t leaf_index = 0;
  aifl::rules::v1::Finding finding;
};

// An AI Office ledger's model totals entry (office key), payload parsed.
struct LoggedTotals {
  uint64_t leaf_index = 0;
  aifl::office::v1::ModelTotals totals;
};

// How an AI Office ledger names a global model (compliance/README.md):
// GlobalModelKey::Display ("<provider> / <model id>", or "(unknown provider
// at <model origin>) / <model id>"), or the model id alone when both
// provider and model origin are empty (a factory's own finding).
std::string OfficeModelName(const std::string& provider,
                            const std::string& model_origin,
                            const std::string& model_id);
// The model a finding is about: OfficeModelName of its provider,
// model_origin and model_id (a factory's finding has neither: its model_id).
std::string FindingModel(const aifl::rules::v1::Finding& finding);

class LogFold {
 public:
  // kInvalidArgument when the pack is not valid (rules::Engine::Create).
  static absl::StatusOr<std::unique_ptr<LogFold>> Create(rules::RulePack pack);

  // What became of one leaf.
  enum class Use {
    kFolded,       // the engine took it (findings: also in findings())
    kRefused,      // evidence the engine refused (`why`): e.g. a payload
                   // that does not parse or a wrong role; it stays in the log
    kNotEvidence,  // its signer was not enrolled at it (leaf_entry.h); `why`
  };
  struct Added {
    Use use = Use::kFolded;
    absl::Status why;
    // kFolded: the models the leaf is about (aliases resolved): those whose
    // state it changed, and for a finding the model it names. Empty for
    // leaves about no model (key events, unattributed collector records).
    std::vector<std::string> models;
    // The leaf's payload type ("" when not evidence).
    std::string payload_type;
  };

  // Folds the leaf at `index` (its exact bytes), which must be next_leaf().
  // kDataLoss when the leaf does not parse (ConvertLeaf; nothing changes, so
  // the same leaf fails again); kFailedPrecondition for another index.
  absl::StatusOr<Added> Add(uint64_t index, absl::string_view leaf_bytes,
                            const KeyLookup& keys);

  // The next leaf index Add expects (= leaves folded).
  uint64_t next_leaf() const { return next_leaf_; }
  // The engine: per-model state (engine().fold()) and the evaluation.
  rules::Engine& engine() { return *engine_; }
  const rules::Engine& engine() const { return *engine_; }
  const std::string& pack_version() const { return pack_version_; }
  // The findings recorded in the log, in leaf order.
  const std::vector<LoggedFinding>& findings() const { return findings_; }
  // How many of `model_id`'s rules have a raised finding as their latest
  // (`model_id` as FindingModel names it).
  uint32_t OpenFindings(const std::string& model_id) const;
  // An AI Office ledger's latest model totals, by OfficeModelName; empty in
  // a factory's log.
  const std::map<std::string, LoggedTotals>& office_totals() const {
    return office_totals_;
  }
  const NotEvidenceTally& not_evidence() const { return not_evidence_; }

 private:
  LogFold(std::unique_ptr<rules::Engine> engine, std::string pack_version);

  std::unique_ptr<rules::Engine> engine_;
  std::string pack_version_;
  uint64_t next_leaf_ = 0;
  std::vector<LoggedFinding> findings_;
  // model id → rule id → raised (true) or cleared (false), latest wins.
  std::map<std::string, std::map<std::string, bool>> open_;
  std::map<std::string, LoggedTotals> office_totals_;
  NotEvidenceTally not_evidence_;
};

}  // namespace compliance

#endif  // COMPLIANCE_LOG_FOLD_H_
