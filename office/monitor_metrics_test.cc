#include "office/monitor_metrics.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/read_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace office {
namespace {

using ::testing::HasSubstr;

TEST(MonitorMetricsTest, LagEntriesIncidentsAndErrorsPerLog) {
  MonitorMetrics m("test");
  m.Progress("a.example/log", 0, 1000, 0);
  m.Progress("a.example/log", 400, 1000, 400);
  m.Progress("b.example/log", 7, 7, 7);
  LogIncident i;
  i.origin = "b.example/log";
  i.kind = IncidentKind::kFork;
  m.Incident(i);
  m.Error("a.example/log");
  const std::string text = m.Scrape();
  EXPECT_THAT(
      text,
      HasSubstr(
          "aifl_monitor_follow_lag_entries{origin=\"a.example/log\"} 600"));
  EXPECT_THAT(
      text,
      HasSubstr("aifl_monitor_verified_entries{origin=\"a.example/log\"} 400"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "aifl_monitor_entries_verified_total{origin=\"a.example/log\"} 400"));
  EXPECT_THAT(text, HasSubstr("aifl_monitor_incidents_total{kind=\"fork\","
                              "origin=\"b.example/log\"} 1"));
  EXPECT_THAT(
      text, HasSubstr("aifl_monitor_log_stopped{origin=\"b.example/log\"} 1"));
  EXPECT_THAT(
      text, HasSubstr("aifl_monitor_log_stopped{origin=\"a.example/log\"} 0"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "aifl_monitor_follow_errors_total{origin=\"a.example/log\"} 1"));
  EXPECT_THAT(text, HasSubstr("aifl_build_info{version=\"test\"} 1"));
}

TEST(MonitorMetricsTest, AnIndexInputWaitAndItsEndPassPromtool) {
  MonitorMetrics m("test");
  m.IndexInputNotWaiting("a.example/index");
  m.IndexInputNotWaiting("b.example/index");
  m.IndexInputWaiting("a.example/index", absl::Seconds(90), 25);
  m.IndexInputWaiting("b.example/index", absl::Seconds(3), 7);
  m.IndexInputNotWaiting("b.example/index");
  const std::string text = m.Scrape();
  EXPECT_THAT(text, HasSubstr("aifl_monitor_index_input_wait_seconds{origin="
                              "\"a.example/index\"} 90"));
  EXPECT_THAT(text, HasSubstr("aifl_monitor_index_input_gap_entries{origin="
                              "\"a.example/index\"} 25"));
  EXPECT_THAT(text, HasSubstr("aifl_monitor_index_input_wait_seconds{origin="
                              "\"b.example/index\"} 0"));
  EXPECT_THAT(text, HasSubstr("aifl_monitor_index_input_gap_entries{origin="
                              "\"b.example/index\"} 0"));
  // Debian's promtool: the exposition parses, no lint findings.
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/scrape.txt") << text;
  const std::string promtool =
      absl::StrCat("promtool check metrics < ", dir, "/scrape.txt > ", dir,
                   "/promtool.out 2>&1");
  EXPECT_EQ(std::system(promtool.c_str()), 0)
      << common::ReadWholeFile(dir + "/promtool.out").value_or("") << text;
  EXPECT_EQ(common::ReadWholeFile(dir + "/promtool.out").value_or("?"), "")
      << "promtool lint findings";
}

TEST(MonitorMetricsTest, ServesOnAPortOrSaysWhyNot) {
  MonitorMetrics m("test");
  ASSERT_TRUE(m.Serve("127.0.0.1:0").ok());
  EXPECT_GT(m.port(), 0);
  MonitorMetrics other("test");
  absl::Status taken = other.Serve("127.0.0.1:" + std::to_string(m.port()));
  EXPECT_TRUE(absl::IsUnavailable(taken)) << taken;
  EXPECT_THAT(std::string(taken.message()), HasSubstr("--metrics_listen"));
}

}  // namespace
}  // namespace office
