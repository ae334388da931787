#include "rules/evaluator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "rules/deadline.h"
#include "rules/evidence.h"
#include "rules/facts.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;
namespace v1 = aifl::rules::v1;
using Kind = Outcome::Kind;

Tri Outcome3(Kind k) {
  switch (k) {
    case Kind::kRaised:
      return Tri::kTrue;
    case Kind::kPass:
      return Tri::kFalse;
    default:
      return Tri::kUnknown;
  }
}

}  // namespace

const char* FactStatusTag(v1::FactStatus status) {
  switch (status) {
    case v1::PRIMARY:
      return "[P]";
    case v1::SECONDARY:
      return "[S]";
    default:
      return "[U]";
  }
}

absl::StatusOr<std::unique_ptr<Evaluator>> Evaluator::Create(RulePack pack) {
  RETURN_IF_ERROR(ValidateRulePack(pack));
  std::unique_ptr<Evaluator> e(new Evaluator(std::move(pack)));
  for (const pack::Rule& r : e->pack_.rules()) {
    RuleDates d;
    if (!r.applies_from().empty()) {
      ASSIGN_OR_RETURN(absl::CivilDay day, ParseDay(r.applies_from()));
      d.applies_from = StartOfDay(day);
    }
    if (r.has_grace()) {
      d.has_grace = true;
      ASSIGN_OR_RETURN(absl::CivilDay before,
                       ParseDay(r.grace().placed_before()));
      ASSIGN_OR_RETURN(absl::CivilDay by, ParseDay(r.grace().comply_by()));
      d.grace_placed_before = StartOfDay(before);
      d.grace_due = EndOfDay(by);
    }
    d.holidays = &e->holidays_;
    e->dates_.push_back(d);
  }
  for (const pack::HolidayYear& y : e->pack_.holidays()) {
    std::vector<absl::CivilDay> days;
    for (const std::string& text : y.days()) {
      ASSIGN_OR_RETURN(absl::CivilDay day, ParseDay(text));
      days.push_back(day);
    }
    e->holidays_.AddYear(y.year(), days);
  }
  return e;
}

FoldOptions Evaluator::fold_options() const {
  FoldOptions o;
  for (const pack::Rule& r : pack_.rules()) {
    if (r.has_modifier_test() && o.modifier_divisor == 0) {
      o.modifier_divisor = r.modifier_test().base_divisor();
      o.modifier_assumed_if_systemic_flop =
          r.modifier_test().assumed_base_if_systemic_flop();
      o.modifier_assumed_otherwise_flop =
          r.modifier_test().assumed_base_otherwise_flop();
    }
    if (!r.has_notification_required()) continue;
    const auto& n = r.notification_required();
    if (std::find(o.watched_thresholds.begin(), o.watched_thresholds.end(),
                  n.threshold_flop()) == o.watched_thresholds.end()) {
      o.watched_thresholds.push_back(n.threshold_flop());
    }
    if (n.forecast_triggers()) {
      o.forecast_horizon = std::max(
          o.forecast_horizon, absl::Hours(24) * n.forecast_horizon_days());
    }
  }
  return o;
}

std::vector<v1::Finding> Evaluator::Evaluate(const ModelState& state,
                                             absl::Time as_of) const {
  std::vector<v1::Finding> out;
  Evaluate(
      state, as_of, [](int, const Outcome&) { return true; },
      [&out](int, const Outcome&, v1::Finding f) {
        out.push_back(std::move(f));
      });
  return out;
}

void Evaluator::Evaluate(
    const ModelState& state, absl::Time as_of,
    absl::FunctionRef<bool(int, const Outcome&)> visit,
    absl::FunctionRef<void(int, const Outcome&, v1::Finding)> emit) const {
  FactTable facts(state);
  const v1::Severity missing_severity =
      pack_.information_missing_severity() != v1::SEVERITY_UNSPECIFIED
          ? pack_.information_missing_severity()
          : v1::INFO;
  for (int i = 0; i < pack_.rules_size(); ++i) {
    const pack::Rule& rule = pack_.rules(i);
    Tri applies = Tri::kTrue;
    std::string missing;
    for (const pack::Predicate& p : rule.applies_when()) {
      Tri v = facts.Get(p.fact());
      if (p.negate()) v = Not(v);
      applies = And(applies, v);
      if (v == Tri::kFalse) break;
      if (v == Tri::kUnknown) {
        const std::string why = facts.WhyUnknown(p.fact());
        if (missing.find(why) == std::string::npos) {
          absl::StrAppend(&missing, missing.empty() ? "" : "; ", why);
        }
      }
    }
    Outcome o;
    if (applies != Tri::kFalse) {
      o = EvaluateCondition(rule, dates_[i], state, facts, as_of,
                            /*render=*/false);
    }
    // Kleene: "unknown and false" is false — a condition that passes on the
    // facts at hand passes whatever the missing facts would say; otherwise
    // the missing facts are what the finding reports.
    if (applies == Tri::kUnknown && o.kind != Kind::kPass) {
      o = Outcome{};
      o.kind = Kind::kMissing;
      o.message = std::move(missing);
    }
    if (o.kind == Kind::kMissing) {
      o.severity = missing_severity;
    } else if (o.kind != Kind::kPass &&
               o.severity == v1::SEVERITY_UNSPECIFIED) {
      o.severity = rule.severity();
    }
    // The finding is rendered before later rules define more facts: a
    // missing-information text reads the facts as this rule saw them.
    if (visit(i, o) && o.kind != Kind::kPass) {
      emit(i, o, Render(i, state, facts, as_of, o));
    }
    for (int f : rule.defines()) {
      facts.Define(static_cast<pack::Fact>(f), Outcome3(o.kind), rule.id(),
                   o.kind == Kind::kMissing ? o.message : "possibly over");
    }
  }
}

v1::Finding Evaluator::Render(int rule_index, const ModelState& state,
                              const FactTable& facts, absl::Time as_of,
                              const Outcome& compact) const {
  const pack::Rule& rule = pack_.rules(rule_index);
  Outcome o;
  if (compact.kind == Kind::kMissing) {
    o = compact;
    if (state.declaration_leaf() != nullptr) {
      o.evidence.push_back(state.declaration_leaf()->leaf);
    }
  } else {
    o = EvaluateCondition(rule, dates_[rule_index], state, facts, as_of,
                          /*render=*/true);
    o.severity = compact.severity;
  }
  v1::Finding f;
  f.set_rule_id(rule.id());
  f.set_rule_pack_version(pack_.version());
  f.set_title(rule.title());
  f.set_citation(rule.citation());
  f.set_fact_status(rule.fact_status());
  f.set_unit(rule.unit());
  f.set_model_id(state.model_id);
  f.set_state(v1::RAISED);
  f.set_severity(o.severity);
  if (o.kind == Kind::kMissing) {
    f.set_message(absl::StrCat(FactStatusTag(rule.fact_status()), " ",
                               rule.id(), " ", rule.title(),
                               ": information missing: ", o.message, "."));
  } else {
    f.set_message(absl::StrCat(FactStatusTag(rule.fact_status()), " ",
                               rule.id(), " ", rule.title(), ": ", o.message));
  }
  if (!rule.note().empty())
    absl::StrAppend(f.mutable_message(), " ", rule.note());
  std::sort(o.evidence.begin(), o.evidence.end());
  o.evidence.erase(std::unique(o.evidence.begin(), o.evidence.end()),
                   o.evidence.end());
  SetEvidence(o.evidence, &f);
  if (o.evidence_not_listed > 0) {
    f.set_evidence_not_listed(o.evidence_not_listed);
  }
  for (v1::Figure& fig : o.figures) *f.add_figures() = std::move(fig);
  f.set_evaluated_at_unix_ms(absl::ToUnixMillis(as_of));
  if (o.deadline != absl::InfinitePast()) {
    f.set_deadline_unix_ms(absl::ToUnixMillis(o.deadline));
  }
  return f;
}

}  // namespace rules
