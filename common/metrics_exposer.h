// Serves Prometheus metrics on a port of their own: prometheus-cpp's pull
// exposer (civetweb) on http://HOST:PORT/metrics, for the daemons that have
// no HTTP server of their own to put /metrics on (collector_agent,
// aifl_witness; ledger_server serves it beside its tiles instead).
// Thread-safe as prometheus-cpp is: the exposer collects on its own thread.
#ifndef COMMON_METRICS_EXPOSER_H_
#define COMMON_METRICS_EXPOSER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace prometheus {
class Collectable;
class Exposer;
}  // namespace prometheus

namespace common {

// Binds `listen` ("HOST:PORT"; port 0 picks a free one) and serves
// `metrics` on /metrics until the exposer is destroyed. kUnavailable naming
// `flag` and the address when it cannot be bound (prometheus-cpp throws).
absl::StatusOr<std::unique_ptr<prometheus::Exposer>> ExposeMetrics(
    const std::string& flag, const std::string& listen,
    std::shared_ptr<prometheus::Collectable> metrics);

// The port `exposer` listens on; 0 for null.
int ExposerPort(const prometheus::Exposer* exposer);

}  // namespace common

#endif  // COMMON_METRICS_EXPOSER_H_
