#include "rules/conditions.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "rules/deadline.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;
namespace v1 = aifl::rules::v1;
using Kind = Outcome::Kind;

v1::Figure MakeFigure(const std::string& name, const FlopRange& r) {
  v1::Figure f;
  f.set_name(name);
  f.set_lower(RoundTwoSig(r.lower));
  f.set_upper(RoundTwoSig(r.upper));
  f.set_method(MethodNames(r.methods));
  return f;
}

std::string RangeText(const FlopRange& r) {
  std::string s = r.lower == r.upper
                      ? TwoSig(r.lower)
                      : absl::StrCat(TwoSig(r.lower), "..", TwoSig(r.upper));
  absl::StrAppend(&s, " FLOP");
  if (r.methods != 0) absl::StrAppend(&s, " (", MethodNames(r.methods), ")");
  return s;
}

const char* QuantityName(pack::Quantity q) {
  return q == pack::TRAINING_COMPUTE ? "training" : "cumulative";
}

Outcome Missing(std::string why) {
  Outcome o;
  o.kind = Kind::kMissing;
  o.message = std::move(why);
  return o;
}

// Whether cumulative compute adds the base model's: only when the modifier
// may be the provider (MODIFIER_IS_PROVIDER true or unknown).
bool AddBase(const FactTable& f) {
  return f.Get(pack::MODIFIER_IS_PROVIDER) != Tri::kFalse;
}

FlopRange BaseAdded(pack::Quantity q, const ModelState& s, bool add_base) {
  return q == pack::TRAINING_COMPUTE || !add_base ? FlopRange{}
                                                  : BaseTraining(s);
}

// Figures and evidence behind a compute quantity.
void AddComputeBasis(pack::Quantity q, const ModelState& s, bool add_base,
                     Outcome* o) {
  const bool training = q == pack::TRAINING_COMPUTE;
  const FlopRange declared =
      training ? DeclaredTraining(s) : DeclaredCumulative(s);
  const FlopRange& measured =
      training ? s.measured_training : s.measured_cumulative;
  const std::string name = QuantityName(q);
  if (declared.known) {
    o->figures.push_back(
        MakeFigure("declared_" + name + "_compute_flop", declared));
  }
  if (measured.known) {
    o->figures.push_back(
        MakeFigure("measured_" + name + "_compute_flop", measured));
    v1::Figure n;
    n.set_name("measured_intervals");
    n.set_lower(s.counted_intervals());
    n.set_upper(s.counted_intervals());
    o->figures.push_back(n);
  }
  const FlopRange base = BaseAdded(q, s, add_base);
  if (base.known) {
    o->figures.push_back(MakeFigure("base_model_training_compute_flop", base));
  }
  if (s.declaration_leaf() != nullptr)
    o->evidence.push_back(s.declaration_leaf()->leaf);
  for (const DeclarationRecord& a : s.alias_declarations)
    o->evidence.push_back(a.at.leaf);
  o->evidence.insert(o->evidence.end(), s.counted_leaves.begin(),
                     s.counted_leaves.end());
  o->evidence_not_listed += s.counted_not_kept;
}

std::string Sources(pack::Quantity q, const ModelState& s, bool add_base) {
  const bool training = q == pack::TRAINING_COMPUTE;
  const FlopRange declared =
      training ? DeclaredTraining(s) : DeclaredCumulative(s);
  const FlopRange& measured =
      training ? s.measured_training : s.measured_cumulative;
  std::string out;
  if (declared.known) absl::StrAppend(&out, "declared ", RangeText(declared));
  if (measured.known) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", "measured ",
                    RangeText(measured));
  }
  const FlopRange base = BaseAdded(q, s, add_base);
  if (base.known) {
    absl::StrAppend(&out, "; plus the base model's ", RangeText(base));
  }
  return out;
}

// Keys what Sources() prints.
void AddSourcesKey(pack::Quantity q, const ModelState& s, bool add_base,
                   OutcomeKey* key) {
  const bool training = q == pack::TRAINING_COMPUTE;
  key->AddRange(training ? DeclaredTraining(s) : DeclaredCumulative(s));
  key->AddRange(training ? s.measured_training : s.measured_cumulative);
  if (!training) key->AddRange(BaseAdded(q, s, add_base));
}

Outcome Threshold(const pack::Rule& rule, const ModelState& s,
                  const FactTable& f, bool render) {
  const auto& c = rule.compute_threshold();
  const bool add_base = AddBase(f);
  const FlopRange q = c.quantity() == pack::TRAINING_COMPUTE
                          ? CombinedTraining(s)
                          : CombinedCumulative(s, add_base);
  const char* name = QuantityName(c.quantity());
  if (!q.known) {
    return Missing(absl::StrCat("no declared or measured ", name, " compute"));
  }
  Outcome o;
  const ThresholdState ts = Compare(q, c.threshold_flop());
  if (ts == ThresholdState::kBelow) return o;
  AddSourcesKey(c.quantity(), s, add_base, &o.key);
  if (ts == ThresholdState::kOver) {
    o.kind = Kind::kRaised;
    o.severity = rule.severity();
  } else {
    o.kind = Kind::kPossibly;
    o.severity = c.possibly_over_severity();
    o.key.AddTwoSig(q.upper);
    o.key.AddTwoSig(q.lower);
  }
  if (!render) return o;
  if (ts == ThresholdState::kOver) {
    o.message =
        absl::StrCat(name, " compute is over ", TwoSig(c.threshold_flop()),
                     " FLOP (", Sources(c.quantity(), s, add_base), ").");
  } else {
    o.message = absl::StrCat(
        name, " compute is possibly over ", TwoSig(c.threshold_flop()),
        " FLOP: its upper bound ", TwoSig(q.upper),
        " is over, its lower bound ", TwoSig(q.lower), " is not (",
        Sources(c.quantity(), s, add_base), ").");
  }
  AddComputeBasis(c.quantity(), s, add_base, &o);
  return o;
}

Outcome Modifier(const pack::Rule& rule, const ModelState& s,
                 const FactTable& f, bool render) {
  const auto& c = rule.modifier_test();
  const FlopRange mod = CombinedTraining(s);
  if (!mod.known) {
    return Missing(
        "the modification's training compute is neither declared nor measured");
  }
  const FlopRange base = BaseTraining(s);
  double base_flop;
  Tri systemic = Tri::kUnknown;
  if (base.known) {
    base_flop = base.lower;
  } else {
    systemic = f.Get(pack::BASE_SYSTEMIC);
    if (systemic == Tri::kUnknown) {
      // Below both fallbacks: not the provider whichever applies.
      const double lowest = std::min(c.assumed_base_if_systemic_flop(),
                                     c.assumed_base_otherwise_flop());
      if (Compare(mod, lowest / c.base_divisor()) == ThresholdState::kBelow) {
        return Outcome{};
      }
      return Missing(f.WhyUnknown(pack::BASE_SYSTEMIC));
    }
    base_flop = systemic == Tri::kTrue ? c.assumed_base_if_systemic_flop()
                                       : c.assumed_base_otherwise_flop();
  }
  const double threshold = base_flop / c.base_divisor();
  Outcome o;
  const ThresholdState ts = Compare(mod, threshold);
  if (ts == ThresholdState::kBelow) return o;
  o.kind = ts == ThresholdState::kOver ? Kind::kRaised : Kind::kPossibly;
  o.severity = ts == ThresholdState::kOver ? rule.severity()
                                           : c.possibly_over_severity();
  AddSourcesKey(pack::TRAINING_COMPUTE, s, false, &o.key);
  o.key.Add(base.known ? 0 : (systemic == Tri::kTrue ? 1 : 2));
  o.key.AddTwoSig(base_flop);
  o.key.AddTwoSig(threshold);
  if (!render) return o;
  const std::string basis =
      base.known
          ? absl::StrCat("the base model's training compute ",
                         TwoSig(base_flop), " FLOP / ", c.base_divisor())
          : absl::StrCat(
                "the fallback for an unknown base compute (",
                systemic == Tri::kTrue ? "systemic-risk" : "non-systemic",
                " base): ", TwoSig(base_flop), " FLOP / ", c.base_divisor());
  o.message =
      absl::StrCat("the modification's training compute (",
                   Sources(pack::TRAINING_COMPUTE, s, false), ") is ",
                   ts == ThresholdState::kOver ? "" : "possibly ", "over ",
                   TwoSig(threshold), " FLOP, ", basis, ": the modifier ",
                   ts == ThresholdState::kOver ? "is" : "may be",
                   " the provider of the modified model.");
  v1::Figure t;
  t.set_name("modifier_threshold_flop");
  t.set_lower(RoundTwoSig(threshold));
  t.set_upper(RoundTwoSig(threshold));
  t.set_method(base.known ? "base/3" : "fallback para 61");
  o.figures.push_back(t);
  AddComputeBasis(pack::TRAINING_COMPUTE, s, false, &o);
  return o;
}

}  // namespace

void OutcomeKey::AddRange(const FlopRange& r) {
  if (!r.known) {
    Add(0);
    return;
  }
  // Known, whether printed as one number, and the methods.
  Add(1 | (r.lower == r.upper ? 2 : 0) | (uint64_t{r.methods} << 2));
  AddTwoSig(r.lower);
  AddTwoSig(r.upper);
}

bool SameRendering(const Outcome& a, const Outcome& b) {
  return a.kind == b.kind && a.severity == b.severity &&
         a.deadline == b.deadline && a.key == b.key && a.message == b.message;
}

std::string DayText(absl::Time t) {
  const absl::CivilDay d = BrusselsDay(t);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", static_cast<int>(d.year()),
                d.month(), d.day());
  return buf;
}

Outcome EvaluateCondition(const pack::Rule& rule, const RuleDates& dates,
                          const ModelState& state, const FactTable& facts,
                          absl::Time as_of, bool render) {
  switch (rule.condition_case()) {
    case pack::Rule::kComputeThreshold:
      return Threshold(rule, state, facts, render);
    case pack::Rule::kModifierTest:
      return Modifier(rule, state, facts, render);
    case pack::Rule::kDocumentRequired:
      return DocumentOutcome(rule, dates, state, as_of, render);
    case pack::Rule::kNotificationRequired:
      return NotificationOutcome(rule, dates, state, facts, as_of, render);
    case pack::Rule::kDeclaredVsMeasured:
      return DeclaredVsMeasuredOutcome(rule, state, render);
    case pack::Rule::kDataQuality:
      return DataQualityOutcome(state, render);
    case pack::Rule::kFlag: {
      Outcome o;
      o.kind = Kind::kRaised;
      o.severity = rule.severity();
      if (!render) return o;
      o.message = rule.flag().message();
      if (state.declaration_leaf() != nullptr) {
        o.evidence.push_back(state.declaration_leaf()->leaf);
      }
      return o;
    }
    case pack::Rule::CONDITION_NOT_SET:
      break;
  }
  return Outcome{};
}

}  // namespace rules
