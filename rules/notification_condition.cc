// Art. 52(1) notification and the Annex A.2 declared-vs-measured check.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "rules/conditions.h"
#include "rules/deadline.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;
namespace v1 = aifl::rules::v1;
using Kind = Outcome::Kind;

// What started the period; its text is built only when rendered.
struct Trigger {
  enum Kind { kMet, kPlanned, kForecast, kPresumed };
  DatedLeaf at;
  Kind kind = kMet;
  double flop = 0;  // the compute figure the text shows
};

std::string TriggerText(const Trigger& tr, double threshold, int horizon_days) {
  switch (tr.kind) {
    case Trigger::kMet:
      return absl::StrCat("cumulative compute ", TwoSig(tr.flop),
                          " FLOP met the ", TwoSig(threshold),
                          " FLOP threshold");
    case Trigger::kPlanned:
      return absl::StrCat("a planned budget of ", TwoSig(tr.flop),
                          " FLOP for a model declared for the EU market");
    case Trigger::kPresumed:
      return "the modifier became the provider of a modification of a "
             "systemic-risk model, presumed systemic (Guidelines para 70)";
    case Trigger::kForecast:
      break;
  }
  return absl::StrCat("the measured trajectory is forecast to reach ",
                      TwoSig(threshold), " FLOP within ", horizon_days,
                      " days");
}

v1::Figure Fig(const std::string& name, double lo, double hi,
               const std::string& method) {
  v1::Figure f;
  f.set_name(name);
  f.set_lower(RoundTwoSig(lo));
  f.set_upper(RoundTwoSig(hi));
  f.set_method(method);
  return f;
}

// What can start the notification period: the threshold met, a planned
// budget for the EU market, a forecast crossing, a presumed-systemic
// modification (`presumed`, already looked up).
absl::InlinedVector<Trigger, 3> CollectTriggers(
    const pack::NotificationRequired& c, const ModelState& s,
    const FlopRange& cum, Tri presumed, absl::Time as_of) {
  const double t = c.threshold_flop();
  const Crossing* crossing = nullptr;
  for (const Crossing& x : s.crossings) {
    if (x.threshold == t) crossing = &x;
  }
  absl::InlinedVector<Trigger, 3> triggers;
  if (c.met_triggers() && cum.known && cum.lower > t) {
    // The fold records the first crossing; without it (threshold not
    // watched) the most recent compute fact stands in.
    DatedLeaf at = crossing != nullptr && crossing->crossed
                       ? crossing->crossed_at
                       : (s.declaration_leaf() ? *s.declaration_leaf()
                                               : DatedLeaf{0, as_of});
    triggers.push_back({at, Trigger::kMet, cum.lower});
  }
  if (c.planned_budget_triggers() && s.has_eu_market_intent) {
    for (const PlannedBudget& p : s.planned_highs) {
      if (p.flop <= t) continue;
      DatedLeaf at =
          p.at.time >= s.eu_market_intent.time ? p.at : s.eu_market_intent;
      triggers.push_back({at, Trigger::kPlanned, p.flop});
      break;
    }
  }
  if (c.forecast_triggers() && crossing != nullptr && crossing->forecast) {
    triggers.push_back({crossing->forecast_at, Trigger::kForecast, 0});
  }
  if (presumed == Tri::kTrue) {
    // When the modifier became the provider: the later of the declaration
    // naming the systemic base and the modifier threshold's crossing.
    DatedLeaf at = s.systemic_base_declared ? s.systemic_base_declared_at
                                            : *s.declaration_leaf();
    if (s.modifier_crossed && s.modifier_crossed_at.time > at.time) {
      at = s.modifier_crossed_at;
    }
    triggers.push_back({at, Trigger::kPresumed, 0});
  }
  return triggers;
}

// The period a raised notification outcome is about.
struct Period {
  const Trigger* first;       // the earliest trigger
  absl::Time start;           // when the period started
  absl::Time deadline;        // when it ends
  bool holidays_counted;      // the pack lists the deadline year's holidays
  const DatedLeaf* notified;  // the first notification by as_of, or null
  int wording;                // 0 late, 1 due, 2 missing
};

// Writes the message, evidence and figures of a raised outcome.
void RenderNotification(const pack::NotificationRequired& c,
                        const RuleDates& dates, const ModelState& s,
                        const FlopRange& cum, const Period& p, Outcome* o) {
  const Trigger* first = p.first;
  const absl::CivilDay last_day =
      BrusselsDay(p.deadline - absl::Nanoseconds(1));
  std::string period = absl::StrCat(
      TriggerText(*first, c.threshold_flop(), c.forecast_horizon_days()),
      " (leaf ", first->at.leaf, ", ", DayText(first->at.time), ")");
  if (p.start > first->at.time && p.start != dates.applies_from) {
    absl::StrAppend(&period, "; the modifier became the provider on ",
                    DayText(p.start), " (leaf ", s.modifier_crossed_at.leaf,
                    ")");
  }
  absl::StrAppend(&period, "; the ", c.period_weeks(),
                  "-week period ends at the end of ",
                  DayText(p.deadline - absl::Nanoseconds(1)), " Brussels time");
  if (!p.holidays_counted) {
    absl::StrAppend(&period,
                    " (public holidays not counted: the rule pack "
                    "lists none for ",
                    last_day.year(), ")");
  }
  if (p.wording == 0) {
    o->message = absl::StrCat("notified late on ", DayText(p.notified->time),
                              ": ", period, ".");
    o->evidence.push_back(p.notified->leaf);
  } else if (p.wording == 1) {
    o->message = absl::StrCat("notification due: ", period, ".");
  } else {
    o->message = absl::StrCat("no notification recorded: ", period, ".");
  }
  o->evidence.push_back(first->at.leaf);
  if (s.declaration_leaf() != nullptr)
    o->evidence.push_back(s.declaration_leaf()->leaf);
  if (cum.known) {
    o->figures.push_back(Fig("cumulative_compute_flop", cum.lower, cum.upper,
                             MethodNames(cum.methods)));
  }
  if (!s.planned_highs.empty()) {
    const double planned = s.planned_highs.back().flop;
    o->figures.push_back(
        Fig("planned_compute_flop", planned, planned, "DECLARED_PLANNED"));
  }
}

}  // namespace

Outcome NotificationOutcome(const pack::Rule& rule, const RuleDates& dates,
                            const ModelState& s, const FactTable& facts,
                            absl::Time as_of, bool render) {
  const auto& c = rule.notification_required();
  const FlopRange cum = CombinedCumulative(
      s, facts.Get(pack::MODIFIER_IS_PROVIDER) != Tri::kFalse);
  const Tri presumed = c.presumed_systemic_triggers()
                           ? facts.Get(pack::PRESUMED_SYSTEMIC_MODIFICATION)
                           : Tri::kFalse;
  const absl::InlinedVector<Trigger, 3> triggers =
      CollectTriggers(c, s, cum, presumed, as_of);
  Outcome o;
  if (triggers.empty()) {
    if (presumed == Tri::kUnknown) {
      o.kind = Kind::kMissing;
      o.message = facts.WhyUnknown(pack::PRESUMED_SYSTEMIC_MODIFICATION);
    } else if (!cum.known && s.planned_highs.empty()) {
      o.kind = Kind::kMissing;
      o.message = "no declared, measured or planned compute";
    }
    return o;
  }
  Period p;
  p.first = &triggers[0];
  for (const Trigger& tr : triggers) {
    if (tr.at.time < p.first->at.time) p.first = &tr;
  }
  p.start = std::max(p.first->at.time, dates.applies_from);
  // A modifier's obligations start when it became the provider (para 60):
  // the base's compute alone never starts its period.
  if (IsModification(s) && s.modifier_crossed) {
    p.start = std::max(p.start, s.modifier_crossed_at.time);
  }
  p.deadline = PeriodEndWeeks(p.start, c.period_weeks(), dates.holidays);
  p.holidays_counted = HolidaysCounted(p.deadline, dates.holidays);
  p.notified = nullptr;
  for (const DatedLeaf& n : s.notifications) {
    if (n.time <= as_of && (p.notified == nullptr || n.time < p.notified->time))
      p.notified = &n;
  }
  if (p.notified != nullptr && p.notified->time < p.deadline) return o;
  o.kind = Kind::kRaised;
  o.deadline = p.deadline;
  // Which sentence: late, due, or missing.
  p.wording = p.notified != nullptr ? 0 : (as_of < p.deadline ? 1 : 2);
  o.severity = p.wording == 1 ? c.pending_severity() : rule.severity();
  o.key.Add(p.wording);
  o.key.Add(p.first->kind);
  o.key.AddTwoSig(p.first->flop);
  o.key.Add(p.first->at.leaf);
  o.key.AddTime(p.first->at.time);
  o.key.AddTime(p.start);
  o.key.Add(p.holidays_counted ? 1 : 0);
  if (p.notified != nullptr) o.key.AddTime(p.notified->time);
  if (render) RenderNotification(c, dates, s, cum, p, &o);
  return o;
}

Outcome DeclaredVsMeasuredOutcome(const pack::Rule& rule, const ModelState& s,
                                  bool render) {
  const auto& c = rule.declared_vs_measured();
  const bool training = c.quantity() == pack::TRAINING_COMPUTE;
  const char* name = training ? "training" : "cumulative";
  const FlopRange declared =
      training ? DeclaredTraining(s) : DeclaredCumulativeOnly(s);
  const FlopRange& measured =
      training ? s.measured_training : s.measured_cumulative;
  Outcome o;
  if (!declared.known) {
    // Cumulative not declared: the training rule speaks for the declaration.
    if (!training) return o;
    o.kind = Kind::kMissing;
    o.message = s.declaration() == nullptr
                    ? "the provider has not declared the model"
                    : absl::StrCat("no declared ", name, " compute");
    return o;
  }
  if (!measured.known) {
    o.kind = Kind::kMissing;
    o.message = absl::StrCat("no measured ", name, " compute at this factory");
    return o;
  }
  const double band_lo = declared.lower * (1 - c.tolerance());
  const double band_hi = declared.upper * (1 + c.tolerance());
  const int pct = static_cast<int>(c.tolerance() * 100 + 0.5);
  const bool above = band_hi < measured.lower;
  if (!above && !(band_lo > measured.upper)) return o;
  o.kind = Kind::kRaised;
  o.severity = rule.severity();
  o.key.Add(above ? 1 : 0);
  if (above) {
    o.key.AddTwoSig(measured.lower);
    o.key.AddTwoSig(declared.upper);
    o.key.AddTwoSig(band_hi);
  } else {
    o.key.AddTwoSig(measured.upper);
    o.key.AddTwoSig(declared.lower);
    o.key.AddTwoSig(band_lo);
  }
  if (!render) return o;
  if (above) {
    o.message = absl::StrCat(
        "measured ", name, " compute of at least ", TwoSig(measured.lower),
        " FLOP is above the declared ", TwoSig(declared.upper),
        " FLOP and its +", pct, " % band (", TwoSig(band_hi), " FLOP).");
  } else {
    o.message = absl::StrCat(
        "measured ", name, " compute of at most ", TwoSig(measured.upper),
        " FLOP is below the declared ", TwoSig(declared.lower),
        " FLOP and its -", pct, " % band (", TwoSig(band_lo), " FLOP).");
  }
  o.figures.push_back(Fig(absl::StrCat("declared_", name, "_compute_flop"),
                          declared.lower, declared.upper,
                          MethodNames(declared.methods)));
  o.figures.push_back(Fig(absl::StrCat("declared_", name, "_band_flop"),
                          band_lo, band_hi, absl::StrCat("+/-", pct, "%")));
  o.figures.push_back(Fig(absl::StrCat("measured_", name, "_compute_flop"),
                          measured.lower, measured.upper,
                          MethodNames(measured.methods)));
  if (s.declaration_leaf() != nullptr)
    o.evidence.push_back(s.declaration_leaf()->leaf);
  o.evidence.insert(o.evidence.end(), s.counted_leaves.begin(),
                    s.counted_leaves.end());
  o.evidence_not_listed += s.counted_not_kept;
  return o;
}

}  // namespace rules
