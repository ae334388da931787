#include "api/server/refusal_log.h"

#include <vector>

#include "common/clock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

struct Logged {
  std::string identity;
  uint64_t suppressed;
};

class RefusalLogTest : public ::testing::Test {
 protected:
  RefusalLog MakeLog(RefusalLog::Options options) {
    return RefusalLog(&clock_, options,
                      [this](const Refusal& r, uint64_t suppressed) {
                        lines_.push_back({r.identity, suppressed});
                      });
  }
  static Refusal From(const std::string& identity) {
    Refusal r;
    r.identity = identity;
    r.method = "Ingest.Submit";
    r.status = absl::PermissionDeniedError("no");
    return r;
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  std::vector<Logged> lines_;
};

TEST_F(RefusalLogTest, FloodFromOneIdentityIsRateLimitedAndSummarised) {
  RefusalLog::Options options;
  options.burst = 3;
  options.per_second = 1;
  RefusalLog log = MakeLog(options);
  for (int i = 0; i < 100; ++i) log.Record(From("attacker"));
  EXPECT_EQ(lines_.size(), 3u);
  // Another identity still gets its lines.
  EXPECT_TRUE(log.Record(From("honest")));
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(log.Record(From("attacker")));
  ASSERT_EQ(lines_.size(), 5u);
  EXPECT_EQ(lines_[4].identity, "attacker");
  EXPECT_EQ(lines_[4].suppressed, 97u);
}

TEST_F(RefusalLogTest, CodesHaveSeparateBuckets) {
  RefusalLog::Options options;
  options.burst = 1;
  RefusalLog log = MakeLog(options);
  Refusal a = From("x");
  EXPECT_TRUE(log.Record(a));
  EXPECT_FALSE(log.Record(a));
  a.status = absl::UnauthenticatedError("bad signature");
  EXPECT_TRUE(log.Record(a));
}

TEST_F(RefusalLogTest, ManyIdentitiesShareAnOverflowBucket) {
  RefusalLog::Options options;
  options.burst = 2;
  options.max_buckets = 4;
  RefusalLog log = MakeLog(options);
  for (int i = 0; i < 4; ++i) {
    log.Record(From(absl::StrCat("peer", i)));
    log.Record(From(absl::StrCat("peer", i)));
  }
  for (int i = 4; i < 100; ++i) log.Record(From(absl::StrCat("peer", i)));
  // 4 identities × 2 lines, then the overflow bucket's 2.
  EXPECT_EQ(lines_.size(), 10u);
}

}  // namespace
}  // namespace api::server
