#include "collector/agent/job_request.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace collector {
namespace agent {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  return absl::StrSplit(s, ',', absl::SkipWhitespace());
}

absl::Status SetPurpose(const std::string& v, JobStartRequest* r) {
  if (!aifl::common::v1::RunPurpose_Parse(v, &r->purpose)) {
    return absl::InvalidArgumentError(
        absl::StrCat("purpose: got '", v, "', want a RunPurpose name"));
  }
  return absl::OkStatus();
}

absl::Status SetBudget(const std::string& v, JobStartRequest* r) {
  if (!absl::SimpleAtod(v, &r->planned_compute_flop) ||
      r->planned_compute_flop < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("budget: got '", v, "', want FLOP >= 0"));
  }
  return absl::OkStatus();
}

absl::Status Validate(const JobStartRequest& r) {
  if (r.job_id.empty()) return absl::InvalidArgumentError("job: missing");
  if (r.gpus.empty()) return absl::InvalidArgumentError("gpus: missing");
  return absl::OkStatus();
}

}  // namespace

std::string RunId(const std::string& cluster, const JobStartRequest& r) {
  return r.step.empty() ? absl::StrCat(cluster, "/", r.job_id)
                        : absl::StrCat(cluster, "/", r.job_id, ".", r.step);
}

absl::StatusOr<JobStartRequest> ParseJobFields(
    const std::map<std::string, std::string>& fields) {
  JobStartRequest r;
  for (const auto& [k, v] : fields) {
    absl::Status s;
    if (k == "job") {
      r.job_id = v;
    } else if (k == "step") {
      r.step = v;
    } else if (k == "account") {
      r.account = v;
    } else if (k == "user") {
      r.user = v;
    } else if (k == "gpus") {
      r.gpus = SplitList(v);
    } else if (k == "model") {
      r.model_id = v;
    } else if (k == "purpose") {
      s = SetPurpose(v, &r);
    } else if (k == "budget") {
      s = SetBudget(v, &r);
    } else if (k == "label") {
      r.run_label = v;
    } else {
      s = absl::InvalidArgumentError(
          absl::StrCat("unknown job field '", k, "'"));
    }
    if (!s.ok()) return s;
  }
  absl::Status s = Validate(r);
  if (!s.ok()) return s;
  return r;
}

absl::StatusOr<JobStartRequest> ParseSlurmEnv(
    const std::map<std::string, std::string>& env) {
  auto get = [&env](const char* k) -> std::string {
    auto it = env.find(k);
    return it == env.end() ? "" : it->second;
  };
  JobStartRequest r;
  r.job_id = get("SLURM_JOB_ID");
  r.step = get("SLURM_STEP_ID");
  r.account = get("SLURM_JOB_ACCOUNT");
  r.user = get("SLURM_JOB_USER").empty() ? get("USER") : get("SLURM_JOB_USER");
  std::string gpus = get("SLURM_JOB_GPUS");
  if (gpus.empty()) gpus = get("CUDA_VISIBLE_DEVICES");
  r.gpus = SplitList(gpus);
  r.model_id = get("AIFL_MODEL_ID");
  r.run_label = get("AIFL_RUN_LABEL");
  if (!get("AIFL_PURPOSE").empty()) {
    absl::Status s = SetPurpose(get("AIFL_PURPOSE"), &r);
    if (!s.ok()) return s;
  }
  if (!get("AIFL_PLANNED_FLOP").empty()) {
    absl::Status s = SetBudget(get("AIFL_PLANNED_FLOP"), &r);
    if (!s.ok()) return s;
  }
  absl::Status s = Validate(r);
  if (!s.ok()) return s;
  return r;
}

}  // namespace agent
}  // namespace collector
