// A small, seeded factory simulation (64 nodes, one sample per simulated day)
// through the real agent, spool, gRPC server, ledger and compliance_check:
// every model must get exactly its expected rule ids, and nothing else may
// be raised.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "compliance/office_state.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "rules/default_pack.h"
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

namespace factory_sim {
namespace {

// The three factories of the AI Office demo (--federation_part 1..3): each
// gets exactly its expected findings (no factory sees 1e25), and the
// Office's fold of the three ledgers finds the split run (C4 on
// helios-frontier, from all three) and the possible split (X1).
TEST(FactorySimTest, FederationPartsSplitTheFrontierRunAcrossFactories) {
  auto pack = rules::LoadRulePack("");
  ASSERT_TRUE(pack.ok()) << pack.status();
  auto office = compliance::OfficeState::Create(*pack);
  ASSERT_TRUE(office.ok()) << office.status();
  absl::Time end = absl::InfinitePast();
  for (int part = 1; part <= 3; ++part) {
    SimOptions o = SmallFactory(absl::StrCat("federation-", part));
    o.origin = absl::StrCat("factory-", part, ".example.eu/ledger");
    o.federation_part = part;
    o.background = 0;
    absl::StatusOr<SimResult> r = RunSimulation(o);
    ASSERT_TRUE(r.ok()) << r.status();
    for (const ModelOutcome& m : r->models) {
      EXPECT_EQ(absl::StrJoin(m.raised, ","), absl::StrJoin(m.expected, ","))
          << part << " " << m.model_id;
    }
    EXPECT_TRUE(AllAsExpected(*r)) << part;
    end = std::max(end, r->end);
    ledger::LedgerOptions lo;
    lo.dir = r->ledger_dir;
    lo.read_only = true;
    auto ledger = ledger::Ledger::Open(lo);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    auto leaves = (*ledger)->GetLeaves(0, (*ledger)->Size());
    ASSERT_TRUE(leaves.ok()) << leaves.status();
    for (uint64_t i = 0; i < leaves->size(); ++i) {
      auto added = (*office)->Add(o.origin, i, (*leaves)[i]);
      ASSERT_TRUE(added.ok()) << added.status();
    }
  }
  const std::vector<aifl::rules::v1::Finding> out = (*office)->Evaluate(end);
  std::map<std::string, std::vector<std::string>> origins;  // model/rule →
  for (const aifl::rules::v1::Finding& f : out) {
    origins[f.model_id() + "/" + f.rule_id()] = {f.evidence_origins().begin(),
                                                 f.evidence_origins().end()};
  }
  const std::vector<std::string> all = {"factory-1.example.eu/ledger",
                                        "factory-2.example.eu/ledger",
                                        "factory-3.example.eu/ledger"};
  EXPECT_EQ(origins["helios-frontier/C4"], all);
  // X1 sits on the group's model with the most compute.
  int x1 = 0;
  for (int part = 1; part <= 3; ++part) {
    const std::string model = absl::StrCat("sc-part-", part);
    if (origins.count(model + "/X1") > 0) {
      ++x1;
      EXPECT_EQ(origins[model + "/X1"], all);
    }
    EXPECT_EQ(origins.count(model + "/C4"), 0u) << model;
  }
  EXPECT_EQ(x1, 1);
}

}  // namespace
}  // namespace factory_sim
