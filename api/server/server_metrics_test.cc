// ServerMetrics and MetricsHttpHandler without a server: what each counter,
// histogram and sampled gauge shows in the text exposition, label sets kept
// bounded, and /metrics routed beside another handler. The real binary is
// scraped and checked by promtool in tests/server/ledger_server_metrics_test.
#include "api/server/server_metrics.h"

#include <string>

#include "api/server/metrics_http_handler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServerMetricsTest, CountsIngestRefusalsAndFairness) {
  ServerMetrics m("1.2.3");
  m.CountEntriesRefused(absl::StatusCode::kUnauthenticated, 3);
  m.CountEntriesRefused(absl::StatusCode::kInvalidArgument);
  m.CountDuplicates(2);
  m.CountFairnessRefusal(FairnessLimiter::kBadSignatureBackoff);
  m.CountFairnessRefusal(FairnessLimiter::kBadSignatureBackoff);
  const std::string s = m.Scrape();
  EXPECT_THAT(s, HasSubstr("aifl_build_info{version=\"1.2.3\"} 1\n"));
  EXPECT_THAT(
      s,
      HasSubstr(
          "aifl_ingest_refused_entries_total{code=\"UNAUTHENTICATED\"} 3\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ingest_refused_entries_total{code="
                           "\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ingest_duplicate_entries_total 2\n"));
  EXPECT_THAT(s, HasSubstr("aifl_fairness_refusals_total{limiter="
                           "\"bad_signature_backoff\"} 2\n"));
  // Every limiter is listed from the start (a rate over a missing series is
  // no rate at all).
  EXPECT_THAT(s, HasSubstr("aifl_fairness_refusals_total{limiter="
                           "\"watch_streams\"} 0\n"));
}

TEST(ServerMetricsTest, GroupCommitsFillHistogramsAndCounters) {
  ServerMetrics m("dev");
  m.OnGroupCommit({10, 1000, absl::Milliseconds(3), true});
  m.OnGroupCommit({1, 50, absl::Microseconds(700), true});
  m.OnGroupCommit({4, 400, absl::Milliseconds(9), false});  // not acknowledged
  const std::string s = m.Scrape();
  EXPECT_THAT(s, HasSubstr("aifl_ledger_appended_entries_total 11\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_appended_bytes_total 1050\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_group_commit_failures_total 1\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_group_commit_entries_count 2\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_group_commit_entries_sum 11\n"));
  EXPECT_THAT(
      s, HasSubstr("aifl_ledger_group_commit_entries_bucket{le=\"1\"} 1\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_group_commit_sync_seconds_count 3\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_group_commit_sync_seconds_bucket{le="
                           "\"0.001\"} 1\n"));
}

TEST(ServerMetricsTest, GaugesComeFromTheSamplerAtScrapeTime) {
  ServerMetrics m("dev");
  ServerSample sample;
  sample.tree_size = 42;
  sample.checkpoint_size = 40;
  sample.checkpoint_age_seconds = 0.5;
  sample.queued_batches = 7;
  sample.queued_request_bytes = 4096;
  sample.tree_cache_hits = 5;
  sample.tree_cache_misses = 2;
  m.set_sampler([&sample] { return sample; });
  std::string s = m.Scrape();
  EXPECT_THAT(s, HasSubstr("aifl_ledger_tree_size 42\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_checkpoint_tree_size 40\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_checkpoint_age_seconds 0.5\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ingest_queue_batches 7\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ingest_queue_bytes 4096\n"));
  EXPECT_THAT(
      s, HasSubstr("aifl_ledger_tree_cache_lookups_total{result=\"hit\"} 5\n"));
  // Running totals become counter increments: scraping again adds nothing.
  sample.tree_cache_hits = 9;
  m.Scrape();
  s = m.Scrape();
  EXPECT_THAT(
      s, HasSubstr("aifl_ledger_tree_cache_lookups_total{result=\"hit\"} 9\n"));
  EXPECT_THAT(
      s,
      HasSubstr("aifl_ledger_tree_cache_lookups_total{result=\"miss\"} 2\n"));
  // Without a sampler (server stopping), the last values stay.
  m.set_sampler(nullptr);
  EXPECT_THAT(m.Scrape(), HasSubstr("aifl_ledger_tree_size 42\n"));
}

// The ledger's witnesses and the index output log's, each in its own
// families, one series per witness.
TEST(ServerMetricsTest, WitnessesOfBothLogs) {
  ServerMetrics m("dev");
  ServerSample sample;
  sample.witnesses = {{"w1", 40, 0}, {"w2", 30, 10}};
  sample.index_witnesses = {{"w1", 7, 2}};
  m.set_sampler([&sample] { return sample; });
  const std::string s = m.Scrape();
  EXPECT_THAT(s, HasSubstr("aifl_ledger_witness_cosigned_tree_size{witness="
                           "\"w2\"} 30\n"));
  EXPECT_THAT(s, HasSubstr("aifl_ledger_witness_lag_entries{witness=\"w2\"} "
                           "10\n"));
  EXPECT_THAT(s, HasSubstr("aifl_index_witness_cosigned_tree_size{witness="
                           "\"w1\"} 7\n"));
  EXPECT_THAT(s, HasSubstr("aifl_index_witness_lag_entries{witness=\"w1\"} "
                           "2\n"));
  EXPECT_THAT(s, Not(HasSubstr("aifl_index_witness_lag_entries{witness="
                               "\"w2\"}")));
}

TEST(ServerMetricsTest, CallsByServedMethodAndCodeOnly) {
  ServerMetrics m("dev");
  m.CountCall("/aifl.api.v1.Ingest/Submit", absl::StatusCode::kOk);
  m.CountCall("/aifl.api.v1.Ingest/Submit", absl::StatusCode::kOk);
  m.CountCall("/grpc.health.v1.Health/Check", absl::StatusCode::kOk);
  m.CountCall("/aifl.api.v1.Ingest/NoSuchMethod",
              absl::StatusCode::kUnimplemented);
  m.CountCall("/attacker.chosen/Path1", absl::StatusCode::kUnimplemented);
  m.CountCall("garbage", absl::StatusCode::kUnimplemented);
  const std::string s = m.Scrape();
  EXPECT_THAT(s, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                           "grpc_method=\"Submit\",grpc_service="
                           "\"aifl.api.v1.Ingest\"} 2\n"));
  EXPECT_THAT(s, HasSubstr("grpc_method=\"Check\",grpc_service="
                           "\"grpc.health.v1.Health\"} 1\n"));
  EXPECT_THAT(s, HasSubstr("grpc_server_handled_total{grpc_code="
                           "\"UNIMPLEMENTED\",grpc_method=\"unknown\","
                           "grpc_service=\"unknown\"} 3\n"));
  EXPECT_THAT(s, Not(HasSubstr("attacker")));
  EXPECT_THAT(s, Not(HasSubstr("NoSuchMethod")));
}

class FixedHandler : public tiles_http::HttpHandler {
 public:
  tiles_http::HttpResponse Handle(
      const tiles_http::HttpRequest& request) const override {
    tiles_http::HttpResponse r;
    r.status = 404;
    r.body = "next:" + request.path;
    return r;
  }
};

TEST(MetricsHttpHandlerTest, ServesMetricsAndPassesTheRestOn) {
  ServerMetrics m("dev");
  FixedHandler tiles;
  MetricsHttpHandler handler(&m, &tiles);
  tiles_http::HttpResponse r = handler.Handle({"GET", "/metrics", "", ""});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("# TYPE aifl_ledger_tree_size gauge\n"));
  EXPECT_FALSE(r.head);
  r = handler.Handle({"HEAD", "/metrics", "", ""});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.head);
  r = handler.Handle({"POST", "/metrics", "", ""});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
  r = handler.Handle({"GET", "/tile/0/000", "", ""});
  EXPECT_EQ(r.body, "next:/tile/0/000");
  r = handler.Handle({"GET", "/metrics/x", "", ""});
  EXPECT_EQ(r.body, "next:/metrics/x");
}

}  // namespace
}  // namespace api::server
