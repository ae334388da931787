#include "rules/model_state.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rules {
namespace {

using aifl::common::v1::DECLARED_ARCHITECTURE;
using aifl::common::v1::DECLARED_HARDWARE;
using aifl::provider::v1::ModelDeclaration;

// A declared range that can be true: finite, 0 <= lower <= upper, upper > 0.
// Others are not added (the declared-vs-measured rules then say "no
// declared compute").
bool Plausible(const aifl::common::v1::FlopRange& r) {
  return std::isfinite(r.lower()) && std::isfinite(r.upper()) &&
         r.lower() >= 0 && r.lower() <= r.upper() && r.upper() > 0;
}

bool Finite(double f) { return std::isfinite(f) && f > 0; }

void AddDeclaredTraining(const ModelDeclaration& d, FlopRange* out) {
  if (!d.has_compute()) return;
  const auto& c = d.compute();
  if (c.has_training() && Plausible(c.training())) {
    out->Add(c.training().lower(), c.training().upper(), c.training().method());
  } else if (c.units() > 0 && c.seconds() > 0 && c.peak_flop_per_s() > 0 &&
             c.utilisation() > 0) {
    const double f =
        c.units() * c.seconds() * c.peak_flop_per_s() * c.utilisation();
    if (Finite(f)) out->Add(f, f, DECLARED_HARDWARE);
  } else if (c.parameters() > 0 && c.tokens() > 0) {
    const double f = 6 * c.parameters() * c.tokens();
    if (Finite(f)) out->Add(f, f, DECLARED_ARCHITECTURE);
  }
}

// Adds the declared cumulative figure; false when none is declared.
bool AddDeclaredCumulativeOnly(const ModelDeclaration& d, FlopRange* out) {
  if (!d.has_compute()) return false;
  const auto& c = d.compute();
  if (!c.has_cumulative() || !Plausible(c.cumulative())) return false;
  out->Add(c.cumulative().lower(), c.cumulative().upper(),
           c.cumulative().method());
  return true;
}

void AddDeclaredCumulative(const ModelDeclaration& d, FlopRange* out) {
  if (!AddDeclaredCumulativeOnly(d, out)) AddDeclaredTraining(d, out);
}

FlopRange Combine(const FlopRange& declared, const FlopRange& measured) {
  if (!declared.known) return measured;
  if (!measured.known) return declared;
  FlopRange r;
  r.known = true;
  r.lower = std::max(declared.lower, measured.lower);
  r.upper = std::max(declared.upper, measured.upper);
  r.methods = declared.methods | measured.methods;
  return r;
}

}  // namespace

FlopRange DeclaredTraining(const ModelState& state) {
  FlopRange r;
  if (state.declaration() != nullptr) {
    AddDeclaredTraining(*state.declaration(), &r);
  }
  for (const DeclarationRecord& a : state.alias_declarations) {
    AddDeclaredTraining(a.declaration, &r);
  }
  return r;
}

FlopRange DeclaredCumulative(const ModelState& state) {
  FlopRange r;
  if (state.declaration() != nullptr) {
    AddDeclaredCumulative(*state.declaration(), &r);
  }
  for (const DeclarationRecord& a : state.alias_declarations) {
    AddDeclaredCumulative(a.declaration, &r);
  }
  return r;
}

FlopRange DeclaredCumulativeOnly(const ModelState& state) {
  FlopRange r;
  if (state.declaration() != nullptr) {
    AddDeclaredCumulativeOnly(*state.declaration(), &r);
  }
  for (const DeclarationRecord& a : state.alias_declarations) {
    AddDeclaredCumulativeOnly(a.declaration, &r);
  }
  return r;
}

bool IsModification(const ModelState& state) {
  const ModelDeclaration* d = state.declaration();
  return d != nullptr && d->has_base_model() &&
         !d->base_model().model_id().empty() &&
         !d->base_model().same_provider();
}

FlopRange BaseTraining(const ModelState& state) {
  FlopRange r;
  if (!IsModification(state)) return r;
  const auto& base = state.declaration()->base_model();
  if (base.has_training_compute_flop() &&
      Finite(base.training_compute_flop())) {
    r.Add(base.training_compute_flop(), base.training_compute_flop(),
          aifl::common::v1::COMPUTE_METHOD_UNSPECIFIED);
  }
  return r;
}

FlopRange CombinedTraining(const ModelState& state) {
  return Combine(DeclaredTraining(state), state.measured_training);
}

ModifierThreshold ModifierThresholdOf(const ModelState& state, double divisor,
                                      double assumed_if_systemic,
                                      double assumed_otherwise) {
  ModifierThreshold t;
  if (!IsModification(state) || !(divisor > 0)) return t;
  const FlopRange base = BaseTraining(state);
  const auto& b = state.declaration()->base_model();
  if (base.known) {
    t.flop = base.lower / divisor;
  } else if (b.has_systemic_risk()) {
    t.fallback = true;
    t.flop =
        (b.systemic_risk() ? assumed_if_systemic : assumed_otherwise) / divisor;
  } else {
    return t;
  }
  t.known = true;
  return t;
}

FlopRange CombinedCumulative(const ModelState& state, bool add_base) {
  FlopRange r = Combine(DeclaredCumulative(state), state.measured_cumulative);
  const FlopRange base = add_base ? BaseTraining(state) : FlopRange{};
  if (r.known && base.known) {
    r.lower += base.lower;
    r.upper += base.upper;
  }
  return r;
}

void RejectedNotKept::Count(const RejectedRecord& r) {
  if (r.kind == RejectedRecord::Kind::kImpossibleValue) {
    ++impossible;
  } else if (r.declaration) {
    ++other_owner_claims;
  } else {
    ++other_owner_entries;
  }
}

void RejectedNotKept::Add(const RejectedNotKept& other) {
  impossible += other.impossible;
  other_owner_claims += other.other_owner_claims;
  other_owner_entries += other.other_owner_entries;
}

void KeepRejected(RejectedRecord r, uint64_t max,
                  std::vector<RejectedRecord>* kept,
                  RejectedNotKept* not_kept) {
  if (max == 0 || kept->size() < max) {
    kept->push_back(std::move(r));
  } else {
    not_kept->Count(r);
  }
}

}  // namespace rules
