// ServerMetrics: ledger_server's Prometheus metrics (issue 20), in the text
// exposition format through Debian's prometheus-cpp (its registry and text
// serializer, as collector/agent/agent_metrics.h; the bytes go out on the
// server's existing HTTP port, see metrics_http_handler.h). Names follow
// Prometheus conventions: aifl_ prefix, _total counters, base units
// (seconds, bytes). The list, with what each means, is in
// docs/operator-guide.md ("Metrics").
//
// Values come in three ways, so the instrumented code stays thin:
//  * counters the handlers bump (Count* below: entries refused by code,
//    duplicates, fairness refusals by limiter, gRPC calls by method and code);
//  * the ledger's group commits, through ledger::CommitObserver (entries and
//    bytes appended, group size and synced-write latency histograms);
//  * gauges read at scrape time from a Sampler that LedgerServer installs
//    (tree size, checkpoint size and age, ingest queue, tree-cache lookups,
//    storage bytes).
//
// Thread-safe: prometheus-cpp's metrics are atomic; Scrape() and
// set_sampler() serialise on a mutex.
#ifndef API_SERVER_SERVER_METRICS_H_
#define API_SERVER_SERVER_METRICS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "ledger/commit_observer.h"

namespace prometheus {
class Counter;
template <typename T>
class Family;
class Gauge;
class Histogram;
class Registry;
}  // namespace prometheus

namespace api::server {

// The fairness limiters that refuse calls (api/README.md, "Fair shares per
// identity"); the `limiter` label of aifl_fairness_refusals_total.
enum class FairnessLimiter {
  kBadSignatureBackoff,  // owes bad signatures: refused before verifying
  kSubmitRate,           // Submit calls or entries per second
  kSubmitConcurrency,    // Submit batches in flight, or queued request bytes
  kIngestQueue,          // the append threads' queue is full (UNAVAILABLE)
  kWatchStreams,         // WatchFindings streams per identity
  // Deep in bad-signature backoff (transport_refusal.h): a connection
  // closed, a TLS handshake refused.
  kBadSignatureDisconnect,
  kBadSignatureHandshake,
};
inline constexpr int kFairnessLimiters = 7;

// What a scrape reads from the running server (LedgerServer fills it).
struct ServerSample {
  uint64_t tree_size = 0;
  uint64_t checkpoint_size = 0;
  double checkpoint_age_seconds = 0;
  uint64_t queued_batches = 0;  // Submit batches in the append pipeline
  uint64_t queued_request_bytes = 0;
  uint64_t tree_cache_hits = 0;  // running totals since open
  uint64_t tree_cache_misses = 0;
  uint64_t storage_bytes = 0;
  // Per witness of --witness_policy (none without one), by name: the size
  // it last cosigned and how far behind the latest offered checkpoint it is.
  struct Witness {
    std::string name;
    uint64_t cosigned_size = 0;
    uint64_t behind = 0;
  };
  std::vector<Witness> witnesses;
  // The same for each witness of the hosted index's output log
  // (--index_witness_policy, or --witness_policy when it is not given).
  std::vector<Witness> index_witnesses;
};

class ServerMetrics final : public ledger::CommitObserver {
 public:
  // `version` is reported as aifl_build_info{version=...} 1.
  explicit ServerMetrics(const std::string& version);
  ~ServerMetrics() override;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // `n` Submit entries refused with `code` (before or by the ledger).
  void CountEntriesRefused(absl::StatusCode code, int n = 1);
  // `n` Submit entries answered with their original receipt (retries).
  void CountDuplicates(int n);
  void CountFairnessRefusal(FairnessLimiter limiter);
  // One finished gRPC call. `full_method` is "/package.Service/Method"; a
  // method this binary does not serve is counted as service and method
  // "unknown" (peers choose the path: the label sets stay bounded).
  void CountCall(absl::string_view full_method, absl::StatusCode code);

  // ledger::CommitObserver.
  void OnGroupCommit(const ledger::GroupCommitStats& stats) override;

  // Called by every Scrape() for the gauges; null: they stay as last set.
  // Install and clear it while no scrape may use what it reads (LedgerServer
  // clears it before stopping).
  void set_sampler(std::function<ServerSample()> sampler);

  // The current metrics in the text exposition format (version 0.0.4).
  std::string Scrape();

 private:
  // Registers the gauges and counters the sampler (set_sampler) sets.
  void RegisterSampledMetrics(prometheus::Registry& r);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* refused_;
  prometheus::Family<prometheus::Counter>* calls_;
  prometheus::Counter* appended_entries_;
  prometheus::Counter* appended_bytes_;
  prometheus::Counter* duplicates_;
  prometheus::Counter* failed_commits_;
  prometheus::Counter* fairness_[kFairnessLimiters];
  prometheus::Histogram* group_entries_;
  prometheus::Histogram* sync_seconds_;
  prometheus::Gauge* tree_size_;
  prometheus::Gauge* checkpoint_size_;
  prometheus::Gauge* checkpoint_age_;
  prometheus::Gauge* queued_batches_;
  prometheus::Gauge* queued_bytes_;
  prometheus::Gauge* storage_bytes_;
  prometheus::Family<prometheus::Gauge>* witness_cosigned_;
  prometheus::Family<prometheus::Gauge>* witness_behind_;
  prometheus::Family<prometheus::Gauge>* index_witness_cosigned_;
  prometheus::Family<prometheus::Gauge>* index_witness_behind_;
  prometheus::Counter* cache_hits_;
  prometheus::Counter* cache_misses_;

  absl::Mutex mu_;
  std::function<ServerSample()> sampler_ ABSL_GUARDED_BY(mu_);
  uint64_t last_hits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t last_misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace api::server

#endif  // API_SERVER_SERVER_METRICS_H_
