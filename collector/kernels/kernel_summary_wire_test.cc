#include "collector/kernels/kernel_summary_wire.h"

#include "gtest/gtest.h"

namespace collector {
namespace kernels {
namespace {

TEST(KernelSummaryWireTest, RoundTripsTotals) {
  KernelTotals t;
  t.kernels = 10;
  t.busy_ns = 2000000000;
  t.tensor_busy_ns = 500000000;
  t.dropped = 2;
  t.first_start_ns = 1700000000000000000;
  t.last_end_ns = 1700000002000000000;
  auto d = DecodeKernelSummaryMessage(EncodeKernelSummaryMessage(t, "42", "0"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->job, "42");
  EXPECT_EQ(d->step, "0");
  EXPECT_EQ(d->summary.kernels(), 10u);
  EXPECT_DOUBLE_EQ(d->summary.busy_seconds(), 2.0);
  EXPECT_DOUBLE_EQ(d->summary.tensor_kernel_share(), 0.25);
  EXPECT_EQ(d->summary.dropped_records(), 2u);
  EXPECT_EQ(d->summary.start_unix_ms(), 1700000000000);
}

TEST(KernelSummaryWireTest, RejectsMalformedMessages) {
  EXPECT_FALSE(DecodeKernelSummaryMessage("hello").ok());
  EXPECT_FALSE(
      DecodeKernelSummaryMessage("aifl-kernel-summary v1\njob=1\n").ok());
}

}  // namespace
}  // namespace kernels
}  // namespace collector
