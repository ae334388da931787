#include "compliance/office_state.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "compliance/model_merge.h"
#include "compliance/model_totals.h"
#include "compliance/office_evidence.h"
#include "rules/findings_diff.h"

namespace compliance {
namespace {

namespace v1 = aifl::rules::v1;

std::pair<std::string, std::string> IdOf(const v1::Finding& f) {
  return {GlobalModelKey{f.provider(), f.model_origin(), f.model_id()}.Text(),
          f.rule_id()};
}

// The newest leaf that moved the model's figures at any of its factories.
struct Newest {
  std::string origin;
  rules::DatedLeaf at;
};

Newest NewestChange(const CrossFactoryFold& fold, const GlobalModel& g) {
  Newest n;
  for (const Share& s : g.shares) {
    const rules::DatedLeaf last = fold.LastChangeOf(s.origin, s.state);
    if (last.time == absl::InfinitePast()) continue;
    if (n.origin.empty() || last.time > n.at.time) n = {s.origin, last};
  }
  return n;
}

rules::DatedLeaf Encoded(const std::vector<std::string>& origins,
                         const std::string& origin,
                         const rules::DatedLeaf& at) {
  const uint64_t ordinal =
      std::lower_bound(origins.begin(), origins.end(), origin) -
      origins.begin();
  return {OriginLeaf(ordinal, at.leaf), at.time};
}

// Per factory: its measured share of the model's compute and energy.
void AddShareFigures(const GlobalModel& g, v1::Finding* f) {
  for (const std::string& origin : g.Origins()) {
    rules::FlopRange flop;
    double joules = 0;
    for (const Share& s : g.shares) {
      if (s.origin != origin) continue;
      const rules::FlopRange& m = s.state->measured_cumulative;
      flop.lower += m.lower;
      flop.upper += m.upper;
      flop.methods |= m.methods;
      joules += s.state->accelerator_energy_joules;
    }
    v1::Figure* c = f->add_figures();
    c->set_name(absl::StrCat("measured_cumulative_compute_flop at ", origin));
    c->set_lower(flop.lower);
    c->set_upper(flop.upper);
    c->set_method(rules::MethodNames(flop.methods));
    v1::Figure* e = f->add_figures();
    e->set_name(absl::StrCat("accelerator_energy_joules at ", origin));
    e->set_lower(joules);
    e->set_upper(joules);
  }
}

// A pack finding rendered from a merged state, made an Office finding.
void ToOfficeFinding(const GlobalModel& g, v1::Finding* f) {
  const std::vector<std::string> origins = g.Origins();
  f->set_model_id(g.key.model_id);
  f->set_provider(g.key.provider);
  f->set_model_origin(g.key.origin);
  f->set_message(WithOriginLeaves(f->message(), origins));
  if (f->evidence_count() > 0) {
    for (const std::string& o : origins) f->add_evidence_origins(o);
  }
  AddShareFigures(g, f);
}

}  // namespace

absl::StatusOr<std::unique_ptr<OfficeState>> OfficeState::Create(
    rules::RulePack pack, OfficeRuleOptions options) {
  ASSIGN_OR_RETURN(std::unique_ptr<CrossFactoryFold> fold,
                   CrossFactoryFold::Create(pack));
  ASSIGN_OR_RETURN(std::unique_ptr<rules::Evaluator> evaluator,
                   rules::Evaluator::Create(std::move(pack)));
  return std::unique_ptr<OfficeState>(
      new OfficeState(std::move(fold), std::move(evaluator), options));
}

OfficeState::OfficeState(std::unique_ptr<CrossFactoryFold> fold,
                         std::unique_ptr<rules::Evaluator> evaluator,
                         OfficeRuleOptions options)
    : fold_(std::move(fold)),
      evaluator_(std::move(evaluator)),
      options_(options) {}

absl::StatusOr<LogFold::Added> OfficeState::Add(const std::string& origin,
                                                uint64_t index,
                                                absl::string_view leaf_bytes) {
  return fold_->Add(origin, index, leaf_bytes);
}

void OfficeState::ApplyUnionCrossings(const GlobalModel& g,
                                      rules::ModelState* m) {
  const rules::FoldOptions opts = evaluator_->fold_options();
  const std::vector<std::string> origins = g.Origins();
  const Newest newest = NewestChange(*fold_, g);
  UnionCrossings& u = union_[g.key.Text()];
  // Keeps the earlier of the shares' date and the union's; dates the union
  // now when `over` and neither has one.
  auto settle = [&](bool over, UnionDate& kept, bool* crossed,
                    rules::DatedLeaf* at) {
    if (kept.set) {
      const rules::DatedLeaf k = Encoded(origins, kept.origin, kept.at);
      if (!*crossed || k.time < at->time) *at = k;
      *crossed = true;
    }
    if (!*crossed && over && !newest.origin.empty()) {
      kept = {true, newest.origin, newest.at};
      *crossed = true;
      *at = Encoded(origins, newest.origin, newest.at);
    }
  };
  for (double t : opts.watched_thresholds) {
    auto it = std::find_if(
        m->crossings.begin(), m->crossings.end(),
        [t](const rules::Crossing& c) { return c.threshold == t; });
    if (it == m->crossings.end()) {
      m->crossings.push_back(rules::Crossing{t});
      it = m->crossings.end() - 1;
    }
    const rules::FlopRange cum = rules::CombinedCumulative(*m);
    settle(cum.known && cum.lower > t, u.thresholds[t], &it->crossed,
           &it->crossed_at);
  }
  if (opts.modifier_divisor > 0) {
    const rules::ModifierThreshold t = rules::ModifierThresholdOf(
        *m, opts.modifier_divisor, opts.modifier_assumed_if_systemic_flop,
        opts.modifier_assumed_otherwise_flop);
    const rules::FlopRange mod = rules::CombinedTraining(*m);
    settle(t.known && mod.known && mod.lower > t.flop, u.modifier,
           &m->modifier_crossed, &m->modifier_crossed_at);
  }
}

std::vector<v1::Finding> OfficeState::Current(absl::Time now) const {
  std::vector<v1::Finding> out;
  for (const MergedModel& m : merged_) {
    for (v1::Finding& f : evaluator_->Evaluate(m.merged, now)) {
      ToOfficeFinding(*m.model, &f);
      out.push_back(std::move(f));
    }
  }
  for (v1::Finding& f : CrossFactoryFindings(merged_, options_, now)) {
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<v1::Finding> OfficeState::Evaluate(absl::Time now) {
  models_ = fold_->Models();
  merged_.clear();
  merged_.reserve(models_.size());
  for (const GlobalModel& g : models_) {
    merged_.push_back({&g, MergeShares(g)});
    ApplyUnionCrossings(g, &merged_.back().merged);
  }
  std::vector<v1::Finding> out;
  std::set<std::pair<std::string, std::string>> raised;
  for (v1::Finding& f : Current(now)) {
    const auto id = IdOf(f);
    raised.insert(id);
    auto it = recorded_.find(id);
    if (it != recorded_.end() && rules::SameAsRecorded(it->second, f)) {
      continue;
    }
    recorded_[id] = f;
    out.push_back(std::move(f));
  }
  for (auto& [id, rec] : recorded_) {
    if (rec.state() != v1::RAISED || raised.count(id) > 0) continue;
    rec = rules::ClearedFinding(rec, now);
    out.push_back(rec);
  }
  return out;
}

void OfficeState::Record(const v1::Finding& finding) {
  recorded_[IdOf(finding)] = finding;
}

std::vector<aifl::office::v1::ModelTotals> OfficeState::TotalsToRecord(
    absl::Time now) {
  std::vector<aifl::office::v1::ModelTotals> out;
  for (const MergedModel& m : merged_) {
    aifl::office::v1::ModelTotals t = TotalsOf(m, now);
    const std::string key = m.model->key.Text();
    AddUnionCrossings(union_[key], &t);
    auto [it, fresh] = totals_.try_emplace(key, t);
    if (!fresh && SameTotals(it->second, t)) continue;
    it->second = t;
    out.push_back(std::move(t));
  }
  return out;
}

void OfficeState::RecordTotals(const aifl::office::v1::ModelTotals& totals) {
  const std::string key =
      GlobalModelKey{totals.provider(), totals.model_origin(),
                     totals.model_id()}
          .Text();
  totals_[key] = totals;
  // The latest totals hold every union crossing recorded so far.
  union_[key] = UnionCrossingsOf(totals);
}

void OfficeState::AddUnionCrossings(const UnionCrossings& u,
                                    aifl::office::v1::ModelTotals* t) {
  auto add = [t](const UnionDate& d, double threshold, bool modifier) {
    if (!d.set) return;
    aifl::office::v1::UnionCrossing* c = t->add_union_crossings();
    c->set_threshold_flop(threshold);
    c->set_modifier(modifier);
    c->set_origin(d.origin);
    c->set_leaf_index(d.at.leaf);
    c->set_integration_time_unix_micros(absl::ToUnixMicros(d.at.time));
  };
  for (const auto& [threshold, d] : u.thresholds) add(d, threshold, false);
  add(u.modifier, 0, true);
}

OfficeState::UnionCrossings OfficeState::UnionCrossingsOf(
    const aifl::office::v1::ModelTotals& t) {
  UnionCrossings u;
  for (const aifl::office::v1::UnionCrossing& c : t.union_crossings()) {
    UnionDate& d = c.modifier() ? u.modifier : u.thresholds[c.threshold_flop()];
    d = {true, c.origin(),
         rules::DatedLeaf{
             c.leaf_index(),
             absl::FromUnixMicros(c.integration_time_unix_micros())}};
  }
  return u;
}

std::vector<v1::Finding> OfficeState::Raised() const {
  std::vector<v1::Finding> out;
  for (const auto& [id, f] : recorded_) {
    if (f.state() == v1::RAISED) out.push_back(f);
  }
  return out;
}

}  // namespace compliance
