#include "office/monitor.h"

#include <utility>

namespace office {

Monitor::Monitor(std::vector<std::unique_ptr<LogFollower>> followers,
                 MonitorOptions options)
    : followers_(std::move(followers)), options_(std::move(options)) {}

Monitor::~Monitor() { Stop(); }

void Monitor::Start() {
  for (const std::unique_ptr<LogFollower>& f : followers_) {
    threads_.emplace_back(&Monitor::Follow, this, f.get());
  }
}

void Monitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void Monitor::Follow(LogFollower* follower) {
  std::optional<IndexInputWait> reported;
  while (!stop_.HasBeenNotified() && !follower->stopped()) {
    absl::StatusOr<StepOutcome> step = follower->Step();
    ReportIndexWait(*follower, &reported);
    bool again = false;
    if (!step.ok()) {
      if (options_.on_error && !follower->last_step_waited_for_input())
        options_.on_error(follower->origin(), step.status());
    } else if (step->incident.has_value()) {
      if (options_.on_incident) options_.on_incident(*step->incident);
    } else if (step->new_entries > 0) {
      if (options_.on_step) options_.on_step(follower->origin(), *step);
      // The log is growing: look for a newer checkpoint at once.
      again = true;
    }
    if (!again) stop_.WaitForNotificationWithTimeout(options_.poll_interval);
  }
}

void Monitor::ReportIndexWait(const LogFollower& follower,
                              std::optional<IndexInputWait>* reported) const {
  const std::optional<IndexInputWait>& wait = follower.index_input_wait();
  if (!wait.has_value()) {
    if (reported->has_value() && options_.on_index_wait) {
      options_.on_index_wait(follower.origin(), **reported,
                             IndexWaitNews::kEnded);
    }
    reported->reset();
    return;
  }
  const bool same = reported->has_value() && (*reported)->leaf == wait->leaf &&
                    (*reported)->named_size == wait->named_size &&
                    (*reported)->held_size == wait->held_size;
  if (options_.on_index_wait) {
    options_.on_index_wait(
        follower.origin(), *wait,
        same ? IndexWaitNews::kOngoing : IndexWaitNews::kNew);
  }
  *reported = wait;
}

}  // namespace office
