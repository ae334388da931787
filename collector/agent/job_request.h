// A job's identity as the scheduler prolog (or `collector_agent job-start`)
// gives it, and its parsing from key=value fields and from Slurm's
// environment. Pure: no clock, no I/O.
#ifndef COLLECTOR_AGENT_JOB_REQUEST_H_
#define COLLECTOR_AGENT_JOB_REQUEST_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "schema/common.pb.h"

namespace collector {
namespace agent {

struct JobStartRequest {
  std::string job_id;   // scheduler job id (required)
  std::string step;     // "" when the whole job
  std::string account;  // scheduler account (project)
  std::string user;     // clear user name: pseudonymised on arrival, dropped
  // GPUs as the scheduler names them: NVML indices ("0") or UUIDs ("GPU-…",
  // "MIG-…"). Resolved against the node's devices by the agent.
  std::vector<std::string> gpus;
  std::string model_id;
  aifl::common::v1::RunPurpose purpose =
      aifl::common::v1::RUN_PURPOSE_UNSPECIFIED;
  double planned_compute_flop = 0;
  std::string run_label;
};

// run_id = "<cluster>/<job>[.<step>]".
std::string RunId(const std::string& cluster, const JobStartRequest& r);

// From key=value fields: job, step, account, user, gpus (comma list),
// model, purpose (a RunPurpose name, e.g. PRE_TRAINING), budget (FLOP),
// label. kInvalidArgument on an unknown key, a bad number or purpose, or a
// missing job / gpus.
absl::StatusOr<JobStartRequest> ParseJobFields(
    const std::map<std::string, std::string>& fields);

// From a Slurm prolog / job environment: SLURM_JOB_ID, SLURM_STEP_ID,
// SLURM_JOB_ACCOUNT, SLURM_JOB_USER (or USER), and GPUs from SLURM_JOB_GPUS,
// else CUDA_VISIBLE_DEVICES. Declared fields come from AIFL_MODEL_ID,
// AIFL_PURPOSE, AIFL_PLANNED_FLOP, AIFL_RUN_LABEL. kInvalidArgument when
// SLURM_JOB_ID or the GPUs are missing.
absl::StatusOr<JobStartRequest> ParseSlurmEnv(
    const std::map<std::string, std::string>& env);

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_JOB_REQUEST_H_
