// NvmlGpuSource: GpuSource over NVML, loaded at run time with
// dlopen("libnvidia-ml.so.1"). Energy from nvmlDeviceGetTotalEnergyConsumption;
// on devices where nvmlGpmQueryDeviceSupport says yes (Hopper+), SM-active
// (NVML_GPM_METRIC_SM_UTIL) and tensor-active (NVML_GPM_METRIC_ANY_TENSOR_UTIL)
// over the interval between two consecutive Sample() calls.
//
// Thread-compatible: one poller thread calls Sample().
#ifndef COLLECTOR_NVML_NVML_GPU_SOURCE_H_
#define COLLECTOR_NVML_NVML_GPU_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/nvml/gpu_source.h"
#include "collector/nvml/nvml_api.h"
#include "common/clock.h"

namespace collector {
namespace nvml {

class NvmlGpuSource final : public GpuSource {
 public:
  // Loads `library` (default "libnvidia-ml.so.1"), resolves the entry points
  // and initialises NVML. Returns kUnavailable with the dlerror() / NVML
  // message when the library is absent (GPU-less node, no driver) or
  // nvmlInit fails; the caller may then fall back to a replay source or run
  // without measurements. `clock` stamps samples; not owned, must outlive.
  static absl::StatusOr<std::unique_ptr<NvmlGpuSource>> Open(
      const common::Clock* clock,
      const std::string& library = "libnvidia-ml.so.1");
  ~NvmlGpuSource() override;

  absl::StatusOr<std::vector<GpuDeviceInfo>> ListDevices() override;
  absl::StatusOr<GpuSample> Sample() override;

  struct Api;  // resolved entry points (defined in the .cc)

 private:
  struct Device {
    nvmlDevice_t handle = nullptr;
    GpuDeviceInfo info;
    bool gpm = false;
    // Two GPM sample buffers used alternately: previous and current.
    nvmlGpmSample_t gpm_samples[2] = {nullptr, nullptr};
    int gpm_current = 0;
    bool gpm_primed = false;  // a previous GPM sample exists
  };

  NvmlGpuSource(void* handle, std::unique_ptr<Api> api,
                const common::Clock* clock);
  absl::Status Enumerate();

  void* dl_;
  std::unique_ptr<Api> api_;
  const common::Clock* clock_;
  std::vector<Device> devices_;
};

}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_NVML_GPU_SOURCE_H_
