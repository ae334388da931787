#include "compliance/office_rules.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compliance/office_evidence.h"
#include "rules/flop_range.h"

namespace compliance {
namespace {

namespace v1 = aifl::rules::v1;
using aifl::provider::v1::ModelDeclaration;

v1::Finding Base(const char* rule_id, const char* title, const char* citation,
                 v1::Unit unit, const GlobalModelKey& key, absl::Time now) {
  v1::Finding f;
  f.set_rule_id(rule_id);
  f.set_rule_pack_version(kOfficeRulesVersion);
  f.set_title(title);
  f.set_citation(citation);
  // The Act says nothing of models split across factories: every X rule is
  // the Office's own check, marked [U].
  f.set_fact_status(v1::UNVERIFIED);
  f.set_unit(unit);
  f.set_severity(v1::WARNING);
  f.set_model_id(key.model_id);
  f.set_provider(key.provider);
  f.set_model_origin(key.origin);
  f.set_state(v1::RAISED);
  f.set_evaluated_at_unix_ms(absl::ToUnixMillis(now));
  return f;
}

// The leaves a model's compute and declarations rest on, per origin; the
// counted intervals each factory's fold did not keep
// (rules::FoldOptions::max_evidence_leaves) are added to `*not_listed`.
void AddModelEvidence(const GlobalModel& g, std::vector<OriginLeafRef>* out,
                      uint64_t* not_listed) {
  for (const Share& s : g.shares) {
    *not_listed += s.state->counted_not_kept;
    for (uint64_t l : s.state->counted_leaves) out->push_back({s.origin, l});
    if (s.state->declaration_leaf() != nullptr) {
      out->push_back({s.origin, s.state->declaration_leaf()->leaf});
    }
  }
}

// Two shares at different factories measured at overlapping times.
bool Overlap(const GlobalModel& a, const GlobalModel& b) {
  for (const Share& x : a.shares) {
    for (const Share& y : b.shares) {
      const rules::ModelState& s = *x.state;
      const rules::ModelState& t = *y.state;
      if (x.origin == y.origin || s.first_interval_start_ms == 0 ||
          t.first_interval_start_ms == 0) {
        continue;
      }
      if (s.first_interval_start_ms <= t.last_interval_end_ms &&
          t.first_interval_start_ms <= s.last_interval_end_ms) {
        return true;
      }
    }
  }
  return false;
}

std::string FactoriesOf(const GlobalModel& g) {
  return absl::StrJoin(g.Origins(), ", ");
}

// Whether X1 sits on `a` rather than `b`: the more compute (combined
// cumulative lower bound, then upper bound; unknown counts as none), then
// the smaller key (provider, origin, model id). A function of the two
// models alone, so the choice does not depend on the order the factories
// were folded or the group listed.
bool CarriesSplit(const MergedModel& a, const MergedModel& b) {
  const rules::FlopRange ca = rules::CombinedCumulative(a.merged);
  const rules::FlopRange cb = rules::CombinedCumulative(b.merged);
  const double la = ca.known ? ca.lower : 0, ua = ca.known ? ca.upper : 0;
  const double lb = cb.known ? cb.lower : 0, ub = cb.known ? cb.upper : 0;
  if (la != lb) return la > lb;
  if (ua != ub) return ua > ub;
  return a.model->key < b.model->key;
}

// X1 for one group of overlapping models (indices into `models`).
void SplitFinding(const std::vector<MergedModel>& models,
                  const std::vector<size_t>& group,
                  const OfficeRuleOptions& options, absl::Time now,
                  std::vector<v1::Finding>* out) {
  double lower = 0, upper = 0;
  size_t largest = group.front();
  std::vector<std::string> parts;
  for (size_t i : group) {
    const rules::FlopRange c = rules::CombinedCumulative(models[i].merged);
    if (!c.known) continue;
    lower += c.lower;
    upper += c.upper;
    if (CarriesSplit(models[i], models[largest])) largest = i;
    parts.push_back(absl::StrCat(models[i].model->key.model_id, " at ",
                                 FactoriesOf(*models[i].model), " (",
                                 rules::TwoSig(c.lower), " FLOP)"));
  }
  if (!(lower > options.split_threshold_flop)) return;
  const GlobalModel& g = *models[largest].model;
  v1::Finding f =
      Base("X1", "Possible split training across factories",
           "Art. 51(2) (cumulative compute); Guidelines para 23 and Annex A.1",
           v1::AI_SAFETY, g.key, now);
  f.set_message(absl::StrCat(
      "[U] X1 Possible split training across factories: ", g.key.provider,
      "'s models ", absl::StrJoin(parts, ", "),
      " were trained at the same time at different factories and together "
      "reach ",
      rules::TwoSig(lower), " FLOP (> ",
      rules::TwoSig(options.split_threshold_flop),
      "); no declaration links them (ModelDeclaration.runs_at_other_logs). "
      "If they are one model (Guidelines para 23) it is presumed to have "
      "systemic risk; the provider should declare the lineage or explain."));
  v1::Figure* fig = f.add_figures();
  fig->set_name("group_cumulative_compute_flop");
  fig->set_lower(lower);
  fig->set_upper(upper);
  std::vector<OriginLeafRef> evidence;
  uint64_t not_listed = 0;
  for (size_t i : group) {
    AddModelEvidence(*models[i].model, &evidence, &not_listed);
  }
  SetOfficeEvidence(std::move(evidence), &f);
  // As the rule pack's findings (rules/evaluator.cc): unset when nothing
  // was left out, so X1 below the bound is unchanged.
  if (not_listed > 0) f.set_evidence_not_listed(not_listed);
  out->push_back(std::move(f));
}

// X1: one provider's models grouped by overlapping runs at other factories.
void SplitFindings(const std::vector<MergedModel>& models,
                   const OfficeRuleOptions& options, absl::Time now,
                   std::vector<v1::Finding>* out) {
  std::vector<size_t> parent(models.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&parent](size_t i) {
    while (parent[i] != i) i = parent[i];
    return i;
  };
  for (size_t i = 0; i < models.size(); ++i) {
    const GlobalModelKey& a = models[i].model->key;
    if (a.provider.empty()) continue;
    for (size_t j = i + 1; j < models.size(); ++j) {
      if (models[j].model->key.provider != a.provider) continue;
      if (Overlap(*models[i].model, *models[j].model)) {
        parent[find(j)] = find(i);
      }
    }
  }
  std::map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < models.size(); ++i) groups[find(i)].push_back(i);
  for (const auto& [root, group] : groups) {
    if (group.size() >= 2) SplitFinding(models, group, options, now, out);
  }
}

// X2 for one model: the declarations in force at each factory, pairwise.
void ContradictionFinding(const GlobalModel& g, absl::Time now,
                          std::vector<v1::Finding>* out) {
  std::vector<std::string> parts;
  std::vector<OriginLeafRef> evidence;
  for (size_t i = 0; i < g.shares.size(); ++i) {
    for (size_t j = i + 1; j < g.shares.size(); ++j) {
      const Share& a = g.shares[i];
      const Share& b = g.shares[j];
      if (a.origin == b.origin || a.state->declaration() == nullptr ||
          b.state->declaration() == nullptr) {
        continue;
      }
      const std::vector<std::string> fields =
          ContradictingFields(*a.state->declaration(), *b.state->declaration());
      if (fields.empty()) continue;
      const uint64_t la = a.state->declaration_leaf()->leaf;
      const uint64_t lb = b.state->declaration_leaf()->leaf;
      parts.push_back(absl::StrCat(a.origin, " leaf ", la, " vs ", b.origin,
                                   " leaf ", lb, ": ",
                                   absl::StrJoin(fields, ", ")));
      evidence.push_back({a.origin, la});
      evidence.push_back({b.origin, lb});
    }
  }
  if (parts.empty()) return;
  v1::Finding f =
      Base("X2", "Declarations at different factories contradict each other",
           "Art. 53(1)(a) and Annex XI (documentation kept up to date); "
           "Office cross-factory check",
           v1::REGULATION_AND_COMPLIANCE, g.key, now);
  f.set_message(absl::StrCat(
      "[U] X2 Declarations at different factories contradict each other: ",
      absl::StrJoin(parts, "; "),
      ". The provider should re-declare one consistent set of facts."));
  SetOfficeEvidence(std::move(evidence), &f);
  out->push_back(std::move(f));
}

// X3 for one model: lineage that names a run the Office cannot join.
void LineageFinding(const GlobalModel& g, absl::Time now,
                    std::vector<v1::Finding>* out) {
  if (g.unresolved.empty()) return;
  std::vector<std::string> parts;
  std::vector<OriginLeafRef> evidence;
  for (const UnresolvedLineage& u : g.unresolved) {
    parts.push_back(absl::StrCat("the declaration at ", u.declared_at_origin,
                                 " (leaf ", u.declaration_leaf, ") names ",
                                 u.origin, " leaf ", u.leaf_index, ": ",
                                 u.why));
    evidence.push_back({u.declared_at_origin, u.declaration_leaf});
  }
  v1::Finding f =
      Base("X3", "Cross-factory lineage cannot be resolved",
           "Guidelines para 23 (one model across its development); Office "
           "cross-factory check",
           v1::REGULATION_AND_COMPLIANCE, g.key, now);
  f.set_message(
      absl::StrCat("[U] X3 Cross-factory lineage cannot be resolved: ",
                   absl::StrJoin(parts, "; "), "."));
  SetOfficeEvidence(std::move(evidence), &f);
  out->push_back(std::move(f));
}

template <typename Opt>
void Differ(const char* name, bool has_a, const Opt& a, bool has_b,
            const Opt& b, std::vector<std::string>* out) {
  if (has_a && has_b && !(a == b)) out->push_back(name);
}

void DifferText(const char* name, const std::string& a, const std::string& b,
                std::vector<std::string>* out) {
  Differ(name, !a.empty(), a, !b.empty(), b, out);
}

}  // namespace

std::vector<std::string> ContradictingFields(const ModelDeclaration& a,
                                             const ModelDeclaration& b) {
  std::vector<std::string> out;
  DifferText("provider", a.provider(), b.provider(), &out);
  DifferText("provider_country", a.provider_country(), b.provider_country(),
             &out);
  Differ("provider_in_eu", a.has_provider_in_eu(), a.provider_in_eu(),
         b.has_provider_in_eu(), b.provider_in_eu(), &out);
  DifferText("authorised_representative", a.authorised_representative(),
             b.authorised_representative(), &out);
  const std::set<int> ma(a.modalities().begin(), a.modalities().end());
  const std::set<int> mb(b.modalities().begin(), b.modalities().end());
  Differ("modalities", !ma.empty(), ma, !mb.empty(), mb, &out);
  Differ("intends_eu_market", a.has_intends_eu_market(), a.intends_eu_market(),
         b.has_intends_eu_market(), b.intends_eu_market(), &out);
  Differ("placed_on_eu_market", a.has_placed_on_eu_market(),
         a.placed_on_eu_market(), b.has_placed_on_eu_market(),
         b.placed_on_eu_market(), &out);
  Differ("placed_on_market_unix_ms", a.placed_on_market_unix_ms() != 0,
         a.placed_on_market_unix_ms(), b.placed_on_market_unix_ms() != 0,
         b.placed_on_market_unix_ms(), &out);
  DifferText("base_model.model_id", a.base_model().model_id(),
             b.base_model().model_id(), &out);
  DifferText("base_model.provider", a.base_model().provider(),
             b.base_model().provider(), &out);
  Differ("base_model.same_provider", a.base_model().has_same_provider(),
         a.base_model().same_provider(), b.base_model().has_same_provider(),
         b.base_model().same_provider(), &out);
  Differ("licence.open_source", a.licence().has_open_source(),
         a.licence().open_source(), b.licence().has_open_source(),
         b.licence().open_source(), &out);
  Differ("code_of_practice_signatory", a.has_code_of_practice_signatory(),
         a.code_of_practice_signatory(), b.has_code_of_practice_signatory(),
         b.code_of_practice_signatory(), &out);
  return out;
}

v1::Finding LogStoppedFinding(const std::string& origin, uint64_t verified_size,
                              const std::string& kind,
                              const std::string& reason, absl::Time detected) {
  v1::Finding f =
      Base(kLogStoppedRule, "Factory log stopped by the Office",
           "Office monitor (office/README.md): every entry "
           "verified against the log's signed checkpoints",
           v1::REGULATION_AND_COMPLIANCE, GlobalModelKey{}, detected);
  // A broken log is a fact the monitor holds the evidence of (the
  // incident's notes, tile and reason), not a reading of the Act.
  f.set_fact_status(v1::PRIMARY);
  f.set_severity(v1::VIOLATION);
  f.set_message(
      absl::StrCat("X4 Factory log stopped: the AI Office stopped "
                   "following ",
                   origin, " at size ", verified_size, " (", kind,
                   "): ", reason, ". Entries below that size stay verified."));
  f.add_evidence_origins(origin);
  v1::Figure* fig = f.add_figures();
  fig->set_name(absl::StrCat("verified_size at ", origin));
  fig->set_lower(static_cast<double>(verified_size));
  fig->set_upper(static_cast<double>(verified_size));
  return f;
}

std::vector<v1::Finding> CrossFactoryFindings(
    const std::vector<MergedModel>& models, const OfficeRuleOptions& options,
    absl::Time now) {
  std::vector<v1::Finding> out;
  SplitFindings(models, options, now, &out);
  for (const MergedModel& m : models) {
    ContradictionFinding(*m.model, now, &out);
    LineageFinding(*m.model, now, &out);
  }
  std::stable_sort(
      out.begin(), out.end(), [](const v1::Finding& a, const v1::Finding& b) {
        return std::tie(a.provider(), a.model_origin(), a.model_id(),
                        a.rule_id()) < std::tie(b.provider(), b.model_origin(),
                                                b.model_id(), b.rule_id());
      });
  return out;
}

}  // namespace compliance
