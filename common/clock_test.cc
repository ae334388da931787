#include "common/clock.h"

#include "gtest/gtest.h"

namespace {

TEST(FakeClockTest, MovesOnlyWhenTold) {
  const absl::Time start = absl::FromUnixSeconds(1'750'000'000);
  common::FakeClock clock(start);
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(absl::Hours(24 * 14));
  EXPECT_EQ(clock.Now(), start + absl::Hours(336));
  clock.Set(start);
  EXPECT_EQ(clock.Now(), start);
}

TEST(RealClockTest, IsCloseToSystemTime) {
  const absl::Time now = common::RealClock::Get()->Now();
  EXPECT_LT(absl::AbsDuration(now - absl::Now()), absl::Seconds(5));
}

}  // namespace
