#include "api/server/memory_trimmer.h"

#include <vector>

#include "common/clock.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

struct FakeHeap {
  size_t free_bytes = 0;
  size_t resident = size_t{500} << 20;
  int trims = 0;
  Heap heap() {
    return Heap{[this] { return free_bytes; },
                [this] {
                  ++trims;
                  resident -= free_bytes / 2;
                },
                [this] { return resident; }};
  }
};

TEST(MemoryTrimmerTest, TrimsWhenEnoughIsFreeAtMostOncePerInterval) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  FakeHeap heap;
  MemoryTrimmer::Options options;
  options.min_free_bytes = 64 << 20;
  options.min_interval = absl::Seconds(10);
  MemoryTrimmer trimmer(options, &clock, heap.heap());
  heap.free_bytes = 10 << 20;  // steady state: little free
  EXPECT_FALSE(trimmer.MaybeTrim());
  heap.free_bytes = 300 << 20;  // after a burst
  EXPECT_TRUE(trimmer.MaybeTrim());
  EXPECT_EQ(heap.trims, 1);
  clock.Advance(absl::Seconds(5));
  EXPECT_FALSE(trimmer.MaybeTrim());  // not again within the interval
  clock.Advance(absl::Seconds(5));
  EXPECT_TRUE(trimmer.MaybeTrim());
  heap.free_bytes = 0;
  clock.Advance(absl::Seconds(60));
  EXPECT_FALSE(trimmer.MaybeTrim());
  EXPECT_EQ(heap.trims, 2);
}

TEST(MemoryTrimmerTest, ZeroThresholdNeverTrims) {
  common::FakeClock clock(absl::FromUnixSeconds(1'780'000'000));
  FakeHeap heap;
  heap.free_bytes = size_t{1} << 30;
  MemoryTrimmer::Options options;
  options.min_free_bytes = 0;
  MemoryTrimmer trimmer(options, &clock, heap.heap());
  EXPECT_FALSE(trimmer.MaybeTrim());
  EXPECT_EQ(heap.trims, 0);
}

// The real heap: 200 MiB freed in small blocks stays resident until trimmed.
TEST(MemoryTrimmerTest, ProcessHeapGivesFreedMemoryBack) {
  Heap heap = ProcessHeap();
  std::vector<char*> blocks;
  for (int i = 0; i < 200 * 16; ++i) {
    char* b = new char[64 << 10];  // below the mmap threshold: heap memory
    for (int j = 0; j < (64 << 10); j += 4096) b[j] = 1;
    blocks.push_back(b);
  }
  // Free all but the last (it keeps the top of the heap from shrinking).
  for (size_t i = 0; i + 1 < blocks.size(); ++i) delete[] blocks[i];
  const size_t before = heap.resident_bytes();
  EXPECT_GE(heap.free_bytes(), size_t{150} << 20);
  heap.trim();
  const size_t after = heap.resident_bytes();
  delete[] blocks.back();
  std::printf("RSS before trim %zu MiB, after %zu MiB\n", before >> 20,
              after >> 20);
  EXPECT_LT(after + (size_t{100} << 20), before);
}

}  // namespace
}  // namespace api::server
