#include "collector/spool/spool_shipper.h"

#include <dirent.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/spool/spool_file.h"
#include "collector/spool/testonly/fakes.h"
#include "collector/spool/testonly/spool_shipper_fixture.h"
#include "common/read_file.h"
#include "gtest/gtest.h"

namespace collector {
namespace spool {
namespace {

class SpoolShipperTest : public SpoolShipperFixture {
 protected:
  SpoolShipperTest() : SpoolShipperFixture(FourPerBatch()) {}
  static ShipOptions FourPerBatch() {
    ShipOptions o;
    o.batch = 4;
    return o;
  }
  void Enqueue(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(spool_->Enqueue("t", absl::StrCat("p", count_++)).ok());
    }
  }
  // File name -> bytes, for every file directly in rejected/.
  std::map<std::string, std::string> RejectedFiles() const {
    std::map<std::string, std::string> out;
    DIR* d = opendir((dir_ + "/rejected").c_str());
    while (dirent* e = d == nullptr ? nullptr : readdir(d)) {
      const std::string name = e->d_name;
      if (!absl::EndsWith(name, ".env")) continue;
      out[name] = *common::ReadWholeFile(dir_ + "/rejected/" + name);
    }
    if (d != nullptr) closedir(d);
    return out;
  }

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
  EXPECT_EQ(shipper_->stats().measurements_shipped, 10u);
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

TEST_F(SpoolShipperTest, InvalidRecordIsKeptAndItsNumberFilledByAMarker) {
  Enqueue(3);
  ledger_.refuse_marker = "p1";
  // p0 and p2 land; p1 is judged invalid and replaced, under its own
  // sequence number (2), by a signed refusal marker, so the key's sequence
  // stays contiguous at the ledger; the original is kept in rejected/.
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(shipper_->stats().measurements_shipped, 2u);
  EXPECT_EQ(shipper_->stats().refused, 1u);
  EXPECT_EQ(shipper_->stats().held, 0u);
  ASSERT_EQ(spool_->sealed_count(), 1u);
  auto sealed = spool_->Sealed(10);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ((*sealed)[0].payload_type, "aifl.collector.v1.RecordRefused");
  EXPECT_EQ((*sealed)[0].bytes, "2|aifl.collector.v1.RecordRefused|refused p1");
  EXPECT_EQ(signer_.delivered, 2u);
  EXPECT_EQ(LogLinesWith("REFUSED record"), 1u);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(shipper_->Tick().ok());
  EXPECT_EQ(spool_->sealed_count(), 0u);
  EXPECT_EQ(
      ledger_.received.count("2|aifl.collector.v1.RecordRefused|refused p1"),
      1u);
  EXPECT_EQ(signer_.delivered, 3u);
  // Counts say what they count: two measurements, one marker.
  EXPECT_EQ(shipper_->stats().measurements_shipped, 2u);
  EXPECT_EQ(shipper_->stats().markers_shipped, 1u);
  auto rejected = RejectedFiles();
  ASSERT_EQ(rejected.size(), 1u);
  auto kept = DecodeSpoolFile(rejected.begin()->second);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->body, "2|t|p1");
}

// A key the ledger does not know (not enrolled yet), a revoked key, a key
// bound to another certificate, a signature that does not verify: the
// node's configuration, never a verdict on its measurements.
TEST_F(SpoolShipperTest, KeyOrCertificateRefusalHoldsRecordsWithoutMarkers) {
  for (absl::Status why :
       {absl::PermissionDeniedError("unknown key ab12: it is not enrolled"),
        absl::PermissionDeniedError("key ab12 was revoked at leaf 7"),
        absl::UnauthenticatedError("signature does not verify")}) {
    SCOPED_TRACE(why.ToString());
    Enqueue(3);
    ledger_.envelope_error = why;
    log_.clear();
    EXPECT_EQ(shipper_->Tick(), why);
    EXPECT_EQ(shipper_->stats().held, 3u);
    EXPECT_EQ(shipper_->stats().hold_reason, why);
    EXPECT_EQ(shipper_->stats().refused + shipper_->stats().number_taken, 0u);
    EXPECT_EQ(spool_->sealed_count(), 3u);
    for (const SpoolEntry& e : *spool_->Sealed(10)) {
      EXPECT_NE(e.payload_type, "aifl.collector.v1.RecordRefused");
    }
    EXPECT_TRUE(RejectedFiles().empty());
    // Retried with backoff, with one loud line per attempt.
    EXPECT_EQ(shipper_->next_attempt(), clock_.Now() + absl::Seconds(1));
    clock_.Advance(absl::Seconds(1));
    EXPECT_EQ(shipper_->Tick(), why);
    EXPECT_EQ(shipper_->next_attempt(), clock_.Now() + absl::Seconds(2));
    EXPECT_EQ(LogLinesWith("HOLDING 3 spooled records"), 2u);
    EXPECT_EQ(LogLinesWith(std::string(why.message())), 2u);

    // Enrolled: the same envelopes land, each once, and nothing else does.
    ledger_.envelope_error = absl::OkStatus();
    ledger_.received.clear();
    const uint64_t before = shipper_->stats().measurements_shipped;
    clock_.Advance(absl::Minutes(1));
    ASSERT_TRUE(shipper_->Tick().ok());
    EXPECT_EQ(shipper_->stats().measurements_shipped, before + 3);
    EXPECT_EQ(shipper_->stats().markers_shipped, 0u);
    EXPECT_EQ(shipper_->stats().held, 0u);
    EXPECT_TRUE(shipper_->stats().hold_reason.ok());
    EXPECT_EQ(ledger_.received.size(), 3u);
    for (const auto& [env, n] : ledger_.received) {
      EXPECT_FALSE(absl::StrContains(env, "RecordRefused")) << env;
    }
    EXPECT_EQ(spool_->sealed_count() + spool_->pending_count(), 0u);
  }
}

TEST_F(SpoolShipperTest, CallRefusedForTheCertificateHoldsRecords) {
  Enqueue(2);
  for (absl::Status why :
       {absl::UnauthenticatedError("no verified client certificate"),
        absl::PermissionDeniedError("TLS role auditor may not call Submit")}) {
    ledger_.call_error = why;
    clock_.Advance(absl::Minutes(10));
    EXPECT_EQ(shipper_->Tick(), why);
    EXPECT_EQ(shipper_->stats().held, 2u);
    EXPECT_EQ(shipper_->stats().hold_reason, why);
  }
  EXPECT_EQ(LogLinesWith("HOLDING 2 spooled records"), 2u);
  EXPECT_EQ(spool_->sealed_count(), 2u);
  EXPECT_TRUE(RejectedFiles().empty());
  // An unreachable ledger is an outage, not a hold.
  ledger_.call_error = absl::UnavailableError("connection refused");
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(LogLinesWith("HOLDING"), 2u);
}

TEST_F(SpoolShipperTest, RefusedMarkerNeverOverwritesTheKeptOriginal) {
  Enqueue(1);
  ledger_.refuse_marker = "p0";
  ledger_.refuse_markers_too = true;  // the marker's reason names p0
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kInvalidArgument);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(spool_->sealed_count(), 0u);
  // Same spool id, two files: the measurement and its refused marker.
  auto rejected = RejectedFiles();
  ASSERT_EQ(rejected.size(), 2u);
  std::set<std::string> bodies;
  for (const auto& [name, bytes] : rejected) {
    bodies.insert(DecodeSpoolFile(bytes)->body);
  }
  EXPECT_EQ(bodies,
            (std::set<std::string>{
                "1|t|p0", "1|aifl.collector.v1.RecordRefused|refused p0"}));
  EXPECT_EQ(shipper_->stats().refused, 1u);
  EXPECT_EQ(shipper_->stats().number_taken, 1u);
  EXPECT_EQ(shipper_->stats().markers_shipped, 0u);
}

TEST_F(SpoolShipperTest, UsedSequenceNumberIsKeptInRejectedWithoutAMarker) {
  Enqueue(2);
  ledger_.refuse_marker = "p0";
  ledger_.refuse_code = absl::StatusCode::kAlreadyExists;
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(shipper_->stats().number_taken, 1u);
  EXPECT_EQ(shipper_->stats().refused, 0u);
  EXPECT_EQ(shipper_->stats().measurements_shipped, 1u);
  EXPECT_EQ(spool_->sealed_count(), 0u);
  // The taken number counts as used (a new copy gets a higher one).
  EXPECT_EQ(signer_.delivered, 2u);
  auto rejected = RejectedFiles();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(DecodeSpoolFile(rejected.begin()->second)->body, "1|t|p0");
}

TEST_F(SpoolShipperTest, SequenceGapIsRetriedNotRejected) {
  Enqueue(2);
  ledger_.gap_marker = "p1";  // refused once as a gap, then accepted
  EXPECT_EQ(shipper_->Tick().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(shipper_->stats().refused, 0u);
  EXPECT_EQ(spool_->sealed_count(), 1u);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(shipper_->Tick().ok());
  EXPECT_EQ(spool_->sealed_count(), 0u);
  EXPECT_EQ(shipper_->stats().measurements_shipped, 2u);
}

}  // namespace
}  // namespace spool
}  // namespace collector
