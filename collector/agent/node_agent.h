// NodeAgent: the agent's core. Keeps the jobs running on this node, takes
// GPU samples (one a second from a GpuSource), attributes per-device counter
// deltas to the jobs holding each device, and emits unsigned payload records:
// RunStarted, IntervalReport every `interval` per job, RunEnded. No I/O: the
// caller moves records to the spool (TakeRecords) and picks the clock.
//
// Attribution (collector/README.md): a device held by n > 1 jobs is split
// evenly (energy, allocated and active GPU-seconds, FLOP) and every such job's
// interval is marked shared_gpu, so per-job sums equal the device's totals
// and nothing is counted twice. MIG devices are marked mig; NVML gives
// energy per physical GPU, so jobs on MIG instances of one GPU share it.
// Devices held by no job are not attributed.
//
// Thread-safe: the poller calls OnSample/EmitDue while the control socket
// calls StartJob/EndJob.
#ifndef COLLECTOR_AGENT_NODE_AGENT_H_
#define COLLECTOR_AGENT_NODE_AGENT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/agent/energy_counter.h"
#include "collector/agent/job_request.h"
#include "collector/agent/pseudonym.h"
#include "collector/agent/record.h"
#include "collector/flop/flop_accounting.h"
#include "collector/nvml/gpu_source.h"
#include "common/clock.h"
#include "schema/collector.pb.h"

namespace collector {
namespace agent {

struct AgentOptions {
  std::string cluster = "cluster";  // first part of run ids
  std::string node = "node";        // this node's name
  // Length of one IntervalReport. Default: 5 minutes.
  absl::Duration interval = absl::Minutes(5);
  flop::FlopAssumptions flop;
  EnergyCounterPolicy energy;
};

class NodeAgent {
 public:
  // `clock` stamps job start/end and decides when intervals are due; not
  // owned, must outlive the agent.
  NodeAgent(AgentOptions options, std::vector<nvml::GpuDeviceInfo> devices,
            Pseudonymizer pseudonymizer, const common::Clock* clock);

  // Registers a job and emits RunStarted. Returns the run id.
  // kInvalidArgument: a GPU that is not on this node; kAlreadyExists: the run
  // is already running.
  absl::StatusOr<std::string> StartJob(const JobStartRequest& request);

  // Emits the job's last (partial) interval and RunEnded. kNotFound when the
  // run is not running.
  absl::Status EndJob(const std::string& run_id, int exit_code);

  // Attributes one sample to the jobs holding each device.
  void OnSample(const nvml::GpuSample& sample);

  // Emits every interval that has ended by the clock's now.
  void EmitDue();

  // Records a job-declared KernelSummary (from the CUPTI library) for a
  // running job. kNotFound when the run is not running.
  absl::Status AddKernelSummary(aifl::collector::v1::KernelSummary summary);

  // Moves out the records emitted so far, oldest first.
  std::vector<Record> TakeRecords();

  // Run ids currently running.
  std::vector<std::string> RunningJobs() const;

 private:
  struct Accum {
    absl::Time start;
    double allocated_s = 0;
    double energy_j = 0;
    bool has_energy = false;
    double active_s = 0;
    bool has_active = false;
    flop::FlopEstimate flop;
    bool has_flop = false;
    uint32_t missing = 0;
    bool shared = false;
  };
  struct Job {
    aifl::collector::v1::RunStarted started;
    std::vector<uint32_t> devices;
    uint64_t next_index = 0;
    Accum acc;
  };
  struct DeviceState {
    nvml::GpuDeviceInfo info;
    const flop::ChipSpec* chip = nullptr;
    EnergyCounterState energy;
    std::optional<absl::Time> last_time;
  };

  void EmitInterval(Job* job, absl::Time end)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Emit(const google::protobuf::Message& m, const char* type)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const AgentOptions options_;
  const Pseudonymizer pseudonymizer_;
  const common::Clock* const clock_;
  mutable absl::Mutex mu_;
  std::vector<DeviceState> devices_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Job> jobs_ ABSL_GUARDED_BY(mu_);
  std::vector<Record> out_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_NODE_AGENT_H_
