// A ledger_server hosting the per-model index (issue 19), end to end over
// loopback: the server's own HTTP handler (server_http_handler.h) serves the
// log at / and the index's output log under /index/; a real `aifl_witness`
// process, trusting both logs, cosigns both (the output log's checkpoints
// after each index update, from the same --witness_policy); GetModelEntries
// heads carry the cosignature; and the AI Office monitor's followers mirror
// the log and the output log from that listener, requiring the witness's
// quorum on the output log and replaying every index update.
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
#include "api/tiles_http/tile_http_server.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "common/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "index/output_log.h"
#include "index/testonly/model_log.h"
#include "ledger/testonly/ledger_fixture.h"
#include "ledger/witness_policy/policy.h"
#include "ledger/witness_policy/quorum.h"
#include "office/log_follower.h"
#include "office/mirror.h"
#include "tests/server/test_index.h"
#include "tests/server/witness_process.h"

namespace tests::server {
namespace {

using ledger::witness_policy::VerifyCheckpointWithPolicy;

// Polls `done` for up to 20 s.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 400; ++i) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return done();
}

ledger::witness_policy::Policy PolicyOf(const std::string& log_vkey,
                                        const WitnessProcess& w) {
  return *ledger::witness_policy::ParsePolicy(
      absl::StrCat("log ", log_vkey, "\nwitness w1 ", w.vkey(),
                   " http://127.0.0.1:", w.port(), "\nquorum w1\n"));
}

class IndexWitnessedServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = vindex::testonly::ModelLog::Create("factory-a.example/ledger");
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    auto output = MakeTestOutputLog("factory-a.example/index");
    ASSERT_TRUE(output.ok()) << output.status();
    output_vkey_ = output->vkey;
    // The witness trusts both logs; one policy lists it for each.
    const std::string dir = log_->fixture().dir();
    const std::string logs_file = dir + "/trusted-logs";
    std::ofstream(logs_file) << "log " << log_->ledger().VerifierKey()
                             << "\nlog " << output_vkey_ << "\n";
    w1_ = std::make_unique<WitnessProcess>(dir, "w1", 1);
    w1_->Start(0, logs_file);
    ASSERT_FALSE(HasFatalFailure());
    log_policy_ = PolicyOf(log_->ledger().VerifierKey(), *w1_);
    index_policy_ = PolicyOf(output_vkey_, *w1_);

    api::server::ServerOptions options;
    options.insecure_loopback = true;
    options.checkpoint_interval = absl::Milliseconds(50);
    options.witness_policy = log_policy_;
    options.metrics = &metrics_;
    options.witness_options.request_timeout = absl::Seconds(2);
    options.witness_options.backoff_min = absl::Milliseconds(50);
    options.witness_options.backoff_max = absl::Milliseconds(400);
    auto made = std::make_shared<TestOutputLog>(*std::move(output));
    options.open_index = [made](const ledger::Ledger& served) {
      return OpenTestIndex(served, std::move(*made));
    };
    auto server = api::server::LedgerServer::Start(&log_->ledger(), options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_NE(server_->index_witnesses(), nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                            grpc::InsecureChannelCredentials());
    audit_ = aifl::api::v1::Audit::NewStub(channel);
    handler_ = std::make_unique<api::server::ServerHttpHandler>(
        &log_->ledger(), *server_, nullptr,
        api::tiles_http::TileHandlerOptions{});
    auto http = api::tiles_http::TileHttpServer::Start(handler_.get(), {});
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = *std::move(http);
    url_ = absl::StrCat("http://127.0.0.1:", http_->port());
  }

  void TearDown() override {
    http_.reset();
    handler_.reset();
    if (server_ != nullptr) (void)server_->Shutdown(absl::Seconds(1));
  }

  // Appends `n` entries about models m0..m2 (all kinds) to the served
  // ledger; returns its size after them.
  uint64_t Submit(int n) {
    std::vector<std::string> envelopes;
    for (int i = 0; i < n; ++i) {
      auto envelope = log_->Envelope(absl::StrCat("m", i % 3), i % 4);
      EXPECT_TRUE(envelope.ok()) << envelope.status();
      envelopes.push_back(*std::move(envelope));
    }
    EXPECT_TRUE(log_->AppendAll(envelopes).ok());
    return log_->ledger().Size();
  }

  std::string Get(const std::string& path) {
    auto http = api::client::CurlHttpGetter::Create();
    EXPECT_TRUE(http.ok());
    auto body = (*http)->Get(url_ + path, 1 << 20);
    return body.ok() ? *body : absl::StrCat("error: ", body.status().message());
  }

  // The index's served checkpoint meets its policy and its last update
  // indexes the log up to `size`.
  bool IndexCosignedAt(uint64_t size) {
    auto checked =
        VerifyCheckpointWithPolicy(Get("/index/checkpoint"), index_policy_);
    if (!checked.ok()) return false;
    const uint64_t n = checked->checkpoint.size;
    auto leaf = server_->index_output()->GetLeaf(n - 1);
    if (!leaf.ok()) return false;
    auto update = vindex::IndexUpdateOfLeaf(n - 1, *leaf);
    return update.ok() && update->has_value() &&
           (*update)->state.input_size == size;
  }

  std::unique_ptr<vindex::testonly::ModelLog> log_;
  std::string output_vkey_;
  std::unique_ptr<WitnessProcess> w1_;
  ledger::witness_policy::Policy log_policy_, index_policy_;
  api::server::ServerMetrics metrics_{"test"};  // outlives server_
  std::unique_ptr<api::server::LedgerServer> server_;
  std::unique_ptr<aifl::api::v1::Audit::Stub> audit_;
  std::unique_ptr<api::server::ServerHttpHandler> handler_;
  std::unique_ptr<api::tiles_http::TileHttpServer> http_;
  std::string url_;
};

TEST_F(IndexWitnessedServerTest, OutputLogIsServedUnderIndexAndCosigned) {
  const uint64_t size = Submit(12);
  ASSERT_TRUE(Eventually([&] { return IndexCosignedAt(size); }))
      << Get("/index/checkpoint");
  // Its tiles under the prefix, the log's own at the root.
  auto checked =
      VerifyCheckpointWithPolicy(Get("/index/checkpoint"), index_policy_);
  ASSERT_TRUE(checked.ok()) << checked.status();
  const uint64_t n = checked->checkpoint.size;
  ASSERT_LT(n, 256u);
  EXPECT_EQ(Get(absl::StrCat("/index/tile/0/000.p/", n)).size(), 32 * n);
  EXPECT_TRUE(absl::StrContains(
      Get(absl::StrCat("/index/tile/entries/000.p/", n)), "IndexUpdate"));
  EXPECT_TRUE(
      absl::StartsWith(Get("/checkpoint"), "factory-a.example/ledger\n"));
  EXPECT_TRUE(
      absl::StartsWith(Get("/index/checkpoint"), "factory-a.example/index\n"));
  EXPECT_TRUE(absl::StartsWith(Get("/index/nothing"), "error: ")) << "404";
  // The log's own checkpoint is cosigned too, by the same witness.
  ASSERT_TRUE(Eventually([&] {
    auto log = VerifyCheckpointWithPolicy(Get("/checkpoint"), log_policy_);
    return log.ok() && log->checkpoint.size >= size;
  }));
  // GetModelEntries' head comes in a checkpoint the witness cosigned.
  aifl::api::v1::GetModelEntriesRequest request;
  request.set_model_id("m1");
  aifl::api::v1::GetModelEntriesResponse response;
  grpc::ClientContext ctx;
  const grpc::Status s = audit_->GetModelEntries(&ctx, request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(
      VerifyCheckpointWithPolicy(response.output_checkpoint(), index_policy_)
          .ok())
      << response.output_checkpoint();
}

// Admin.GetStatus shows the output log's witnesses beside the ledger's
// (what `ledgerctl witness-status` prints): what each cosigned, the quorum's
// size.
TEST_F(IndexWitnessedServerTest, GetStatusShowsTheOutputLogsWitnesses) {
  const uint64_t size = Submit(12);
  ASSERT_TRUE(Eventually([&] { return IndexCosignedAt(size); }));
  auto admin = aifl::api::v1::Admin::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                          grpc::InsecureChannelCredentials()));
  aifl::api::v1::ServerStatus status;
  auto get = [&] {
    grpc::ClientContext ctx;
    status.Clear();
    const grpc::Status s =
        admin->GetStatus(&ctx, aifl::api::v1::GetStatusRequest(), &status);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return s.ok();
  };
  // The collector learns of the cosignature after the served note has it.
  ASSERT_TRUE(Eventually([&] {
    return get() && status.index_log().quorum_cosigned_size() > 0 &&
           status.index_log().quorum_cosigned_size() ==
               status.index_log().checkpoint_size();
  })) << status.DebugString();
  const aifl::api::v1::IndexLogStatus& index = status.index_log();
  EXPECT_EQ(index.origin(), "factory-a.example/index");
  EXPECT_EQ(index.checkpoint_size(), server_->index_output()->Size());
  EXPECT_EQ(index.witness_quorum(), "w1");
  ASSERT_EQ(index.witnesses_size(), 1);
  EXPECT_EQ(index.witnesses(0).name(), "w1");
  EXPECT_TRUE(index.witnesses(0).cosigned_size_known());
  EXPECT_EQ(index.witnesses(0).cosigned_size(), index.checkpoint_size());
  EXPECT_FALSE(index.witnesses(0).failing());
  // The ledger's own witnesses stay where they were.
  ASSERT_EQ(status.witnesses_size(), 1);
  EXPECT_EQ(status.witnesses(0).name(), "w1");
  EXPECT_EQ(status.origin(), "factory-a.example/ledger");
  // And /metrics shows both logs' witnesses, each in its own families.
  const std::string metrics = metrics_.Scrape();
  EXPECT_TRUE(absl::StrContains(
      metrics, absl::StrCat("aifl_index_witness_cosigned_tree_size{witness="
                            "\"w1\"} ",
                            index.checkpoint_size(), "\n")))
      << metrics;
  EXPECT_TRUE(absl::StrContains(
      metrics, "aifl_ledger_witness_cosigned_tree_size{witness=\"w1\"}"))
      << metrics;
}

TEST_F(IndexWitnessedServerTest, TheOfficeFollowsTheServedOutputLog) {
  uint64_t size = Submit(20);
  ASSERT_TRUE(Eventually([&] { return IndexCosignedAt(size); }));
  auto mirror = office::Mirror::Open(ledger::testonly::FreshDir("mirror"));
  ASSERT_TRUE(mirror.ok()) << mirror.status();
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  const std::string input_origin = log_->ledger().origin();
  office::FollowedLog in_cfg{
      input_origin, log_->ledger().VerifierKey(), url_, "", {}};
  // The output log as an `index` line would give it, its quorum required.
  office::FollowedLog out_cfg{
      "factory-a.example/index",
      output_vkey_,
      url_ + api::server::ServerHttpHandler::kIndexPrefix,
      "",
      index_policy_,
      input_origin};
  auto follow = [&](const office::FollowedLog& cfg) {
    auto f = office::LogFollower::Create(
        cfg, mirror->get(), *api::client::CurlHttpGetter::Create(), &clock);
    EXPECT_TRUE(f.ok()) << f.status();
    auto step = (*f)->Step();
    EXPECT_TRUE(step.ok()) << step.status();
    EXPECT_FALSE(step.ok() && step->incident.has_value())
        << step->incident->reason;
    return step.ok() ? step->verified_size : 0;
  };
  for (int round = 0; round < 2; ++round) {
    EXPECT_GE(follow(in_cfg), size);
    const uint64_t out = follow(out_cfg);
    EXPECT_GT(out, 2u);
    auto state = (*mirror)->LoadFollowState(out_cfg.origin);
    ASSERT_TRUE(state.ok() && state->has_value());
    EXPECT_FALSE((*state)->stopped());
    // Fully verified: the accepted checkpoint's every update replayed.
    auto verified = (*mirror)->VerifiedCheckpoint(out_cfg.origin, out);
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->has_value());
    size = Submit(9);
    ASSERT_TRUE(Eventually([&] { return IndexCosignedAt(size); }));
  }
}

}  // namespace
}  // namespace tests::server
