#include "collector/spool/reship.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_file.h"
#include "collector/spool/testonly/spool_shipper_fixture.h"
#include "common/read_file.h"
#include "gtest/gtest.h"

namespace collector {
namespace spool {
namespace {

// Opens FakeSigner envelopes: "<seq>|<type>|<payload>".
absl::StatusOr<OpenedEnvelope> OpenFake(absl::string_view envelope) {
  std::vector<std::string> parts =
      absl::StrSplit(envelope, absl::MaxSplits('|', 2));
  if (parts.size() != 3) return absl::InvalidArgumentError("not an envelope");
  return OpenedEnvelope{parts[1], parts[2]};
}

class ReshipTest : public SpoolShipperFixture {
 protected:
  void ShipAll() {
    for (int i = 0; i < 10; ++i) {
      clock_.Advance(absl::Minutes(10));
      (void)shipper_->Tick();  // refusals expected; checked by the tests
    }
  }
  absl::StatusOr<ReshipCounts> Reship() {
    return ReshipRejected(spool_.get(), OpenFake,
                          [this](const std::string& l) { log_.push_back(l); });
  }
};

TEST_F(ReshipTest, RejectedMeasurementShipsAgainUnderANewSequenceNumber) {
  ASSERT_TRUE(spool_->Enqueue("t", "p0").ok());
  ASSERT_TRUE(spool_->Enqueue("t", "p1").ok());
  ledger_.refuse_marker = "p1";  // e.g. a ledger that could not parse it yet
  ShipAll();
  EXPECT_EQ(ledger_.received.count("2|aifl.collector.v1.RecordRefused|"
                                   "refused p1"),
            1u);
  ASSERT_EQ(spool_->Rejected()->size(), 1u);

  ledger_.refuse_marker.clear();  // the cause is fixed
  auto counts = Reship();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->requeued, 1u);
  EXPECT_EQ(counts->markers, 0u);
  EXPECT_TRUE(spool_->Rejected()->empty());
  EXPECT_EQ(spool_->pending_count(), 1u);
  ShipAll();
  // Same payload bytes, new number (2 is the marker's).
  EXPECT_EQ(ledger_.received.count("3|t|p1"), 1u);
  EXPECT_EQ(shipper_->stats().measurements_shipped, 2u);
  EXPECT_EQ(shipper_->stats().markers_shipped, 1u);
  // The file is kept, moved on to rejected/reshipped/.
  auto kept = common::ReadWholeFile(dir_ +
                                    "/rejected/reshipped/"
                                    "00000000000000000004.env");
  ASSERT_TRUE(kept.ok()) << kept.status();
  // A second reship finds nothing to do.
  counts = Reship();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->requeued, 0u);
  EXPECT_EQ(spool_->pending_count(), 0u);
}

TEST_F(ReshipTest, MarkersAndUnreadableFilesStayInRejected) {
  ASSERT_TRUE(spool_->Enqueue("t", "p0").ok());
  ledger_.refuse_marker = "p0";
  ledger_.refuse_markers_too = true;
  ShipAll();
  // The measurement and its refused marker, both kept.
  ASSERT_EQ(spool_->Rejected()->size(), 2u);
  ASSERT_TRUE(WriteFileDurably(dir_ + "/rejected", "00000000000000000009.env",
                               "not a spool file")
                  .ok());
  auto counts = Reship();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->requeued, 1u);
  EXPECT_EQ(counts->markers, 1u);
  EXPECT_EQ(counts->unreadable, 1u);
  EXPECT_EQ(spool_->Rejected()->size(), 2u);
}

TEST_F(ReshipTest, RequeueAfterACrashDoesNotQueueTwice) {
  ASSERT_TRUE(spool_->Enqueue("t", "p0").ok());
  ledger_.refuse_marker = "p0";
  ShipAll();
  ASSERT_EQ(spool_->Rejected()->size(), 1u);
  // A reship that stopped after queueing, before moving the file.
  ASSERT_TRUE(spool_->Enqueue("t", "p0").ok());
  auto counts = Reship();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->requeued, 1u);
  EXPECT_EQ(spool_->pending_count(), 1u);
  EXPECT_TRUE(spool_->Rejected()->empty());
}

}  // namespace
}  // namespace spool
}  // namespace collector
