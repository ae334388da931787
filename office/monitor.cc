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
  while (!stop_.HasBeenNotified() && !follower->stopped()) {
    absl::StatusOr<StepOutcome> step = follower->Step();
    bool again = false;
    if (!step.ok()) {
      if (options_.on_error)
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

}  // namespace office
