// The node agent's end of the CUPTI injection library's socket: accepts
// kernel-summary messages (kernels/kernel_summary_wire.h) from job processes
// on a Unix stream socket, and learns who sent each one from the kernel
// (SO_PEERCRED: pid, uid, gid), not from the message. The job is not
// trusted: messages are bounded in size and time, malformed ones are
// refused, and the handler decides whether the sender may speak for the job
// it names (see SenderBelongsToJob). Summaries are recorded as declared by
// the job, never as measurements.
//
// One background thread serves connections one at a time (jobs send one
// short message at exit or every few minutes). Thread-safe.
#ifndef COLLECTOR_AGENT_KERNEL_SUMMARY_LISTENER_H_
#define COLLECTOR_AGENT_KERNEL_SUMMARY_LISTENER_H_

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/kernels/kernel_summary_wire.h"

namespace collector {
namespace agent {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Called for every well-formed message with its sender; the status is
// logged (a refusal does not stop the listener).
using SummaryHandler = std::function<absl::Status(
    const kernels::DecodedSummary&, const PeerCredentials&)>;

class KernelSummaryListener {
 public:
  // The largest message accepted, and how long a sender may take.
  static constexpr size_t kMaxMessageBytes = 4096;
  static constexpr int kReadTimeoutMs = 1000;

  // Binds `socket_path` (replacing a stale socket file; mode 0666 so jobs of
  // any user can connect) and starts serving. common::ErrnoToStatus when the
  // socket cannot be bound (kUnavailable for most causes).
  static absl::StatusOr<std::unique_ptr<KernelSummaryListener>> Start(
      const std::string& socket_path, SummaryHandler handler);
  ~KernelSummaryListener();  // stops the thread and removes the socket file

  uint64_t accepted() const { return accepted_.load(); }
  uint64_t refused() const { return refused_.load(); }

 private:
  KernelSummaryListener(std::string path, int fd, SummaryHandler handler);
  void Serve();
  void HandleConnection(int fd);

  const std::string path_;
  const int listen_fd_;
  const SummaryHandler handler_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> refused_{0};
  std::thread thread_;
};

// Whether process `pid` belongs to scheduler job `job`: its environment
// (/proc/<pid>/environ, readable by the root agent) holds SLURM_JOB_ID=job.
// kPermissionDenied naming the mismatch; kNotFound when the process is gone.
absl::Status SenderBelongsToJob(pid_t pid, const std::string& job);

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_KERNEL_SUMMARY_LISTENER_H_
