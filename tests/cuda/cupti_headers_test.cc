// Checks that the CUPTI headers found by //bazel:cupti.bzl are the ones the
// injection library is written against: the activity record layout we parse
// (CUpti_ActivityKernel*) and the concurrent-kernel activity kind.
#include <cstddef>

#include "cupti.h"
#include "gtest/gtest.h"

namespace {

TEST(CuptiHeadersTest, ConcurrentKernelActivityKindExists) {
  EXPECT_NE(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL, CUPTI_ACTIVITY_KIND_KERNEL);
}

TEST(CuptiHeadersTest, ApiVersionIsRecentEnough) {
  // CUDA 12.0 shipped CUPTI API version 18; older toolkits lack fields we read.
  EXPECT_GE(CUPTI_API_VERSION, 18);
}

}  // namespace
