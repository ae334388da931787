// The condition kinds of rules/rule_pack.proto, each a pure function from a
// model's state and facts to an outcome. Used by rules/evaluator.h; exposed
// for its tests.
#ifndef RULES_CONDITIONS_H_
#define RULES_CONDITIONS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/casts.h"
#include "absl/time/time.h"
#include "rules/deadline.h"
#include "rules/facts.h"
#include "rules/flop_range.h"
#include "rules/model_state.h"
#include "rules/rule_pack.pb.h"
#include "schema/findings.pb.h"

namespace rules {

// A rule's dates, parsed once when the pack is loaded.
struct RuleDates {
  absl::Time applies_from = absl::InfinitePast();
  bool has_grace = false;
  absl::Time grace_placed_before = absl::InfinitePast();  // 00:00 Brussels
  absl::Time grace_due = absl::InfinitePast();  // end of comply_by, Brussels
  // The pack's public holidays (owned by the evaluator), or null.
  const HolidayCalendar* holidays = nullptr;
};

// What a finding's message shows, as numbers: every number, date, leaf
// index and choice of wording a condition prints is added here, numbers
// rounded as printed (RoundTwoSig). Two outcomes of one rule with equal kind,
// severity, deadline, key and missing-information text render the same
// message, so the engine compares keys and renders only changed findings.
// A key with more than kMax entries overflows and never compares equal (the
// caller then renders and compares messages).
struct OutcomeKey {
  static constexpr int kMax = 16;
  std::array<uint64_t, kMax> values{};
  int size = 0;
  bool overflow = false;

  void Add(uint64_t v) {
    if (size < kMax) {
      values[size++] = v;
    } else {
      overflow = true;
    }
  }
  // `v` as printed with two significant figures (TwoSig).
  void AddTwoSig(double v) { Add(absl::bit_cast<uint64_t>(RoundTwoSig(v))); }
  // A range as RangeText prints it.
  void AddRange(const FlopRange& r);
  // An instant whose Brussels day a message prints (DayText). Keyed
  // exactly: stronger than the day, and no time-zone lookup.
  void AddTime(absl::Time t) {
    Add(absl::bit_cast<uint64_t>(absl::ToUnixNanos(t)));
  }

  friend bool operator==(const OutcomeKey& a, const OutcomeKey& b) {
    if (a.overflow || b.overflow || a.size != b.size) return false;
    for (int i = 0; i < a.size; ++i) {
      if (a.values[i] != b.values[i]) return false;
    }
    return true;
  }
};

struct Outcome {
  enum class Kind { kPass, kRaised, kPossibly, kMissing };
  Kind kind = Kind::kPass;
  aifl::rules::v1::Severity severity = aifl::rules::v1::SEVERITY_UNSPECIFIED;
  // What was found, with its numbers. Compact outcomes (render = false) set
  // it only for kMissing (what is missing), where it is also the key.
  std::string message;
  std::vector<aifl::rules::v1::Figure> figures;  // rendered only
  std::vector<uint64_t> evidence;                // rendered only
  // Evidence leaves left out of `evidence` (ModelState::counted_not_kept):
  // the finding's evidence_not_listed. Rendered only.
  uint64_t evidence_not_listed = 0;
  absl::Time deadline = absl::InfinitePast();  // InfinitePast: none
  OutcomeKey key;                              // always set
};

// True when two outcomes of the same rule render the same message, severity
// and deadline (figures and evidence may differ).
bool SameRendering(const Outcome& a, const Outcome& b);

// Evidence cites every leaf that counts (every interval of a compute figure,
// every rejected record) that the fold kept: the fold's bounds
// (FoldOptions::max_evidence_leaves, max_rejected_records) leave the rest
// counted in Outcome::evidence_not_listed. The finding writes it in compact
// form (rules/evidence.h: ranges, count, SHA-256 of the full list), so its
// size does not grow with the number of leaves.

// Evaluates `rule`'s condition for a model whose applicability holds.
// `as_of` is the evaluation clock. With `render` false only the compact
// outcome is computed (kind, severity, deadline, key; message only when
// information is missing): no figures, evidence or message text.
Outcome EvaluateCondition(const aifl::rules::pack::v1::Rule& rule,
                          const RuleDates& dates, const ModelState& state,
                          const FactTable& facts, absl::Time as_of,
                          bool render = true);

// The notification condition (rules/notification_condition.cc): triggers
// are the first crossing of the threshold, a planned budget over it (from the
// later of the budget and the declared EU-market intent), a forecast
// crossing, and (presumed_systemic_triggers) becoming the provider of a
// modified systemic-risk model (PRESUMED_SYSTEMIC_MODIFICATION); the period
// runs from the earliest trigger, not before applies_from and, for a
// modification, not before the modifier became the provider. The deadline
// skips the pack's public holidays; where the pack has no list for the
// deadline's year the message says holidays were not counted. A notification
// integrated before the period's end passes.
Outcome NotificationOutcome(const aifl::rules::pack::v1::Rule& rule,
                            const RuleDates& dates, const ModelState& state,
                            const FactTable& facts, absl::Time as_of,
                            bool render = true);
// Document rules (rules/document_condition.cc). Ordinary: raised when no
// document of the rule's kinds is on file by `as_of` once due (placement, not
// before applies_from, or the grace date). before_placement (Art. 54(1)
// "prior to placing"): the document must be integrated by the end of the
// Brussels day of placement (or the grace date) — the ledger dates it by
// integration and placement is declared to the day, so a same-day document
// is on time and a next-day one is late, raised with both dates for good.
Outcome DocumentOutcome(const aifl::rules::pack::v1::Rule& rule,
                        const RuleDates& dates, const ModelState& state,
                        absl::Time as_of, bool render = true);
// Raised when the fold skipped collector records of the model as impossible
// or refused another principal's entries (ModelState::rejected); counts
// every one, cites the kept ones and counts the rest as evidence_not_listed.
Outcome DataQualityOutcome(const ModelState& state, bool render = true);
// Raised when the declared figure's ±tolerance band and the measured range
// do not overlap. Cumulative compute is compared only where a cumulative
// figure is itself declared (otherwise the training rule covers the same
// declaration: no finding, so nothing is said twice); training compute not
// declared is information missing.
Outcome DeclaredVsMeasuredOutcome(const aifl::rules::pack::v1::Rule& rule,
                                  const ModelState& state, bool render = true);

// "2025-08-18" (the Brussels civil day of `t`).
std::string DayText(absl::Time t);

}  // namespace rules

#endif  // RULES_CONDITIONS_H_
