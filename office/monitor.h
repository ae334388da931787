// Monitor: follows every log of the config, each on its own thread (a slow
// or hostile log never holds the others up), one LogFollower step per poll
// interval, until stopped. Incidents and steps are reported through
// callbacks (the binary logs them as events); the mirror keeps them.
//
// Thread-safe: Start and Stop from one thread; the callbacks run on the
// follower threads.
#ifndef OFFICE_MONITOR_H_
#define OFFICE_MONITOR_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "office/log_follower.h"

namespace office {

struct MonitorOptions {
  // Pause between two steps of one log that found nothing new or failed.
  // Default: 1 s.
  absl::Duration poll_interval = absl::Seconds(1);
  FollowerOptions follower;
  // Called once when a log is stopped (also never again after a restart).
  std::function<void(const LogIncident&)> on_incident;
  // Called after each step that verified new entries.
  std::function<void(const std::string& origin, const StepOutcome&)> on_step;
  // Called when a step failed (the log is tried again after the interval).
  std::function<void(const std::string& origin, const absl::Status&)> on_error;
};

class Monitor {
 public:
  // Takes the followers (LogFollower::Create for each configured log).
  Monitor(std::vector<std::unique_ptr<LogFollower>> followers,
          MonitorOptions options);
  ~Monitor();  // Stop()

  // Starts one thread per log.
  void Start();
  // Asks every thread to finish its step and joins them.
  void Stop();

 private:
  void Follow(LogFollower* follower);

  std::vector<std::unique_ptr<LogFollower>> followers_;
  const MonitorOptions options_;
  absl::Notification stop_;
  std::vector<std::thread> threads_;
};

}  // namespace office

#endif  // OFFICE_MONITOR_H_
