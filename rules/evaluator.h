// Evaluates a rule pack against one model's state. Pure: the result depends
// only on the pack, the state and the evaluation time `as_of`. Thread-safe
// (const after construction).
//
// For each rule in pack order: its `applies_when` facts are combined with
// Kleene "and" — false: the rule does not apply (no finding); true: the
// condition is evaluated; unknown: the condition is evaluated too, and a
// condition that passes passes (unknown and false is false: a 1e17 FLOP
// model is below 1e23 whatever its undeclared modality), while any other
// outcome becomes an "information missing" finding naming what is missing.
// Rules listing derived facts in `defines` set them for later rules. Never a
// silent pass on missing facts, never a violation from them.
#ifndef RULES_EVALUATOR_H_
#define RULES_EVALUATOR_H_

#include <memory>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rules/conditions.h"
#include "rules/facts.h"
#include "rules/model_state.h"
#include "rules/model_state_fold.h"
#include "rules/rule_pack_loader.h"
#include "schema/findings.pb.h"

namespace rules {

class Evaluator {
 public:
  // Validates `pack` (rules/rule_pack_loader.h) and parses its dates.
  // kInvalidArgument when the pack is not valid.
  static absl::StatusOr<std::unique_ptr<Evaluator>> Create(RulePack pack);
  // Not copyable: the per-rule dates point into the evaluator's holidays.
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // The findings currently raised for `state` at `as_of`, in pack order, each
  // with state RAISED: violations, possibly-over results, pending deadlines
  // and information missing. Rules that pass or do not apply give nothing.
  // Messages start with the rule's fact-status tag ("[P]", "[S]", "[U]").
  std::vector<aifl::rules::v1::Finding> Evaluate(const ModelState& state,
                                                 absl::Time as_of) const;

  // The compact evaluation behind Evaluate(): for each rule in pack order,
  // `visit(rule_index, outcome)` sees its compact outcome (kPass included;
  // severity is the finding's; no message text, figures or evidence unless
  // information is missing). When `visit` returns true, the rule's full
  // finding is built and passed to `emit(rule_index, outcome, finding)` —
  // exactly the finding Evaluate() returns for that rule. Only rules that
  // raise something are ever emitted. Cost: no allocation for rules that
  // pass or are not emitted, except information-missing text.
  void Evaluate(
      const ModelState& state, absl::Time as_of,
      absl::FunctionRef<bool(int, const Outcome&)> visit,
      absl::FunctionRef<void(int, const Outcome&, aifl::rules::v1::Finding)>
          emit) const;

  const RulePack& pack() const { return pack_; }
  // The fold options the pack needs: watched notification thresholds and the
  // forecast horizon.
  FoldOptions fold_options() const;

 private:
  explicit Evaluator(RulePack pack) : pack_(std::move(pack)) {}
  aifl::rules::v1::Finding Render(int rule_index, const ModelState& state,
                                  const FactTable& facts, absl::Time as_of,
                                  const Outcome& compact) const;

  RulePack pack_;
  HolidayCalendar holidays_;      // from pack_.holidays()
  std::vector<RuleDates> dates_;  // per rule; point into holidays_
};

// "[P]", "[S]", "[U]" for a fact status.
const char* FactStatusTag(aifl::rules::v1::FactStatus status);

}  // namespace rules

#endif  // RULES_EVALUATOR_H_
