// The AI Office's view of many factory logs: the entry point the office
// monitor calls. Add() takes each verified leaf (origin, index, exact bytes)
// as the monitor mirrors it; Evaluate() returns the Office findings to
// record in the Office's own ledger (findings_recorder.h), each once:
// raised, changed (severity, deadline, message, version) or cleared.
//
// Evaluate() runs the rule pack (the factories' own, unchanged) on every
// global model's merged state (model_merge.h), so thresholds see the summed
// ranges, plus the cross-factory rules X1-X3 (office_rules.h). Office
// findings carry model_id + provider (+ model_origin when the provider is
// unknown: the global key), (origin, leaf) evidence (office_evidence.h)
// and, per factory, the figures
// "measured_cumulative_compute_flop at <origin>" and
// "accelerator_energy_joules at <origin>".
//
// Crossings of the union: a watched threshold (e.g. 1e25 for Art. 52(1))
// crossed by one factory's share alone is dated by that factory's leaf; one
// crossed only by the union is dated at the Evaluate() that first sees it,
// by the newest leaf that moved the model's figures at any of its factories
// (CrossFactoryFold::LastChangeOf; exact when Evaluate() runs after each
// leaf, at most one batch late when the monitor evaluates after each
// batch), and kept from then on: recorded with the model's totals
// (ModelTotals.union_crossings) and read back by RecordTotals, so a restart
// that re-feeds every leaf keeps the date (and appends nothing again).
//
// Not thread-safe: the owner serializes every call.
#ifndef COMPLIANCE_OFFICE_STATE_H_
#define COMPLIANCE_OFFICE_STATE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "compliance/cross_factory_fold.h"
#include "compliance/office_rules.h"
#include "rules/evaluator.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"

namespace compliance {

class OfficeState {
 public:
  // kInvalidArgument when the pack is not valid.
  static absl::StatusOr<std::unique_ptr<OfficeState>> Create(
      rules::RulePack pack, OfficeRuleOptions options = {});

  // CrossFactoryFold::Add: leaf `index` of `origin`, next in that log.
  absl::StatusOr<LogFold::Added> Add(const std::string& origin, uint64_t index,
                                     absl::string_view leaf_bytes);

  // Every finding to append now, by model key then rule: new or changed
  // raised findings, then cleared ones. Recorded at once (a second call
  // without new leaves returns nothing).
  std::vector<aifl::rules::v1::Finding> Evaluate(absl::Time now);

  // A finding read back from the Office ledger (on restart), so Evaluate()
  // does not append it again. The latest for (provider, model, rule) wins.
  void Record(const aifl::rules::v1::Finding& finding);

  // The model totals to record now (aifl.office.v1.ModelTotals, office key):
  // each global model of the last Evaluate() whose totals changed since they
  // were last returned or recorded (model_totals.h SameTotals). Recorded at
  // once.
  std::vector<aifl::office::v1::ModelTotals> TotalsToRecord(absl::Time now);
  // Totals read back from the Office ledger (on restart), with the union
  // crossings' dates they carry.
  void RecordTotals(const aifl::office::v1::ModelTotals& totals);

  // Every Office finding currently raised (the latest of each identity).
  std::vector<aifl::rules::v1::Finding> Raised() const;

  const CrossFactoryFold& fold() const { return *fold_; }
  // The global models with their merged states, as of the last Evaluate().
  const std::vector<MergedModel>& models() const { return merged_; }

 private:
  // A crossing first seen on the union: kept by origin (ordinals change
  // when a model gains a factory).
  struct UnionDate {
    bool set = false;
    std::string origin;
    rules::DatedLeaf at;
  };
  struct UnionCrossings {
    std::map<double, UnionDate> thresholds;
    UnionDate modifier;
  };
  OfficeState(std::unique_ptr<CrossFactoryFold> fold,
              std::unique_ptr<rules::Evaluator> evaluator,
              OfficeRuleOptions options);
  void ApplyUnionCrossings(const GlobalModel& g, rules::ModelState* m);
  // The stored form (ModelTotals.union_crossings) and back.
  static void AddUnionCrossings(const UnionCrossings& u,
                                aifl::office::v1::ModelTotals* t);
  static UnionCrossings UnionCrossingsOf(
      const aifl::office::v1::ModelTotals& t);
  std::vector<aifl::rules::v1::Finding> Current(absl::Time now) const;

  std::unique_ptr<CrossFactoryFold> fold_;
  std::unique_ptr<rules::Evaluator> evaluator_;
  OfficeRuleOptions options_;
  std::vector<GlobalModel> models_;
  std::vector<MergedModel> merged_;              // point into models_
  std::map<std::string, UnionCrossings> union_;  // by key text
  // (key text, rule id) → latest recorded.
  std::map<std::pair<std::string, std::string>, aifl::rules::v1::Finding>
      recorded_;
  std::map<std::string, aifl::office::v1::ModelTotals> totals_;  // key text
};

}  // namespace compliance

#endif  // COMPLIANCE_OFFICE_STATE_H_
