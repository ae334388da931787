#include "collector/spool/spool_shipper.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "collector/spool/testonly/fakes.h"
#include "gtest/gtest.h"

namespace collector {
namespace spool {
namespace {

class SpoolShipperTest : public ::testing::Test {
 protected:
  SpoolShipperTest() : clock_(absl::FromUnixSeconds(1000)) {}
  void SetUp() override {
    auto s = Spool::Open(absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_TRUE(s.ok());
    spool_ = std::move(*s);
    ShipOptions o;
    o.batch = 4;
    shipper_ = std::make_unique<SpoolShipper>(spool_.get(), &signer_, &ledger_,
                                              &verifier_, &clock_, o);
  }
  void Enqueue(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(spool_->Enqueue("t", absl::StrCat("p", count_++)).ok());
    }
  }

  common::FakeClock clock_;
  FakeSigner signer_;
  FakeShipper ledger_;
  FakeReceiptVerifier verifier_;
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<SpoolShipper> shipper_;
  int count_ = 0;
};

TEST_F(SpoolShipperTest,
       OutageBacksOffExponentiallyThenDeliversEverythingOnce) {
  Enqueue(10);
  ledger_.down = true;
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(shipper_->next_attempt(), clock_.Now() + absl::Seconds(1));
  EXPECT_TRUE(shipper_->Tick().ok());  // backing off: no call
  EXPECT_EQ(ledger_.calls, 1);
  clock_.Advance(absl::Seconds(1));
  EXPECT_FALSE(shipper_->Tick().ok());
  EXPECT_EQ(shipper_->next_attempt(), clock_.Now() + absl::Seconds(2));
  clock_.Advance(absl::Seconds(2));
  EXPECT_FALSE(shipper_->Tick().ok());
  EXPECT_EQ(shipper_->next_attempt(), clock_.Now() + absl::Seconds(4));
  // Nothing was lost or deleted during the outage.
  EXPECT_EQ(spool_->pending_count() + spool_->sealed_count(), 10u);

  ledger_.down = false;
  clock_.Advance(absl::Minutes(1));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(shipper_->Tick().ok());
  EXPECT_EQ(shipper_->stats().shipped, 10u);
  EXPECT_EQ(shipper_->stats().failures, 0u);
  EXPECT_EQ(spool_->pending_count() + spool_->sealed_count(), 0u);
  EXPECT_EQ(ledger_.received.size(), 10u);
  for (const auto& [env, n] : ledger_.received) EXPECT_EQ(n, 1) << env;
}

TEST_F(SpoolShipperTest, BackoffIsCappedAtMax) {
  Enqueue(1);
  ledger_.down = true;
  for (int i = 0; i < 20; ++i) {
    (void)shipper_->Tick();  // failure expected; checked via next_attempt
    clock_.Set(shipper_->next_attempt());
  }
  EXPECT_LE(shipper_->next_attempt() - clock_.Now(), absl::Minutes(5));
}

class LyingVerifier final : public ReceiptVerifier {
 public:
  absl::Status Verify(absl::string_view, const Receipt&) override {
    return absl::DataLossError("bad receipt");
  }
};

TEST_F(SpoolShipperTest, KeepsEnvelopesWhoseReceiptDoesNotVerify) {
  Enqueue(2);
  LyingVerifier liar;
  SpoolShipper s(spool_.get(), &signer_, &ledger_, &liar, &clock_);
  EXPECT_EQ(s.Tick().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(spool_->sealed_count(), 2u);
  // Re-sent with the same bytes (idempotent) once receipts verify.
  clock_.Advance(absl::Seconds(5));
  ASSERT_TRUE(shipper_->Tick().ok());
  EXPECT_EQ(spool_->sealed_count(), 0u);
  for (const auto& [env, n] : ledger_.received) EXPECT_EQ(n, 2) << env;
}

TEST_F(SpoolShipperTest, PermanentlyRefusedEnvelopeIsReplacedByAMarker) {
  Enqueue(3);
  ledger_.refuse_marker = "p1";
  // p0 and p2 land; p1 is refused for good and replaced, under its own
  // sequence number (2), by a signed refusal marker, so the key's sequence
  // stays contiguous at the ledger.
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(shipper_->stats().shipped, 2u);
  EXPECT_EQ(shipper_->stats().rejected, 1u);
  ASSERT_EQ(spool_->sealed_count(), 1u);
  auto sealed = spool_->Sealed(10);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ((*sealed)[0].payload_type, "aifl.collector.v1.RecordRefused");
  EXPECT_EQ((*sealed)[0].bytes, "2|aifl.collector.v1.RecordRefused|refused");
  EXPECT_EQ(signer_.delivered, 2u);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(shipper_->Tick().ok());
  EXPECT_EQ(spool_->sealed_count(), 0u);
  EXPECT_EQ(ledger_.received.count("2|aifl.collector.v1.RecordRefused|refused"),
            1u);
  EXPECT_EQ(signer_.delivered, 3u);
}

TEST_F(SpoolShipperTest, SequenceGapIsRetriedNotRejected) {
  Enqueue(2);
  ledger_.gap_marker = "p1";  // refused once as a gap, then accepted
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(shipper_->stats().rejected, 0u);
  EXPECT_EQ(spool_->sealed_count(), 1u);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(shipper_->Tick().ok());
  EXPECT_EQ(spool_->sealed_count(), 0u);
  EXPECT_EQ(shipper_->stats().shipped, 2u);
}

}  // namespace
}  // namespace spool
}  // namespace collector
