#include "collector/agent/kernel_summary_listener.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace collector {
namespace agent {
namespace {

// Unix socket paths are limited to 107 bytes, which Bazel's TEST_TMPDIR
// exceeds: use a short private folder under /tmp.
std::string SocketPath() {
  static const std::string path = [] {
    char dir[] = "/tmp/aifl-sock-XXXXXX";
    return std::string(::mkdtemp(dir)) + "/agent.sock";
  }();
  return path;
}

// Sends `bytes` as one connection and waits until the listener is done.
void Send(const std::string& bytes) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = SocketPath();
  std::memcpy(addr.sun_path, path.data(), path.size());
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  (void)!::write(fd, bytes.data(), bytes.size());
  ::shutdown(fd, SHUT_WR);
  char c;
  while (::read(fd, &c, 1) > 0) {
  }
  ::close(fd);
}

class KernelSummaryListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listener = KernelSummaryListener::Start(
        SocketPath(),
        [this](const kernels::DecodedSummary& s, const PeerCredentials& peer) {
          std::lock_guard<std::mutex> lock(mu_);
          got_.push_back({s, peer});
          return s.job == "refuse-me" ? absl::PermissionDeniedError("no")
                                      : absl::OkStatus();
        });
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = std::move(*listener);
  }

  std::string Message(const std::string& job) {
    kernels::KernelTotals totals;
    return kernels::EncodeKernelSummaryMessage(totals, job, "0");
  }

  std::mutex mu_;
  std::vector<std::pair<kernels::DecodedSummary, PeerCredentials>> got_;
  std::unique_ptr<KernelSummaryListener> listener_;
};

TEST_F(KernelSummaryListenerTest, KnowsTheSenderFromTheKernelNotTheMessage) {
  Send(Message("4242"));
  ASSERT_EQ(listener_->accepted(), 1u);
  std::lock_guard<std::mutex> lock(mu_);
  ASSERT_EQ(got_.size(), 1u);
  EXPECT_EQ(got_[0].first.job, "4242");
  EXPECT_EQ(got_[0].second.pid, ::getpid());
  EXPECT_EQ(got_[0].second.uid, ::getuid());
}

TEST_F(KernelSummaryListenerTest, RefusesMalformedOversizedAndHandlerRefused) {
  Send("not a summary\n\n");
  Send(std::string(10000, 'x'));
  Send(Message("refuse-me"));
  EXPECT_EQ(listener_->refused(), 3u);
  // And keeps serving.
  Send(Message("7"));
  EXPECT_EQ(listener_->accepted(), 1u);
}

TEST_F(KernelSummaryListenerTest, SilentSenderTimesOutWithoutBlockingOthers) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = SocketPath();
  std::memcpy(addr.sun_path, path.data(), path.size());
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const absl::Time start = absl::Now();
  Send(Message("8"));  // queued behind the silent one: served after its timeout
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(listener_->accepted(), 1u);
  ::close(fd);
}

TEST(SenderBelongsToJobTest, ChecksTheProcessEnvironment) {
  // This test process is in no Slurm job 424242.
  EXPECT_EQ(SenderBelongsToJob(::getpid(), "424242").code(),
            absl::StatusCode::kPermissionDenied);
  // A child started with SLURM_JOB_ID=424242 belongs to it. The parent
  // waits for the exec itself, not for a while: the child's end of a
  // close-on-exec pipe closes exactly when execve replaces its environment.
  int exec_done[2];
  ASSERT_EQ(::pipe2(exec_done, O_CLOEXEC), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    char var[] = "SLURM_JOB_ID=424242";
    char* env[] = {var, nullptr};
    char sleep_path[] = "/bin/sleep";
    char arg[] = "5";
    char* argv[] = {sleep_path, arg, nullptr};
    ::execve(sleep_path, argv, env);
    const char failed = 1;  // only reached when execve failed
    (void)!::write(exec_done[1], &failed, 1);
    ::_exit(127);
  }
  ::close(exec_done[1]);
  char byte;
  ASSERT_EQ(::read(exec_done[0], &byte, 1), 0) << "execve failed";
  ::close(exec_done[0]);
  EXPECT_TRUE(SenderBelongsToJob(child, "424242").ok());
  EXPECT_EQ(SenderBelongsToJob(child, "1").code(),
            absl::StatusCode::kPermissionDenied);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(SenderBelongsToJob(child, "424242").code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace agent
}  // namespace collector
