#include "collector/spool/ledger_record_signer.h"

#include "gtest/gtest.h"
#include "ledger/crypto/key_id.h"
#include "ledger/ledger.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"

namespace collector {
namespace spool {
namespace {

constexpr char kInterval[] = "aifl.collector.v1.IntervalReport";
const std::string kSeed(32, '\x07');

std::unique_ptr<ledger::crypto::SigningKey> NodeKey() {
  return *ledger::crypto::SigningKey::FromSeed(kSeed);
}

class LedgerRecordSignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_ = std::move(*ledger::testonly::LedgerFixture::Create());
    aifl::ledger::v1::KeyEvent enrol;
    enrol.mutable_enrol()->set_public_key(
        std::string(NodeKey()->public_key().bytes()));
    enrol.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
    ASSERT_TRUE(f_->AppendOne(*f_->admin().SignNext(ledger::kKeyEventType,
                                                    enrol.SerializeAsString()))
                    .ok());
    dir_ = ledger::testonly::FreshDir("spool");
    spool_ = std::move(*Spool::Open(dir_));
  }

  std::unique_ptr<LedgerRecordSigner> NewSigner(
      std::optional<uint64_t> ledger_next = std::nullopt) {
    auto signer =
        LedgerRecordSigner::Create(NodeKey(), f_->ledger().origin(), *spool_,
                                   dir_ + "/next_sequence", ledger_next);
    EXPECT_TRUE(signer.ok()) << signer.status();
    return std::move(*signer);
  }

  absl::Status NewSignerStatus() {
    return LedgerRecordSigner::Create(NodeKey(), f_->ledger().origin(), *spool_,
                                      dir_ + "/next_sequence", std::nullopt)
        .status();
  }

  absl::Status Append(const std::string& envelope) {
    return f_->ledger().Append({envelope})[0].status;
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> f_;
  std::string dir_;
  std::unique_ptr<Spool> spool_;
};

TEST_F(LedgerRecordSignerTest, RestartResumesAfterSealedEnvelopesWithoutGap) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        spool_->Enqueue(kInterval, "interval " + std::to_string(i)).ok());
  }
  auto signer = NewSigner();
  ASSERT_EQ(*spool_->Seal(signer.get(), 2), 2u);  // sequences 0 and 1, fsynced
  // Restart: the counter comes from the sealed envelopes, not from memory.
  spool_ = std::move(*Spool::Open(dir_));
  signer = NewSigner();
  EXPECT_EQ(signer->next_sequence(), 2u);
  ASSERT_EQ(*spool_->Seal(signer.get(), 10), 1u);
  const std::vector<SpoolEntry> sealed = *spool_->Sealed(10);
  ASSERT_EQ(sealed.size(), 3u);
  for (const SpoolEntry& e : sealed) {
    EXPECT_TRUE(Append(e.bytes).ok()) << "sealed id " << e.id;
  }
}

TEST_F(LedgerRecordSignerTest, DeliveredEnvelopesRaiseTheHighWaterMark) {
  ASSERT_TRUE(spool_->Enqueue(kInterval, "a").ok());
  ASSERT_TRUE(spool_->Enqueue(kInterval, "b").ok());
  auto signer = NewSigner();
  ASSERT_EQ(*spool_->Seal(signer.get(), 10), 2u);
  auto sealed = *spool_->Sealed(10);
  std::vector<std::string> envelopes;
  for (const SpoolEntry& e : sealed) {
    ASSERT_TRUE(Append(e.bytes).ok());
    envelopes.push_back(e.bytes);
  }
  ASSERT_TRUE(signer->Delivered(envelopes).ok());
  for (const SpoolEntry& e : sealed) ASSERT_TRUE(spool_->Ack(e.id).ok());
  // The spool is empty now; after a restart the high-water file keeps the
  // node from signing sequence 0 again.
  spool_ = std::move(*Spool::Open(dir_));
  signer = NewSigner();
  EXPECT_EQ(signer->next_sequence(), 2u);
  EXPECT_TRUE(Append(*signer->SignNext(kInterval, "c")).ok());
}

TEST_F(LedgerRecordSignerTest, LedgerCountWinsWhenAhead) {
  auto signer = NewSigner(/*ledger_next=*/5);
  EXPECT_EQ(signer->next_sequence(), 5u);
}

TEST_F(LedgerRecordSignerTest, RefusalMarkerFillsTheRefusedSequence) {
  auto signer = NewSigner();
  // A record the ledger refuses for good (a collector may not sign provider
  // payloads), then one more record.
  const std::string refused =
      *signer->SignNext("aifl.provider.v1.ModelDeclaration", "oops");
  const std::string next = *signer->SignNext(kInterval, "after");
  const absl::Status why = Append(refused);
  ASSERT_EQ(why.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Append(next).code(), absl::StatusCode::kFailedPrecondition);  // gap
  const std::string marker = *signer->SignRefusalMarker(refused, why);
  ASSERT_TRUE(Append(marker).ok());
  EXPECT_TRUE(Append(next).ok());  // the chain goes on
  auto parsed = ledger::entry::ParseEnvelope(marker);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->sequence, 0u);
  aifl::collector::v1::RecordRefused body;
  ASSERT_TRUE(body.ParseFromString(parsed->payload));
  EXPECT_EQ(body.payload_type(), "aifl.provider.v1.ModelDeclaration");
  EXPECT_EQ(body.code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
}

TEST_F(LedgerRecordSignerTest, RefusesASpoolOfAnotherKey) {
  ASSERT_TRUE(spool_->Enqueue(kInterval, "x").ok());
  auto other = LedgerRecordSigner::Create(
      *ledger::crypto::SigningKey::FromSeed(std::string(32, '\x09')),
      f_->ledger().origin(), *spool_, dir_ + "/next_sequence", std::nullopt);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(*spool_->Seal(other->get(), 1), 1u);
  EXPECT_EQ(NewSignerStatus().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace spool
}  // namespace collector
