// The node agent's daemon loop (collector_agent run without --replay): one
// AgentStep per period until told to stop, with the Prometheus metrics
// updated after each step. Time comes in: the clock the agent reads and
// the sleep between steps are injected, so tests run the daemon on a fake
// clock without waiting.
#ifndef COLLECTOR_AGENT_DAEMON_LOOP_H_
#define COLLECTOR_AGENT_DAEMON_LOOP_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "collector/agent/agent_metrics.h"
#include "collector/agent/agent_step.h"
#include "common/clock.h"

namespace collector {
namespace agent {

struct DaemonLoopOptions {
  // Required: the agent's clock (metrics' spool age is measured on it).
  const common::Clock* clock = nullptr;
  // Between two steps. Default: 1 s.
  absl::Duration period = absl::Seconds(1);
  // Waits `period`. Default: absl::SleepFor.
  std::function<void(absl::Duration)> sleep;
  // Asked before each step; the loop ends when it says true. Required.
  std::function<bool()> stop;
  // Optional: updated after each step. The spool's files (`spool_dir`) are
  // scanned for the oldest record's age every `spool_scan_every` steps (a
  // directory walk). Default: every 10 steps.
  AgentMetrics* metrics = nullptr;
  std::string spool_dir;
  uint64_t spool_scan_every = 10;
};

// Runs `step` every `options.period` until `options.stop()`. Returns the
// number of steps run. REQUIRES: the step has a shipper.
uint64_t RunDaemonLoop(AgentStep* step, const DaemonLoopOptions& options);

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_DAEMON_LOOP_H_
