#include "collector/agent/replay_driver.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace collector {
namespace agent {
namespace {

absl::Status ApplyEvent(const nvml::ReplayJobEvent& e, NodeAgent* agent,
                        const std::string& cluster) {
  if (e.kind == nvml::ReplayJobEvent::kStart) {
    ASSIGN_OR_RETURN(JobStartRequest r, ParseJobFields(e.fields));
    return agent->StartJob(r).status();
  }
  auto get = [&e](const char* k) {
    auto it = e.fields.find(k);
    return it == e.fields.end() ? std::string() : it->second;
  };
  std::string run_id = get("run");
  if (run_id.empty()) {
    JobStartRequest r;
    r.job_id = get("job");
    r.step = get("step");
    run_id = RunId(cluster, r);
  }
  int exit_code = 0;
  if (!get("exit").empty() && !absl::SimpleAtoi(get("exit"), &exit_code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("job-end exit: got '", get("exit"), "'"));
  }
  return agent->EndJob(run_id, exit_code);
}

size_t Spooled(const spool::Spool& spool) {
  return spool.pending_count() + spool.sealed_count();
}

}  // namespace

absl::Status RunReplay(nvml::ReplayGpuSource* source, common::FakeClock* clock,
                       const std::string& cluster, AgentStepParts parts) {
  parts.source = source;
  NodeAgent* const agent = parts.agent;
  AgentStep step(std::move(parts));
  const auto& events = source->file().job_events;
  size_t next_event = 0;
  auto apply_until = [&](absl::Time t) -> absl::Status {
    while (next_event < events.size() && events[next_event].time <= t) {
      const auto& e = events[next_event++];
      clock->Set(e.time);
      agent->EmitDue();
      RETURN_IF_ERROR(ApplyEvent(e, agent, cluster));
    }
    return absl::OkStatus();
  };
  while (auto t = source->PeekTime()) {
    RETURN_IF_ERROR(apply_until(*t));
    clock->Set(*t);
    const StepResult r = step.Step();
    RETURN_IF_ERROR(r.poll);
    RETURN_IF_ERROR(r.spool);
  }
  RETURN_IF_ERROR(apply_until(absl::InfiniteFuture()));
  return step.Flush();
}

absl::Status ShipReplayed(spool::SpoolShipper* shipper,
                          const spool::Spool& spool, common::FakeClock* clock) {
  absl::Status s;
  while (Spooled(spool) > 0) {
    const spool::ShipStats& st = shipper->stats();
    const uint64_t settled = st.refused + st.number_taken;
    s = shipper->Tick();
    if (s.ok()) continue;
    if (st.refused + st.number_taken == settled) break;
    clock->Set(shipper->next_attempt());
  }
  // Everything settled (shipped, or refused and kept in rejected/).
  if (Spooled(spool) == 0) s = absl::OkStatus();
  return s;
}

}  // namespace agent
}  // namespace collector
