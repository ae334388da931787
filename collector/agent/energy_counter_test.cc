#include "collector/agent/energy_counter.h"

#include <limits>

#include "gtest/gtest.h"

namespace collector {
namespace agent {
namespace {

absl::Time T(int s) { return absl::FromUnixSeconds(1000 + s); }

TEST(EnergyCounterTest, DifferencesIncreasingCounter) {
  EnergyCounterState st;
  EXPECT_EQ(NextEnergyDelta(&st, 1000, T(0)).kind, EnergyDelta::kFirst);
  EnergyDelta d = NextEnergyDelta(&st, 501000, T(1));  // 500 J in 1 s
  EXPECT_EQ(d.kind, EnergyDelta::kOk);
  EXPECT_DOUBLE_EQ(d.joules, 500);
}

TEST(EnergyCounterTest, HandlesWrapPast64Bits) {
  EnergyCounterState st;
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  NextEnergyDelta(&st, max - 499, T(0));
  EnergyDelta d = NextEnergyDelta(&st, 300, T(1));
  EXPECT_EQ(d.kind, EnergyDelta::kWrapped);
  EXPECT_DOUBLE_EQ(d.joules, 0.8);  // 500 + 300 mJ
}

TEST(EnergyCounterTest, ResetGivesNoEnergyNeverNegativeOrHuge) {
  EnergyCounterState st;
  NextEnergyDelta(&st, 9000000, T(0));
  EnergyDelta d = NextEnergyDelta(&st, 1000, T(1));  // driver reloaded
  EXPECT_EQ(d.kind, EnergyDelta::kReset);
  EXPECT_EQ(d.joules, 0);
  EXPECT_TRUE(d.missing());
  // The next reading differences against the new baseline.
  EXPECT_DOUBLE_EQ(NextEnergyDelta(&st, 401000, T(2)).joules, 400);
}

TEST(EnergyCounterTest, RejectsImplausibleJumpAndLongGap) {
  EnergyCounterState st;
  NextEnergyDelta(&st, 0, T(0));
  EXPECT_EQ(NextEnergyDelta(&st, 5000000, T(1)).kind,  // 5 kW
            EnergyDelta::kImplausible);
  EXPECT_EQ(NextEnergyDelta(&st, 5100000, T(60)).kind, EnergyDelta::kGap);
  EXPECT_DOUBLE_EQ(NextEnergyDelta(&st, 5200000, T(61)).joules, 100);
}

TEST(EnergyCounterTest, MissingReadingKeepsBaseline) {
  EnergyCounterState st;
  NextEnergyDelta(&st, 0, T(0));
  EnergyDelta m = NextEnergyDelta(&st, std::nullopt, T(1));
  EXPECT_EQ(m.kind, EnergyDelta::kMissing);
  EXPECT_TRUE(m.missing());
  EXPECT_DOUBLE_EQ(NextEnergyDelta(&st, 1000000, T(2)).joules, 1000);
}

}  // namespace
}  // namespace agent
}  // namespace collector
