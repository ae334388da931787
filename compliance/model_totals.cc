#include "compliance/model_totals.h"

#include <cstdint>

#include "rules/flop_range.h"

namespace compliance {
namespace {

namespace office = aifl::office::v1;

void SetRange(const rules::FlopRange& r, aifl::common::v1::FlopRange* out) {
  out->set_lower(r.lower);
  out->set_upper(r.upper);
}

void AddShare(const rules::ModelState& s, office::FactoryShare* f) {
  auto add = [](const rules::FlopRange& r, aifl::common::v1::FlopRange* out) {
    out->set_lower(out->lower() + r.lower);
    out->set_upper(out->upper() + r.upper);
  };
  add(s.measured_training, f->mutable_measured_training());
  add(s.measured_cumulative, f->mutable_measured_cumulative());
  f->set_accelerator_energy_joules(f->accelerator_energy_joules() +
                                   s.accelerator_energy_joules);
  f->set_runs(f->runs() + s.runs.size());
  f->set_declarations(f->declarations() + s.declarations.size());
  uint64_t documents = 0;
  for (const auto& kind : s.documents) documents += kind.size();
  f->set_documents(f->documents() + documents);
  f->set_counted_leaves(f->counted_leaves() + s.counted_leaves.size());
}

// `t` with every figure at two significant figures and no time.
office::ModelTotals Rounded(office::ModelTotals t) {
  auto round = [](aifl::common::v1::FlopRange* r) {
    r->set_lower(rules::RoundTwoSig(r->lower()));
    r->set_upper(rules::RoundTwoSig(r->upper()));
  };
  round(t.mutable_training());
  round(t.mutable_cumulative());
  t.set_accelerator_energy_joules(
      rules::RoundTwoSig(t.accelerator_energy_joules()));
  for (office::FactoryShare& f : *t.mutable_factories()) {
    round(f.mutable_measured_training());
    round(f.mutable_measured_cumulative());
    f.set_accelerator_energy_joules(
        rules::RoundTwoSig(f.accelerator_energy_joules()));
    f.set_counted_leaves(0);  // follows the figures
  }
  t.set_evaluated_at_unix_ms(0);
  return t;
}

}  // namespace

office::ModelTotals TotalsOf(const MergedModel& model, absl::Time now) {
  const GlobalModel& g = *model.model;
  office::ModelTotals t;
  t.set_model_id(g.key.model_id);
  t.set_provider(g.key.provider);
  t.set_model_origin(g.key.origin);
  SetRange(rules::CombinedTraining(model.merged), t.mutable_training());
  SetRange(rules::CombinedCumulative(model.merged), t.mutable_cumulative());
  t.set_accelerator_energy_joules(model.merged.accelerator_energy_joules);
  t.set_runs(model.merged.runs.size());
  for (const std::string& origin : g.Origins()) {
    office::FactoryShare* f = t.add_factories();
    f->set_origin(origin);
    for (const Share& s : g.shares) {
      if (s.origin == origin) AddShare(*s.state, f);
    }
  }
  t.set_evaluated_at_unix_ms(absl::ToUnixMillis(now));
  return t;
}

bool SameTotals(const office::ModelTotals& a, const office::ModelTotals& b) {
  return Rounded(a).SerializeAsString() == Rounded(b).SerializeAsString();
}

}  // namespace compliance
