#include "api/server/server_metrics.h"

#include <sstream>
#include <utility>

#include "google/protobuf/descriptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace api::server {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

constexpr const char* kLimiterNames[] = {
    "bad_signature_backoff",  "submit_rate",   "submit_concurrency",
    "ingest_queue",           "watch_streams", "bad_signature_disconnect",
    "bad_signature_handshake"};
static_assert(sizeof(kLimiterNames) / sizeof(kLimiterNames[0]) ==
              kFairnessLimiters);

prometheus::Counter* NewCounter(prometheus::Registry& r, const char* name,
                                const char* help) {
  return &BuildCounter().Name(name).Help(help).Register(r).Add({});
}

prometheus::Gauge* NewGauge(prometheus::Registry& r, const char* name,
                            const char* help) {
  return &BuildGauge().Name(name).Help(help).Register(r).Add({});
}

// "/package.Service/Method" → {"package.Service", "Method"} when this binary
// serves it (its descriptor is linked in, or it is gRPC's built-in health
// service), else {"unknown", "unknown"}.
std::pair<std::string, std::string> ServedMethod(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (path.size() > 1 && path[0] == '/' && slash != absl::string_view::npos &&
      slash > 1) {
    std::string service(path.substr(1, slash - 1));
    std::string method(path.substr(slash + 1));
    const bool health = service == "grpc.health.v1.Health" &&
                        (method == "Check" || method == "Watch");
    if (health ||
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            service + "." + method) != nullptr) {
      return {std::move(service), std::move(method)};
    }
  }
  return {"unknown", "unknown"};
}

}  // namespace

ServerMetrics::ServerMetrics(const std::string& version)
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;
  BuildGauge()
      .Name("aifl_build_info")
      .Help("Always 1; the version label names the ledger_server build.")
      .Register(r)
      .Add({{"version", version}})
      .Set(1);
  appended_entries_ =
      NewCounter(r, "aifl_ledger_appended_entries_total",
                 "Entries durably appended to the log (all callers).");
  appended_bytes_ = NewCounter(r, "aifl_ledger_appended_bytes_total",
                               "Leaf bytes durably appended to the log.");
  failed_commits_ = NewCounter(
      r, "aifl_ledger_group_commit_failures_total",
      "Group commits whose synced write failed (nothing acknowledged).");
  group_entries_ =
      &BuildHistogram()
           .Name("aifl_ledger_group_commit_entries")
           .Help("Entries written by one group commit (one synced write).")
           .Register(r)
           .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 5, 10, 20, 50,
                                                            100, 200, 500, 1000,
                                                            2000, 5000, 8192});
  sync_seconds_ =
      &BuildHistogram()
           .Name("aifl_ledger_group_commit_sync_seconds")
           .Help(
               "Time of one group commit's synced RocksDB write (WAL "
               "append and fsync).")
           .Register(r)
           .Add({}, prometheus::Histogram::BucketBoundaries{
                        0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2,
                        0.5, 1, 2, 5});
  duplicates_ = NewCounter(
      r, "aifl_ingest_duplicate_entries_total",
      "Submit entries answered with their original receipt (retries).");
  refused_ = &BuildCounter()
                  .Name("aifl_ingest_refused_entries_total")
                  .Help("Submit entries refused, by status code.")
                  .Register(r);
  auto& fairness = BuildCounter()
                       .Name("aifl_fairness_refusals_total")
                       .Help(
                           "Calls refused by a per-identity fairness "
                           "limiter or a full ingest queue, by limiter.")
                       .Register(r);
  for (int i = 0; i < kFairnessLimiters; ++i) {
    fairness_[i] = &fairness.Add({{"limiter", kLimiterNames[i]}});
  }
  calls_ = &BuildCounter()
                .Name("grpc_server_handled_total")
                .Help(
                    "gRPC calls finished by the server, by service, method "
                    "and status code.")
                .Register(r);
  RegisterSampledMetrics(r);
}

void ServerMetrics::RegisterSampledMetrics(prometheus::Registry& r) {
  tree_size_ = NewGauge(r, "aifl_ledger_tree_size", "Entries in the log.");
  checkpoint_size_ =
      NewGauge(r, "aifl_ledger_checkpoint_tree_size",
               "Tree size of the latest signed checkpoint (0 before one).");
  checkpoint_age_ = NewGauge(
      r, "aifl_ledger_checkpoint_age_seconds",
      "Seconds since this server last published a checkpoint (or started).");
  queued_batches_ =
      NewGauge(r, "aifl_ingest_queue_batches",
               "Submit batches in the append pipeline, not yet answered.");
  queued_bytes_ = NewGauge(
      r, "aifl_ingest_queue_bytes",
      "Request bytes held by Submit batches admitted and not finished.");
  storage_bytes_ = NewGauge(r, "aifl_ledger_storage_bytes",
                            "Approximate bytes of the ledger's RocksDB files.");
  witness_cosigned_ =
      &prometheus::BuildGauge()
           .Name("aifl_ledger_witness_cosigned_tree_size")
           .Help(
               "Tree size each witness of --witness_policy last cosigned "
               "(or said it holds).")
           .Register(r);
  witness_behind_ =
      &prometheus::BuildGauge()
           .Name("aifl_ledger_witness_lag_entries")
           .Help(
               "Entries between the latest checkpoint offered to each "
               "witness and the size it cosigned (its lag).")
           .Register(r);
  index_witness_cosigned_ =
      &prometheus::BuildGauge()
           .Name("aifl_index_witness_cosigned_tree_size")
           .Help(
               "Tree size each witness of the hosted index's output log last "
               "cosigned (or said it holds).")
           .Register(r);
  index_witness_behind_ =
      &prometheus::BuildGauge()
           .Name("aifl_index_witness_lag_entries")
           .Help(
               "Entries between the output log's latest checkpoint offered to "
               "each of its witnesses and the size it cosigned (its lag).")
           .Register(r);
  auto& lookups = BuildCounter()
                      .Name("aifl_ledger_tree_cache_lookups_total")
                      .Help(
                          "Reads of Merkle nodes in complete 256-leaf blocks "
                          "by proofs and tiles: from the recent-block cache "
                          "(hit) or from storage (miss).")
                      .Register(r);
  cache_hits_ = &lookups.Add({{"result", "hit"}});
  cache_misses_ = &lookups.Add({{"result", "miss"}});
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::CountEntriesRefused(absl::StatusCode code, int n) {
  if (n <= 0) return;
  refused_->Add({{"code", absl::StatusCodeToString(code)}}).Increment(n);
}

void ServerMetrics::CountDuplicates(int n) {
  if (n > 0) duplicates_->Increment(n);
}

void ServerMetrics::CountFairnessRefusal(FairnessLimiter limiter) {
  fairness_[static_cast<int>(limiter)]->Increment();
}

void ServerMetrics::CountCall(absl::string_view full_method,
                              absl::StatusCode code) {
  auto [service, method] = ServedMethod(full_method);
  calls_
      ->Add({{"grpc_service", std::move(service)},
             {"grpc_method", std::move(method)},
             {"grpc_code", absl::StatusCodeToString(code)}})
      .Increment();
}

void ServerMetrics::OnGroupCommit(const ledger::GroupCommitStats& stats) {
  sync_seconds_->Observe(absl::ToDoubleSeconds(stats.sync_time));
  if (!stats.ok) {
    failed_commits_->Increment();
    return;
  }
  group_entries_->Observe(static_cast<double>(stats.entries));
  appended_entries_->Increment(static_cast<double>(stats.entries));
  appended_bytes_->Increment(static_cast<double>(stats.leaf_bytes));
}

namespace {

// One series per witness, by name, in each of the two families.
void SetWitnessGauges(const std::vector<ServerSample::Witness>& witnesses,
                      prometheus::Family<prometheus::Gauge>* cosigned,
                      prometheus::Family<prometheus::Gauge>* behind) {
  for (const ServerSample::Witness& w : witnesses) {
    cosigned->Add({{"witness", w.name}})
        .Set(static_cast<double>(w.cosigned_size));
    behind->Add({{"witness", w.name}}).Set(static_cast<double>(w.behind));
  }
}

}  // namespace

void ServerMetrics::set_sampler(std::function<ServerSample()> sampler) {
  absl::MutexLock lock(&mu_);
  sampler_ = std::move(sampler);
}

std::string ServerMetrics::Scrape() {
  {
    absl::MutexLock lock(&mu_);
    if (sampler_) {
      const ServerSample s = sampler_();
      tree_size_->Set(static_cast<double>(s.tree_size));
      checkpoint_size_->Set(static_cast<double>(s.checkpoint_size));
      checkpoint_age_->Set(s.checkpoint_age_seconds);
      queued_batches_->Set(static_cast<double>(s.queued_batches));
      queued_bytes_->Set(static_cast<double>(s.queued_request_bytes));
      storage_bytes_->Set(static_cast<double>(s.storage_bytes));
      SetWitnessGauges(s.witnesses, witness_cosigned_, witness_behind_);
      SetWitnessGauges(s.index_witnesses, index_witness_cosigned_,
                       index_witness_behind_);
      // The ledger keeps running totals; the counters advance by the
      // difference (they never go down).
      if (s.tree_cache_hits > last_hits_) {
        cache_hits_->Increment(
            static_cast<double>(s.tree_cache_hits - last_hits_));
        last_hits_ = s.tree_cache_hits;
      }
      if (s.tree_cache_misses > last_misses_) {
        cache_misses_->Increment(
            static_cast<double>(s.tree_cache_misses - last_misses_));
        last_misses_ = s.tree_cache_misses;
      }
    }
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace api::server
