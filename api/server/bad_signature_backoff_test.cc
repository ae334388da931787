#include "api/server/bad_signature_backoff.h"

#include "common/clock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(BadSignatureBackoffTest, FailingCallerWaitsHonestCallerDoesNot) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  BadSignatureBackoff::Options options;
  options.burst = 100;
  options.per_second = 10;
  BadSignatureBackoff backoff(&clock, options);
  EXPECT_TRUE(backoff.Admit("flooder").ok());
  backoff.RecordFailures("flooder", 99);
  EXPECT_TRUE(backoff.Admit("flooder").ok());  // one token left
  backoff.RecordFailures("flooder", 1000);     // deep in debt
  absl::Status refused = backoff.Admit("flooder");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("retry"), std::string::npos);
  EXPECT_TRUE(backoff.Admit("honest").ok());
  clock.Advance(absl::Seconds(50));  // 500 forgiven: still 500 owed
  EXPECT_FALSE(backoff.Admit("flooder").ok());
  clock.Advance(absl::Seconds(51));
  EXPECT_TRUE(backoff.Admit("flooder").ok());
}

TEST(BadSignatureBackoffTest, SaysHowLongAnIdentityOwes) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  BadSignatureBackoff backoff(&clock, {/*burst=*/100, /*per_second=*/10});
  EXPECT_EQ(backoff.SecondsOwed("never-failed"), 0);
  backoff.RecordFailures("flooder", 50);
  EXPECT_EQ(backoff.SecondsOwed("flooder"), 0);  // within the burst
  backoff.RecordFailures("flooder", 1000);       // -950: 95.1 s to a token
  EXPECT_NEAR(backoff.SecondsOwed("flooder"), 95.1, 1e-9);
  clock.Advance(absl::Seconds(90));
  EXPECT_NEAR(backoff.SecondsOwed("flooder"), 5.1, 1e-9);
}

}  // namespace
}  // namespace api::server
