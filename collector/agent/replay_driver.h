// Feeds a recorded node (ReplayGpuSource) through the real agent core: before
// each sample, the replay's job-start / job-end events up to that time are
// applied; the fake clock follows the replay's timestamps; after each sample
// due intervals are emitted and handed to `sink` (e.g. the spool).
#ifndef COLLECTOR_AGENT_REPLAY_DRIVER_H_
#define COLLECTOR_AGENT_REPLAY_DRIVER_H_

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "collector/agent/node_agent.h"
#include "collector/agent/record.h"
#include "collector/nvml/replay_gpu_source.h"
#include "common/clock.h"

namespace collector {
namespace agent {

using RecordSink = std::function<absl::Status(std::vector<Record>)>;

// Plays the whole replay. `agent` must have been built with `clock`. Job-end
// fields: run=<run id> or job=<id> [step=<step>], and exit=<code>.
// Returns the first error from a job event or from `sink`.
absl::Status RunReplay(nvml::ReplayGpuSource* source, NodeAgent* agent,
                       common::FakeClock* clock, const std::string& cluster,
                       const RecordSink& sink);

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_REPLAY_DRIVER_H_
