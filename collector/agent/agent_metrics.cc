#include "collector/agent/agent_metrics.h"

#include <dirent.h>
#include <sys/stat.h>

#include <exception>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/metrics_exposer.h"
#include "common/status_macros.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace collector {
namespace agent {
namespace {

prometheus::Gauge* NewGauge(prometheus::Registry& r, const std::string& name,
                            const std::string& help,
                            const prometheus::Labels& labels = {}) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(r).Add(
      labels);
}

prometheus::Counter* NewCounter(prometheus::Registry& r,
                                const std::string& name,
                                const std::string& help,
                                const prometheus::Labels& labels = {}) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(r).Add(
      labels);
}

// The oldest modification time among the regular files directly in `dir`.
std::optional<absl::Time> OldestIn(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return std::nullopt;
  std::optional<absl::Time> oldest;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) {
      continue;  // gone meanwhile (shipped), or not a record
    }
    const absl::Time t = absl::TimeFromTimespec(st.st_mtim);
    if (!oldest || t < *oldest) oldest = t;
  }
  closedir(d);
  return oldest;
}

}  // namespace

AgentMetrics::AgentMetrics()
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;
  gpus_ = NewGauge(r, "aifl_collector_gpus",
                   "GPUs (and MIG devices) the collector agent sees.");
  jobs_ = NewGauge(r, "aifl_collector_jobs_running",
                   "Runs started on this node and not ended yet.");
  samples_ = NewCounter(r, "aifl_collector_samples_total",
                        "GPU polls that returned readings.");
  nvml_errors_ = NewCounter(r, "aifl_collector_nvml_errors_total",
                            "GPU polls that failed (no readings).");
  auto& records = prometheus::BuildGauge()
                      .Name("aifl_collector_spool_records")
                      .Help("Records in the spool, not shipped yet, by stage.")
                      .Register(r);
  pending_ = &records.Add({{"stage", "pending"}});
  sealed_ = &records.Add({{"stage", "sealed"}});
  bytes_ = NewGauge(r, "aifl_collector_spool_bytes",
                    "Bytes of the spool's pending and sealed records.");
  oldest_age_ = NewGauge(
      r, "aifl_collector_spool_oldest_record_age_seconds",
      "Age of the oldest unshipped record in the spool (0 when empty).");
  ship_failures_ = NewCounter(r, "aifl_collector_ship_failures_total",
                              "Shipping attempts that failed.");
  auto& shipped = prometheus::BuildCounter()
                      .Name("aifl_collector_records_shipped_total")
                      .Help("Records the ledger proved included, by kind.")
                      .Register(r);
  shipped_measurements_ = &shipped.Add({{"kind", "measurement"}});
  shipped_markers_ = &shipped.Add({{"kind", "refusal_marker"}});
  held_ = NewGauge(r, "aifl_collector_records_held",
                   "1 while the ledger does not accept this node's key or "
                   "certificate and records are held in the spool.");
}

AgentMetrics::~AgentMetrics() = default;

absl::StatusOr<std::unique_ptr<AgentMetrics>> AgentMetrics::Serve(
    const std::string& listen) {
  auto metrics = std::make_unique<AgentMetrics>();
  ASSIGN_OR_RETURN(
      metrics->exposer_,
      common::ExposeMetrics("--metrics_listen", listen, metrics->registry_));
  return metrics;
}

int AgentMetrics::port() const { return common::ExposerPort(exposer_.get()); }

std::string AgentMetrics::Scrape() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

void AgentMetrics::SetGpus(size_t n) { gpus_->Set(static_cast<double>(n)); }

void AgentMetrics::SetJobsRunning(size_t n) {
  jobs_->Set(static_cast<double>(n));
}

void AgentMetrics::CountPoll(bool ok) {
  (ok ? samples_ : nvml_errors_)->Increment();
}

void AgentMetrics::SetSpool(size_t pending, size_t sealed, uint64_t bytes,
                            std::optional<absl::Duration> oldest_age) {
  pending_->Set(static_cast<double>(pending));
  sealed_->Set(static_cast<double>(sealed));
  bytes_->Set(static_cast<double>(bytes));
  oldest_age_->Set(oldest_age ? absl::ToDoubleSeconds(*oldest_age) : 0);
}

void AgentMetrics::CountShipAttempt(bool ok, uint64_t measurements_total,
                                    uint64_t markers_total, bool held) {
  if (!ok) ship_failures_->Increment();
  if (measurements_total > last_measurements_) {
    shipped_measurements_->Increment(
        static_cast<double>(measurements_total - last_measurements_));
  }
  if (markers_total > last_markers_) {
    shipped_markers_->Increment(
        static_cast<double>(markers_total - last_markers_));
  }
  last_measurements_ = measurements_total;
  last_markers_ = markers_total;
  held_->Set(held ? 1 : 0);
}

std::optional<absl::Duration> OldestSpoolFileAge(const std::string& spool_dir,
                                                 absl::Time now) {
  std::optional<absl::Time> oldest;
  for (const char* stage : {"/pending", "/sealed"}) {
    std::optional<absl::Time> t = OldestIn(spool_dir + stage);
    if (t && (!oldest || *t < *oldest)) oldest = t;
  }
  if (!oldest) return std::nullopt;
  return now > *oldest ? now - *oldest : absl::ZeroDuration();
}

}  // namespace agent
}  // namespace collector
