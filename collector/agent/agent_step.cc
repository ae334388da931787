#include "collector/agent/agent_step.h"

#include <cstdio>
#include <utility>

namespace collector {
namespace agent {

AgentStep::AgentStep(AgentStepParts parts) : parts_(std::move(parts)) {}

void AgentStep::Report(const absl::Status& s) const {
  if (parts_.report) {
    parts_.report(s);
  } else {
    std::fprintf(stderr, "collector: %s\n", s.ToString().c_str());
  }
}

void AgentStep::ApplyRequests() {
  if (parts_.control != nullptr) {
    absl::Status s = parts_.control->Apply(parts_.agent);
    if (!s.ok()) Report(s);  // the bad request file is removed
  }
  if (parts_.summaries != nullptr) {
    for (auto& summary : parts_.summaries->TakeAll()) {
      absl::Status added = parts_.agent->AddKernelSummary(std::move(summary));
      if (!added.ok()) Report(added);  // e.g. the run already ended
    }
  }
}

absl::Status AgentStep::Flush() {
  for (Record& r : parts_.agent->TakeRecords()) {
    if (parts_.observe) parts_.observe(r);
    queued_.push_back(std::move(r));
  }
  while (!queued_.empty()) {
    const Record& r = queued_.front();
    absl::Status s = parts_.spool->Enqueue(r.payload_type, r.payload);
    if (!s.ok()) return s;  // full: kept, offered again next time
    queued_.pop_front();
  }
  return absl::OkStatus();
}

StepResult AgentStep::Step() {
  StepResult result;
  ApplyRequests();
  absl::StatusOr<nvml::GpuSample> sample = parts_.source->Sample();
  result.poll = sample.status();
  if (sample.ok()) parts_.agent->OnSample(*sample);
  parts_.agent->EmitDue();
  result.spool = Flush();
  if (parts_.shipper != nullptr) {
    result.shipped = true;
    result.ship = parts_.shipper->Tick();
    // Holds are logged by the shipper on every attempt; other failures here.
    if (!result.ship.ok() &&
        result.ship != parts_.shipper->stats().hold_reason) {
      Report(result.ship);
    }
  }
  return result;
}

}  // namespace agent
}  // namespace collector
