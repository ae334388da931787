// The fold of ledger entries into per-model state. Pure and deterministic:
// the same entries in the same order give the same states; no clock, no I/O.
// Not thread-safe (one writer; the engine owns it).
//
// Attribution of collector records to a model: the record's own model id,
// else the model named when its run started, else the model whose
// declaration lists the scheduler account; otherwise the compute is kept as
// "unattributed" (visible, never dropped). Ids declared as further
// development by or for the same provider (BaseModel.same_provider,
// Guidelines para 23) are aliases of their base: their entries fold into it.
// Limits: attribution and aliases apply from the entry that establishes them;
// earlier entries are not re-attributed.
//
// Robustness: a collector record whose values cannot be true
// (rules/collector_record_check.h) is skipped — nothing of it is added — and
// kept in ModelState::rejected (or rejected_unattributed()) so that a
// data-quality rule reports it. Every accepted value is finite and >= 0, so
// no node's report can lower what other nodes measured: sums only grow.
//
// Ownership (ledger/FORMAT.md, "Ownership of models and records"): a model
// belongs to the principal of its first declaration; a provider-signed entry
// (declaration, alias, account claim, document, notification, evaluation or
// incident report) by another principal is not folded into it but kept in
// its `rejected` list (kOtherOwner) for DQ1.
#ifndef RULES_MODEL_STATE_FOLD_H_
#define RULES_MODEL_STATE_FOLD_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rules/ledger_entry.h"
#include "rules/model_state.h"
#include "schema/provider.pb.h"

namespace rules {

// FoldOptions::max_rejected_records by default.
inline constexpr uint64_t kDefaultMaxRejectedRecords = 1000;

struct FoldOptions {
  // Cumulative-compute thresholds whose first crossing (and forecast
  // crossing) is recorded per model, e.g. 1e25 for the Art. 52(1) notice.
  std::vector<double> watched_thresholds;
  // A running model whose measured trajectory reaches a watched threshold
  // within this horizon is recorded as forecast to cross. Zero: no forecasts.
  absl::Duration forecast_horizon = absl::ZeroDuration();
  // The modifier test (rule_pack.proto ModifierTest) whose first crossing is
  // recorded per modification (ModelState::modifier_crossed_at). Divisor 0:
  // not recorded.
  double modifier_divisor = 0;
  double modifier_assumed_if_systemic_flop = 0;
  double modifier_assumed_otherwise_flop = 0;
  // At most this many interval leaves kept per model in each of
  // ModelState::counted_leaves and excluded_leaves, and in
  // unattributed_leaves() (the first ones); later
  // intervals still count in every figure and are only counted
  // (counted_not_kept). Bounds a model's memory by a setting instead of by
  // its intervals (the AI Office monitor's --max_evidence_leaves). 0: every
  // leaf is kept (the ledger's own fold).
  uint64_t max_evidence_leaves = 0;
  // At most this many rejected records kept per model
  // (ModelState::rejected) and in rejected_unattributed(), the first ones;
  // later ones are only counted by kind (ModelState::rejected_not_kept,
  // rejected_unattributed_not_kept()): DQ1 still counts every one and cites
  // the rest as evidence_not_listed. Bounds what a hostile collector's
  // impossible records (or a provider's refused entries) cost the ledger's
  // and the AI Office's memory: each keeps its reason. 0: every record kept.
  uint64_t max_rejected_records = kDefaultMaxRejectedRecords;
};

class ModelStateFold {
 public:
  explicit ModelStateFold(FoldOptions options);

  // Folds one entry. Returns the ids of the models whose state changed
  // (empty for entries about no model: key events, findings, unknown types).
  // Errors, leaving all state unchanged:
  //   kFailedPrecondition: leaf_index not greater than the previous entry's;
  //   kInvalidArgument: a known payload type that does not parse, or one
  //     signed by a key of the wrong role.
  absl::StatusOr<std::vector<std::string>> Apply(const LedgerEntry& entry);

  // The state of `model_id` (aliases resolved), or null. The pointer stays
  // valid until the fold is destroyed.
  const ModelState* Find(absl::string_view model_id) const;
  const absl::node_hash_map<std::string, ModelState>& models() const {
    return models_;
  }
  // Collector compute that names no known model.
  const FlopRange& unattributed() const { return unattributed_; }
  // Their leaves (the first FoldOptions::max_evidence_leaves), and how many
  // more there are.
  const std::vector<uint64_t>& unattributed_leaves() const {
    return unattributed_leaves_;
  }
  uint64_t unattributed_not_kept() const { return unattributed_not_kept_; }
  // Impossible collector records that name no known model (the first
  // FoldOptions::max_rejected_records), and how many more there are.
  const std::vector<RejectedRecord>& rejected_unattributed() const {
    return rejected_unattributed_;
  }
  uint64_t rejected_unattributed_not_kept() const {
    return rejected_unattributed_not_kept_.total();
  }

 private:
  std::string Canonical(absl::string_view model_id) const;
  ModelState& Get(const std::string& canonical_id);
  void UpdateCrossings(ModelState& m, const DatedLeaf& at);

  absl::StatusOr<std::vector<std::string>> ApplyRunStarted(const LedgerEntry& e,
                                                           const DatedLeaf& at);
  absl::StatusOr<std::vector<std::string>> ApplyInterval(const LedgerEntry& e,
                                                         const DatedLeaf& at);
  absl::StatusOr<std::vector<std::string>> ApplyRunEnded(const LedgerEntry& e);
  absl::StatusOr<std::vector<std::string>> ApplyDeclaration(
      const LedgerEntry& e, const DatedLeaf& at);
  // The owner of `canonical_id` when it has one other than `signer`, else "".
  std::string OtherOwner(const std::string& canonical_id,
                         const std::string& signer) const;
  // Points each of the declaration's scheduler accounts at model `id`,
  // except an account held by another principal's model: that one is left
  // and the claim kept on that model (its id added to `affected`).
  void ClaimAccounts(const LedgerEntry& e,
                     const aifl::provider::v1::ModelDeclaration& d,
                     const std::string& id, const std::string& signer,
                     std::vector<std::string>* affected);
  void FoldDeclaredFacts(const aifl::provider::v1::ModelDeclaration& d,
                         const DatedLeaf& at, ModelState& m);
  absl::StatusOr<std::vector<std::string>> ApplyProviderFact(
      const LedgerEntry& e, const DatedLeaf& at);
  // True when model `id` belongs to another principal than the signer of
  // provider entry `e`: the entry is then kept on that model for DQ1, not
  // folded into it.
  bool RefusedForOtherOwner(const LedgerEntry& e, const std::string& id);
  // Keeps `r` in model `id`'s rejected list, within the bound.
  void Reject(const std::string& id, RejectedRecord r);
  absl::StatusOr<std::vector<std::string>> ApplyOfficeFact(const LedgerEntry& e,
                                                           const DatedLeaf& at);

  FoldOptions options_;
  bool any_applied_ = false;
  uint64_t last_leaf_ = 0;
  absl::node_hash_map<std::string, ModelState> models_;
  absl::flat_hash_map<std::string, std::string> alias_;          // id → base
  absl::flat_hash_map<std::string, std::string> account_model_;  // account →
  absl::flat_hash_map<std::string, std::string> run_model_;      // run →
  FlopRange unattributed_;
  uint64_t unattributed_not_kept_ = 0;
  std::vector<uint64_t> unattributed_leaves_;
  std::vector<RejectedRecord> rejected_unattributed_;
  RejectedNotKept rejected_unattributed_not_kept_;
};

}  // namespace rules

#endif  // RULES_MODEL_STATE_FOLD_H_
