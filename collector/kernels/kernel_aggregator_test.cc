#include "collector/kernels/kernel_aggregator.h"

#include "gtest/gtest.h"

namespace collector {
namespace kernels {
namespace {

TEST(KernelAggregatorTest, BusyTimeIsUnionOfOverlappingIntervalsPerDevice) {
  KernelAggregator agg;
  // Device 0: [0,100) gemm, [50,150) elementwise, [300,400) gemm -> busy 250,
  // tensor 200. Device 1: [0,100) and [10,20) inside it -> busy 100.
  agg.Add({0, 100, 0, 1, true});
  agg.Add({50, 150, 0, 2, false});
  agg.Add({300, 400, 0, 1, true});
  agg.Add({10, 20, 1, 2, false});
  agg.Add({0, 100, 1, 2, false});
  agg.Add({5, 5, 1, 2, false});  // empty: ignored
  KernelTotals t = agg.Take();
  EXPECT_EQ(t.kernels, 5u);
  EXPECT_EQ(t.busy_ns, 250u + 100u);
  EXPECT_EQ(t.tensor_busy_ns, 200u);
  EXPECT_DOUBLE_EQ(t.tensor_share(), 200.0 / 350.0);
  EXPECT_EQ(t.per_kernel[1], 2u);
  EXPECT_EQ(t.per_kernel[2], 3u);
  EXPECT_EQ(t.first_start_ns, 0u);
  EXPECT_EQ(t.last_end_ns, 400u);
  EXPECT_EQ(agg.Take().busy_ns, 0u);  // a new window
}

TEST(KernelAggregatorTest, StaysBoundedAndExactForOrderedRecords) {
  KernelAggregator agg(/*max_pending=*/64);
  // 10000 disjoint 10 ns kernels with 5 ns gaps, in order.
  for (uint64_t i = 0; i < 10000; ++i)
    agg.Add({i * 15, i * 15 + 10, 0, 0, false});
  agg.AddDropped(3);
  KernelTotals t = agg.Take();
  EXPECT_EQ(t.busy_ns, 100000u);
  EXPECT_EQ(t.dropped, 3u);
}

TEST(KernelAggregatorTest, TensorNameHeuristics) {
  EXPECT_TRUE(IsTensorKernelName("sm90_xmma_gemm_bf16bf16_bf16f32"));
  EXPECT_TRUE(IsTensorKernelName("ampere_fp16_s16816gemm_fp16_128x128"));
  EXPECT_TRUE(IsTensorKernelName("void cutlass::Kernel<...>"));
  EXPECT_TRUE(IsTensorKernelName("flash_fwd_kernel"));
  EXPECT_TRUE(IsTensorKernelName("wgmma_kernel"));
  EXPECT_FALSE(IsTensorKernelName("vectorized_elementwise_kernel"));
  EXPECT_FALSE(IsTensorKernelName("ncclDevKernel_AllReduce_Sum_bf16_RING"));
}

}  // namespace
}  // namespace kernels
}  // namespace collector
