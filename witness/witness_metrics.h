// WitnessMetrics: aifl_witness's Prometheus metrics (issue 20) on
// `serve --metrics_listen HOST:PORT`, in the text exposition format through
// Debian's prometheus-cpp (core: registry and serializer; pull: the HTTP
// exposer on its own port, as collector/agent/agent_metrics.h does). Names
// follow Prometheus conventions (aifl_witness_ prefix, _total counters,
// base units); docs/operator-guide.md ("Witness metrics") lists them:
//   aifl_witness_add_checkpoint_requests_total{code}  answers by HTTP status
//   aifl_witness_add_checkpoint_duration_seconds     histogram, headers in
//                                                    to answer ready
//   aifl_witness_cosigned_tree_size{origin}          size last cosigned (0
//                                                    before the first)
//   aifl_witness_evidence_records{origin}            split-view evidence kept
//   aifl_build_info{version}                          always 1
// The per-origin gauges are read from the witness at each scrape.
//
// Thread-safe: prometheus-cpp's metrics are atomic; CountResponse is called
// from the HTTP server's threads, scrapes come on the exposer's.
#ifndef WITNESS_WITNESS_METRICS_H_
#define WITNESS_WITNESS_METRICS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "witness/witness.h"

namespace prometheus {
class Counter;
class Exposer;
template <typename T>
class Family;
class Gauge;
class Histogram;
class Registry;
}  // namespace prometheus

namespace witness {

class WitnessMetrics {
 public:
  // Metrics of `witness` (not owned; must outlive this) in memory only
  // (Scrape() reads them; tests). `version` labels aifl_build_info.
  WitnessMetrics(const Witness* witness, const std::string& version);
  ~WitnessMetrics();
  WitnessMetrics(const WitnessMetrics&) = delete;
  WitnessMetrics& operator=(const WitnessMetrics&) = delete;

  // Also serves them on http://`listen`/metrics (host:port; port 0 picks a
  // free one, see port()). kUnavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<WitnessMetrics>> Serve(
      const Witness* witness, const std::string& version,
      const std::string& listen);

  // The bound port; 0 when not serving.
  int port() const;

  // The current metrics in the text exposition format (as /metrics sends).
  std::string Scrape() const;

  // One answer of the witness's HTTP server (WitnessHttpServerOptions::
  // on_response): counted when `path` is `prefix`/add-checkpoint.
  void CountResponse(absl::string_view prefix, absl::string_view path,
                     int status, absl::Duration elapsed);

 private:
  class Sampled;  // the registry, with the per-origin gauges read first

  const Witness* const witness_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<Sampled> sampled_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Histogram* duration_;
  prometheus::Family<prometheus::Gauge>* cosigned_size_;
  prometheus::Family<prometheus::Gauge>* evidence_;
};

}  // namespace witness

#endif  // WITNESS_WITNESS_METRICS_H_
