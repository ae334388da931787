// MonitorMetrics: office_monitor's Prometheus metrics on --metrics_listen
// (issue 20's monitor part), through Debian's prometheus-cpp (registry and
// text serializer; the pull exposer on its own port, common/metrics_exposer.h):
//   aifl_monitor_verified_entries{origin}        entries verified and mirrored
//   aifl_monitor_checkpoint_size{origin}         the accepted checkpoint's size
//   aifl_monitor_follow_lag_entries{origin}      accepted size - verified
//   aifl_monitor_entries_verified_total{origin}  counter, this process
//   aifl_monitor_incidents_total{origin,kind}    logs stopped, by kind
//   aifl_monitor_log_stopped{origin}             1 when stopped
//   aifl_monitor_follow_errors_total{origin}     failed steps (unreachable,
//                                                unsigned, no quorum)
//   aifl_monitor_index_input_wait_seconds{origin}  an index's output log:
//                                                how long (as of its last
//                                                step) an update has waited
//                                                for an input size the
//                                                mirror does not hold; 0:
//                                                none waits
//   aifl_monitor_index_input_gap_entries{origin}  that update's input size
//                                                minus the input's mirrored
//                                                size; 0: none waits
//   aifl_build_info{version}                      always 1
// Alert on any incident, on log_stopped, on a lag or error count that
// keeps growing, and on an index input wait longer than the input's usual
// lag (docs/ai-office-monitor.md).
//
// Thread-safe: prometheus-cpp's metrics are atomic; the followers' threads
// update, the exposer's thread collects.
#ifndef OFFICE_MONITOR_METRICS_H_
#define OFFICE_MONITOR_METRICS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "office/log_incident.h"

namespace prometheus {
class Counter;
class Exposer;
template <typename T>
class Family;
class Gauge;
class Registry;
}  // namespace prometheus

namespace office {

class MonitorMetrics {
 public:
  // In memory only (Scrape() reads them; tests).
  explicit MonitorMetrics(const std::string& version);
  ~MonitorMetrics();
  MonitorMetrics(const MonitorMetrics&) = delete;
  MonitorMetrics& operator=(const MonitorMetrics&) = delete;

  // Also serves them on http://`listen`/metrics. kUnavailable when the
  // address cannot be bound.
  absl::Status Serve(const std::string& listen);
  int port() const;  // 0 when not serving

  // A log's sizes after a commit (or at start); `new_entries` verified since
  // the last call.
  void Progress(const std::string& origin, uint64_t verified_size,
                uint64_t checkpoint_size, uint64_t new_entries);
  void Stopped(const std::string& origin);
  void Incident(const LogIncident& incident);
  void Error(const std::string& origin);
  // An index's output log waiting `waited` so far for an input size
  // `gap` entries beyond the input's mirror (LogFollower::index_input_wait),
  // and no longer waiting (also at start: 0).
  void IndexInputWaiting(const std::string& origin, absl::Duration waited,
                         uint64_t gap);
  void IndexInputNotWaiting(const std::string& origin);

  // The current metrics in the text exposition format.
  std::string Scrape() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Gauge>* verified_;
  prometheus::Family<prometheus::Gauge>* checkpoint_;
  prometheus::Family<prometheus::Gauge>* lag_;
  prometheus::Family<prometheus::Counter>* verified_total_;
  prometheus::Family<prometheus::Counter>* incidents_;
  prometheus::Family<prometheus::Gauge>* stopped_;
  prometheus::Family<prometheus::Counter>* errors_;
  prometheus::Family<prometheus::Gauge>* index_wait_;
  prometheus::Family<prometheus::Gauge>* index_gap_;
};

}  // namespace office

#endif  // OFFICE_MONITOR_METRICS_H_
