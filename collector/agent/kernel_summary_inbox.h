// KernelSummaryInbox: where kernel summaries from the CUPTI injection
// library wait between the listener's thread (KernelSummaryListener) and the
// agent's loop, which hands them to the single-threaded NodeAgent
// (AgentStep). Accept() is the listener's handler: it lets a summary in only
// when its sender, as the kernel reports it (SO_PEERCRED), is a process of
// the job the summary names, and completes it with the run id, this node
// and the sender's pid.
//
// Thread-safe.
#ifndef COLLECTOR_AGENT_KERNEL_SUMMARY_INBOX_H_
#define COLLECTOR_AGENT_KERNEL_SUMMARY_INBOX_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "collector/agent/kernel_summary_listener.h"
#include "collector/kernels/kernel_summary_wire.h"
#include "schema/collector.pb.h"

namespace collector {
namespace agent {

class KernelSummaryInbox {
 public:
  // `cluster` and `node` as in AgentOptions (run ids are
  // <cluster>/<job>[.<step>]).
  KernelSummaryInbox(std::string cluster, std::string node);

  // Queues `decoded` from `peer`. kPermissionDenied / kNotFound from
  // SenderBelongsToJob when the sender is not a process of that job (the
  // listener logs and counts the refusal).
  absl::Status Accept(const kernels::DecodedSummary& decoded,
                      const PeerCredentials& peer);

  // A SummaryHandler calling Accept(); this inbox must outlive it.
  SummaryHandler Handler();

  // The summaries queued so far, oldest first; empties the queue.
  std::vector<aifl::collector::v1::KernelSummary> TakeAll();

 private:
  const std::string cluster_;
  const std::string node_;
  absl::Mutex mu_;
  std::vector<aifl::collector::v1::KernelSummary> queued_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_KERNEL_SUMMARY_INBOX_H_
