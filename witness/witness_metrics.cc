#include "witness/witness_metrics.h"

#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/metrics_exposer.h"
#include "common/status_macros.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace witness {

// What the exposer and Scrape() collect: the per-origin gauges set from the
// witness's state, then the registry.
class WitnessMetrics::Sampled : public prometheus::Collectable {
 public:
  explicit Sampled(const WitnessMetrics* metrics) : metrics_(metrics) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    for (const OriginSummary& o : metrics_->witness_->Summaries()) {
      metrics_->cosigned_size_->Add({{"origin", o.origin}})
          .Set(static_cast<double>(o.cosigned_size.value_or(0)));
      metrics_->evidence_->Add({{"origin", o.origin}})
          .Set(static_cast<double>(o.evidence_records));
    }
    return metrics_->registry_->Collect();
  }

 private:
  const WitnessMetrics* const metrics_;
};

WitnessMetrics::WitnessMetrics(const Witness* witness,
                               const std::string& version)
    : witness_(witness),
      registry_(std::make_shared<prometheus::Registry>()),
      sampled_(std::make_shared<Sampled>(this)) {
  prometheus::Registry& r = *registry_;
  prometheus::BuildGauge()
      .Name("aifl_build_info")
      .Help("Always 1; the version label names the aifl_witness build.")
      .Register(r)
      .Add({{"version", version}})
      .Set(1);
  requests_ = &prometheus::BuildCounter()
                   .Name("aifl_witness_add_checkpoint_requests_total")
                   .Help(
                       "add-checkpoint requests answered, by HTTP status "
                       "(200 cosigned, 409 conflict, 422 bad proof, ...).")
                   .Register(r);
  // A synced RocksDB write dominates: about a millisecond on SSDs.
  duration_ = &prometheus::BuildHistogram()
                   .Name("aifl_witness_add_checkpoint_duration_seconds")
                   .Help(
                       "Time from an add-checkpoint request's headers to its "
                       "answer (verify, prove, sign, synced write).")
                   .Register(r)
                   .Add({}, prometheus::Histogram::BucketBoundaries{
                                0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
                                0.1, 0.2, 0.5, 1, 2, 5});
  cosigned_size_ = &prometheus::BuildGauge()
                        .Name("aifl_witness_cosigned_tree_size")
                        .Help(
                            "Tree size this witness last cosigned for the "
                            "log (0 before the first).")
                        .Register(r);
  evidence_ = &prometheus::BuildGauge()
                   .Name("aifl_witness_evidence_records")
                   .Help(
                       "Split-view evidence records kept for the log "
                       "(refused, validly signed, contradicting "
                       "checkpoints; GET /evidence).")
                   .Register(r);
}

WitnessMetrics::~WitnessMetrics() = default;

absl::StatusOr<std::unique_ptr<WitnessMetrics>> WitnessMetrics::Serve(
    const Witness* witness, const std::string& version,
    const std::string& listen) {
  auto metrics = std::make_unique<WitnessMetrics>(witness, version);
  ASSIGN_OR_RETURN(
      metrics->exposer_,
      common::ExposeMetrics("--metrics_listen", listen, metrics->sampled_));
  return metrics;
}

int WitnessMetrics::port() const { return common::ExposerPort(exposer_.get()); }

std::string WitnessMetrics::Scrape() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, sampled_->Collect());
  return out.str();
}

void WitnessMetrics::CountResponse(absl::string_view prefix,
                                   absl::string_view path, int status,
                                   absl::Duration elapsed) {
  if (path != absl::StrCat(prefix, "/add-checkpoint")) return;
  requests_->Add({{"code", absl::StrCat(status)}}).Increment();
  duration_->Observe(absl::ToDoubleSeconds(elapsed));
}

}  // namespace witness
