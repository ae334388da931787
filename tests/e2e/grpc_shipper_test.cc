// GrpcLedgerShipper against a real ledger behind an in-process server
// (insecure loopback, port 0): receipts for shipped envelopes verify only
// after inclusion is proven; a receipt never verifies for other bytes; an
// unknown key's envelope is refused per entry; re-shipping is idempotent.
#include "collector/spool/grpc_shipper.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/channel.h"
#include "api/client/ledger_client.h"
#include "api/server/ledger_server.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/entry_signer.h"
#include "ledger/testonly/ledger_fixture.h"

namespace {

using collector::spool::GrpcLedgerShipper;

class GrpcShipperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = ledger::testonly::LedgerFixture::Create();
    ASSERT_TRUE(f.ok()) << f.status();
    fixture_ = *std::move(f);
    auto signer = fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
    ASSERT_TRUE(fixture_->ledger().PublishCheckpoint().ok());
    api::server::ServerOptions so;
    so.insecure_loopback = true;
    so.checkpoint_interval = absl::Milliseconds(5);
    so.clock = &fixture_->clock();
    auto server = api::server::LedgerServer::Start(&fixture_->ledger(), so);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    api::client::ChannelOptions co;
    co.target = absl::StrCat("127.0.0.1:", server_->port());
    co.insecure = true;
    auto channel = api::client::MakeChannel(co);
    ASSERT_TRUE(channel.ok());
    auto client = api::client::LedgerClient::Create(
        *channel, fixture_->ledger().VerifierKey());
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }
  void TearDown() override {
    if (server_ != nullptr) (void)server_->Shutdown(absl::Seconds(1));
  }
  std::string Sign(const std::string& payload) {
    auto e = signer_->SignNext("aifl.collector.v1.Blob", payload);
    EXPECT_TRUE(e.ok());
    return *e;
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::unique_ptr<ledger::EntrySigner> signer_;
  std::unique_ptr<api::server::LedgerServer> server_;
  std::unique_ptr<api::client::LedgerClient> client_;
};

TEST_F(GrpcShipperTest, ReceiptsVerifyAfterInclusionIsProven) {
  GrpcLedgerShipper shipper(client_.get());
  const std::vector<std::string> envelopes = {Sign("a"), Sign("b"), Sign("c")};
  auto receipts = shipper.Ship(envelopes);
  ASSERT_TRUE(receipts.ok()) << receipts.status();
  ASSERT_EQ(receipts->size(), 3u);
  for (size_t i = 0; i < envelopes.size(); ++i) {
    ASSERT_TRUE((*receipts)[i].ok()) << (*receipts)[i].status();
    EXPECT_TRUE(shipper.Verify(envelopes[i], *(*receipts)[i]).ok());
  }
}

TEST_F(GrpcShipperTest, ReceiptNeverVerifiesOtherBytes) {
  GrpcLedgerShipper shipper(client_.get());
  const std::string a = Sign("a"), b = Sign("b");
  auto receipts = shipper.Ship({a, b});
  ASSERT_TRUE(receipts.ok());
  EXPECT_FALSE(shipper.Verify(b, *(*receipts)[0]).ok());
  EXPECT_EQ(shipper.Verify("x", collector::spool::Receipt{"\xff"}).code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(GrpcShipperTest, UnknownKeyIsRefusedPerEntryAndResendIsIdempotent) {
  GrpcLedgerShipper shipper(client_.get());
  auto key = ledger::crypto::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  ledger::EntrySigner stranger(*std::move(key), fixture_->ledger().origin(), 0);
  auto bad = stranger.SignNext("aifl.collector.v1.Blob", "x");
  ASSERT_TRUE(bad.ok());
  const std::string good = Sign("g");
  auto receipts = shipper.Ship({*bad, good});
  ASSERT_TRUE(receipts.ok());
  EXPECT_EQ((*receipts)[0].status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE((*receipts)[1].ok());
  auto again = shipper.Ship({good});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)[0].ok());
  EXPECT_TRUE(shipper.Verify(good, *(*again)[0]).ok());
}

}  // namespace
