// FactorySimulation: drives a simulated AI Factory through the real code
// paths: per node, a replay trace (collector/FORMAT.md) is generated from the
// scenario and played through the real NodeAgent (replay driver), spooled
// in the real Spool, signed by the node's enrolled collector key
// (LedgerRecordSigner) and shipped with GrpcLedgerShipper to an in-process
// ledger server (api/server) over gRPC on 127.0.0.1 (insecure loopback).
// Providers submit signed declarations, documents and notifications through
// the same verifying client. Simulated time is one FakeClock for the ledger
// (integration times) and one per node agent, so weeks pass in seconds.
// Afterwards compliance_check evaluates the ledger and records the findings,
// signed by an enrolled rules key.
//
// Not thread-safe; one run per ledger folder.
#ifndef TOOLS_FACTORY_SIM_SIMULATION_H_
#define TOOLS_FACTORY_SIM_SIMULATION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/compliance_check/compliance_check.h"
#include "tools/factory_sim/scenario.h"

namespace factory_sim {

struct SimOptions {
  // Output folder: ledger/ (unless ledger_dir), spools/, keys/. Required.
  std::string out_dir;
  // The ledger folder; created with ledger::InitLedger. It must not hold a
  // ledger yet (key enrolment starts from the genesis admin sequence).
  // Default: <out_dir>/ledger.
  std::string ledger_dir;
  std::string origin = "factory.example.eu/ledger";
  uint64_t seed = 1;
  // 8-GPU H100 nodes in the factory. Default: 1024.
  int nodes = 1024;
  // Background research models (clean), for load tests. Default: 4.
  int background = 4;
  // Upper bound on the simulated length; kFailedPrecondition when the
  // scenario needs longer with this many nodes. Default: 260 weeks.
  int max_weeks = 260;
  // One GPU sample per this much simulated time (the agent's energy gap is
  // widened to match). Default: 1 hour.
  absl::Duration sample_period = absl::Hours(1);
  // IntervalReport length. Default: 1 week.
  absl::Duration interval = absl::Hours(24 * 7);
  // The rule pack file. Default "": the v1 pack built into the binary.
  std::string pack_path;
  // 0: the single factory's scenario (BuildScenario). 1..3: one factory of
  // the three-factory AI Office demo (BuildFederationScenario); provider
  // keys are then derived from the provider's name
  // (SHA-256("aifl factory_sim federation provider key\n" + name) as the
  // Ed25519 seed), so one provider has the same key at every factory.
  int federation_part = 0;
  // Progress lines (one per simulated week); may be empty.
  std::function<void(const std::string&)> progress;
};

struct ModelOutcome {
  std::string model_id;
  std::string story;
  double measured_lower = 0;          // sum of IntervalReport lower bounds
  std::vector<std::string> expected;  // rule ids, sorted
  std::vector<std::string> raised;    // rule ids, sorted
};

struct SimResult {
  std::string ledger_dir;
  std::string rules_key_path;
  std::string verifier_key;
  absl::Time start, end;  // simulated
  int weeks = 0;
  uint64_t collector_envelopes = 0;  // shipped and proven included
  uint64_t provider_envelopes = 0;
  uint64_t sample_lines = 0;
  std::vector<ModelOutcome> models;  // scenario order
  compliance_check::CheckResult check;
  // Rule ids raised for models outside the scenario (should be empty).
  std::map<std::string, std::vector<std::string>> unexpected_models;
};

// Runs the whole simulation and the compliance check (recording findings).
absl::StatusOr<SimResult> RunSimulation(const SimOptions& options);

// True when every model's raised rules equal its expected rules.
bool AllAsExpected(const SimResult& result);

}  // namespace factory_sim

#endif  // TOOLS_FACTORY_SIM_SIMULATION_H_
