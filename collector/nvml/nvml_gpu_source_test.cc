#include "collector/nvml/nvml_gpu_source.h"

#include <memory>
#include <string>

#include "collector/nvml/nvml_api.h"
#include "collector/nvml/nvml_functions.h"
#include "collector/nvml/testonly/fake_nvml_functions.h"
#include "common/clock.h"
#include "gtest/gtest.h"

namespace collector {
namespace nvml {
namespace {

using testonly::FakeNvml;

constexpr char kGpu0[] = "GPU-00000000-0000-4000-8000-000000000000";
constexpr char kGpu1[] = "GPU-11111111-0000-4000-8000-000000000001";

class NvmlGpuSourceTest : public ::testing::Test {
 protected:
  NvmlGpuSourceTest()
      : clock_(absl::FromUnixSeconds(1700000000)),
        fake_({{kGpu0}, {kGpu1, "NVIDIA A100-SXM4-80GB", true, false}}) {}

  std::unique_ptr<NvmlGpuSource> Open() {
    auto source = NvmlGpuSource::Create(fake_.Functions(), &clock_);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? *std::move(source) : nullptr;
  }
  // Both GPUs work `seconds` (at 500 W and 300 W), then the source polls.
  GpuSample PollAll(NvmlGpuSource* source, double seconds, double sm_pct,
                    double tensor_pct) {
    fake_.Run(0, seconds, 500, sm_pct, tensor_pct);
    fake_.Run(1, seconds, 300, sm_pct, tensor_pct);
    clock_.Advance(absl::Seconds(seconds));
    absl::StatusOr<GpuSample> sample = source->Sample();
    EXPECT_TRUE(sample.ok()) << sample.status();
    if (!sample.ok()) return {};
    EXPECT_EQ(sample->time, clock_.Now());
    EXPECT_EQ(sample->devices.size(), 2u);
    for (size_t i = 0; i < sample->devices.size(); ++i) {
      EXPECT_EQ(sample->devices[i].index, i);
    }
    return *sample;
  }
  // As PollAll; the reading of GPU `index`.
  DeviceReading Poll(NvmlGpuSource* source, uint32_t index, double seconds,
                     double sm_pct, double tensor_pct) {
    GpuSample sample = PollAll(source, seconds, sm_pct, tensor_pct);
    return index < sample.devices.size() ? sample.devices[index]
                                         : DeviceReading{};
  }

  common::FakeClock clock_;
  FakeNvml fake_;
};

TEST(NvmlLibraryTest, FailsSoftWhenLibraryIsAbsent) {
  common::FakeClock clock(absl::UnixEpoch());
  auto source = NvmlGpuSource::Open(&clock, "libnvidia-ml-does-not-exist.so.1");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(source.status().message().find("NVML not available"),
            std::string::npos);
}

TEST(NvmlLibraryTest, OpenLoadsAndResolvesALibraryWithDlopen) {
  // The GPU-less stand-in libnvidia-ml.so.1: the production path (dlopen,
  // dlsym of every required symbol, nvmlInit_v2) runs for real.
  common::FakeClock clock(absl::UnixEpoch());
  auto source = NvmlGpuSource::Open(
      &clock, "./collector/nvml/testonly/libnvidia-ml.so.1");
  ASSERT_TRUE(source.ok()) << source.status();
  auto devices = (*source)->ListDevices();
  ASSERT_TRUE(devices.ok());
  EXPECT_TRUE(devices->empty());
  auto sample = (*source)->Sample();
  ASSERT_TRUE(sample.ok());
  EXPECT_TRUE(sample->devices.empty());
}

TEST_F(NvmlGpuSourceTest, ListsDevicesAsNvmlReportsThem) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  EXPECT_TRUE(fake_.initialized());
  auto devices = source->ListDevices();
  ASSERT_TRUE(devices.ok());
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ((*devices)[0].index, 0u);
  EXPECT_EQ((*devices)[0].uuid, kGpu0);
  EXPECT_EQ((*devices)[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ((*devices)[0].driver_version, "555.42.06");
  EXPECT_FALSE((*devices)[0].mig);
  EXPECT_EQ((*devices)[1].index, 1u);
  EXPECT_EQ((*devices)[1].uuid, kGpu1);
  EXPECT_TRUE((*devices)[1].mig);
  source.reset();
  EXPECT_FALSE(fake_.initialized()) << "nvmlShutdown at destruction";
}

TEST_F(NvmlGpuSourceTest, GpmMetricsCoverTheIntervalBetweenTwoPolls) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(fake_.live_gpm_samples(), 2) << "two buffers for the H100 only";
  // First poll: energy, but no interval for GPM yet.
  DeviceReading r = Poll(source.get(), 0, 1, 50, 20);
  EXPECT_EQ(r.energy_mj, 500 * 1000u);
  EXPECT_FALSE(r.sm_active_pct.has_value());
  EXPECT_FALSE(r.tensor_active_pct.has_value());
  // The buffers alternate: each poll's figure is its own interval's, so a
  // source that swapped or reused a buffer would read 0, negative or stale.
  const double sm[] = {60, 90, 10, 75};
  const double tensor[] = {30, 5, 0, 70};
  for (int i = 0; i < 4; ++i) {
    r = Poll(source.get(), 0, 1, sm[i], tensor[i]);
    ASSERT_TRUE(r.sm_active_pct.has_value()) << i;
    ASSERT_TRUE(r.tensor_active_pct.has_value()) << i;
    EXPECT_NEAR(*r.sm_active_pct, sm[i], 1e-9) << i;
    EXPECT_NEAR(*r.tensor_active_pct, tensor[i], 1e-9) << i;
  }
  EXPECT_EQ(r.energy_mj, 5 * 500 * 1000u);
  // The A100 has no GPM: energy only.
  r = Poll(source.get(), 1, 1, 50, 50);
  EXPECT_EQ(r.energy_mj, 6 * 300 * 1000u);
  EXPECT_FALSE(r.sm_active_pct.has_value());
  source.reset();
  EXPECT_EQ(fake_.live_gpm_samples(), 0) << "buffers freed";
}

TEST_F(NvmlGpuSourceTest, FailedGpmReadGivesNoFigureForTheUnobservedInterval) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  Poll(source.get(), 0, 1, 50, 50);
  fake_.FailNext(FakeNvml::Entry::kGpmSampleGet, NVML_ERROR_UNKNOWN);
  DeviceReading r = Poll(source.get(), 0, 1, 50, 50);
  EXPECT_FALSE(r.sm_active_pct.has_value());
  EXPECT_TRUE(r.energy_mj.has_value()) << "energy does not depend on GPM";
  // The interval since the failed read has no start: still nothing.
  r = Poll(source.get(), 0, 1, 40, 40);
  EXPECT_FALSE(r.sm_active_pct.has_value());
  r = Poll(source.get(), 0, 1, 30, 20);
  ASSERT_TRUE(r.sm_active_pct.has_value());
  EXPECT_NEAR(*r.sm_active_pct, 30, 1e-9);
  EXPECT_NEAR(*r.tensor_active_pct, 20, 1e-9);
}

TEST_F(NvmlGpuSourceTest, FailedMetricsCallLosesOnlyThatInterval) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  Poll(source.get(), 0, 1, 50, 50);
  fake_.FailNext(FakeNvml::Entry::kGpmMetricsGet, NVML_ERROR_UNKNOWN);
  EXPECT_FALSE(Poll(source.get(), 0, 1, 50, 50).sm_active_pct.has_value());
  DeviceReading r = Poll(source.get(), 0, 1, 25, 10);
  ASSERT_TRUE(r.sm_active_pct.has_value());
  EXPECT_NEAR(*r.sm_active_pct, 25, 1e-9);
}

TEST_F(NvmlGpuSourceTest, TransientEnergyErrorIsAbsentNotZero) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  fake_.FailNext(FakeNvml::Entry::kGetEnergy, NVML_ERROR_UNKNOWN);
  DeviceReading r = Poll(source.get(), 0, 1, 50, 50);
  EXPECT_FALSE(r.energy_mj.has_value());
  r = Poll(source.get(), 0, 1, 50, 50);
  EXPECT_EQ(r.energy_mj, 2 * 500 * 1000u);
}

TEST_F(NvmlGpuSourceTest, LostGpuGivesNothingUntilItReturnsWithNewCounters) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  Poll(source.get(), 0, 1, 50, 50);
  Poll(source.get(), 0, 1, 50, 50);
  fake_.Lose(0);
  for (int i = 0; i < 3; ++i) {
    GpuSample sample = PollAll(source.get(), 1, 50, 50);
    ASSERT_EQ(sample.devices.size(), 2u);
    EXPECT_FALSE(sample.devices[0].energy_mj.has_value()) << i;
    EXPECT_FALSE(sample.devices[0].sm_active_pct.has_value()) << i;
    EXPECT_TRUE(sample.devices[1].energy_mj.has_value())
        << "the other GPU is unaffected";
  }
  // Reset: same GPU, new handle, counters from zero. The first poll back
  // has the restarted energy counter and no GPM interval (it would span the
  // reset); the next one has both.
  fake_.Return(0);
  DeviceReading r = Poll(source.get(), 0, 1, 80, 40);
  EXPECT_EQ(r.energy_mj, 500 * 1000u);
  EXPECT_FALSE(r.sm_active_pct.has_value());
  r = Poll(source.get(), 0, 1, 80, 40);
  EXPECT_EQ(r.energy_mj, 2 * 500 * 1000u);
  ASSERT_TRUE(r.sm_active_pct.has_value());
  EXPECT_NEAR(*r.sm_active_pct, 80, 1e-9);
  EXPECT_NEAR(*r.tensor_active_pct, 40, 1e-9);
  auto devices = source->ListDevices();
  ASSERT_TRUE(devices.ok());
  EXPECT_EQ((*devices)[0].uuid, kGpu0);
}

TEST_F(NvmlGpuSourceTest, LossSeenByGpmAloneIsALossToo) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  Poll(source.get(), 0, 1, 50, 50);
  fake_.FailNext(FakeNvml::Entry::kGpmSampleGet, NVML_ERROR_GPU_IS_LOST);
  Poll(source.get(), 0, 1, 50, 50);
  // The handle is re-checked (same GPU, same life): readings go on, GPM
  // from a fresh interval.
  DeviceReading r = Poll(source.get(), 0, 1, 50, 50);
  EXPECT_EQ(r.energy_mj, 3 * 500 * 1000u);
  EXPECT_FALSE(r.sm_active_pct.has_value());
  r = Poll(source.get(), 0, 1, 60, 50);
  ASSERT_TRUE(r.sm_active_pct.has_value());
  EXPECT_NEAR(*r.sm_active_pct, 60, 1e-9);
}

TEST_F(NvmlGpuSourceTest, AnotherGpuAtTheLostIndexIsNeverTakenForIt) {
  auto source = Open();
  ASSERT_NE(source, nullptr);
  Poll(source.get(), 0, 1, 50, 50);
  fake_.Lose(0);
  Poll(source.get(), 0, 1, 50, 50);
  fake_.Return(0, "GPU-99999999-0000-4000-8000-000000000099");
  for (int i = 0; i < 3; ++i) {
    DeviceReading r = Poll(source.get(), 0, 1, 50, 50);
    EXPECT_FALSE(r.energy_mj.has_value()) << i;
    EXPECT_FALSE(r.sm_active_pct.has_value()) << i;
  }
  auto devices = source->ListDevices();
  ASSERT_TRUE(devices.ok());
  EXPECT_EQ((*devices)[0].uuid, kGpu0) << "the device list never changes";
}

TEST_F(NvmlGpuSourceTest, NvmlErrorsAtOpenFailSoftAndShutNvmlDown) {
  fake_.FailNext(FakeNvml::Entry::kInit, NVML_ERROR_DRIVER_NOT_LOADED);
  auto source = NvmlGpuSource::Create(fake_.Functions(), &clock_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(source.status().message().find("nvmlInit_v2: NVML error 9"),
            std::string::npos)
      << source.status();
  for (FakeNvml::Entry entry :
       {FakeNvml::Entry::kGetDriver, FakeNvml::Entry::kGetCount,
        FakeNvml::Entry::kGetHandle, FakeNvml::Entry::kGetUuid}) {
    fake_.FailNext(entry, NVML_ERROR_UNKNOWN);
    source = NvmlGpuSource::Create(fake_.Functions(), &clock_);
    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(source.status().message().find("fake NVML error"),
              std::string::npos)
        << source.status();
    EXPECT_FALSE(fake_.initialized()) << "nvmlShutdown after a failed open";
    EXPECT_EQ(fake_.live_gpm_samples(), 0);
  }
}

TEST_F(NvmlGpuSourceTest, MissingEntryPoints) {
  NvmlFunctions f = fake_.Functions();
  f.get_uuid = nullptr;
  auto source = NvmlGpuSource::Create(f, &clock_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  // Optional ones turn their readings off, never into zeros.
  f = fake_.Functions();
  f.get_energy = nullptr;
  f.gpm_metrics = nullptr;
  source = NvmlGpuSource::Create(f, &clock_);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(fake_.live_gpm_samples(), 0);
  Poll(source->get(), 0, 1, 50, 50);
  DeviceReading r = Poll(source->get(), 0, 1, 50, 50);
  EXPECT_FALSE(r.energy_mj.has_value());
  EXPECT_FALSE(r.sm_active_pct.has_value());
}

TEST_F(NvmlGpuSourceTest, GpmBufferThatCannotBeAllocatedTurnsGpmOff) {
  fake_.FailNext(FakeNvml::Entry::kGpmAlloc, NVML_SUCCESS);  // first works
  fake_.FailNext(FakeNvml::Entry::kGpmAlloc, NVML_ERROR_UNKNOWN);
  auto source = Open();
  ASSERT_NE(source, nullptr);
  Poll(source.get(), 0, 1, 50, 50);
  EXPECT_FALSE(Poll(source.get(), 0, 1, 50, 50).sm_active_pct.has_value());
  EXPECT_EQ(fake_.metrics_calls(), 0);
  source.reset();
  EXPECT_EQ(fake_.live_gpm_samples(), 0) << "the one allocated is freed";
}

}  // namespace
}  // namespace nvml
}  // namespace collector
