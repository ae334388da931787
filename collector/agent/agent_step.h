// AgentStep: one turn of the node agent's loop, written once for the daemon
// (collector_agent run), the replay driver (run --replay) and the factory
// simulator. A step
//   1. applies the job requests waiting in the control folder and the
//      kernel summaries waiting in the inbox (either may be absent);
//   2. polls the GPUs once (a failed poll leaves readings missing, never
//      zero) and attributes the sample;
//   3. emits the intervals due by the clock's now;
//   4. spools every record, oldest first; a record the spool cannot take yet
//      (kResourceExhausted) stays queued in memory, with those after it, and
//      is offered again by the next step: nothing is dropped;
//   5. makes one shipping attempt, when a shipper is given (the shipper backs
//      off by itself; while it does, the attempt does nothing).
// A step never sleeps and has no clock of its own: the agent's clock is the
// injected one, and the caller decides when the next step runs (the daemon
// every second, daemon_loop.h; the replay at each recorded poll's time on a
// fake clock, replay_driver.h).
//
// Thread-compatible: one thread runs the steps. None of the parts is owned;
// all must outlive the step.
#ifndef COLLECTOR_AGENT_AGENT_STEP_H_
#define COLLECTOR_AGENT_AGENT_STEP_H_

#include <cstddef>
#include <deque>
#include <functional>

#include "absl/status/status.h"
#include "collector/agent/control_dir.h"
#include "collector/agent/kernel_summary_inbox.h"
#include "collector/agent/node_agent.h"
#include "collector/agent/record.h"
#include "collector/nvml/gpu_source.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_shipper.h"

namespace collector {
namespace agent {

struct AgentStepParts {
  // Required.
  NodeAgent* agent = nullptr;
  nvml::GpuSource* source = nullptr;
  spool::Spool* spool = nullptr;
  // Optional: without a shipper the caller ships the spool itself.
  spool::SpoolShipper* shipper = nullptr;
  // Optional: job requests (collector_agent job-start / job-end).
  ControlDir* control = nullptr;
  // Optional: kernel summaries from the CUPTI injection library.
  KernelSummaryInbox* summaries = nullptr;
  // Optional: sees each record once, as it is queued for the spool.
  std::function<void(const Record&)> observe;
  // Errors worth one log line each: a bad job request or summary, a failed
  // shipping attempt other than a hold (the shipper logs holds itself).
  // Default: "collector: <status>" on stderr.
  std::function<void(const absl::Status&)> report;
};

// What one step did.
struct StepResult {
  // The GPU poll: OK, or why it gave no sample.
  absl::Status poll;
  // OK when every queued record is spooled; otherwise the spool's error
  // for the oldest one still queued (it is offered again next step).
  absl::Status spool;
  // The shipping attempt: OK (also when there is no shipper or it is
  // backing off), or the attempt's error.
  absl::Status ship;
  bool shipped = false;  // a shipper was called
};

class AgentStep {
 public:
  // REQUIRES: parts.agent, parts.source and parts.spool are set, and
  // parts.agent reads the clock the caller advances.
  explicit AgentStep(AgentStepParts parts);

  // One turn (steps 1 to 5 above).
  StepResult Step();

  // Moves the agent's records emitted so far (e.g. by job events applied
  // outside a step) to the spool, as step 4 does. The spool's error as in
  // StepResult::spool.
  absl::Status Flush();

  // Records waiting for room in the spool.
  size_t queued() const { return queued_.size(); }
  const AgentStepParts& parts() const { return parts_; }

 private:
  void ApplyRequests();
  void Report(const absl::Status& s) const;

  const AgentStepParts parts_;
  std::deque<Record> queued_;
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_AGENT_STEP_H_
