#include "office/monitor_metrics.h"

#include <utility>

#include "common/metrics_exposer.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace office {
namespace {

prometheus::Family<prometheus::Gauge>* Gauge(prometheus::Registry& r,
                                             const std::string& name,
                                             const std::string& help) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

prometheus::Family<prometheus::Counter>* Counter(prometheus::Registry& r,
                                                 const std::string& name,
                                                 const std::string& help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(r);
}

}  // namespace

MonitorMetrics::MonitorMetrics(const std::string& version)
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;
  Gauge(r, "aifl_build_info",
        "Always 1; the version label names the office_monitor build.")
      ->Add({{"version", version}})
      .Set(1);
  verified_ = Gauge(r, "aifl_monitor_verified_entries",
                    "Entries of the log verified and mirrored.");
  checkpoint_ = Gauge(r, "aifl_monitor_checkpoint_size",
                      "Tree size of the log's accepted checkpoint.");
  lag_ = Gauge(r, "aifl_monitor_follow_lag_entries",
               "Entries of the accepted checkpoint not verified yet.");
  verified_total_ = Counter(r, "aifl_monitor_entries_verified_total",
                            "Entries verified by this process.");
  incidents_ = Counter(r, "aifl_monitor_incidents_total",
                       "Logs stopped for a fork, rollback, bad tile or bad "
                       "entry (kind).");
  stopped_ = Gauge(r, "aifl_monitor_log_stopped",
                   "1 when the monitor stopped following the log.");
  errors_ = Counter(r, "aifl_monitor_follow_errors_total",
                    "Follow steps that failed (source unreachable, unsigned "
                    "checkpoint, quorum not met); retried.");
  index_wait_ = Gauge(r, "aifl_monitor_index_input_wait_seconds",
                      "An index output log: seconds an update has waited for "
                      "an input size the mirror does not hold (0: none).");
  index_gap_ = Gauge(r, "aifl_monitor_index_input_gap_entries",
                     "An index output log: the input size the waiting update "
                     "names minus the input's mirrored size (0: none).");
}

MonitorMetrics::~MonitorMetrics() = default;

absl::Status MonitorMetrics::Serve(const std::string& listen) {
  absl::StatusOr<std::unique_ptr<prometheus::Exposer>> exposer =
      common::ExposeMetrics("--metrics_listen", listen, registry_);
  if (!exposer.ok()) return exposer.status();
  exposer_ = *std::move(exposer);
  return absl::OkStatus();
}

int MonitorMetrics::port() const { return common::ExposerPort(exposer_.get()); }

void MonitorMetrics::Progress(const std::string& origin, uint64_t verified_size,
                              uint64_t checkpoint_size, uint64_t new_entries) {
  verified_->Add({{"origin", origin}}).Set(static_cast<double>(verified_size));
  checkpoint_->Add({{"origin", origin}})
      .Set(static_cast<double>(checkpoint_size));
  lag_->Add({{"origin", origin}})
      .Set(static_cast<double>(checkpoint_size - verified_size));
  verified_total_->Add({{"origin", origin}})
      .Increment(static_cast<double>(new_entries));
  stopped_->Add({{"origin", origin}});
  errors_->Add({{"origin", origin}});
}

void MonitorMetrics::Stopped(const std::string& origin) {
  stopped_->Add({{"origin", origin}}).Set(1);
}

void MonitorMetrics::Incident(const LogIncident& incident) {
  incidents_
      ->Add({{"origin", incident.origin},
             {"kind", std::string(IncidentKindName(incident.kind))}})
      .Increment();
  Stopped(incident.origin);
}

void MonitorMetrics::Error(const std::string& origin) {
  errors_->Add({{"origin", origin}}).Increment();
}

std::string MonitorMetrics::Scrape() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void MonitorMetrics::IndexInputWaiting(const std::string& origin,
                                       absl::Duration waited, uint64_t gap) {
  index_wait_->Add({{"origin", origin}}).Set(absl::ToDoubleSeconds(waited));
  index_gap_->Add({{"origin", origin}}).Set(static_cast<double>(gap));
}

void MonitorMetrics::IndexInputNotWaiting(const std::string& origin) {
  index_wait_->Add({{"origin", origin}}).Set(0);
  index_gap_->Add({{"origin", origin}}).Set(0);
}

}  // namespace office
