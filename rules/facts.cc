#include "rules/facts.h"

#include "absl/strings/str_cat.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;
namespace provider = aifl::provider::v1;
namespace office = aifl::office::v1;

Tri Of(bool b) { return b ? Tri::kTrue : Tri::kFalse; }

// The EU-27 (ISO 3166-1 alpha-2; Greece is "GR" in ISO).
bool InEuCountry(absl::string_view c) {
  static constexpr const char* kEu[] = {
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
      "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
      "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
  for (const char* eu : kEu) {
    if (c == eu) return true;
  }
  return false;
}

}  // namespace

void FactTable::SetDeclared(Fact f, bool has, bool value, const char* why) {
  if (has) {
    value_[f] = Of(value);
  } else {
    value_[f] = Tri::kUnknown;
    why_[f] = why;
  }
}

void FactTable::ReadDeclaration(const provider::ModelDeclaration& d) {
  ReadMarketFacts(d);
  ReadModificationFacts(d);
  ReadLicence(d);
}

void FactTable::ReadMarketFacts(const provider::ModelDeclaration& d) {
  if (d.modalities_size() == 0) {
    value_[pack::GENERATIVE_MODALITY] = Tri::kUnknown;
    why_[pack::GENERATIVE_MODALITY] = "output modalities not declared";
  } else {
    bool generative = false;
    for (int m : d.modalities()) {
      generative |= m == provider::TEXT || m == provider::AUDIO ||
                    m == provider::TEXT_TO_IMAGE ||
                    m == provider::TEXT_TO_VIDEO;
    }
    value_[pack::GENERATIVE_MODALITY] = Of(generative);
  }
  // Establishment: the explicit flag, else the declared country.
  if (d.has_provider_in_eu() || d.provider_country().empty()) {
    SetDeclared(pack::PROVIDER_OUTSIDE_EU, d.has_provider_in_eu(),
                !d.provider_in_eu(), "provider establishment not declared");
  } else {
    value_[pack::PROVIDER_OUTSIDE_EU] = Of(!InEuCountry(d.provider_country()));
  }
  // A placement date declares placement.
  const bool placed_known =
      d.has_placed_on_eu_market() || d.placed_on_market_unix_ms() != 0;
  const bool placed =
      d.has_placed_on_eu_market() ? d.placed_on_eu_market() : placed_known;
  SetDeclared(pack::PLACED_ON_EU_MARKET, placed_known, placed,
              "placement on the EU market not declared");
  const Tri intends =
      d.has_intends_eu_market() ? Of(d.intends_eu_market()) : Tri::kUnknown;
  value_[pack::EU_MARKET_INTENDED] =
      Or(value_[pack::PLACED_ON_EU_MARKET], intends);
  if (value_[pack::EU_MARKET_INTENDED] == Tri::kUnknown) {
    why_[pack::EU_MARKET_INTENDED] =
        "intent to place on the EU market not declared";
  }
}

void FactTable::ReadModificationFacts(const provider::ModelDeclaration& d) {
  // Modification: a base model of another provider (para 23 / L1).
  const provider::BaseModel& b = d.base_model();
  const bool has_base = d.has_base_model() && !b.model_id().empty();
  if (!has_base) {
    value_[pack::IS_MODIFICATION] = Tri::kFalse;
  } else if (b.has_same_provider()) {
    value_[pack::IS_MODIFICATION] = Of(!b.same_provider());
  } else if (!b.provider().empty() && b.provider() != d.provider()) {
    value_[pack::IS_MODIFICATION] = Tri::kTrue;
  } else {
    value_[pack::IS_MODIFICATION] = Tri::kUnknown;
    why_[pack::IS_MODIFICATION] =
        "whether the base model is another provider's is not declared";
  }
  const Tri modification = value_[pack::IS_MODIFICATION];
  value_[pack::BASE_COMPUTE_KNOWN] =
      And(modification, Of(BaseTraining(state_).known));
  value_[pack::BASE_SYSTEMIC] =
      And(modification,
          b.has_systemic_risk() ? Of(b.systemic_risk()) : Tri::kUnknown);
  for (Fact f : {pack::BASE_COMPUTE_KNOWN, pack::BASE_SYSTEMIC}) {
    if (value_[f] == Tri::kUnknown) {
      why_[f] = modification == Tri::kUnknown
                    ? why_[pack::IS_MODIFICATION]
                    : "whether the base model has systemic risk is not "
                      "declared";
    }
  }
}

void FactTable::ReadLicence(const provider::ModelDeclaration& d) {
  if (!d.has_licence()) {
    licence_why_ = "licence not declared";
    return;
  }
  // Art. 53(2): every condition declared; any declared failure decides.
  const provider::Licence& l = d.licence();
  Tri ok = Tri::kTrue;
  std::string missing;
  auto need = [&](bool has, bool value, bool want, const char* name) {
    if (!has) {
      absl::StrAppend(&missing, missing.empty() ? "" : ", ", name);
      ok = And(ok, Tri::kUnknown);
    } else {
      ok = And(ok, Of(value == want));
    }
  };
  need(l.has_open_source(), l.open_source(), true, "open_source");
  need(l.has_weights_public(), l.weights_public(), true, "weights_public");
  need(l.has_architecture_public(), l.architecture_public(), true,
       "architecture_public");
  need(l.has_usage_info_public(), l.usage_info_public(), true,
       "usage_info_public");
  need(l.has_non_commercial_only(), l.non_commercial_only(), false,
       "non_commercial_only");
  need(l.has_monetised(), l.monetised(), false, "monetised");
  licence_ok_ = ok;
  if (ok == Tri::kUnknown) {
    licence_why_ = absl::StrCat("licence terms not declared: ", missing);
  }
}

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
    ReadDeclaration(*d);
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
  if (f == pack::DECLARANT_IS_PROVIDER) {
    return Or(Not(value_[pack::IS_MODIFICATION]),
              value_[pack::MODIFIER_IS_PROVIDER]);
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
  if (f == pack::DECLARANT_IS_PROVIDER) {
    return value_[pack::IS_MODIFICATION] == Tri::kUnknown
               ? WhyUnknown(pack::IS_MODIFICATION)
               : WhyUnknown(pack::MODIFIER_IS_PROVIDER);
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
