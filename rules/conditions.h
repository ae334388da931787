// The condition kinds of rules/rule_pack.proto, each a pure function from a
// model's state and facts to an outcome. Used by rules/evaluator.h; exposed
// for its tests.
#ifndef RULES_CONDITIONS_H_
#define RULES_CONDITIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "api/v1/findings.pb.h"
#include "rules/facts.h"
#include "rules/model_state.h"
#include "rules/rule_pack.pb.h"

namespace rules {

// A rule's dates, parsed once when the pack is loaded.
struct RuleDates {
  absl::Time applies_from = absl::InfinitePast();
  bool has_grace = false;
  absl::Time grace_placed_before = absl::InfinitePast();  // 00:00 Brussels
  absl::Time grace_due = absl::InfinitePast();  // end of comply_by, Brussels
};

struct Outcome {
  enum class Kind { kPass, kRaised, kPossibly, kMissing };
  Kind kind = Kind::kPass;
  aifl::rules::v1::Severity severity = aifl::rules::v1::SEVERITY_UNSPECIFIED;
  std::string message;  // what was found, with its numbers
  std::vector<aifl::rules::v1::Figure> figures;
  std::vector<uint64_t> evidence;
  absl::Time deadline = absl::InfinitePast();  // InfinitePast: none
};

// At most this many interval leaves are cited as evidence for a compute
// figure (the first ones, plus the leaf at which a threshold was crossed);
// the finding's figures say how many intervals the total covers.
inline constexpr size_t kMaxComputeEvidence = 256;

// Evaluates `rule`'s condition for a model whose applicability holds.
// `as_of` is the evaluation clock.
Outcome EvaluateCondition(const aifl::rules::pack::v1::Rule& rule,
                          const RuleDates& dates, const ModelState& state,
                          const FactTable& facts, absl::Time as_of);

// The notification condition (rules/notification_condition.cc): triggers
// are the first crossing of the threshold, a planned budget over it (from the
// later of the budget and the declared EU-market intent) and a forecast
// crossing; the period runs from the earliest trigger (not before
// applies_from). A notification integrated before the period's end passes.
Outcome NotificationOutcome(const aifl::rules::pack::v1::Rule& rule,
                            const RuleDates& dates, const ModelState& state,
                            absl::Time as_of);
// Raised when the declared figure's ±tolerance band and the measured range
// do not overlap.
Outcome DeclaredVsMeasuredOutcome(const aifl::rules::pack::v1::Rule& rule,
                                  const ModelState& state);

// "2025-08-18" (the Brussels civil day of `t`).
std::string DayText(absl::Time t);

}  // namespace rules

#endif  // RULES_CONDITIONS_H_
