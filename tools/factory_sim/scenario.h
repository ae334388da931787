// The simulated factory's workload: which providers train which models, how
// much compute the collectors should measure for each, what each provider
// declares, documents and notifies, and which findings the rule pack is
// expected to raise for each model. Pure data (no I/O, no clock).
#ifndef TOOLS_FACTORY_SIM_SCENARIO_H_
#define TOOLS_FACTORY_SIM_SCENARIO_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "schema/common.pb.h"
#include "schema/provider.pb.h"

namespace factory_sim {

// Dense BF16 peak of an H100 SXM (FLOP/s), as the collector's chip table.
inline constexpr double kH100Bf16Peak = 989e12;
inline constexpr int kGpusPerNode = 8;

struct ModelPlan {
  std::string model_id;
  std::string provider;  // legal name; one signing key per provider
  std::string story;     // one line for the console: what it exercises
  // The collector-side workload: the lower bound (tensor-active time × BF16
  // peak) the collectors should measure, the run's purpose and the share of
  // the factory's nodes the job gets (at least one node).
  double measured_flop = 0;
  aifl::common::v1::RunPurpose purpose = aifl::common::v1::PRE_TRAINING;
  double node_share = 0;
  double tensor_active = 0.5;  // mean GPM tensor-active fraction
  // What the provider declares at the start of the simulation.
  aifl::provider::v1::ModelDeclaration declaration;
  // Declared compute = this × measured_flop (lower) .. 2× that (upper, the
  // FP8 bound); 0 = no compute declared.
  double declared_factor = 1.0;
  // Placed on the EU market the day after training ends (with documents).
  bool place_on_market = false;
  std::vector<aifl::provider::v1::DocumentKind> documents;
  // Art. 52 notification this many days after the start; < 0 = none.
  int notify_after_days = -1;
  bool notify_threshold_met = false;
  // Rule ids the pack should raise for this model, sorted.
  std::vector<std::string> expected;
};

// The seven models of the issue, plus `background` research models under
// 1e23 (clean; more of them for load tests).
std::vector<ModelPlan> BuildScenario(int background);

// One factory of the three-factory AI Office demo (issue 18), `part` 1..3,
// plus `background` research models. Every part starts at ScenarioStart(),
// so runs overlap in time; at each part:
//   Helios Frontier SAS trains helios-frontier, 0.4e25 FLOP (measured upper
//     bound about twice that): one model, the same provider key at every
//     factory; no factory sees even "possibly over 1e25", the Office's union
//     is over it (1.2e25: C4, N1 at the Office only);
//   Split Compute SA trains sc-part-<part>, 0.4e25 FLOP, declarations
//     unlinked: the Office's X1 "possible split" warning.
// No compute is declared (the provider hides the whole): D2 at each factory.
// Parts outside 1..3 give the background only.
std::vector<ModelPlan> BuildFederationScenario(int part, int background);

// Monday 1 September 2025, 08:00 Brussels: the simulated start.
absl::Time ScenarioStart();

}  // namespace factory_sim

#endif  // TOOLS_FACTORY_SIM_SCENARIO_H_
