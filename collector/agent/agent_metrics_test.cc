#include "collector/agent/agent_metrics.h"

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collector {
namespace agent {
namespace {

using ::testing::HasSubstr;

TEST(AgentMetricsTest, ExposesEveryMetricWithItsValue) {
  AgentMetrics m;
  m.SetGpus(8);
  m.SetJobsRunning(2);
  m.CountPoll(true);
  m.CountPoll(true);
  m.CountPoll(false);
  m.SetSpool(3, 1, 4096, absl::Seconds(90));
  const std::string s = m.Scrape();
  EXPECT_THAT(s, HasSubstr("# TYPE aifl_collector_gpus gauge\n"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_gpus 8\n"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_jobs_running 2\n"));
  EXPECT_THAT(s, HasSubstr("# TYPE aifl_collector_samples_total counter\n"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_samples_total 2\n"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_nvml_errors_total 1\n"));
  EXPECT_THAT(s,
              HasSubstr("aifl_collector_spool_records{stage=\"pending\"} 3"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_spool_records{stage=\"sealed\"} 1"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_spool_bytes 4096\n"));
  EXPECT_THAT(s,
              HasSubstr("aifl_collector_spool_oldest_record_age_seconds 90\n"));
  EXPECT_EQ(m.port(), 0);  // not serving
}

TEST(AgentMetricsTest, ShippedCountersAdvanceByTheShippersTotals) {
  AgentMetrics m;
  m.CountShipAttempt(true, 5, 0, false);
  m.CountShipAttempt(false, 5, 0, true);
  m.CountShipAttempt(true, 12, 1, false);
  const std::string s = m.Scrape();
  EXPECT_THAT(
      s, HasSubstr(
             "aifl_collector_records_shipped_total{kind=\"measurement\"} 12"));
  EXPECT_THAT(s,
              HasSubstr("aifl_collector_records_shipped_total{kind=\"refusal_"
                        "marker\"} 1"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_ship_failures_total 1\n"));
  EXPECT_THAT(s, HasSubstr("aifl_collector_records_held 0\n"));
}

TEST(AgentMetricsTest, EmptySpoolHasNoAge) {
  const std::string dir = ::testing::TempDir() + "/empty_spool";
  EXPECT_FALSE(OldestSpoolFileAge(dir, absl::Now()).has_value());
}

TEST(AgentMetricsTest, OldestSpoolFileAgeIsTheOldestFilesAge) {
  const std::string dir = ::testing::TempDir() + "/spool";
  ASSERT_EQ(system(("mkdir -p " + dir + "/pending " + dir + "/sealed").c_str()),
            0);
  std::ofstream(dir + "/pending/2.rec") << "x";
  std::ofstream(dir + "/sealed/1.env") << "y";
  ASSERT_EQ(system(("touch -d @1000 " + dir + "/sealed/1.env").c_str()), 0);
  auto age = OldestSpoolFileAge(dir, absl::FromUnixSeconds(1060));
  ASSERT_TRUE(age.has_value());
  EXPECT_EQ(*age, absl::Seconds(60));
}

TEST(AgentMetricsTest, ServesOnAPickedPort) {
  auto m = AgentMetrics::Serve("127.0.0.1:0");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_GT((*m)->port(), 0);
}

TEST(AgentMetricsTest, RefusesAnAddressItCannotBind) {
  auto m = AgentMetrics::Serve("203.0.113.1:1");  // not this host's address
  EXPECT_EQ(m.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace agent
}  // namespace collector
