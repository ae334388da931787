#include "collector/spool/interval_merge.h"

#include "gtest/gtest.h"

namespace collector {
namespace spool {
namespace {

using aifl::collector::v1::IntervalReport;

TEST(IntervalMergeTest, SumsFieldsWidensRangesAndCountsIntervals) {
  IntervalReport a, b;
  a.set_run_id("c/1");
  a.set_node("n");
  a.set_interval_index(3);
  a.set_start_unix_ms(3000);
  a.set_end_unix_ms(4000);
  a.set_gpu_seconds_allocated(8);
  a.set_energy_joules(100);
  a.mutable_flop()->set_lower(1);
  a.mutable_flop()->set_upper(2);
  a.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
  a.set_precision_low(aifl::common::v1::BF16);
  a.set_precision_high(aifl::common::v1::FP8);
  a.set_missing_samples(1);
  b = a;
  b.set_interval_index(4);
  b.set_start_unix_ms(4000);
  b.set_end_unix_ms(5000);
  b.clear_energy_joules();  // no reading in b
  b.mutable_flop()->set_method(aifl::common::v1::MEASURED_BUSY_TIME);
  b.set_precision_low(aifl::common::v1::PRECISION_UNSPECIFIED);
  b.set_shared_gpu(true);
  b.set_merged_intervals(2);
  ASSERT_TRUE(MergeInterval(&a, b).ok());
  EXPECT_EQ(a.interval_index(), 3u);
  EXPECT_EQ(a.start_unix_ms(), 3000);
  EXPECT_EQ(a.end_unix_ms(), 5000);
  EXPECT_DOUBLE_EQ(a.gpu_seconds_allocated(), 16);
  EXPECT_DOUBLE_EQ(a.energy_joules(), 100);
  EXPECT_DOUBLE_EQ(a.flop().lower(), 2);
  EXPECT_DOUBLE_EQ(a.flop().upper(), 4);
  EXPECT_EQ(a.flop().method(), aifl::common::v1::MEASURED_BUSY_TIME);
  EXPECT_EQ(a.precision_low(), aifl::common::v1::PRECISION_UNSPECIFIED);
  EXPECT_TRUE(a.shared_gpu());
  EXPECT_EQ(a.merged_intervals(), 3u);
  EXPECT_EQ(a.missing_samples(), 2u);
}

TEST(IntervalMergeTest, RefusesDifferentRuns) {
  IntervalReport a, b;
  a.set_run_id("c/1");
  b.set_run_id("c/2");
  EXPECT_EQ(MergeInterval(&a, b).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace spool
}  // namespace collector
