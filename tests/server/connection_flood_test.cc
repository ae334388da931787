// No peer can stop the server (issue 14 item 1). The real ledger_server runs
// in a child process under a lowered RLIMIT_NOFILE (256, soft and hard);
// the test floods its mTLS port over loopback with connections that have no
// client certificate (gRPC channels that would hold idle HTTP/2 connections)
// and with raw TCP connections that never handshake. An honest mTLS client
// must still connect, append and get checkpoints. Before the fix, peers
// without a certificate completed the handshake and pinned every descriptor:
// new connections were never accepted and RocksDB failed with EMFILE.
//
// Prints the honest client's calls/s alone and during the flood, the
// server's descriptors and its peak RSS.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "ledger/testonly/ledger_fixture.h"
#include "tests/server/server_process.h"
#include "tests/server/test_ca.h"

namespace tests::server {
namespace {

using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;

constexpr int kDescriptorLimit = 256;
constexpr int kNoCertConnections = 600;  // > the limit: enough to pin it all
constexpr int kRawConnections = 100;     // never handshake (timeout 2 s)
// The unchecked blob type: this test is about connections, not payloads
// (api/README.md, "Payload validation").
constexpr char kType[] = "aifl.collector.v1.Blob";

struct Honest {
  int calls = 0;
  int failures = 0;
  std::string first_error;
  uint64_t checkpoint_size = 0;
  double per_second = 0;
};

// An honest collector on `channel` (mTLS): Submit one entry, then
// GetCheckpoint, for `duration` (the first call also connects, when needed).
Honest RunHonest(const std::shared_ptr<grpc::Channel>& channel,
                 ledger::EntrySigner& signer, absl::Duration duration) {
  auto ingest = Ingest::NewStub(channel);
  auto audit = Audit::NewStub(channel);
  Honest out;
  const absl::Time start = absl::Now();
  while (absl::Now() - start < duration) {
    auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
    aifl::api::v1::SubmitRequest request;
    request.add_envelopes(*signer.SignNext(kType, "honest"));
    aifl::api::v1::SubmitResponse response;
    grpc::ClientContext submit_ctx;
    submit_ctx.set_deadline(deadline);
    grpc::Status s = ingest->Submit(&submit_ctx, request, &response);
    if (s.ok() && response.results_size() == 1 &&
        response.results(0).has_receipt()) {
      ++out.calls;
    } else {
      ++out.failures;
      if (out.first_error.empty())
        out.first_error = s.ok() ? response.DebugString() : s.error_message();
      // The envelope may not have landed: reuse of its sequence is not
      // needed by this test, so keep numbering (a gap is then an error).
      break;
    }
    grpc::ClientContext checkpoint_ctx;
    checkpoint_ctx.set_deadline(deadline);
    aifl::api::v1::Checkpoint checkpoint;
    s = audit->GetCheckpoint(&checkpoint_ctx, {}, &checkpoint);
    if (s.ok()) {
      ++out.calls;
      out.checkpoint_size = checkpoint.size();
    } else {
      ++out.failures;
      if (out.first_error.empty()) out.first_error = s.error_message();
      break;
    }
  }
  out.per_second = out.calls / absl::ToDoubleSeconds(absl::Now() - start);
  return out;
}

TEST(ConnectionFloodTest, HonestClientWorksWhilePeersWithoutCertificatesFlood) {
  const std::string dir = ledger::testonly::FreshDir("flood");
  auto ca = TestCa::Create(dir);
  ASSERT_TRUE(ca.ok()) << ca.status();
  auto cert = (*ca)->IssueClient("node1", "node-1", "collector");
  ASSERT_TRUE(cert.ok()) << cert.status();
  const std::string ca_pem = ReadWholeFile((*ca)->ca_cert()).value();

  auto f = std::move(*ledger::testonly::LedgerFixture::Create());
  auto collector = std::move(
      *f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "org", "node-1"));
  ASSERT_TRUE(f->ledger().PublishCheckpoint().ok());
  f->Close();

  const std::string log = dir + "/server.log";
  ServerProcess server(
      {"api/server/ledger_server", "--ledger_dir=" + f->dir(),
       "--listen=127.0.0.1:0", "--health_listen=127.0.0.1:0",
       "--tls_cert=" + (*ca)->server().cert, "--tls_key=" + (*ca)->server().key,
       "--tls_client_ca=" + (*ca)->ca_cert(), "--checkpoint_interval=100ms",
       "--fd_reserve=64", "--rocksdb_max_open_files=32", "--min_free_mb=0",
       "--handshake_timeout=2s", "--max_connection_idle=10s",
       "--tree_cache_mb=16", "--grpc_memory_mb=256",
       // Connections, not rates: the honest client calls as fast as it can.
       "--submit_calls_per_second=0"},
      log, kDescriptorLimit);
  const auto [port, health_port] = server.WaitStarted();
  ASSERT_GT(port, 0);
  const int idle_fds = OpenDescriptors(server.pid());

  // A collector connected before the flood keeps its connection.
  auto connected = TlsChannel(port, ca_pem, &*cert);
  ASSERT_TRUE(connected->WaitForConnected(std::chrono::system_clock::now() +
                                          std::chrono::seconds(10)));
  const Honest alone = RunHonest(connected, *collector, absl::Seconds(3));
  ASSERT_EQ(alone.failures, 0) << alone.first_error;

  // The flood, from another process: connections without a certificate,
  // and raw TCP connections that never speak.
  const std::string peer_out = dir + "/flood_peer.out";
  ServerProcess peer(
      {"tests/server/flood_peer", std::to_string(port), (*ca)->ca_cert(),
       std::to_string(kNoCertConnections), std::to_string(kRawConnections)},
      dir + "/flood_peer.log", 4096, peer_out);
  std::string peer_report;
  for (int i = 0; i < 300 && peer_report.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    peer_report = ReadAll(peer_out);
  }
  int ready = -1, raw = 0;
  ASSERT_EQ(std::sscanf(peer_report.c_str(), "ready %d raw %d", &ready, &raw),
            2)
      << peer_report;
  const int flood_fds = OpenDescriptors(server.pid());

  const Honest during = RunHonest(connected, *collector, absl::Seconds(3));
  // A collector connecting during the flood gets in too (it waits in the
  // listen backlog behind the flood while the descriptor cap holds).
  const absl::Time connect_start = absl::Now();
  const Honest fresh = RunHonest(TlsChannel(port, ca_pem, &*cert), *collector,
                                 absl::Milliseconds(1));
  const absl::Duration first_call = absl::Now() - connect_start;
  const int after_fds = OpenDescriptors(server.pid());
  EXPECT_EQ(ready, 0) << "peers without a certificate got a connection";
  EXPECT_EQ(during.failures, 0) << during.first_error;
  EXPECT_GT(during.calls, 0);
  EXPECT_EQ(fresh.failures, 0) << fresh.first_error;
  EXPECT_GT(fresh.calls, 0);
  EXPECT_GT(fresh.checkpoint_size, alone.checkpoint_size)
      << "checkpoints stopped during the flood";

  // The health port answers without a certificate; ledger methods on it
  // refuse (no identity).
  auto health = grpc::CreateChannel("127.0.0.1:" + std::to_string(health_port),
                                    grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  aifl::api::v1::Checkpoint checkpoint;
  grpc::Status s = Audit::NewStub(health)->GetCheckpoint(&ctx, {}, &checkpoint);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << s.error_message();

  const long peak_rss_kib = StatusKib(server.pid(), "VmHWM:");
  peer_report.clear();
  std::printf(
      "honest client (connected before) alone: %.1f calls/s; during the "
      "flood (%d no-cert TLS peers, %d raw TCP): %.1f calls/s (%.0f%%); a "
      "new honest connection's first Submit+GetCheckpoint took %.2f s; "
      "server descriptors: %d idle, %d in the flood, %d after the honest "
      "runs (limit %d); server peak RSS %.1f MiB\n",
      alone.per_second, kNoCertConnections, raw, during.per_second,
      100.0 * during.per_second / alone.per_second,
      absl::ToDoubleSeconds(first_call), idle_fds, flood_fds, after_fds,
      kDescriptorLimit, peak_rss_kib / 1024.0);
  EXPECT_EQ(server.Stop(), 0) << ReadAll(log);
}

}  // namespace
}  // namespace tests::server
