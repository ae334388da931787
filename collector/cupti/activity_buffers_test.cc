#include "collector/cupti/activity_buffers.h"

#include <cstdint>
#include <thread>
#include <vector>

#include "collector/cupti/testonly/fake_activity_api.h"
#include "gtest/gtest.h"

namespace collector {
namespace cupti {
namespace {

using testonly::FakeActivityApi;
using testonly::FakeRecord;

// Two distinct CUDA contexts; only their addresses matter.
CUctx_st* Context(int i) {
  static char storage[2];
  return reinterpret_cast<CUctx_st*>(&storage[i]);
}

FakeRecord Kernel(uint64_t start, uint64_t end, const std::string& name,
                  uint32_t device = 0) {
  FakeRecord r;
  r.start_ns = start;
  r.end_ns = end;
  r.name = name;
  r.device_id = device;
  return r;
}

class ActivityBuffersTest : public ::testing::Test {
 protected:
  // What CUPTI does with one buffer: request, fill, complete.
  void Deliver(ActivityBuffers* buffers, const std::vector<FakeRecord>& records,
               CUctx_st* context = nullptr, uint32_t stream = 0) {
    uint8_t* buffer = nullptr;
    size_t size = 0, max_records = 1;
    buffers->Request(&buffer, &size, &max_records);
    ASSERT_NE(buffer, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer) % 8, 0u) << "CUPTI alignment";
    EXPECT_EQ(max_records, 0u);
    auto [valid, left_out] = FakeActivityApi::Write(buffer, size, records);
    ASSERT_EQ(left_out, 0u);
    buffers->Complete(context, stream, buffer, valid);
  }

  FakeActivityApi api_;
};

TEST_F(ActivityBuffersTest, AggregatesTheKernelsOfACompletedBuffer) {
  ActivityBuffers buffers(&api_, {4096, 4});
  Deliver(&buffers, {Kernel(100, 200, "elementwise_add"),
                     Kernel(150, 400, "sm90_xmma_gemm_bf16bf16_bf16f32"),
                     Kernel(1000, 1100, "elementwise_add", 1)});
  EXPECT_EQ(buffers.buffers_out(), 0) << "completed buffers are freed";
  const kernels::KernelTotals t = buffers.Take();
  EXPECT_EQ(t.kernels, 3u);
  EXPECT_EQ(t.busy_ns, (400u - 100u) + 100u) << "union per device, summed";
  EXPECT_EQ(t.tensor_busy_ns, 250u) << "only the GEMM is a tensor kernel";
  EXPECT_EQ(t.first_start_ns, 100u);
  EXPECT_EQ(t.last_end_ns, 1100u);
  EXPECT_EQ(t.per_kernel, (std::vector<uint64_t>{2, 1}));
  EXPECT_EQ(t.dropped, 0u);
}

TEST_F(ActivityBuffersTest, InternsEachNameOnceAcrossBuffersAndWindows) {
  ActivityBuffers buffers(&api_, {4096, 4});
  Deliver(&buffers, {Kernel(0, 10, "a"), Kernel(10, 20, "flash_fwd")});
  EXPECT_EQ(buffers.Take().per_kernel, (std::vector<uint64_t>{1, 1}));
  // The names live in the (freed) buffers: interning must have copied them.
  Deliver(&buffers, {Kernel(20, 30, "flash_fwd"), Kernel(30, 40, "b"),
                     Kernel(40, 50, "a")});
  const kernels::KernelTotals t = buffers.Take();
  EXPECT_EQ(t.per_kernel, (std::vector<uint64_t>{1, 1, 1}));
  EXPECT_EQ(t.tensor_busy_ns, 10u) << "flash_fwd stays a tensor kernel";
  EXPECT_EQ(buffers.distinct_names(), 3u);
}

TEST_F(ActivityBuffersTest, AKernelWithoutANameIsCountedUnderQuestionMark) {
  ActivityBuffers buffers(&api_, {4096, 4});
  FakeRecord unnamed = Kernel(0, 10, "");
  unnamed.unnamed = true;
  Deliver(&buffers, {unnamed, Kernel(10, 20, "?"), unnamed});
  EXPECT_EQ(buffers.Take().per_kernel, (std::vector<uint64_t>{3}));
}

TEST_F(ActivityBuffersTest, SkipsRecordsOfOtherKinds) {
  ActivityBuffers buffers(&api_, {4096, 4});
  FakeRecord memcpy_record = Kernel(0, 1000, "memcpy HtoD");
  memcpy_record.kind = FakeRecord::kMemcpy;
  Deliver(&buffers, {memcpy_record, Kernel(0, 10, "k"), memcpy_record});
  const kernels::KernelTotals t = buffers.Take();
  EXPECT_EQ(t.kernels, 1u);
  EXPECT_EQ(t.busy_ns, 10u);
  EXPECT_EQ(buffers.distinct_names(), 1u);
}

TEST_F(ActivityBuffersTest, BoundsBuffersOutAndCountsEveryDrop) {
  ActivityBuffers buffers(&api_, {4096, 2});
  uint8_t* b[3] = {};
  size_t size[3] = {}, max_records = 0;
  for (int i = 0; i < 3; ++i) buffers.Request(&b[i], &size[i], &max_records);
  EXPECT_NE(b[0], nullptr);
  EXPECT_NE(b[1], nullptr);
  EXPECT_EQ(size[0], 4096u);
  EXPECT_EQ(b[2], nullptr) << "a third buffer would exceed the bound";
  EXPECT_EQ(size[2], 0u);
  EXPECT_EQ(buffers.buffers_out(), 2);
  // CUPTI drops records (it had no buffer) and says how many per context
  // and stream; the refused request counts as well.
  api_.Drop(Context(0), 7, 5);
  api_.Drop(Context(1), 7, 100);  // another context: read with its buffer
  auto [valid, left_out] =
      FakeActivityApi::Write(b[0], size[0], {Kernel(0, 10, "k")});
  ASSERT_EQ(left_out, 0u);
  buffers.Complete(Context(0), 7, b[0], valid);
  buffers.Complete(Context(0), 8, b[1], 0);  // an empty buffer
  EXPECT_EQ(buffers.buffers_out(), 0);
  kernels::KernelTotals t = buffers.Take();
  EXPECT_EQ(t.kernels, 1u);
  EXPECT_EQ(t.dropped, 5u + 1u);
  // Room again: a request succeeds; drops are counted once.
  Deliver(&buffers, {Kernel(10, 20, "k")}, Context(1), 7);
  t = buffers.Take();
  EXPECT_EQ(t.dropped, 100u);
  EXPECT_EQ(buffers.Take().dropped, 0u);
}

TEST_F(ActivityBuffersTest, CuptiAndTheSenderMayCallConcurrently) {
  ActivityBuffers buffers(&api_, {1024, 3});
  constexpr int kThreads = 4, kBuffers = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBuffers; ++i) {
        uint8_t* buffer = nullptr;
        size_t size = 0, max_records = 0;
        buffers.Request(&buffer, &size, &max_records);
        if (buffer == nullptr) continue;  // over the bound: one dropped
        const uint64_t at = (t * kBuffers + i) * 100;
        auto [valid, left_out] =
            FakeActivityApi::Write(buffer, size, {Kernel(at, at + 10, "k", t)});
        buffers.Complete(Context(0), t, buffer, valid);
      }
    });
  }
  uint64_t kernels = 0, dropped = 0;
  for (int i = 0; i < 50; ++i) {
    const kernels::KernelTotals t = buffers.Take();
    kernels += t.kernels;
    dropped += t.dropped;
  }
  for (auto& th : threads) th.join();
  const kernels::KernelTotals t = buffers.Take();
  kernels += t.kernels;
  dropped += t.dropped;
  // Each attempt delivered its kernel or was refused (and counted).
  EXPECT_EQ(kernels + dropped, uint64_t{kThreads} * kBuffers);
  EXPECT_EQ(buffers.buffers_out(), 0);
}

}  // namespace
}  // namespace cupti
}  // namespace collector
