#include "collector/agent/kernel_summary_listener.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errno_status.h"

namespace collector {
namespace agent {

absl::StatusOr<std::unique_ptr<KernelSummaryListener>>
KernelSummaryListener::Start(const std::string& socket_path,
                             SummaryHandler handler) {
  sockaddr_un addr{};
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path too long: ", socket_path));
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return common::ErrnoToStatus(errno, "socket");
  ::unlink(socket_path.c_str());  // a stale socket from a previous agent
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::chmod(socket_path.c_str(), 0666) != 0 || ::listen(fd, 64) != 0) {
    const int err = errno;
    ::close(fd);
    return common::ErrnoToStatus(
        err, absl::StrCat("cannot serve kernel summaries on ", socket_path));
  }
  return std::unique_ptr<KernelSummaryListener>(
      new KernelSummaryListener(socket_path, fd, std::move(handler)));
}

KernelSummaryListener::KernelSummaryListener(std::string path, int fd,
                                             SummaryHandler handler)
    : path_(std::move(path)), listen_fd_(fd), handler_(std::move(handler)) {
  thread_ = std::thread([this] { Serve(); });
}

KernelSummaryListener::~KernelSummaryListener() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
  ::unlink(path_.c_str());
}

void KernelSummaryListener::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    HandleConnection(conn);
    ::close(conn);
  }
}

void KernelSummaryListener::HandleConnection(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    ++refused_;
    return;
  }
  // Read until the empty line that ends a message, within bounds.
  std::string message;
  char buf[512];
  while (message.find("\n\n") == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kReadTimeoutMs) <= 0) break;  // slow or silent sender
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    message.append(buf, static_cast<size_t>(n));
    if (message.size() > kMaxMessageBytes) break;
  }
  absl::Status status;
  if (message.size() > kMaxMessageBytes) {
    status = absl::InvalidArgumentError("kernel summary over 4096 bytes");
  } else {
    auto decoded = kernels::DecodeKernelSummaryMessage(message);
    status =
        decoded.ok()
            ? handler_(*decoded, PeerCredentials{cred.pid, cred.uid, cred.gid})
            : decoded.status();
  }
  if (status.ok()) {
    ++accepted_;
  } else {
    ++refused_;
    std::fprintf(stderr,
                 "collector: refused a kernel summary from pid %d uid %u: %s\n",
                 static_cast<int>(cred.pid), static_cast<unsigned>(cred.uid),
                 std::string(status.message()).c_str());
  }
}

absl::Status SenderBelongsToJob(pid_t pid, const std::string& job) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/environ"), std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
  }
  const std::string environ((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
  for (absl::string_view var : absl::StrSplit(environ, '\0')) {
    if (var == absl::StrCat("SLURM_JOB_ID=", job)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "process ", pid, " claims job ", job, " but is not part of it"));
}

}  // namespace agent
}  // namespace collector
