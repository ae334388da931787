// AgentMetrics: the collector agent's Prometheus metrics (text exposition
// format on /metrics), through Debian's prometheus-cpp (core: registry and
// serializer; pull: the civetweb HTTP exposer). Names follow Prometheus
// conventions: aifl_collector_ prefix, _total counters, base units.
//
// Gauges: aifl_collector_gpus (devices seen), aifl_collector_jobs_running,
// aifl_collector_spool_records{stage="pending"|"sealed"},
// aifl_collector_spool_bytes, aifl_collector_spool_oldest_record_age_seconds
// (oldest unshipped file), aifl_collector_records_held (1 while the ledger
// refuses the node's key: HOLDING). Counters: aifl_collector_samples_total
// (GPU polls with readings), aifl_collector_nvml_errors_total (polls that
// failed), aifl_collector_ship_failures_total,
// aifl_collector_records_shipped_total{kind="measurement"|"refusal_marker"}.
//
// Thread-safety: prometheus-cpp's metrics are atomic and the exposer serves
// from its own threads; call the setters from one thread (the agent's loop).
#ifndef COLLECTOR_AGENT_AGENT_METRICS_H_
#define COLLECTOR_AGENT_AGENT_METRICS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Registry;
}  // namespace prometheus

namespace collector {
namespace agent {

class AgentMetrics {
 public:
  // Metrics in memory only (Scrape() reads them; tests).
  AgentMetrics();
  ~AgentMetrics();
  AgentMetrics(const AgentMetrics&) = delete;
  AgentMetrics& operator=(const AgentMetrics&) = delete;

  // Also serves them on http://`listen`/metrics (host:port; port 0 picks a
  // free one, see port()). kUnavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<AgentMetrics>> Serve(
      const std::string& listen);

  // The bound port; 0 when not serving.
  int port() const;

  // The current metrics in the text exposition format (as /metrics sends).
  std::string Scrape() const;

  void SetGpus(size_t n);
  void SetJobsRunning(size_t n);
  // One GPU poll: readings (`ok`) or a failure.
  void CountPoll(bool ok);
  // The spool's state; `oldest_age` nullopt when it is empty.
  void SetSpool(size_t pending, size_t sealed, uint64_t bytes,
                std::optional<absl::Duration> oldest_age);
  // One shipping attempt. The totals are the shipper's running counts
  // (ShipStats): the counters advance by the difference.
  void CountShipAttempt(bool ok, uint64_t measurements_total,
                        uint64_t markers_total, bool held);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Gauge* gpus_;
  prometheus::Gauge* jobs_;
  prometheus::Counter* samples_;
  prometheus::Counter* nvml_errors_;
  prometheus::Gauge* pending_;
  prometheus::Gauge* sealed_;
  prometheus::Gauge* bytes_;
  prometheus::Gauge* oldest_age_;
  prometheus::Counter* ship_failures_;
  prometheus::Counter* shipped_measurements_;
  prometheus::Counter* shipped_markers_;
  prometheus::Gauge* held_;
  uint64_t last_measurements_ = 0;  // CountShipAttempt's caller thread only
  uint64_t last_markers_ = 0;
};

// Age of the oldest file in <spool_dir>/pending and <spool_dir>/sealed at
// `now` (by modification time: a sealed record counts from when it was
// signed), nullopt when both are empty or unreadable.
std::optional<absl::Duration> OldestSpoolFileAge(const std::string& spool_dir,
                                                 absl::Time now);

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_AGENT_METRICS_H_
