// Checks that the CUPTI headers found by //bazel:cupti.bzl are the ones the
// injection library is written against: the concurrent-kernel record it
// parses (CUpti_ActivityKernel10, collector/cupti/cupti_kernel_record.h) has
// the fields it reads, with their types, where CUPTI's documented layout
// puts them; and the one function that reads such a record reads them.
// The layout is checked at compile time: a toolkit whose record moved fails
// the build of this test, not a job at run time.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "collector/cupti/cupti_kernel_record.h"
#include "cupti.h"
#include "gtest/gtest.h"

namespace {

using collector::cupti::CuptiKernelRecord;
using collector::cupti::KernelActivity;
using collector::cupti::ToKernelActivity;

// CUDA 13's CUPTI (API version 130001) introduced CUpti_ActivityKernel10
// with this layout; older toolkits lack the record type.
static_assert(CUPTI_API_VERSION >= 130000, "CUPTI 13 or newer expected");
static_assert(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL !=
                  CUPTI_ACTIVITY_KIND_KERNEL,
              "the concurrent-kernel kind is its own");

// Every record starts with its kind: the library reads the kind through
// CUpti_Activity and only then the kernel fields.
static_assert(offsetof(CUpti_Activity, kind) == 0, "kind first");
static_assert(offsetof(CuptiKernelRecord, kind) == 0, "kind first");
static_assert(std::is_same<decltype(CuptiKernelRecord::kind),
                           decltype(CUpti_Activity::kind)>::value,
              "same kind type as the base record");
// CUPTI's records are 8-byte aligned (ACTIVITY_RECORD_ALIGNMENT).
static_assert(alignof(CuptiKernelRecord) == 8, "record alignment");
static_assert(sizeof(CuptiKernelRecord) == 216, "CUpti_ActivityKernel10 size");

// The fields read, their types and offsets in CUpti_ActivityKernel10.
static_assert(std::is_same<decltype(CuptiKernelRecord::start), uint64_t>::value,
              "start: ns");
static_assert(std::is_same<decltype(CuptiKernelRecord::end), uint64_t>::value,
              "end: ns");
static_assert(
    std::is_same<decltype(CuptiKernelRecord::deviceId), uint32_t>::value,
    "deviceId");
static_assert(
    std::is_same<decltype(CuptiKernelRecord::name), const char*>::value,
    "name");
static_assert(offsetof(CuptiKernelRecord, start) == 16, "start offset");
static_assert(offsetof(CuptiKernelRecord, end) == 24, "end offset");
static_assert(offsetof(CuptiKernelRecord, deviceId) == 40, "deviceId offset");
static_assert(offsetof(CuptiKernelRecord, name) == 104, "name offset");

TEST(CuptiKernelRecordTest, ReadsTheFieldsOfAConcurrentKernelRecord) {
  CuptiKernelRecord record;
  std::memset(&record, 0xA5, sizeof(record));  // every other field: noise
  record.kind = CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL;
  record.start = 1'000'000'123;
  record.end = 1'000'500'456;
  record.deviceId = 3;
  record.name = "sm90_xmma_gemm_bf16bf16_bf16f32";
  KernelActivity k;
  ASSERT_TRUE(
      ToKernelActivity(reinterpret_cast<const CUpti_Activity&>(record), &k));
  EXPECT_EQ(k.start_ns, 1'000'000'123u);
  EXPECT_EQ(k.end_ns, 1'000'500'456u);
  EXPECT_EQ(k.device_id, 3u);
  EXPECT_EQ(k.name, record.name);
}

TEST(CuptiKernelRecordTest, IgnoresRecordsOfOtherKinds) {
  CuptiKernelRecord record;
  std::memset(&record, 0, sizeof(record));
  KernelActivity k;
  k.device_id = 77;
  for (CUpti_ActivityKind kind :
       {CUPTI_ACTIVITY_KIND_KERNEL, CUPTI_ACTIVITY_KIND_MEMCPY,
        CUPTI_ACTIVITY_KIND_MEMSET, CUPTI_ACTIVITY_KIND_INVALID}) {
    record.kind = kind;
    EXPECT_FALSE(
        ToKernelActivity(reinterpret_cast<const CUpti_Activity&>(record), &k))
        << kind;
    EXPECT_EQ(k.device_id, 77u) << "untouched";
  }
}

}  // namespace
