#include "tools/factory_sim/scenario.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace factory_sim {
namespace {

namespace pv = aifl::provider::v1;

pv::ModelDeclaration Declare(const std::string& id, const std::string& provider,
                             const std::string& country, bool in_eu) {
  pv::ModelDeclaration d;
  d.set_model_id(id);
  d.set_provider(provider);
  d.set_provider_country(country);
  d.set_provider_in_eu(in_eu);
  d.add_modalities(pv::TEXT);
  d.mutable_licence()->set_spdx_id("LicenseRef-proprietary");
  // Declared facts are tri-state: "not open source" and "not placed (yet)"
  // are stated, not left out (absent = unknown = information missing).
  d.mutable_licence()->set_open_source(false);
  d.set_intends_eu_market(true);
  d.set_placed_on_eu_market(false);
  return d;
}

const std::vector<pv::DocumentKind> kAllGpaiDocs = {
    pv::ANNEX_XI_TECHNICAL_DOCUMENTATION, pv::ANNEX_XII_DOWNSTREAM_INFORMATION,
    pv::COPYRIGHT_POLICY, pv::TRAINING_CONTENT_SUMMARY};

// Under 1e23 and never placed on the market: nothing expected.
ModelPlan SmallResearchModel() {
  ModelPlan m;
  m.model_id = "lumiere-1b";
  m.provider = "Institut Lumiere (research lab)";
  m.story = "small research model under 1e23, not placed on the market";
  m.measured_flop = 4e22;
  m.node_share = 0.02;
  m.declaration = Declare(m.model_id, m.provider, "FR", true);
  m.declaration.set_intends_eu_market(false);
  m.expected = {};
  return m;
}

// Just over 1e23, placed without Annex XI documentation.
ModelPlan MissingAnnexXi() {
  ModelPlan m;
  m.model_id = "nordlicht-13b";
  m.provider = "Nordlicht AI GmbH";
  m.story = "text model just over 1e23, Annex XI documentation missing";
  m.measured_flop = 1.3e23;
  m.node_share = 0.03;
  m.declaration = Declare(m.model_id, m.provider, "DE", true);
  m.place_on_market = true;
  m.documents = {pv::ANNEX_XII_DOWNSTREAM_INFORMATION, pv::COPYRIGHT_POLICY,
                 pv::TRAINING_CONTENT_SUMMARY};
  m.expected = {"C1", "O1"};
  return m;
}

// Open source: exempt from Annex XI/XII, not from O3/O4.
ModelPlan OpenSourceModel() {
  ModelPlan m;
  m.model_id = "commons-lm-30b";
  m.provider = "Commons AI e.V.";
  m.story = "open-source model: exempt from Annex XI/XII, not from O3/O4";
  m.measured_flop = 3e23;
  m.node_share = 0.03;
  m.declaration = Declare(m.model_id, m.provider, "DE", true);
  auto* l = m.declaration.mutable_licence();
  l->set_open_source(true);
  l->set_spdx_id("Apache-2.0");
  l->set_weights_public(true);
  l->set_architecture_public(true);
  l->set_usage_info_public(true);
  l->set_non_commercial_only(false);
  l->set_monetised(false);
  m.place_on_market = true;
  m.documents = {pv::COPYRIGHT_POLICY};  // no training-content summary
  m.expected = {"C1", "O4"};
  return m;
}

// Frontier training notified late, never as met.
ModelPlan LateFrontierNotification() {
  ModelPlan m;
  m.model_id = "aurora-frontier";
  m.provider = "Aurora Labs SAS";
  m.story =
      "frontier pre-training planned above 1e25: notified late, and never "
      "that the threshold was met";
  m.measured_flop = 1.5e25;
  m.node_share = 0.70;
  m.declaration = Declare(m.model_id, m.provider, "FR", true);
  m.declaration.mutable_compute()->set_planned_flop(2e25);
  m.notify_after_days = 24;  // due within two weeks of the declaration
  m.notify_threshold_met = false;
  // N2: the "will be met" notification came after two weeks; N1: no
  // notification that the threshold was met (only the planned one).
  m.expected = {"C1", "C4", "N1", "N2"};
  return m;
}

// A fine-tune beyond a third of a systemic base model's compute.
ModelPlan SystemicFineTune() {
  ModelPlan m;
  m.model_id = "meditune-ft";
  m.provider = "MediTune BV";
  m.story = "fine-tune of a systemic base model beyond 1/3 of its compute";
  m.measured_flop = 5e24;
  m.purpose = aifl::common::v1::FINE_TUNING;
  m.node_share = 0.18;
  m.declaration = Declare(m.model_id, m.provider, "NL", true);
  auto* b = m.declaration.mutable_base_model();
  b->set_model_id("open-giant-400b");
  b->set_provider("Giant Models Ltd");
  b->set_training_compute_flop(1.2e25);
  b->set_systemic_risk(true);
  // The modifier becomes the provider (M1) of a model presumed systemic
  // (M4 -> C4), which must notify (N1): it never does.
  m.expected = {"C1", "C4", "M1", "M4", "N1"};
  return m;
}

// Provider outside the EU without an authorised representative.
ModelPlan NonEuWithoutRepresentative() {
  ModelPlan m;
  m.model_id = "pacific-chat-7b";
  m.provider = "Pacific Models Inc";
  m.story = "provider outside the EU without an authorised representative";
  m.measured_flop = 2e23;
  m.node_share = 0.02;
  m.declaration = Declare(m.model_id, m.provider, "US", false);
  m.place_on_market = true;
  m.documents = kAllGpaiDocs;
  m.expected = {"C1", "O6"};
  return m;
}

// Declared compute far below the measured compute.
ModelPlan UnderDeclaredCompute() {
  ModelPlan m;
  m.model_id = "baltic-lm-20b";
  m.provider = "Baltic AI OU";
  m.story = "declared compute far below what the collectors measured";
  m.measured_flop = 6e23;
  m.node_share = 0.02;
  m.declaration = Declare(m.model_id, m.provider, "EE", true);
  m.declared_factor = 0.25;
  m.place_on_market = true;
  m.documents = kAllGpaiDocs;
  m.expected = {"C1", "D1", "D2"};
  return m;
}

// A share of a training run split across factories: nothing declared of
// its compute (declared_factor 0: D2 "no declared training compute").
ModelPlan SplitShare(const std::string& id, const std::string& provider,
                     double flop, double node_share) {
  ModelPlan m;
  m.model_id = id;
  m.provider = provider;
  m.story = "one factory's share of a run split across factories";
  m.measured_flop = flop;
  m.node_share = node_share;
  m.declaration = Declare(m.model_id, m.provider, "FR", true);
  m.declared_factor = 0;
  m.expected = {"C1", "D2"};
  return m;
}

// Background research model i (clean), for load tests.
ModelPlan BackgroundModel(int i) {
  ModelPlan m;
  m.model_id = absl::StrCat("research-", i);
  m.provider = absl::StrCat("University lab ", i % 7);
  m.story = "background research model under 1e23";
  m.measured_flop = 1e21 * (1 + (i * 37) % 50);
  m.node_share = 0.005;
  m.tensor_active = 0.3;
  m.declaration = Declare(m.model_id, m.provider, "IT", true);
  m.declaration.set_intends_eu_market(false);
  return m;
}

// Declared ranges scaled from the measured compute (declared_factor > 0),
// and expected rule ids sorted.
void FinishPlan(ModelPlan& m) {
  if (m.declared_factor > 0) {
    for (auto* r : {m.declaration.mutable_compute()->mutable_training(),
                    m.declaration.mutable_compute()->mutable_cumulative()}) {
      r->set_lower(m.measured_flop * m.declared_factor);
      r->set_upper(2 * m.measured_flop * m.declared_factor);
      r->set_method(aifl::common::v1::DECLARED_HARDWARE);
    }
  }
  std::sort(m.expected.begin(), m.expected.end());
}

}  // namespace

absl::Time ScenarioStart() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Brussels", z))
      *z = absl::FixedTimeZone(7200);
    return z;
  }();
  return absl::FromCivil(absl::CivilSecond(2025, 9, 1, 8, 0, 0), *zone);
}

std::vector<ModelPlan> BuildScenario(int background) {
  std::vector<ModelPlan> s = {
      SmallResearchModel(),  MissingAnnexXi(),
      OpenSourceModel(),     LateFrontierNotification(),
      SystemicFineTune(),    NonEuWithoutRepresentative(),
      UnderDeclaredCompute()};
  for (int i = 0; i < background; ++i) s.push_back(BackgroundModel(i));
  for (ModelPlan& m : s) FinishPlan(m);
  return s;
}

std::vector<ModelPlan> BuildFederationScenario(int part, int background) {
  std::vector<ModelPlan> s;
  if (part >= 1 && part <= 3) {
    s.push_back(
        SplitShare("helios-frontier", "Helios Frontier SAS", 0.4e25, 0.4));
    s.push_back(SplitShare(absl::StrCat("sc-part-", part), "Split Compute SA",
                           0.4e25, 0.4));
  }
  for (int i = 0; i < background; ++i) s.push_back(BackgroundModel(i));
  for (ModelPlan& m : s) FinishPlan(m);
  return s;
}

}  // namespace factory_sim
