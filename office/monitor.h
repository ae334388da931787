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
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "office/log_follower.h"

namespace office {

// What on_index_wait reports about an index's output log waiting for its
// input (LogFollower::index_input_wait).
enum class IndexWaitNews {
  kNew,      // first seen, or its sizes changed since the last report
  kOngoing,  // as last reported (only `seen` moved)
  kEnded,    // the leaf replayed (the input caught up) or the log was
             // stopped: `wait` is the one last reported
};

struct MonitorOptions {
  // Pause between two steps of one log that found nothing new or failed.
  // Default: 1 s.
  absl::Duration poll_interval = absl::Seconds(1);
  FollowerOptions follower;
  // Called once when a log is stopped (also never again after a restart).
  std::function<void(const LogIncident&)> on_incident;
  // Called after each step that verified new entries.
  std::function<void(const std::string& origin, const StepOutcome&)> on_step;
  // Called when a step failed (the log is tried again after the interval);
  // not for an index's output log waiting for its input (on_index_wait).
  std::function<void(const std::string& origin, const absl::Status&)> on_error;
  // Called after every step of an index's output log waiting for its input,
  // and once when the wait ends. Never an incident: the output log may be
  // served ahead of its input, and the wait may end any time.
  std::function<void(const std::string& origin, const IndexInputWait& wait,
                     IndexWaitNews news)>
      on_index_wait;
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
  // Calls on_index_wait for `follower`'s wait after a step; `reported` is
  // the wait reported last (the follower thread's own).
  void ReportIndexWait(const LogFollower& follower,
                       std::optional<IndexInputWait>* reported) const;

  std::vector<std::unique_ptr<LogFollower>> followers_;
  const MonitorOptions options_;
  absl::Notification stop_;
  std::vector<std::thread> threads_;
};

}  // namespace office

#endif  // OFFICE_MONITOR_H_
