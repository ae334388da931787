// The Monitor follows several logs at once: a hostile one is stopped (one
// incident, reported once) while the others keep being followed.
#include "office/monitor.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "api/client/curl_http_getter.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/mirror.h"
#include "office/testonly/hostile_log.h"

namespace office {
namespace {

using testonly::HostileLog;

// Waits up to 60 s for `done`.
bool Eventually(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

TEST(MonitorTest, AHostileLogIsStoppedWhileTheOthersAreFollowed) {
  std::vector<std::unique_ptr<HostileLog>> logs;
  for (const char* origin :
       {"a.example/log", "b.example/log", "c.example/log"}) {
    auto log = HostileLog::Create(origin);
    ASSERT_TRUE(log.ok()) << log.status();
    ASSERT_TRUE((*log)->Grow(100).ok());
    ASSERT_TRUE((*log)->ServeLedger().ok());
    logs.push_back(std::move(*log));
  }
  auto mirror = Mirror::Open(ledger::testonly::FreshDir("monitor"));
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  std::vector<std::unique_ptr<LogFollower>> followers;
  for (const auto& log : logs) {
    FollowedLog config{log->origin(), log->vkey(), log->url(), "", {}};
    auto http = api::client::CurlHttpGetter::Create();
    auto f =
        LogFollower::Create(config, mirror->get(), std::move(*http), &clock);
    ASSERT_TRUE(f.ok()) << f.status();
    followers.push_back(std::move(*f));
  }
  absl::Mutex mu;
  std::vector<LogIncident> incidents;
  MonitorOptions options;
  options.poll_interval = absl::Milliseconds(20);
  options.on_incident = [&](const LogIncident& i) {
    absl::MutexLock lock(&mu);
    incidents.push_back(i);
  };
  Monitor monitor(std::move(followers), options);
  monitor.Start();
  const auto verified = [&](const HostileLog& log) {
    return *(*mirror)->VerifiedSize(log.origin());
  };
  const auto caught_up = [&](HostileLog& log) {
    return verified(log) == log.LedgerLeaves()->size();
  };
  ASSERT_TRUE(Eventually([&] {
    return caught_up(*logs[0]) && caught_up(*logs[1]) && caught_up(*logs[2]);
  }));
  // b rolls back; a and c grow.
  const uint64_t b_size = verified(*logs[1]);
  ASSERT_TRUE(logs[1]->ServeLedger(b_size - 1).ok());
  ASSERT_TRUE(Eventually([&] {
    absl::MutexLock lock(&mu);
    return !incidents.empty();
  }));
  for (int i : {0, 2}) {
    ASSERT_TRUE(logs[i]->Grow(400).ok());
    ASSERT_TRUE(logs[i]->ServeLedger().ok());
  }
  EXPECT_TRUE(
      Eventually([&] { return caught_up(*logs[0]) && caught_up(*logs[2]); }));
  monitor.Stop();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].origin, "b.example/log");
  EXPECT_EQ(incidents[0].kind, IncidentKind::kRollback);
  EXPECT_EQ(verified(*logs[1]), b_size);
}

}  // namespace
}  // namespace office
