#include "api/server/identity_rate_limiter.h"

#include "common/clock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

IdentityRateLimiter::Options Limits() {
  IdentityRateLimiter::Options options;
  options.calls_per_second = 10;
  options.call_burst = 20;
  options.entries_per_second = 1000;
  options.entry_burst = 1000;
  return options;
}

TEST(IdentityRateLimiterTest, OneIdentityGetsItsRateOthersKeepTheirs) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  IdentityRateLimiter limiter(&clock, Limits());
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(limiter.Admit("flooder", 1).ok());
  absl::Status refused = limiter.Admit("flooder", 1);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("10 calls/s per identity"),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.message().find("retry in 1 s"), std::string::npos);
  EXPECT_TRUE(limiter.Admit("honest", 1).ok());
  clock.Advance(absl::Milliseconds(100));  // one call token back
  EXPECT_TRUE(limiter.Admit("flooder", 1).ok());
  EXPECT_FALSE(limiter.Admit("flooder", 1).ok());
}

TEST(IdentityRateLimiterTest, EntriesAreLimitedAndBigBatchesGoIntoDebt) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  IdentityRateLimiter limiter(&clock, Limits());
  // A batch larger than the burst is admitted once the bucket is full...
  EXPECT_TRUE(limiter.Admit("big", 3000).ok());
  // ...and then owes 2000 entries: 3 s until 1000 are back.
  absl::Status refused = limiter.Admit("big", 1000);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("entries/s"), std::string::npos);
  EXPECT_NE(refused.message().find("retry in 3 s"), std::string::npos)
      << refused;
  clock.Advance(absl::Seconds(2));
  EXPECT_FALSE(limiter.Admit("big", 1).ok());  // debt paid, nothing more
  clock.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(limiter.Admit("big", 1).ok());  // one entry is there now
  EXPECT_FALSE(limiter.Admit("big", 1000).ok());
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(limiter.Admit("big", 999).ok());
}

TEST(IdentityRateLimiterTest, RefusedCallsCostNothing) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  IdentityRateLimiter limiter(&clock, Limits());
  EXPECT_TRUE(limiter.Admit("x", 1000).ok());
  // Entry-refused calls do not take call tokens: 19 calls remain.
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.Admit("x", 10).ok());
  clock.Advance(absl::Seconds(1));
  for (int i = 0; i < 19; ++i) EXPECT_TRUE(limiter.Admit("x", 1).ok()) << i;
}

TEST(IdentityRateLimiterTest, ZeroRatesMeanNoLimit) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  IdentityRateLimiter limiter(&clock, IdentityRateLimiter::Options());
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(limiter.Admit("x", 1000).ok());
}

TEST(IdentityRateLimiterTest, ForgetsFullBucketsBeyondMaxIdentities) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  IdentityRateLimiter::Options options = Limits();
  options.max_identities = 2;
  IdentityRateLimiter limiter(&clock, options);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(limiter.Admit("busy", 1).ok());
  EXPECT_TRUE(limiter.Admit("a", 1).ok());
  clock.Advance(absl::Seconds(1));  // "a" is full again, "busy" is not
  EXPECT_TRUE(limiter.Admit("b", 1).ok());
  EXPECT_TRUE(limiter.Admit("busy", 1).ok());  // 10 tokens refilled
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(limiter.Admit("busy", 1).ok());
  EXPECT_FALSE(limiter.Admit("busy", 1).ok());  // its debt was kept
}

}  // namespace
}  // namespace api::server
