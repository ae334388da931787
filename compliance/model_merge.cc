#include "compliance/model_merge.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

using rules::DatedLeaf;
using rules::FlopRange;
using rules::ModelState;

void AddRange(const FlopRange& from, FlopRange* to) {
  if (!from.known) return;
  to->known = true;
  to->lower += from.lower;
  to->upper += from.upper;
  to->methods |= from.methods;
}

// Keeps the earlier of two dated facts in `into`.
void Earliest(bool has, const DatedLeaf& at, bool* into_has,
              DatedLeaf* into_at) {
  if (!has) return;
  if (!*into_has || at.time < into_at->time) {
    *into_has = true;
    *into_at = at;
  }
}

template <typename T>
void SortByTime(std::vector<T>* v) {
  std::stable_sort(v->begin(), v->end(), [](const T& a, const T& b) {
    return std::tie(a.at.time, a.at.leaf) < std::tie(b.at.time, b.at.leaf);
  });
}

void SortDated(std::vector<DatedLeaf>* v) {
  std::stable_sort(v->begin(), v->end(),
                   [](const DatedLeaf& a, const DatedLeaf& b) {
                     return std::tie(a.time, a.leaf) < std::tie(b.time, b.leaf);
                   });
}

// One share's facts, its leaves moved into the origin's ordinal.
class ShareAdder {
 public:
  ShareAdder(const std::string& origin, uint64_t ordinal, ModelState* m)
      : origin_(origin), ordinal_(ordinal), m_(*m) {}

  DatedLeaf At(const DatedLeaf& d) const {
    return DatedLeaf{OriginLeaf(ordinal_, d.leaf), d.time};
  }
  uint64_t Leaf(uint64_t leaf) const { return OriginLeaf(ordinal_, leaf); }
  std::string Local(const std::string& name) const {
    return absl::StrCat(origin_, "/", name);
  }

  void Add(const ModelState& s) {
    Identity(s);
    Measured(s);
    Dated(s);
    Documents(s);
  }

 private:
  void Identity(const ModelState& s) {
    if (s.model_id != m_.model_id) m_.aliases.push_back(s.model_id);
    m_.aliases.insert(m_.aliases.end(), s.aliases.begin(), s.aliases.end());
    for (rules::DeclarationRecord d : s.declarations) {
      d.at = At(d.at);
      m_.declarations.push_back(std::move(d));
    }
    for (rules::DeclarationRecord d : s.alias_declarations) {
      d.at = At(d.at);
      m_.alias_declarations.push_back(std::move(d));
    }
    Earliest(s.has_eu_market_intent, At(s.eu_market_intent),
             &m_.has_eu_market_intent, &m_.eu_market_intent);
  }

  void Measured(const ModelState& s) {
    AddRange(s.measured_training, &m_.measured_training);
    AddRange(s.measured_cumulative, &m_.measured_cumulative);
    for (int p = 0; p < rules::kPurposeCount; ++p) {
      AddRange(s.measured_by_purpose[p], &m_.measured_by_purpose[p]);
    }
    for (const auto& [account, r] : s.measured_by_account) {
      AddRange(r, &m_.measured_by_account[Local(account)]);
    }
    for (const auto& [label, r] : s.measured_by_label) {
      AddRange(r, &m_.measured_by_label[label]);
    }
    for (const auto& [run_id, run] : s.runs) {
      rules::RunState r = run;
      r.started = At(run.started);
      m_.runs[Local(run_id)] = std::move(r);
    }
    for (uint64_t l : s.counted_leaves) m_.counted_leaves.push_back(Leaf(l));
    for (uint64_t l : s.excluded_leaves) m_.excluded_leaves.push_back(Leaf(l));
    m_.counted_not_kept += s.counted_not_kept;
    m_.excluded_not_kept += s.excluded_not_kept;
    if (s.first_interval_start_ms != 0 &&
        (m_.first_interval_start_ms == 0 ||
         s.first_interval_start_ms < m_.first_interval_start_ms)) {
      m_.first_interval_start_ms = s.first_interval_start_ms;
    }
    m_.last_interval_end_ms =
        std::max(m_.last_interval_end_ms, s.last_interval_end_ms);
    m_.active_runs += s.active_runs;
    m_.accelerator_energy_joules += s.accelerator_energy_joules;
    m_.intervals_without_energy += s.intervals_without_energy;
    // Each share kept at most FoldOptions::max_rejected_records; their
    // union is bounded by the factories' count.
    for (rules::RejectedRecord r : s.rejected) {
      r.leaf = Leaf(r.leaf);
      m_.rejected.push_back(std::move(r));
    }
    m_.rejected_not_kept.Add(s.rejected_not_kept);
  }

  void Dated(const ModelState& s) {
    Earliest(s.systemic_base_declared, At(s.systemic_base_declared_at),
             &m_.systemic_base_declared, &m_.systemic_base_declared_at);
    Earliest(s.modifier_crossed, At(s.modifier_crossed_at),
             &m_.modifier_crossed, &m_.modifier_crossed_at);
    for (const rules::Crossing& c : s.crossings) {
      auto it = std::find_if(m_.crossings.begin(), m_.crossings.end(),
                             [&c](const rules::Crossing& x) {
                               return x.threshold == c.threshold;
                             });
      if (it == m_.crossings.end()) {
        m_.crossings.push_back(rules::Crossing{c.threshold});
        it = m_.crossings.end() - 1;
      }
      Earliest(c.crossed, At(c.crossed_at), &it->crossed, &it->crossed_at);
      Earliest(c.forecast, At(c.forecast_at), &it->forecast, &it->forecast_at);
    }
  }

  void Documents(const ModelState& s) {
    for (int k = 0; k < rules::kDocumentKinds; ++k) {
      for (const DatedLeaf& d : s.documents[k]) {
        m_.documents[k].push_back(At(d));
      }
    }
    for (const DatedLeaf& d : s.notifications) {
      m_.notifications.push_back(At(d));
    }
    for (rules::OfficeDecision d : s.designations) {
      d.at = At(d.at);
      m_.designations.push_back(d);
    }
    for (rules::OfficeDecision d : s.rebuttals) {
      d.at = At(d.at);
      m_.rebuttals.push_back(d);
    }
  }

  const std::string& origin_;
  const uint64_t ordinal_;
  ModelState& m_;
};

// The highs of the sum of every factory's latest planned budget.
void MergePlanned(const GlobalModel& model,
                  const std::vector<std::string>& origins, ModelState* m) {
  struct Event {
    DatedLeaf at;
    size_t share;
    double flop;
  };
  std::vector<Event> events;
  for (size_t i = 0; i < model.shares.size(); ++i) {
    const Share& s = model.shares[i];
    const uint64_t ordinal =
        std::lower_bound(origins.begin(), origins.end(), s.origin) -
        origins.begin();
    for (const rules::PlannedBudget& p : s.state->planned_highs) {
      events.push_back(
          {{OriginLeaf(ordinal, p.at.leaf), p.at.time}, i, p.flop});
    }
  }
  SortByTime(&events);
  std::vector<double> latest(model.shares.size(), 0);
  double high = 0;
  for (const Event& e : events) {
    latest[e.share] = e.flop;
    double sum = 0;
    for (double f : latest) sum += f;
    if (sum > high) {
      high = sum;
      m->planned_highs.push_back({sum, e.at});
    }
  }
}

}  // namespace

rules::ModelState MergeShares(const GlobalModel& model) {
  ModelState m;
  m.model_id = model.key.Text();
  const std::vector<std::string> origins = model.Origins();
  for (const Share& s : model.shares) {
    const uint64_t ordinal =
        std::lower_bound(origins.begin(), origins.end(), s.origin) -
        origins.begin();
    ShareAdder(s.origin, ordinal, &m).Add(*s.state);
  }
  std::sort(m.aliases.begin(), m.aliases.end());
  m.aliases.erase(std::unique(m.aliases.begin(), m.aliases.end()),
                  m.aliases.end());
  m.aliases.erase(
      std::remove(m.aliases.begin(), m.aliases.end(), model.key.model_id),
      m.aliases.end());
  SortByTime(&m.declarations);
  SortByTime(&m.alias_declarations);
  std::sort(m.counted_leaves.begin(), m.counted_leaves.end());
  std::sort(m.excluded_leaves.begin(), m.excluded_leaves.end());
  for (auto& docs : m.documents) SortDated(&docs);
  SortDated(&m.notifications);
  SortByTime(&m.designations);
  SortByTime(&m.rebuttals);
  MergePlanned(model, origins, &m);
  return m;
}

}  // namespace compliance
