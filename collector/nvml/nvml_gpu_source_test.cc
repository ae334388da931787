#include "collector/nvml/nvml_gpu_source.h"

#include "gtest/gtest.h"

namespace collector {
namespace nvml {
namespace {

TEST(NvmlGpuSourceTest, FailsSoftWhenLibraryIsAbsent) {
  common::FakeClock clock(absl::UnixEpoch());
  auto source = NvmlGpuSource::Open(&clock, "libnvidia-ml-does-not-exist.so.1");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(source.status().message().find("NVML not available"),
            std::string::npos);
}

}  // namespace
}  // namespace nvml
}  // namespace collector
