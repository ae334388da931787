// The server and log-key rotation, over real gRPC on loopback: a LogKey
// announcing a new key is refused by Admin.SubmitKeyEvent (rotation is
// offline), Audit.GetLogKeys reports the history with a provable handover,
// the verifying client follows a rotation of the served ledger, and a server
// refuses to start with a retired log key.
#include <memory>
#include <string>

#include "api/client/ledger_client.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/ledger.h"
#include "tests/server/server_harness.h"

namespace tests::server {
namespace {

using ::testing::HasSubstr;

class LogKeyRotationServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto harness = ServerHarness::StartLoopback(absl::Milliseconds(20));
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = std::move(*harness);
    new_key_path_ = harness_->fixture().dir() + "/keys/next.key";
    auto key = ledger::crypto::SigningKey::Generate();
    ASSERT_TRUE(ledger::crypto::WriteSecretKeyFile(new_key_path_, **key).ok());
    new_key_.emplace((*key)->public_key());
  }

  std::string Announce() {
    auto& f = harness_->fixture();
    aifl::ledger::v1::KeyEvent event;
    event.mutable_log_key()->set_public_key(std::string(new_key_->bytes()));
    event.mutable_log_key()->set_origin(f.ledger().origin());
    f.admin().set_next_sequence(
        f.ledger().FindKey(f.admin().key_id())->next_sequence);
    return f.admin()
        .SignNext(ledger::kKeyEventType, event.SerializeAsString())
        .value();
  }

  std::unique_ptr<ServerHarness> harness_;
  std::string new_key_path_;
  std::optional<ledger::crypto::PublicKey> new_key_;
};

TEST_F(LogKeyRotationServerTest, SubmitKeyEventRefusesARotation) {
  const uint64_t size = harness_->ledger().Size();
  aifl::api::v1::SubmitKeyEventRequest request;
  request.set_envelope(Announce());
  aifl::api::v1::EntryResult result;
  grpc::ClientContext ctx;
  grpc::Status s = aifl::api::v1::Admin::NewStub(harness_->InsecureChannel())
                       ->SubmitKeyEvent(&ctx, request, &result);
  const std::string message =
      s.ok() ? result.error().message() : s.error_message();
  const int code = s.ok() ? result.error().code() : s.error_code();
  EXPECT_EQ(code, static_cast<int>(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(message,
              HasSubstr("stop the server and run `ledgerctl rotate-log-key`"));
  EXPECT_EQ(harness_->ledger().Size(), size);
}

TEST_F(LogKeyRotationServerTest, ClientFollowsARotationOfTheServedLedger) {
  const std::string old_vkey = harness_->ledger().VerifierKey();
  auto client =
      api::client::LedgerClient::Create(harness_->InsecureChannel(), old_vkey);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->LatestCheckpoint().ok());
  auto key = ledger::crypto::ReadSecretKeyFile(new_key_path_);
  ASSERT_TRUE(harness_->ledger()
                  .RotateLogKey(Announce(), std::move(*key), new_key_path_)
                  .ok());
  // Grow the log so that the next checkpoint is signed by the new key only.
  auto collector =
      harness_->fixture().EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
  ASSERT_TRUE(collector.ok());
  ASSERT_TRUE(harness_->ledger().PublishCheckpoint().ok());

  auto log_keys = (*client)->GetLogKeys();
  ASSERT_TRUE(log_keys.ok()) << log_keys.status();
  ASSERT_EQ(log_keys->log_keys_size(), 2);
  EXPECT_GT(log_keys->log_keys(1).first_checkpoint_size(),
            log_keys->log_keys(1).announced_at_leaf());
  EXPECT_EQ(log_keys->log_keys(1).verifier_key(),
            harness_->ledger().VerifierKey());

  auto latest = (*client)->LatestCheckpoint();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ((*client)->verifier().verifier_key(),
            harness_->ledger().VerifierKey());
  EXPECT_NE((*client)->verifier().verifier_key(), old_vkey);
}

TEST_F(LogKeyRotationServerTest, RefusesToStartWithARetiredLogKey) {
  auto key = ledger::crypto::ReadSecretKeyFile(new_key_path_);
  ASSERT_TRUE(harness_->ledger()
                  .RotateLogKey(Announce(), std::move(*key), new_key_path_)
                  .ok());
  const std::string dir = harness_->fixture().dir();
  harness_.reset();
  ledger::LedgerOptions options;
  options.dir = dir;  // the default key file still holds the old key
  auto ledger = ledger::Ledger::Open(options);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  api::server::ServerOptions server_options;
  server_options.insecure_loopback = true;
  server_options.listen_address = "127.0.0.1:0";
  auto server = api::server::LedgerServer::Start(ledger->get(), server_options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("is not the current log key"));
}

}  // namespace
}  // namespace tests::server
