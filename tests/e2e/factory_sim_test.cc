// A small, seeded factory simulation (64 nodes, one sample per simulated day)
// through the real agent, spool, gRPC server, ledger and compliance_check:
// every model must get exactly its expected rule ids, and nothing else may
// be raised.
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tools/factory_sim/scenario.h"
#include "tools/factory_sim/simulation.h"

namespace factory_sim {
namespace {

SimOptions SmallFactory(const std::string& name) {
  SimOptions o;
  const char* tmp = std::getenv("TEST_TMPDIR");
  o.out_dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", name);
  o.seed = 7;
  o.nodes = 64;
  o.background = 2;
  o.sample_period = absl::Hours(24);
  o.interval = absl::Hours(24 * 7 * 8);
  return o;
}

TEST(FactorySimTest, EveryModelGetsExactlyItsExpectedFindings) {
  absl::StatusOr<SimResult> r = RunSimulation(SmallFactory("sim"));
  ASSERT_TRUE(r.ok()) << r.status();
  const std::vector<ModelPlan> plans = BuildScenario(2);
  ASSERT_EQ(r->models.size(), plans.size());
  for (size_t i = 0; i < plans.size(); ++i) {
    const ModelOutcome& m = r->models[i];
    EXPECT_EQ(m.model_id, plans[i].model_id);
    EXPECT_EQ(absl::StrJoin(m.raised, ","), absl::StrJoin(m.expected, ","))
        << m.model_id << ": " << m.story;
    // The collectors measured what the workload was sized for (the lower
    // bound; sample jitter and whole samples make it differ a little).
    EXPECT_GT(m.measured_lower, 0.9 * plans[i].measured_flop) << m.model_id;
    EXPECT_LT(m.measured_lower, 1.2 * plans[i].measured_flop) << m.model_id;
  }
  EXPECT_TRUE(r->unexpected_models.empty());
  EXPECT_TRUE(AllAsExpected(*r));
  // Spot checks of the scenario itself.
  EXPECT_GT(r->models[3].measured_lower, 1e25);  // the frontier run
  EXPECT_GT(r->collector_envelopes, 100u);
  EXPECT_GT(r->check.recorded.size(), 0u);  // findings went into the ledger
  // Its integration times follow the simulation's clock, and say so.
  EXPECT_TRUE(r->check.simulated_clock_since.has_value());
}

}  // namespace
}  // namespace factory_sim
