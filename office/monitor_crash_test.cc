// Crash test: the real office_monitor binary is SIGKILLed in the middle of
// following a log (entry bundles are served slowly, so a step spans many
// commits), then restarted on the same state. Each restart resumes from
// the stored verified size — it never asks for a bundle below it, so
// nothing is verified twice — and the final mirror holds every leaf once,
// in order, with no incident.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/testonly/runfiles.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "office/mirror.h"
#include "office/testonly/hostile_log.h"

namespace office {
namespace {

using ::testing::Each;
using ::testing::Ge;

constexpr int kEntries = 6000;
constexpr int kKills = 2;

// The monitor as a child process, its stderr (the event log) collected.
class MonitorProcess {
 public:
  MonitorProcess(const std::string& config, const std::string& state) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    const std::string binary =
        common::testonly::RunfilePath("office/office_monitor");
    const std::vector<std::string> args = {binary,
                                           "--config=" + config,
                                           "--state_dir=" + state,
                                           "--max_entries_per_commit=512",
                                           "--poll_interval=50ms",
                                           "--threads=1"};
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      std::vector<char*> argv;
      for (const std::string& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
      }
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    reader_ = std::thread([this, fd = fds[0]] {
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) {
        absl::MutexLock lock(&mu_);
        log_.append(buf, n);
      }
      ::close(fd);
    });
  }
  ~MonitorProcess() {
    Signal(SIGKILL);
    reader_.join();
  }

  void Signal(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }

  // Waits up to 120 s for a log line holding every one of `parts`.
  bool WaitForLine(const std::vector<std::string>& parts) {
    const absl::Time deadline = absl::Now() + absl::Seconds(120);
    while (absl::Now() < deadline) {
      {
        absl::MutexLock lock(&mu_);
        for (absl::string_view line : absl::StrSplit(log_, '\n')) {
          bool all = true;
          for (const std::string& p : parts)
            all = all && absl::StrContains(line, p);
          if (all) return true;
        }
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  std::string log() {
    absl::MutexLock lock(&mu_);
    return log_;
  }

 private:
  pid_t pid_ = 0;
  std::thread reader_;
  absl::Mutex mu_;
  std::string log_;
};

TEST(MonitorCrashTest, ResumesAfterSigkillWithoutRereadingOrDuplicating) {
  auto log = testonly::HostileLog::Create();
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->Grow(kEntries).ok());
  ASSERT_TRUE((*log)->ServeLedger().ok());
  auto leaves = (*log)->LedgerLeaves();
  ASSERT_TRUE(leaves.ok());
  const uint64_t size = leaves->size();
  // Slow bundles: one follow step spans many commits.
  (*log)->set_tamper([](const std::string& path, std::string&) {
    if (absl::StartsWith(path, "tile/entries/")) {
      absl::SleepFor(absl::Milliseconds(40));
    }
  });
  const std::string dir = ledger::testonly::FreshDir("monitor-crash");
  const std::string config = dir + "/monitor.conf";
  std::ofstream(config) << "# one factory\nlog " << (*log)->vkey() << " "
                        << (*log)->url() << "\n";
  const std::string state = dir + "/state";

  uint64_t verified = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    (*log)->ClearBundlesServed();
    {
      MonitorProcess monitor(config, state);
      const absl::Time deadline = absl::Now() + absl::Seconds(120);
      while ((*log)->BundlesServed().size() < 8 && absl::Now() < deadline) {
        absl::SleepFor(absl::Milliseconds(5));
      }
      monitor.Signal(SIGKILL);
    }
    EXPECT_THAT((*log)->BundlesServed(), Each(Ge(verified / 256)))
        << "a restart re-read bundles below the stored verified size "
        << verified;
    auto mirror = Mirror::Open(state + "/mirror");
    ASSERT_TRUE(mirror.ok()) << mirror.status();
    auto now = (*mirror)->VerifiedSize((*log)->origin());
    ASSERT_TRUE(now.ok());
    EXPECT_GT(*now, verified) << "kill " << kill << " made no progress";
    EXPECT_LT(*now, size) << "killed too late to be mid-follow";
    verified = *now;
  }

  (*log)->ClearBundlesServed();
  {
    MonitorProcess monitor(config, state);
    ASSERT_TRUE(monitor.WaitForLine(
        {"\"log_advanced\"", absl::StrCat("\"verified_size\":\"", size, "\"")}))
        << monitor.log();
    EXPECT_THAT(monitor.log(),
                ::testing::HasSubstr(
                    absl::StrCat("\"new_entries\":\"", size - verified, "\"")));
    monitor.Signal(SIGTERM);
  }
  EXPECT_THAT((*log)->BundlesServed(), Each(Ge(verified / 256)));
  auto mirror = Mirror::Open(state + "/mirror");
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  std::vector<std::string> mirrored;
  ASSERT_TRUE((*mirror)
                  ->Visit((*log)->origin(), 0,
                          [&](uint64_t i, absl::string_view leaf) {
                            EXPECT_EQ(i, mirrored.size());
                            mirrored.emplace_back(leaf);
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_EQ(mirrored, *leaves);
  EXPECT_TRUE((*mirror)->Incidents("")->empty());
}

}  // namespace
}  // namespace office
