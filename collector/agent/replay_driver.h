// Feeds a recorded node (ReplayGpuSource) through the real agent loop
// (AgentStep): before each recorded poll the replay's job-start / job-end
// events up to its time are applied, each at its own time; the fake clock
// follows the replay's timestamps; each poll is one step (poll, due
// intervals, spool, and a shipping attempt when a shipper is given).
#ifndef COLLECTOR_AGENT_REPLAY_DRIVER_H_
#define COLLECTOR_AGENT_REPLAY_DRIVER_H_

#include <string>

#include "absl/status/status.h"
#include "collector/agent/agent_step.h"
#include "collector/nvml/replay_gpu_source.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_shipper.h"
#include "common/clock.h"

namespace collector {
namespace agent {

// Plays the whole replay. `parts.source` is replaced by `source`;
// `parts.agent` must read `clock`. A job event is applied with the clock at
// its time, after the intervals due by then are emitted; after the last
// poll the remaining events are applied and their records spooled. Job-end
// fields: run=<run id> or job=<id> [step=<step>], and exit=<code>.
// Returns the first error from a job event, a poll, or the spool (a replay
// does not wait for room in the spool: kResourceExhausted ends it).
absl::Status RunReplay(nvml::ReplayGpuSource* source, common::FakeClock* clock,
                       const std::string& cluster, AgentStepParts parts);

// Ships what a replay spooled, one attempt per outage or hold: attempts run
// until the spool is empty or one settles nothing. An attempt that settled
// records (refused ones, whose markers go next) but failed moves `clock` to
// the shipper's next attempt. Returns OK when the spool ends empty (all
// shipped, or refused and kept in rejected/), otherwise the last attempt's
// error. `shipper` must read `clock` and ship from `spool`.
absl::Status ShipReplayed(spool::SpoolShipper* shipper,
                          const spool::Spool& spool, common::FakeClock* clock);

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_REPLAY_DRIVER_H_
