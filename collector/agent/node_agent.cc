#include "collector/agent/node_agent.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace collector {
namespace agent {

using aifl::collector::v1::IntervalReport;
using aifl::collector::v1::RunEnded;
using aifl::collector::v1::RunStarted;

NodeAgent::NodeAgent(AgentOptions options,
                     std::vector<nvml::GpuDeviceInfo> devices,
                     Pseudonymizer pseudonymizer, const common::Clock* clock)
    : options_(std::move(options)),
      pseudonymizer_(std::move(pseudonymizer)),
      clock_(clock) {
  for (auto& d : devices) {
    DeviceState s;
    s.chip = flop::FindChip(d.name);
    s.info = std::move(d);
    devices_.push_back(std::move(s));
  }
}

absl::StatusOr<std::string> NodeAgent::StartJob(const JobStartRequest& r) {
  absl::MutexLock lock(&mu_);
  const std::string run_id = RunId(options_.cluster, r);
  if (jobs_.count(run_id)) {
    return absl::AlreadyExistsError(
        absl::StrCat("run ", run_id, " is running"));
  }
  Job job;
  for (const std::string& g : r.gpus) {
    uint32_t index = 0;
    bool found = false;
    for (const DeviceState& d : devices_) {
      if ((absl::SimpleAtoi(g, &index) && index == d.info.index) ||
          g == d.info.uuid) {
        found = true;
        index = d.info.index;
        break;
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrCat("gpus: got '", g, "', want an index or UUID on node ",
                       options_.node));
    }
    job.devices.push_back(index);
  }
  const absl::Time now = clock_->Now();
  RunStarted& s = job.started;
  s.set_run_id(run_id);
  s.set_cluster(options_.cluster);
  s.set_scheduler_job_id(r.job_id);
  s.set_job_step(r.step);
  s.set_account(r.account);
  s.set_user_pseudonym(pseudonymizer_.Pseudonymize(r.user));
  s.set_node(options_.node);
  for (uint32_t i : job.devices) {
    const nvml::GpuDeviceInfo& d = devices_[i].info;
    auto* g = s.add_gpus();
    g->set_index(d.index);
    g->set_uuid(d.uuid);
    g->set_name(d.name);
    g->set_driver_version(d.driver_version);
    g->set_mig(d.mig);
  }
  s.set_model_id(r.model_id);
  s.set_purpose(r.purpose);
  s.set_run_label(r.run_label);
  s.set_planned_compute_flop(r.planned_compute_flop);
  s.set_start_unix_ms(absl::ToUnixMillis(now));
  job.acc.start = now;
  Emit(s, kRunStartedType);
  jobs_.emplace(run_id, std::move(job));
  return run_id;
}

absl::Status NodeAgent::EndJob(const std::string& run_id, int exit_code) {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(run_id);
  if (it == jobs_.end()) {
    return absl::NotFoundError(absl::StrCat("run ", run_id, " is not running"));
  }
  const absl::Time now = clock_->Now();
  Job& job = it->second;
  if (now > job.acc.start || job.acc.allocated_s > 0) EmitInterval(&job, now);
  RunEnded e;
  e.set_run_id(run_id);
  e.set_node(options_.node);
  e.set_end_unix_ms(absl::ToUnixMillis(now));
  e.set_exit_code(exit_code);
  e.set_intervals(job.next_index);
  Emit(e, kRunEndedType);
  jobs_.erase(it);
  return absl::OkStatus();
}

void NodeAgent::OnSample(const nvml::GpuSample& sample) {
  absl::MutexLock lock(&mu_);
  // Holders of each device; small (a handful of jobs per node).
  std::vector<std::vector<Job*>> holders(devices_.size());
  for (auto& [id, job] : jobs_) {
    for (uint32_t i : job.devices) holders[i].push_back(&job);
  }
  for (const nvml::DeviceReading& r : sample.devices) {
    if (r.index >= devices_.size()) continue;  // not a known device
    DeviceState& d = devices_[r.index];
    const EnergyDelta e =
        NextEnergyDelta(&d.energy, r.energy_mj, sample.time, options_.energy);
    const std::optional<absl::Time> prev = d.last_time;
    d.last_time = sample.time;
    const std::vector<Job*>& held = holders[r.index];
    if (held.empty() || !prev.has_value()) continue;
    const double dt = absl::ToDoubleSeconds(sample.time - *prev);
    if (dt <= 0) continue;
    const double share = 1.0 / held.size();
    std::optional<double> sm, tensor;
    if (r.sm_active_pct) sm = *r.sm_active_pct / 100.0;
    if (r.tensor_active_pct) tensor = *r.tensor_active_pct / 100.0;
    std::optional<flop::FlopEstimate> est;
    if (d.chip != nullptr) {
      est = flop::Estimate(*d.chip, {dt * share, tensor, sm, std::nullopt},
                           options_.flop);
    }
    for (Job* job : held) {
      Accum& a = job->acc;
      a.allocated_s += dt * share;
      if (held.size() > 1) a.shared = true;
      if (e.missing()) ++a.missing;
      if (e.joules > 0 || e.kind == EnergyDelta::kOk) {
        a.energy_j += e.joules * share;
        a.has_energy = true;
      }
      if (sm) {
        a.active_s += std::clamp(*sm, 0.0, 1.0) * dt * share;
        a.has_active = true;
      }
      if (est) {
        flop::Accumulate(&a.flop, *est);
        a.has_flop = true;
      }
    }
  }
}

void NodeAgent::EmitDue() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  for (auto& [id, job] : jobs_) {
    while (now >= job.acc.start + options_.interval) {
      EmitInterval(&job, job.acc.start + options_.interval);
    }
  }
}

void NodeAgent::EmitInterval(Job* job, absl::Time end) {
  Accum& a = job->acc;
  IntervalReport r;
  r.set_run_id(job->started.run_id());
  r.set_node(options_.node);
  r.set_interval_index(job->next_index++);
  r.set_start_unix_ms(absl::ToUnixMillis(a.start));
  r.set_end_unix_ms(absl::ToUnixMillis(end));
  r.set_gpu_count(job->devices.size());
  r.set_gpu_seconds_allocated(a.allocated_s);
  if (a.has_active) r.set_gpu_seconds_active(a.active_s);
  if (a.has_energy) r.set_energy_joules(a.energy_j);
  bool mig = false;
  const flop::ChipSpec* chip = nullptr;
  std::string device_name;
  for (uint32_t i : job->devices) {
    mig = mig || devices_[i].info.mig;
    if (chip == nullptr) chip = devices_[i].chip;
    if (device_name.empty()) device_name = devices_[i].info.name;
  }
  r.set_device_model(chip ? chip->model : device_name);
  if (a.has_flop) {
    absl::Status plausible =
        flop::CheckPlausible(*chip, a.flop.range, a.allocated_s);
    if (!plausible.ok()) {
      // Cannot happen with clamped fractions; never ship an implausible claim.
      std::fprintf(stderr, "collector: %s: %s\n", r.run_id().c_str(),
                   std::string(plausible.message()).c_str());
      r.mutable_flop()->set_method(
          aifl::common::v1::COMPUTE_METHOD_UNSPECIFIED);
      r.mutable_flop()->set_assumptions(
          absl::StrCat("implausible estimate withheld: ", plausible.message()));
    } else {
      *r.mutable_flop() = a.flop.range;
      r.set_precision_low(a.flop.precision_low);
      r.set_precision_high(a.flop.precision_high);
    }
  } else if (chip == nullptr) {
    r.mutable_flop()->set_assumptions(
        absl::StrCat("no FLOP estimate: device model '", device_name,
                     "' not in the chip table"));
  }
  r.set_shared_gpu(a.shared);
  r.set_mig(mig);
  r.set_merged_intervals(1);
  r.set_missing_samples(a.missing);
  r.set_model_id(job->started.model_id());
  r.set_account(job->started.account());
  r.set_purpose(job->started.purpose());
  Emit(r, kIntervalReportType);
  a = Accum();
  a.start = end;
}

absl::Status NodeAgent::AddKernelSummary(
    aifl::collector::v1::KernelSummary summary) {
  absl::MutexLock lock(&mu_);
  if (!jobs_.count(summary.run_id())) {
    return absl::NotFoundError(
        absl::StrCat("run ", summary.run_id(), " is not running"));
  }
  summary.set_node(options_.node);
  Emit(summary, kKernelSummaryType);
  return absl::OkStatus();
}

void NodeAgent::Emit(const google::protobuf::Message& m, const char* type) {
  Record rec;
  rec.payload_type = type;
  // Serialized once here; these exact bytes are spooled and signed.
  m.SerializeToString(&rec.payload);
  out_.push_back(std::move(rec));
}

std::vector<Record> NodeAgent::TakeRecords() {
  absl::MutexLock lock(&mu_);
  std::vector<Record> out;
  out.swap(out_);
  return out;
}

std::vector<std::string> NodeAgent::RunningJobs() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  for (const auto& [id, job] : jobs_) ids.push_back(id);
  return ids;
}

}  // namespace agent
}  // namespace collector
