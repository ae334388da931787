#include "rules/facts.h"

#include "absl/strings/str_cat.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;
namespace provider = aifl::provider::v1;
namespace office = aifl::office::v1;

Tri Of(bool b) { return b ? Tri::kTrue : Tri::kFalse; }

}  // namespace

FactTable::FactTable(const ModelState& state) : state_(state) {
  value_.fill(Tri::kFalse);
  const provider::ModelDeclaration* d = state.declaration();
  const char* no_decl = "the provider has not declared the model";
  if (d == nullptr) {
    for (Fact f : {pack::GENERATIVE_MODALITY, pack::PROVIDER_OUTSIDE_EU,
                   pack::PLACED_ON_EU_MARKET, pack::EU_MARKET_INTENDED,
                   pack::IS_MODIFICATION, pack::BASE_COMPUTE_KNOWN,
                   pack::BASE_SYSTEMIC}) {
      value_[f] = Tri::kUnknown;
      why_[f] = no_decl;
    }
    licence_why_ = no_decl;
  } else {
    if (d->modalities_size() == 0) {
      value_[pack::GENERATIVE_MODALITY] = Tri::kUnknown;
      why_[pack::GENERATIVE_MODALITY] = "output modalities not declared";
    } else {
      bool generative = false;
      for (int m : d->modalities()) {
        generative |= m == provider::TEXT || m == provider::AUDIO ||
                      m == provider::TEXT_TO_IMAGE ||
                      m == provider::TEXT_TO_VIDEO;
      }
      value_[pack::GENERATIVE_MODALITY] = Of(generative);
    }
    if (!d->provider_in_eu() && d->provider_country().empty()) {
      value_[pack::PROVIDER_OUTSIDE_EU] = Tri::kUnknown;
      why_[pack::PROVIDER_OUTSIDE_EU] = "provider establishment not declared";
    } else {
      value_[pack::PROVIDER_OUTSIDE_EU] = Of(!d->provider_in_eu());
    }
    value_[pack::PLACED_ON_EU_MARKET] = Of(d->placed_on_eu_market());
    value_[pack::EU_MARKET_INTENDED] =
        Of(d->placed_on_eu_market() || d->intends_eu_market());
    const bool modification = IsModification(state);
    value_[pack::IS_MODIFICATION] = Of(modification);
    value_[pack::BASE_COMPUTE_KNOWN] =
        Of(modification && d->base_model().has_training_compute_flop());
    value_[pack::BASE_SYSTEMIC] =
        Of(modification && d->base_model().systemic_risk());
    if (!d->has_licence()) {
      licence_why_ = "licence not declared";
    } else {
      const provider::Licence& l = d->licence();
      licence_ok_ = Of(l.open_source() && l.weights_public() &&
                       l.architecture_public() && l.usage_info_public() &&
                       !l.non_commercial_only() && !l.monetised());
    }
  }
  for (const OfficeDecision& r : state.rebuttals) {
    if (r.accepted && r.kind == office::NOT_GPAI) gpai_override_ = &r;
    if (r.accepted && r.kind == office::NOT_SYSTEMIC) systemic_override_ = &r;
  }
  if (!state.designations.empty() &&
      (systemic_override_ == nullptr ||
       state.designations.back().at.leaf > systemic_override_->at.leaf)) {
    systemic_override_ = &state.designations.back();
  }
}

Tri FactTable::Get(Fact f) const {
  if (f == pack::GPAI && gpai_override_ != nullptr) return Tri::kFalse;
  if (f == pack::SYSTEMIC_RISK && systemic_override_ != nullptr) {
    return Of(systemic_override_->kind == office::REBUTTAL_KIND_UNSPECIFIED &&
              systemic_override_->systemic_risk);
  }
  if (f == pack::OPEN_SOURCE_EXEMPT) {
    return And(licence_ok_, Not(Get(pack::SYSTEMIC_RISK)));
  }
  if (f <= 0 || f >= kFactCount) return Tri::kUnknown;
  return value_[f];
}

std::string FactTable::WhyUnknown(Fact f) const {
  if (Get(f) != Tri::kUnknown) return "";
  if (f == pack::OPEN_SOURCE_EXEMPT) {
    if (licence_ok_ == Tri::kUnknown) return licence_why_;
    return WhyUnknown(pack::SYSTEMIC_RISK);
  }
  if (why_[f].empty()) return pack::Fact_Name(f) + " not established";
  return why_[f];
}

std::vector<uint64_t> FactTable::Evidence(Fact f) const {
  std::vector<uint64_t> out;
  if (f == pack::GPAI && gpai_override_ != nullptr) {
    out.push_back(gpai_override_->at.leaf);
  } else if ((f == pack::SYSTEMIC_RISK || f == pack::OPEN_SOURCE_EXEMPT) &&
             systemic_override_ != nullptr) {
    out.push_back(systemic_override_->at.leaf);
  }
  if (state_.declaration_leaf() != nullptr) {
    out.push_back(state_.declaration_leaf()->leaf);
  }
  return out;
}

void FactTable::Define(Fact f, Tri value, absl::string_view rule_id,
                       absl::string_view why) {
  if (f <= 0 || f >= kFactCount) return;
  const Tri before = value_[f];
  value_[f] = Or(before, value);
  if (value_[f] == Tri::kUnknown && why_[f].empty()) {
    why_[f] = absl::StrCat(rule_id, ": ", why);
  }
}

}  // namespace rules
