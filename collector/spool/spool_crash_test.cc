// Crash recovery: a child process enqueues and seals records, reporting each
// acknowledged Enqueue over a pipe; the parent SIGKILLs it at a varying
// point, reopens the spool and checks: every acknowledged record is there
// exactly once (pending or sealed), and no record is there twice.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "collector/spool/spool.h"
#include "collector/spool/testonly/fakes.h"
#include "gtest/gtest.h"

namespace collector {
namespace spool {
namespace {

[[noreturn]] void ChildWriter(const std::string& dir, int round, int fd) {
  auto spool = Spool::Open(dir);
  if (!spool.ok()) _exit(2);
  FakeSigner signer(1000000 * (round + 1));
  for (int i = 0;; ++i) {
    const std::string payload = absl::StrCat("r", round, "-", i);
    if (!(*spool)->Enqueue("t", payload).ok()) _exit(3);
    if (write(fd, &i, sizeof(i)) != sizeof(i)) _exit(4);
    if (i % 3 == 2 && !(*spool)->Seal(&signer, 2).ok()) _exit(5);
  }
}

// The payload a spool entry carries: pending = payload; sealed = the fake
// envelope "<seq>|<type>|<payload>".
std::string PayloadOf(const SpoolEntry& e) {
  if (!e.sealed) return e.bytes;
  std::vector<std::string> parts =
      absl::StrSplit(e.bytes, absl::MaxSplits('|', 2));
  return parts.size() == 3 ? parts[2] : "?";
}

TEST(SpoolCrashTest, SigkillLosesNoAcknowledgedRecordAndDuplicatesNone) {
  const std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/spool");
  std::set<std::string> acknowledged;
  std::srand(42);
  for (int round = 0; round < 8; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      ChildWriter(dir, round, fds[1]);
    }
    close(fds[1]);
    const int kill_after = 5 + std::rand() % 40;
    int i = -1, got = 0;
    while (got < kill_after && read(fds[0], &i, sizeof(i)) == sizeof(i)) {
      acknowledged.insert(absl::StrCat("r", round, "-", i));
      ++got;
    }
    // Let the child run a little past the last read, into a write or seal.
    usleep(std::rand() % 3000);
    kill(pid, SIGKILL);
    // Drain acknowledgements that raced with the kill.
    while (read(fds[0], &i, sizeof(i)) == sizeof(i)) {
      acknowledged.insert(absl::StrCat("r", round, "-", i));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early: " << status;

    auto spool = Spool::Open(dir);
    ASSERT_TRUE(spool.ok()) << spool.status();
    auto all = (*spool)->All();
    ASSERT_TRUE(all.ok()) << all.status();
    std::map<std::string, int> seen;
    for (const SpoolEntry& e : *all) ++seen[PayloadOf(e)];
    for (const auto& [payload, n] : seen) {
      EXPECT_EQ(n, 1) << payload << " duplicated after round " << round;
    }
    for (const std::string& a : acknowledged) {
      EXPECT_EQ(seen.count(a), 1u) << a << " lost after round " << round;
    }
  }
}

}  // namespace
}  // namespace spool
}  // namespace collector
