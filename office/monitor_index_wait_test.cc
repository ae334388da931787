// The real office_monitor binary follows an index's output log whose last
// update names an input size N the served input (size M < N) never reaches
// while it is served so (a static copy of the output ahead of the input):
// one `index_input_waiting` event with N and M however many polls wait, no
// follow_error and no incident for it, the /metrics gauges (promtool-clean)
// give the gap and a growing wait; once the input is served in full,
// `index_input_wait_ended`, the gauges go back to 0, the output log is
// mirrored, still no incident.
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "api/client/curl_http_getter.h"
#include "api/server/server_http_handler.h"
#include "common/read_file.h"
#include "common/testonly/runfiles.h"
#include "gtest/gtest.h"
#include "index/testonly/indexed_log.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/mirror.h"
#include "office/testonly/served_index.h"
#include "witness/testonly/spawn.h"

namespace office {
namespace {

// The lines of the monitor's event log holding every one of `parts`.
int Lines(const std::string& log, const std::vector<std::string>& parts) {
  int n = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    bool all = !line.empty();
    for (const std::string& p : parts) all = all && absl::StrContains(line, p);
    n += all;
  }
  return n;
}

class MonitorIndexWaitTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  std::string EventLog() const {
    return common::ReadWholeFile(dir_ + "/monitor.log").value_or("");
  }

  // GET /metrics over HTTP, as Prometheus would; "" when it fails.
  std::string Scrape() const {
    auto http = api::client::CurlHttpGetter::Create();
    if (!http.ok()) return "";
    absl::StatusOr<std::string> body = (*http)->Get(
        absl::StrCat("http://127.0.0.1:", metrics_port_, "/metrics"), 1 << 20);
    return body.value_or("");
  }

  // The value of the sample `name{origin="<output origin>"}`; -1 if absent.
  double Gauge(const std::string& scrape, const std::string& name) const {
    const std::string key =
        absl::StrCat(name, "{origin=\"", output_origin_, "\"} ");
    const size_t at = scrape.find(key);
    double v = -1;
    if (at == std::string::npos) return v;
    const size_t end = scrape.find('\n', at);
    if (!absl::SimpleAtod(scrape.substr(at + key.size(), end - at - key.size()),
                          &v)) {
      return -1;
    }
    return v;
  }

  // Waits up to 120 s for `done`.
  bool Eventually(const std::function<bool()>& done) const {
    const absl::Time deadline = absl::Now() + absl::Seconds(120);
    for (; absl::Now() < deadline; absl::SleepFor(absl::Milliseconds(20))) {
      if (done()) return true;
    }
    return false;
  }

  std::string dir_ = ledger::testonly::FreshDir("monitor-index-wait");
  std::string output_origin_;
  int metrics_port_ = 0;
  pid_t pid_ = 0;
};

TEST_F(MonitorIndexWaitTest, AnInputNeverReachedIsReportedOnceNeverAnIncident) {
  auto log = vindex::testonly::IndexedLog::Create();
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->Grow(40).ok());
  ASSERT_TRUE((*log)->input().ledger().PublishCheckpoint().ok());
  const uint64_t held = (*log)->builder().state().input_size;
  ASSERT_TRUE((*log)->Grow(20).ok());
  const uint64_t named = (*log)->builder().state().input_size;
  ASSERT_GT(named, held);
  ASSERT_TRUE((*log)->output().PublishCheckpoint().ok());
  auto served =
      testonly::ServeIndex(&(*log)->input().ledger(), &(*log)->output());
  ASSERT_TRUE(served.ok()) << served.status();
  const std::string input_origin = (*log)->input().ledger().origin();
  output_origin_ = (*log)->output().origin();
  std::ofstream(dir_ + "/monitor.conf")
      << "log " << (*log)->input().ledger().VerifierKey() << " " << served->url
      << "\nindex " << (*log)->output().VerifierKey() << " " << served->url
      << api::server::ServerHttpHandler::kIndexPrefix << " " << input_origin
      << "\n";
  metrics_port_ = common::testonly::FreeLoopbackPort();
  pid_ = witness::testonly::Spawn(
      {common::testonly::RunfilePath("office/office_monitor"),
       "--config=" + dir_ + "/monitor.conf", "--state_dir=" + dir_ + "/state",
       "--poll_interval=20ms", "--threads=1",
       absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port_)},
      dir_ + "/monitor.log");
  ASSERT_GT(pid_, 0);

  // Waiting: reported with N and M, then polled for two seconds more (about
  // a hundred steps) without another report.
  const std::vector<std::string> waiting = {
      "\"index_input_waiting\"", absl::StrCat("\"origin\":\"", output_origin_),
      absl::StrCat("\"named_input_size\":\"", named, "\""),
      absl::StrCat("\"held_input_size\":\"", held, "\"")};
  ASSERT_TRUE(Eventually([&] {
    const std::string events = EventLog();
    return Lines(events, waiting) > 0 ||
           Lines(events, {"\"log_incident\""}) > 0;
  })) << EventLog();
  ASSERT_EQ(Lines(EventLog(), {"\"log_incident\""}), 0) << EventLog();
  ASSERT_TRUE(Eventually([&] {
    return Gauge(Scrape(), "aifl_monitor_index_input_wait_seconds") >= 2;
  })) << Scrape();
  const std::string scrape = Scrape();
  EXPECT_EQ(Gauge(scrape, "aifl_monitor_index_input_gap_entries"),
            static_cast<double>(named - held))
      << scrape;
  std::ofstream(dir_ + "/scrape.txt") << scrape;
  EXPECT_EQ(
      std::system(absl::StrCat("promtool check metrics < ", dir_, "/scrape.txt")
                      .c_str()),
      0)
      << scrape;
  std::string events = EventLog();
  EXPECT_EQ(Lines(events, waiting), 1) << events;
  EXPECT_EQ(Lines(events, {"\"index_input_waiting\""}),
            Lines(events, {"\"index_input_waiting\"",
                           absl::StrCat("\"input_origin\":\"", input_origin)}))
      << events;
  EXPECT_EQ(Lines(events, {"\"follow_error\"", output_origin_}), 0) << events;
  EXPECT_EQ(Lines(events, {"\"log_incident\""}), 0) << events;

  // The input served in full: the wait ends, the gauges are 0.
  ASSERT_TRUE((*log)->input().ledger().PublishCheckpoint().ok());
  ASSERT_TRUE(Eventually([&] {
    return Lines(EventLog(),
                 {"\"index_input_wait_ended\"",
                  absl::StrCat("\"named_input_size\":\"", named, "\"")}) == 1;
  })) << EventLog();
  const std::string after = Scrape();
  EXPECT_EQ(Gauge(after, "aifl_monitor_index_input_wait_seconds"), 0) << after;
  EXPECT_EQ(Gauge(after, "aifl_monitor_index_input_gap_entries"), 0) << after;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  events = EventLog();
  EXPECT_EQ(Lines(events, {"\"log_incident\""}), 0) << events;
  EXPECT_EQ(Lines(events, {"\"follow_error\"", output_origin_}), 0) << events;
  auto mirror = Mirror::Open(dir_ + "/state/mirror");
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  EXPECT_EQ(*(*mirror)->VerifiedSize(output_origin_), (*log)->output().Size());
  EXPECT_TRUE((*mirror)->Incidents("")->empty());
}

}  // namespace
}  // namespace office
