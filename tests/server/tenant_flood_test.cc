// One tenant cannot starve the others (issue 14 item 4). The real
// ledger_server runs in a child process; an enrolled collector ("flooder")
// floods Submit from another process (submit_flood_peer) over loopback mTLS:
// batches of 1,000 ~1 KB envelopes with invalid signatures, many calls in
// flight on several connections, for a bounded time. Meanwhile an honest
// collector on its own certificate submits one entry per call. Before the fix
// the honest collector fell from 307 to 1.4 calls/s (to zero with many
// batches in flight) and the server's memory went to 2.2 GiB and stayed.
//
// Since --bad_signature_disconnect_seconds (default 10 s, on here) the
// flooder, once deep in bad-signature backoff, is cut off at the transport:
// its connections closed and its handshakes refused, so its later calls end
// UNAVAILABLE on its side, unread by the server (asserted).
//
// Prints the honest collector's Submits/s alone and during the flood, the
// ratio, the server's peak RSS (VmHWM) and its RSS once the flood is over,
// with malloc_trim off and on. Asserts conservative bounds (a loaded 2-core
// CI machine shares its cores between the server, the flooder and the
// honest client): ratio >= 10 % (the goal is 50 %), peak RSS below a bound
// derived from the memory flags, and with trimming on, RSS after the burst
// back within a bound of the idle RSS.
//
// The flooder runs under `nice -n 19`; on a 2-core machine at load 10, the
// flooder at normal priority took the cores that the server's gRPC threads
// need to read the honest client's calls (the honest client fell to ~1 %,
// with the server refusing every flood call after the first few batches).
// Knobs for experiments (environment, defaults in brackets):
// TENANT_FLOOD_NICE [19], TENANT_FLOOD_CHANNELS [4], TENANT_FLOOD_IN_FLIGHT
// [64 per connection], TENANT_FLOOD_PADDING [900 bytes per envelope],
// TENANT_FLOOD_GRPC_MB [256], TENANT_FLOOD_DISCONNECT_S [10: the server's
// --bad_signature_disconnect_seconds; 0 turns refusing at the transport off].
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"
#include "tests/server/server_process.h"
#include "tests/server/test_ca.h"

namespace tests::server {
namespace {

using aifl::api::v1::Ingest;

constexpr char kType[] = "aifl.collector.v1.IntervalReport";
int Env(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v == nullptr ? fallback : std::atoi(v);
}
constexpr int kFloodSeconds = 8;
const int kFloodChannels = Env("TENANT_FLOOD_CHANNELS", 4);
const int kFloodInFlight = Env("TENANT_FLOOD_IN_FLIGHT", 64);  // per connection
constexpr int kFloodBatch = 1000;
const int kPadding = Env("TENANT_FLOOD_PADDING", 900);
// Memory flags given to the server; the peak RSS bound derives from them.
const int kGrpcMemoryMb = Env("TENANT_FLOOD_GRPC_MB", 256);
constexpr int kQueuedSubmitMb = 64;
constexpr int kTreeCacheMb = 16;

// A valid interval report (it passes ingest validation), padded by
// `padding` bytes of run id.
std::string Report(int i, int padding) {
  aifl::collector::v1::IntervalReport r;
  r.set_run_id(absl::StrCat("run-", i, std::string(padding, 'r')));
  r.set_node("n");
  r.set_interval_index(i);
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  r.set_start_unix_ms(now_ms - 60000);
  r.set_end_unix_ms(now_ms);
  r.set_gpu_count(1);
  r.set_gpu_seconds_allocated(60);
  return r.SerializeAsString();
}

// CPU seconds (user + system) used by `pid` so far.
double CpuSeconds(pid_t pid) {
  std::string stat = ReadAll("/proc/" + std::to_string(pid) + "/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  unsigned long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoul(field);
    if (i == 15) stime = std::stoul(field);
  }
  return static_cast<double>(utime + stime) / ::sysconf(_SC_CLK_TCK);
}

struct Honest {
  int ok = 0;
  int throttled = 0;  // RESOURCE_EXHAUSTED: waited 50 ms, sent it again
  int failures = 0;
  std::string first_error;
  double per_second = 0;
  // Call latencies, ms: median and slowest (where the time goes).
  double p50_ms = 0, max_ms = 0;
};

// The honest collector: one entry per Submit, for `duration`, as fast as
// the server answers; a refusal for its rate is waited out like the collector
// does (same envelope again).
// `pending` is an envelope signed but not yet accepted (its sequence number
// is taken): sent first, across runs.
Honest RunHonest(Ingest::Stub& ingest, ledger::EntrySigner& signer,
                 absl::Duration duration, std::string* pending) {
  Honest out;
  std::vector<double> latencies_ms;
  const absl::Time start = absl::Now();
  while (absl::Now() - start < duration) {
    if (pending->empty()) *pending = *signer.SignNext(kType, Report(0, 0));
    aifl::api::v1::SubmitRequest request;
    request.add_envelopes(*pending);
    aifl::api::v1::SubmitResponse response;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    const absl::Time sent = absl::Now();
    grpc::Status s = ingest.Submit(&ctx, request, &response);
    latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
    if (s.ok() && response.results_size() == 1 &&
        response.results(0).has_receipt()) {
      ++out.ok;
      pending->clear();
      continue;
    }
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++out.throttled;
      absl::SleepFor(absl::Milliseconds(50));
      continue;
    }
    ++out.failures;
    if (out.first_error.empty())
      out.first_error = s.ok() ? response.DebugString() : s.error_message();
    break;
  }
  out.per_second = out.ok / absl::ToDoubleSeconds(absl::Now() - start);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  if (!latencies_ms.empty()) {
    out.p50_ms = latencies_ms[latencies_ms.size() / 2];
    out.max_ms = latencies_ms.back();
  }
  return out;
}

struct Figures {
  Honest alone, during;
  std::string flood_report;
  double idle_rss_mib = 0, peak_rss_mib = 0, after_rss_mib = 0;
  // CPU seconds used during the honest client's 3 s in the flood.
  double server_cpu_during = 0, peer_cpu_during = 0;
};

// One run: a fresh ledger and server (`trim_mb`: --malloc_trim_free_mb).
Figures RunScenario(int trim_mb) {
  Figures out;
  const std::string dir =
      ledger::testonly::FreshDir(absl::StrCat("tenant_flood_", trim_mb));
  auto ca = TestCa::Create(dir);
  EXPECT_TRUE(ca.ok()) << ca.status();
  if (!ca.ok()) return out;
  auto honest_cert = (*ca)->IssueClient("honest", "honest-node", "collector");
  auto flood_cert = (*ca)->IssueClient("flooder", "flood-node", "collector");
  const std::string ca_pem = ReadWholeFile((*ca)->ca_cert()).value();

  auto f = std::move(*ledger::testonly::LedgerFixture::Create());
  auto honest = std::move(
      *f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "org", "honest-node"));
  auto flooder = std::move(
      *f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "org", "flood-node"));
  EXPECT_TRUE(f->ledger().PublishCheckpoint().ok());
  f->Close();

  // The flood: well-formed, enrolled, valid payloads, every signature bad.
  aifl::api::v1::SubmitRequest flood;
  for (int i = 0; i < kFloodBatch; ++i) {
    std::string envelope = *flooder->SignNext(kType, Report(i, kPadding));
    envelope[envelope.size() - 64] ^= 0x40;  // R: verification fails
    flood.add_envelopes(envelope);
  }
  const std::string flood_file = dir + "/flood.request";
  std::ofstream(flood_file, std::ios::binary) << flood.SerializeAsString();

  const std::string log = dir + "/server.log";
  ServerProcess server(
      {"api/server/ledger_server", "--ledger_dir=" + f->dir(),
       "--listen=127.0.0.1:0", "--tls_cert=" + (*ca)->server().cert,
       "--tls_key=" + (*ca)->server().key,
       "--tls_client_ca=" + (*ca)->ca_cert(), "--checkpoint_interval=100ms",
       "--min_free_mb=0", "--rocksdb_max_open_files=64",
       absl::StrCat("--tree_cache_mb=", kTreeCacheMb),
       absl::StrCat("--grpc_memory_mb=", kGrpcMemoryMb),
       absl::StrCat("--max_queued_submit_mb=", kQueuedSubmitMb),
       absl::StrCat("--malloc_trim_free_mb=", trim_mb),
       "--malloc_trim_interval=1s",
       absl::StrCat("--bad_signature_disconnect_seconds=",
                    Env("TENANT_FLOOD_DISCONNECT_S", 10))},
      log, 4096);
  const int port = server.WaitStarted().first;
  EXPECT_GT(port, 0);
  if (port == 0) return out;

  auto ingest = Ingest::NewStub(TlsChannel(port, ca_pem, &*honest_cert));
  std::string pending;
  RunHonest(*ingest, *honest, absl::Milliseconds(500), &pending);  // connect
  out.idle_rss_mib = StatusKib(server.pid(), "VmRSS:") / 1024.0;
  out.alone = RunHonest(*ingest, *honest, absl::Seconds(3), &pending);

  const std::string peer_out = dir + "/flood_peer.out";
  // The flooder runs at the lowest priority: on a 2-core machine it would
  // otherwise take the honest client's CPU (in this process), and the test
  // would measure the kernel's scheduler, not the server. The server still
  // receives, parses and refuses everything the flooder sends.
  ServerProcess peer(
      {"/usr/bin/nice", "-n", std::to_string(Env("TENANT_FLOOD_NICE", 19)),
       "tests/server/submit_flood_peer", std::to_string(port), (*ca)->ca_cert(),
       flood_cert->cert, flood_cert->key, flood_file,
       std::to_string(kFloodSeconds), std::to_string(kFloodChannels),
       std::to_string(kFloodInFlight)},
      dir + "/flood_peer.log", 4096, peer_out);
  for (int i = 0; i < 100 && ReadAll(peer_out).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(ReadAll(peer_out), "flooding\n")
      << ReadAll(dir + "/flood_peer.log");
  const double peer_cpu_before = CpuSeconds(peer.pid());
  const double server_cpu_start = CpuSeconds(server.pid());
  out.during = RunHonest(*ingest, *honest, absl::Seconds(3), &pending);
  out.server_cpu_during = CpuSeconds(server.pid()) - server_cpu_start;
  out.peer_cpu_during = CpuSeconds(peer.pid()) - peer_cpu_before;

  EXPECT_EQ(peer.WaitExit((kFloodSeconds + 15) * 1000), 0)
      << ReadAll(dir + "/flood_peer.log");
  out.flood_report = ReadAll(peer_out);
  out.peak_rss_mib = StatusKib(server.pid(), "VmHWM:") / 1024.0;
  // Quiet: the trimmer runs on the publisher's tick (here 100 ms, at most
  // once a second).
  std::this_thread::sleep_for(std::chrono::seconds(3));
  out.after_rss_mib = StatusKib(server.pid(), "VmRSS:") / 1024.0;
  EXPECT_EQ(server.Stop(), 0) << ReadAll(log);
  return out;
}

void Print(const char* name, const Figures& f) {
  std::printf(
      "[%s] honest Submits/s alone %.1f (%d throttled), during the flood "
      "%.1f (%d throttled) = %.0f%%; flooder: %s server RSS idle %.1f MiB, "
      "peak (VmHWM) %.1f MiB, 3 s after the flood %.1f MiB; CPU s in the "
      "honest client's 3 s of flood: server %.2f, flooder %.2f; honest call "
      "latency alone p50 %.1f ms max %.0f ms, during p50 %.1f ms max %.0f "
      "ms\n",
      name, f.alone.per_second, f.alone.throttled, f.during.per_second,
      f.during.throttled, 100.0 * f.during.per_second / f.alone.per_second,
      f.flood_report.c_str(), f.idle_rss_mib, f.peak_rss_mib, f.after_rss_mib,
      f.server_cpu_during, f.peer_cpu_during, f.alone.p50_ms, f.alone.max_ms,
      f.during.p50_ms, f.during.max_ms);
  std::fflush(stdout);
}

TEST(TenantFloodTest, HonestCollectorKeepsItsShareWhileAnotherFloods) {
  const Figures untrimmed = RunScenario(/*trim_mb=*/0);
  Print("malloc_trim off", untrimmed);
  const Figures f = RunScenario(/*trim_mb=*/16);
  Print("malloc_trim at 16 MiB free", f);
  for (const Figures* run : {&untrimmed, &f}) {
    // The flooder's bad signatures were checked for a few batches only: the
    // entry rate admits two at once, and their failures put it into backoff
    // (without both, 256 batches in flight would all be verified).
    long calls = 0, entry_errors = 0;
    ASSERT_EQ(std::sscanf(run->flood_report.c_str(),
                          "flooding\ncalls %ld entry_errors %ld", &calls,
                          &entry_errors),
              2)
        << run->flood_report;
    EXPECT_GT(calls, 100);
    if (Env("TENANT_FLOOD_DISCONNECT_S", 10) > 0) {
      // Refused at the transport: its connections closed, its handshakes
      // failed, so its later calls ended UNAVAILABLE (14) unread.
      EXPECT_NE(run->flood_report.find(" 14:"), std::string::npos)
          << run->flood_report;
    }
    EXPECT_LE(entry_errors, 10 * kFloodBatch);
    EXPECT_EQ(run->alone.failures, 0) << run->alone.first_error;
    EXPECT_EQ(run->during.failures, 0) << run->during.first_error;
    EXPECT_GT(run->alone.ok, 0);
    // The goal is >= 50 %. Measured on a 2-core machine at load 10 (other
    // builds): 16-52 %, the rest going to the server's gRPC threads reading
    // and parsing the flood's refused 1 MB requests. 10 % keeps such a
    // machine from failing it and is still far above the 0.5 % (1.4 of 307
    // calls/s) before per-identity limits.
    EXPECT_GE(run->during.per_second, 0.10 * run->alone.per_second);
    // gRPC's transport memory and the queued Submit bytes are bounded by
    // flags; the rest (RocksDB, tree cache, code) is the idle RSS plus
    // slack for allocator fragmentation.
    EXPECT_LT(run->peak_rss_mib,
              run->idle_rss_mib + kGrpcMemoryMb + kQueuedSubmitMb + 128);
  }
  // With trimming on, the burst's memory goes back (with it off, glibc keeps
  // it: 79-180 MiB 3 s after the flood against 35 MiB idle, when measured).
  EXPECT_LT(f.after_rss_mib, f.idle_rss_mib + 64);
}

}  // namespace
}  // namespace tests::server
