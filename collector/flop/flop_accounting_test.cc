#include "collector/flop/flop_accounting.h"

#include "gtest/gtest.h"

namespace collector {
namespace flop {
namespace {

using aifl::common::v1::BF16;
using aifl::common::v1::FP8;
using aifl::common::v1::TF32;

const ChipSpec& H100() {
  const ChipSpec* chip = FindChip("NVIDIA H100 80GB HBM3");
  EXPECT_NE(chip, nullptr);
  return *chip;
}

TEST(FlopAccountingTest, FindsChipsByNvmlName) {
  EXPECT_STREQ(FindChip("NVIDIA H100 80GB HBM3")->model, "H100-SXM");
  EXPECT_STREQ(FindChip("NVIDIA H200")->model, "H200");
  EXPECT_STREQ(FindChip("NVIDIA A100-SXM4-80GB")->model, "A100");
  EXPECT_EQ(FindChip("NVIDIA H100 PCIe"), nullptr);
  EXPECT_EQ(FindChip("Tesla T4"), nullptr);
  EXPECT_EQ(PeakFor(*FindChip("NVIDIA H200"), FP8), PeakFor(H100(), FP8));
}

TEST(FlopAccountingTest, TensorActivityBoundsSpanBf16ToFp8OnH100) {
  // Half the tensor pipe for 60 s: 30 s x 989 TFLOP/s .. 30 s x 1979 TFLOP/s.
  FlopEstimate e = Estimate(H100(), {60, 0.5, 0.9, std::nullopt});
  EXPECT_DOUBLE_EQ(e.range.lower(), 30 * 989e12);
  EXPECT_DOUBLE_EQ(e.range.upper(), 30 * 1979e12);
  EXPECT_EQ(e.range.method(), aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
  EXPECT_EQ(e.precision_low, BF16);
  EXPECT_EQ(e.precision_high, FP8);
  EXPECT_NE(e.range.assumptions().find("cannot tell FP8 from BF16"),
            std::string::npos);
}

TEST(FlopAccountingTest, DeclaredTf32LowersTheLowerBound) {
  FlopAssumptions a;
  a.lowest_precision = TF32;
  FlopEstimate e = Estimate(H100(), {10, 1.0, 1.0, std::nullopt}, a);
  EXPECT_DOUBLE_EQ(e.range.lower(), 10 * 495e12);
  EXPECT_EQ(e.precision_low, TF32);
}

TEST(FlopAccountingTest, A100UpperBoundIsBf16BecauseItHasNoFp8) {
  FlopEstimate e =
      Estimate(*FindChip("NVIDIA A100-SXM4-40GB"), {1, 1.0, 1.0, std::nullopt});
  EXPECT_DOUBLE_EQ(e.range.upper(), 312e12);
  EXPECT_EQ(e.precision_high, BF16);
}

TEST(FlopAccountingTest, FallsBackToBusyTimeWithoutTensorCounters) {
  FlopEstimate e = Estimate(H100(), {10, std::nullopt, 0.5, std::nullopt});
  EXPECT_EQ(e.range.lower(), 0);
  EXPECT_DOUBLE_EQ(e.range.upper(), 5 * 1979e12);
  EXPECT_EQ(e.range.method(), aifl::common::v1::MEASURED_BUSY_TIME);
  // No counters at all: the whole allocated time is assumed busy.
  FlopEstimate none =
      Estimate(H100(), {10, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_DOUBLE_EQ(none.range.upper(), 10 * 1979e12);
}

TEST(FlopAccountingTest, CountedFlopNarrowsTheRange) {
  FlopEstimate e = Estimate(H100(), {10, 0.5, 0.9, 6e15});
  EXPECT_DOUBLE_EQ(e.range.lower(), 6e15 * 0.95);
  EXPECT_DOUBLE_EQ(e.range.upper(), 6e15 * 1.05);
  EXPECT_EQ(e.range.method(), aifl::common::v1::MEASURED_COUNTED);
}

TEST(FlopAccountingTest, ImplausibleCountIsIgnored) {
  FlopEstimate e = Estimate(H100(), {1, 0.1, 0.2, 1e18});
  EXPECT_EQ(e.range.method(), aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
  EXPECT_NE(e.range.assumptions().find("ignored"), std::string::npos);
}

TEST(FlopAccountingTest, AccumulateSumsAndKeepsLoosestMethod) {
  FlopEstimate total;
  Accumulate(&total, Estimate(H100(), {1, 1.0, 1.0, std::nullopt}));
  Accumulate(&total, Estimate(H100(), {1, std::nullopt, 1.0, std::nullopt}));
  EXPECT_DOUBLE_EQ(total.range.lower(), 989e12);
  EXPECT_DOUBLE_EQ(total.range.upper(), 2 * 1979e12);
  EXPECT_EQ(total.range.method(), aifl::common::v1::MEASURED_BUSY_TIME);
  EXPECT_EQ(total.precision_high, FP8);
}

TEST(FlopAccountingTest, NoEstimateClaimsMoreThanPeakTimesActiveTime) {
  for (double f : {0.0, 0.3, 1.0, 1.7}) {
    FlopEstimate e = Estimate(H100(), {7, f, f, std::nullopt});
    EXPECT_TRUE(CheckPlausible(H100(), e.range, 7).ok()) << f;
  }
  aifl::common::v1::FlopRange bad;
  bad.set_upper(2000e12);
  EXPECT_EQ(CheckPlausible(H100(), bad, 1).code(),
            absl::StatusCode::kFailedPrecondition);
  bad.set_lower(3000e12);
  EXPECT_FALSE(CheckPlausible(H100(), bad, 10).ok());
}

}  // namespace
}  // namespace flop
}  // namespace collector
