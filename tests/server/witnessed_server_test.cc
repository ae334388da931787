// ledger_server with --witness_policy, end to end over loopback: a real
// ledger served by a real LedgerServer, two real `aifl_witness` processes
// and a 2-of-2 tlog-policy. Checkpoints get both cosignatures (GetCheckpoint,
// the tiles' /checkpoint, proof receipts); with one witness down the log
// keeps ingesting, GetStatus says which witness is failing and how far
// behind it is, and quorum waiters fail naming it; when it returns (or when
// the server restarts and learns the witnesses' sizes from their 409s)
// everything catches up.

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/client/curl_http_getter.h"
#include "api/server/ledger_server.h"
#include "api/server/server_http_handler.h"
#include "api/tiles_http/tile_handler.h"
#include "api/tiles_http/tile_http_server.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/witness_policy/policy.h"
#include "ledger/witness_policy/quorum.h"
#include "tests/server/witness_process.h"

namespace {

using aifl::api::v1::Admin;
using aifl::api::v1::Audit;
using aifl::api::v1::Ingest;
using ledger::witness_policy::VerifyCheckpointWithPolicy;
using tests::server::WitnessProcess;

constexpr char kBlob[] = "aifl.collector.v1.Blob";

class WitnessedServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture =
        ledger::testonly::LedgerFixture::Create("factory-a.example/ledger");
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = std::move(*fixture);
    dir_ = fixture_->dir();
    logs_file_ = dir_ + "/trusted-logs";
    std::ofstream(logs_file_)
        << "log " << fixture_->ledger().VerifierKey() << "\n";
    w1_ = std::make_unique<WitnessProcess>(dir_, "w1", 1);
    w2_ = std::make_unique<WitnessProcess>(dir_, "w2", 2);
    w1_->Start(0, logs_file_);
    w2_->Start(0, logs_file_);
    ASSERT_FALSE(HasFatalFailure());
    const std::string policy_text = absl::StrCat(
        "log ", fixture_->ledger().VerifierKey(), "\n", "witness w1 ",
        w1_->vkey(), " http://127.0.0.1:", w1_->port(), "\n", "witness w2 ",
        w2_->vkey(), " http://127.0.0.1:", w2_->port(), "/\n",
        "group both 2 w1 w2\nquorum both\n");
    auto policy = ledger::witness_policy::ParsePolicy(policy_text);
    ASSERT_TRUE(policy.ok()) << policy.status();
    policy_ = *std::move(policy);
    auto collector = fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR,
                                           "factory", "node-1");
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::move(*collector);
    StartServer();
  }

  void TearDown() override {
    tiles_http_.reset();
    http_handler_.reset();
    if (server_ != nullptr) (void)server_->Shutdown(absl::Seconds(1));
    server_.reset();
  }

  void StartServer() {
    api::server::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.insecure_loopback = true;
    options.clock = &fixture_->clock();
    options.checkpoint_interval = absl::Milliseconds(50);
    options.witness_policy = policy_;
    options.wait_for_quorum = wait_for_quorum_;
    options.witness_options.request_timeout = absl::Seconds(2);
    options.witness_options.backoff_min = absl::Milliseconds(50);
    options.witness_options.backoff_max = absl::Milliseconds(400);
    auto server =
        api::server::LedgerServer::Start(&fixture_->ledger(), options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                            grpc::InsecureChannelCredentials());
    ingest_ = Ingest::NewStub(channel);
    audit_ = Audit::NewStub(channel);
    admin_ = Admin::NewStub(channel);
    // The tiles endpoint as ledger_server_main wires it.
    http_handler_ = std::make_unique<api::server::ServerHttpHandler>(
        &fixture_->ledger(), *server_, nullptr,
        api::tiles_http::TileHandlerOptions{});
    auto http = api::tiles_http::TileHttpServer::Start(
        http_handler_.get(), api::tiles_http::TileHttpServerOptions{});
    ASSERT_TRUE(http.ok()) << http.status();
    tiles_http_ = std::move(*http);
  }

  void RestartServer() {
    TearDown();
    StartServer();
  }

  // Submits `n` entries; returns the index of the last.
  uint64_t Submit(int n) {
    aifl::api::v1::SubmitRequest request;
    for (int i = 0; i < n; ++i) {
      request.add_envelopes(
          *collector_->SignNext(kBlob, absl::StrCat("entry ", next_++)));
    }
    aifl::api::v1::SubmitResponse response;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    const grpc::Status s = ingest_->Submit(&ctx, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(response.results_size(), n);
    return response.results_size() == n
               ? response.results(n - 1).receipt().leaf_index()
               : 0;
  }

  grpc::Status WaitReceipt(uint64_t index, int seconds,
                           aifl::api::v1::ProofReceipt* receipt) {
    aifl::api::v1::ProofReceiptRequest request;
    request.add_leaf_indices(index);
    request.set_wait(true);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(seconds));
    return ingest_->GetProofReceipt(&ctx, request, receipt);
  }

  std::string LatestNote() {
    aifl::api::v1::GetCheckpointRequest request;
    aifl::api::v1::Checkpoint checkpoint;
    grpc::ClientContext ctx;
    const grpc::Status s = audit_->GetCheckpoint(&ctx, request, &checkpoint);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return checkpoint.note();
  }

  std::string TilesCheckpoint() {
    auto http = api::client::CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok());
    auto body = (*http)->Get(
        absl::StrCat("http://127.0.0.1:", tiles_http_->port(), "/checkpoint"),
        1 << 16);
    EXPECT_TRUE(body.ok()) << body.status();
    return body.value_or("");
  }

  aifl::api::v1::ServerStatus Status() {
    aifl::api::v1::ServerStatus status;
    grpc::ClientContext ctx;
    const grpc::Status s =
        admin_->GetStatus(&ctx, aifl::api::v1::GetStatusRequest(), &status);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return status;
  }

  // Polls `done` for up to 20 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 400; ++i) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return done();
  }

  // The latest checkpoint meets the 2-of-2 policy and covers `size`.
  bool CosignedAtLeast(const std::string& note, uint64_t size) {
    auto checked = VerifyCheckpointWithPolicy(note, policy_);
    return checked.ok() && checked->checkpoint.size >= size;
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::string dir_, logs_file_;
  std::unique_ptr<WitnessProcess> w1_, w2_;
  ledger::witness_policy::Policy policy_;
  std::unique_ptr<ledger::EntrySigner> collector_;
  int next_ = 0;
  bool wait_for_quorum_ = true;
  std::unique_ptr<api::server::LedgerServer> server_;
  std::unique_ptr<Ingest::Stub> ingest_;
  std::unique_ptr<Audit::Stub> audit_;
  std::unique_ptr<Admin::Stub> admin_;
  std::unique_ptr<api::server::ServerHttpHandler> http_handler_;
  std::unique_ptr<api::tiles_http::TileHttpServer> tiles_http_;
};

TEST_F(WitnessedServerTest, CheckpointsCarryBothCosignatures) {
  const uint64_t last = Submit(3);
  aifl::api::v1::ProofReceipt receipt;
  const grpc::Status waited = WaitReceipt(last, 20, &receipt);
  ASSERT_TRUE(waited.ok()) << waited.error_message();
  // The receipt's checkpoint: the log's signature, then both cosignatures.
  auto checked = VerifyCheckpointWithPolicy(receipt.checkpoint(), policy_);
  ASSERT_TRUE(checked.ok()) << checked.status() << "\n" << receipt.checkpoint();
  EXPECT_EQ(checked->cosigned.size(), 2u);
  EXPECT_GT(checked->checkpoint.size, last);
  EXPECT_TRUE(Eventually([&] {
    return CosignedAtLeast(LatestNote(), last + 1);
  })) << LatestNote();
  EXPECT_TRUE(Eventually([&] {
    return CosignedAtLeast(TilesCheckpoint(), last + 1);
  })) << TilesCheckpoint();
  const aifl::api::v1::ServerStatus status = Status();
  ASSERT_EQ(status.witnesses_size(), 2);
  EXPECT_EQ(status.witness_quorum(), "both");
  EXPECT_GE(status.quorum_cosigned_size(), last + 1);
  for (const auto& w : status.witnesses()) {
    EXPECT_TRUE(w.cosigned_size_known()) << w.name();
    EXPECT_GE(w.cosigned_size(), last + 1) << w.name();
    EXPECT_FALSE(w.failing()) << w.name() << ": " << w.last_error();
    EXPECT_GT(w.last_success_unix(), 0) << w.name();
  }
}

TEST_F(WitnessedServerTest, OneWitnessDownThenBack) {
  const uint64_t first = Submit(2);
  aifl::api::v1::ProofReceipt receipt;
  ASSERT_TRUE(WaitReceipt(first, 20, &receipt).ok());
  w2_->Kill();
  // The log keeps ingesting and publishing, without w2's cosignature.
  const uint64_t second = Submit(5);
  EXPECT_EQ(second, first + 5);
  ASSERT_TRUE(Eventually([&] {
    auto checked =
        ledger::witness_policy::CheckCosignatures(LatestNote(), policy_);
    return checked.ok() && checked->checkpoint.size > second;
  }));
  auto refused = VerifyCheckpointWithPolicy(LatestNote(), policy_);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "missing: w2"))
      << refused.status();
  // A quorum waiter gives up clearly, naming the missing witness.
  const grpc::Status waited = WaitReceipt(second, 3, &receipt);
  EXPECT_EQ(waited.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(absl::StrContains(waited.error_message(), "missing: w2"))
      << waited.error_message();
  // The status says w2 is failing and behind, w1 is current.
  ASSERT_TRUE(Eventually([&] {
    const auto status = Status();
    return status.witnesses(1).failing() && status.witnesses(0).behind() == 0 &&
           status.witnesses(1).behind() >= 5;
  })) << Status().DebugString();
  const auto down = Status();
  EXPECT_EQ(down.witnesses(1).name(), "w2");
  EXPECT_FALSE(down.witnesses(1).last_error().empty());
  EXPECT_GT(down.witnesses(1).last_error_unix(), 0);
  EXPECT_LE(down.witnesses(1).cosigned_size(), first + 1);

  // w2 returns: a waiter started now succeeds, everything catches up.
  w2_->Restart(logs_file_);
  ASSERT_FALSE(HasFatalFailure());
  const grpc::Status after = WaitReceipt(second, 20, &receipt);
  ASSERT_TRUE(after.ok()) << after.error_message();
  EXPECT_TRUE(VerifyCheckpointWithPolicy(receipt.checkpoint(), policy_).ok());
  EXPECT_TRUE(
      Eventually([&] { return CosignedAtLeast(LatestNote(), second + 1); }));
  EXPECT_TRUE(Eventually(
      [&] { return CosignedAtLeast(TilesCheckpoint(), second + 1); }));
  ASSERT_TRUE(Eventually([&] {
    const auto status = Status();
    return !status.witnesses(1).failing() && status.witnesses(1).behind() == 0;
  })) << Status().DebugString();
}

TEST_F(WitnessedServerTest, RestartedServerLearnsSizesFrom409) {
  const uint64_t first = Submit(4);
  aifl::api::v1::ProofReceipt receipt;
  ASSERT_TRUE(WaitReceipt(first, 20, &receipt).ok());
  // A new server knows nothing of what the witnesses cosigned: it asks from
  // 0, each answers 409 with its size, and it goes on from there.
  RestartServer();
  ASSERT_FALSE(HasFatalFailure());
  const uint64_t second = Submit(3);
  const grpc::Status waited = WaitReceipt(second, 20, &receipt);
  ASSERT_TRUE(waited.ok()) << waited.error_message();
  EXPECT_TRUE(VerifyCheckpointWithPolicy(receipt.checkpoint(), policy_).ok());
  const aifl::api::v1::ServerStatus status = Status();
  for (const auto& w : status.witnesses()) {
    EXPECT_GE(w.cosigned_size(), second + 1) << w.name();
  }
}

TEST_F(WitnessedServerTest, WithoutWaitForQuorumReceiptsComeWithWhatItHas) {
  wait_for_quorum_ = false;
  RestartServer();
  ASSERT_FALSE(HasFatalFailure());
  w2_->Kill();
  const uint64_t last = Submit(2);
  aifl::api::v1::ProofReceipt receipt;
  const grpc::Status waited = WaitReceipt(last, 20, &receipt);
  ASSERT_TRUE(waited.ok()) << waited.error_message();
  // Signed by the log and cosigned by w1 only: a 2-of-2 client refuses it.
  auto checked =
      ledger::witness_policy::CheckCosignatures(receipt.checkpoint(), policy_);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_GT(checked->checkpoint.size, last);
  EXPECT_FALSE(checked->quorum_met);
  ASSERT_EQ(checked->missing.size(), 1u);
  EXPECT_EQ(checked->missing[0], "w2");
}

}  // namespace
