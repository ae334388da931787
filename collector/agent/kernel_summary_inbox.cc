#include "collector/agent/kernel_summary_inbox.h"

#include <utility>

#include "collector/agent/job_request.h"

namespace collector {
namespace agent {

KernelSummaryInbox::KernelSummaryInbox(std::string cluster, std::string node)
    : cluster_(std::move(cluster)), node_(std::move(node)) {}

absl::Status KernelSummaryInbox::Accept(const kernels::DecodedSummary& d,
                                        const PeerCredentials& peer) {
  // The kernel says who sent it; only a process of the job it names may
  // speak for that job.
  absl::Status belongs = SenderBelongsToJob(peer.pid, d.job);
  if (!belongs.ok()) return belongs;
  aifl::collector::v1::KernelSummary summary = d.summary;
  JobStartRequest job;
  job.job_id = d.job;
  job.step = d.step;
  summary.set_run_id(RunId(cluster_, job));
  summary.set_node(node_);
  summary.set_pid(static_cast<uint32_t>(peer.pid));
  absl::MutexLock lock(&mu_);
  queued_.push_back(std::move(summary));
  return absl::OkStatus();
}

SummaryHandler KernelSummaryInbox::Handler() {
  return [this](const kernels::DecodedSummary& d, const PeerCredentials& peer) {
    return Accept(d, peer);
  };
}

std::vector<aifl::collector::v1::KernelSummary> KernelSummaryInbox::TakeAll() {
  absl::MutexLock lock(&mu_);
  std::vector<aifl::collector::v1::KernelSummary> out;
  out.swap(queued_);
  return out;
}

}  // namespace agent
}  // namespace collector
