// The collector's spool shipping over mTLS to a real LedgerServer with a
// certificate that does not match its key, and with none: the ledger's
// PERMISSION_DENIED (key bound to another TLS identity, per envelope) and
// UNAUTHENTICATED (no client certificate, whole call) hold the records in
// the spool; nothing is refused, no RecordRefused marker is signed, nothing
// reaches the ledger. With the node's own certificate the same envelopes
// ship, each once.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "api/client/ledger_client.h"
#include "collector/spool/grpc_shipper.h"
#include "collector/spool/record_signer.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_shipper.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "ledger/entry_signer.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"
#include "tests/server/server_harness.h"
#include "tests/server/test_ca.h"

namespace {

using collector::spool::SpoolShipper;
using tests::server::CertFiles;

// Signs with an enrolled key; a refusal marker here is a test failure.
class EntryRecordSigner final : public collector::spool::RecordSigner {
 public:
  explicit EntryRecordSigner(ledger::EntrySigner* signer) : signer_(signer) {}
  absl::StatusOr<std::string> SignNext(absl::string_view type,
                                       absl::string_view payload) override {
    return signer_->SignNext(type, payload);
  }
  absl::StatusOr<std::string> SignRefusalMarker(
      absl::string_view, const absl::Status& why) override {
    ADD_FAILURE() << "refusal marker signed for " << why;
    return absl::InternalError("no marker expected");
  }

 private:
  ledger::EntrySigner* signer_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Interval(int index) {
  aifl::collector::v1::IntervalReport r;
  r.set_run_id("cluster/42");
  r.set_node("gpu-node-1");
  r.set_interval_index(index);
  r.set_start_unix_ms(1'780'000'000'000 + index * 300'000);
  r.set_end_unix_ms(1'780'000'000'000 + (index + 1) * 300'000);
  r.set_gpu_seconds_allocated(2400);
  r.set_energy_joules(1.5e6);
  r.mutable_flop()->set_upper(1e18);
  r.set_merged_intervals(1);
  return r.SerializeAsString();
}

TEST(CollectorTlsHoldTest, CertificateNotMatchingTheKeyHoldsThenShips) {
  auto ca = tests::server::TestCa::Create(ledger::testonly::FreshDir("ca"));
  ASSERT_TRUE(ca.ok()) << ca.status();
  const std::string ca_pem = ReadFile((*ca)->ca_cert());
  CertFiles own = (*ca)->IssueClient("own", "gpu-node-1", "collector").value();
  CertFiles other =
      (*ca)->IssueClient("other", "gpu-node-2", "collector").value();
  api::server::ServerOptions so;
  so.checkpoint_interval = absl::Milliseconds(5);
  auto harness = tests::server::ServerHarness::Start(ca->get(), so);
  ASSERT_TRUE(harness.ok()) << harness.status();
  auto key = (*harness)->fixture().EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR,
                                               "Factory A", "gpu-node-1");
  ASSERT_TRUE(key.ok()) << key.status();
  ASSERT_TRUE((*harness)->ledger().PublishCheckpoint().ok());
  const uint64_t size_before = (*harness)->ledger().Size();

  auto spool =
      collector::spool::Spool::Open(ledger::testonly::FreshDir("spool"));
  ASSERT_TRUE(spool.ok()) << spool.status();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*spool)
                    ->Enqueue("aifl.collector.v1.IntervalReport", Interval(i))
                    .ok());
  }
  EntryRecordSigner signer(key->get());
  common::FakeClock clock(absl::FromUnixSeconds(1000));
  auto ship_as = [&](const CertFiles* cert) {
    auto client =
        api::client::LedgerClient::Create((*harness)->TlsChannel(cert, ca_pem),
                                          (*harness)->ledger().VerifierKey());
    EXPECT_TRUE(client.ok()) << client.status();
    collector::spool::GrpcLedgerShipper grpc(client->get());
    collector::spool::ShipOptions options;
    options.log = [](const std::string&) {};
    SpoolShipper shipper(spool->get(), &signer, &grpc, &grpc, &clock, options);
    absl::Status s = shipper.Tick();
    for (int i = 0; i < 5 && !s.ok() && shipper.stats().held == 0; ++i) {
      clock.Set(shipper.next_attempt());
      s = shipper.Tick();
    }
    return std::make_pair(s, shipper.stats());
  };

  // Another node's certificate: the key is bound to gpu-node-1.
  auto [wrong, wrong_stats] = ship_as(&other);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kPermissionDenied) << wrong;
  EXPECT_EQ(wrong_stats.held, 3u);
  // No certificate at all: the server refuses the TLS handshake (issue 14:
  // a client certificate is required at the handshake), so the node sees
  // the ledger as unreachable and keeps every record for a retry; nothing
  // is refused or marked.
  auto [none, none_stats] = ship_as(nullptr);
  EXPECT_EQ(none.code(), absl::StatusCode::kUnavailable) << none;
  EXPECT_EQ(none_stats.held, 0u);
  EXPECT_EQ(none_stats.markers_shipped, 0u);
  EXPECT_EQ((*spool)->sealed_count(), 3u);
  EXPECT_TRUE((*(*spool)->Rejected()).empty());
  EXPECT_EQ((*harness)->ledger().Size(), size_before);

  // The node's own certificate: the same envelopes land, each once.
  auto [ok, ok_stats] = ship_as(&own);
  EXPECT_TRUE(ok.ok()) << ok;
  EXPECT_EQ(ok_stats.measurements_shipped, 3u);
  EXPECT_EQ(ok_stats.markers_shipped, 0u);
  EXPECT_EQ(ok_stats.held, 0u);
  EXPECT_EQ((*spool)->sealed_count() + (*spool)->pending_count(), 0u);
  EXPECT_EQ((*harness)->ledger().Size(), size_before + 3);
}

}  // namespace
