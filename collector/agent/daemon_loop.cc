#include "collector/agent/daemon_loop.h"

#include "absl/time/clock.h"

namespace collector {
namespace agent {
namespace {

void UpdateMetrics(const AgentStep& step, const StepResult& result,
                   const DaemonLoopOptions& o, uint64_t steps) {
  AgentMetrics* m = o.metrics;
  const AgentStepParts& parts = step.parts();
  m->CountPoll(result.poll.ok());
  const spool::ShipStats& st = parts.shipper->stats();
  m->CountShipAttempt(result.ship.ok(), st.measurements_shipped,
                      st.markers_shipped, st.held > 0);
  m->SetJobsRunning(parts.agent->RunningJobs().size());
  if (steps % o.spool_scan_every == 0) {
    const spool::Spool& spool = *parts.spool;
    m->SetSpool(spool.pending_count(), spool.sealed_count(), spool.bytes(),
                OldestSpoolFileAge(o.spool_dir, o.clock->Now()));
  }
}

}  // namespace

uint64_t RunDaemonLoop(AgentStep* step, const DaemonLoopOptions& o) {
  uint64_t steps = 0;
  while (!o.stop()) {
    const StepResult result = step->Step();
    if (o.metrics != nullptr) UpdateMetrics(*step, result, o, steps);
    ++steps;
    if (o.sleep) {
      o.sleep(o.period);
    } else {
      absl::SleepFor(o.period);
    }
  }
  return steps;
}

}  // namespace agent
}  // namespace collector
