// NvmlGpuSource: GpuSource over NVML. Energy from
// nvmlDeviceGetTotalEnergyConsumption; on devices where
// nvmlGpmQueryDeviceSupport says yes (Hopper+), SM-active
// (NVML_GPM_METRIC_SM_UTIL) and tensor-active
// (NVML_GPM_METRIC_ANY_TENSOR_UTIL) over the interval between two consecutive
// Sample() calls.
//
// The NVML entry points come in as an NvmlFunctions table: Open() loads the
// driver's libnvidia-ml.so.1 (nvml_library.h); Create() takes any table, e.g.
// a test's fake (testonly/fake_nvml_functions.h).
//
// GPM double-buffering: each GPM device owns two sample buffers used in
// turn; a poll fills the older one and asks for the metrics between the
// previous poll's buffer and this one. A poll whose GPM read fails leaves
// the next interval without a start, so the poll after it reports no GPM
// metrics (never a figure over an interval it did not observe).
//
// Lost GPUs and resets: a device whose reads fail with NVML_ERROR_GPU_IS_LOST
// or NVML_ERROR_RESET_REQUIRED is marked lost; while lost its readings are
// absent (never zero). Every later poll asks NVML for the handle at its
// index again and takes the device back only when the UUID there is the
// same GPU; its GPM interval restarts (the first poll back has no GPM
// metrics). The energy counter is reported as NVML gives it: a counter that
// restarted with the driver is the consumer's to recognise (energy_counter.h).
// The device list never changes.
//
// Thread-compatible: one poller thread calls Sample().
#ifndef COLLECTOR_NVML_NVML_GPU_SOURCE_H_
#define COLLECTOR_NVML_NVML_GPU_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/nvml/gpu_source.h"
#include "collector/nvml/nvml_api.h"
#include "collector/nvml/nvml_functions.h"
#include "collector/nvml/nvml_library.h"
#include "common/clock.h"

namespace collector {
namespace nvml {

class NvmlGpuSource final : public GpuSource {
 public:
  // Loads `library` (default "libnvidia-ml.so.1") and calls Create() with
  // its entry points. kUnavailable with the dlerror() / NVML message when
  // the library is absent (GPU-less node, no driver), lacks a required entry
  // point, or nvmlInit fails; the caller may then fall back to a replay
  // source or run without measurements. `clock` stamps samples; not owned,
  // must outlive.
  static absl::StatusOr<std::unique_ptr<NvmlGpuSource>> Open(
      const common::Clock* clock,
      const std::string& library = "libnvidia-ml.so.1");

  // Initialises NVML through `functions` and enumerates the devices.
  // kUnavailable when a required entry point is missing or an NVML call
  // fails (with NVML's error string). `functions` is kept; whatever it
  // refers to must outlive the source.
  static absl::StatusOr<std::unique_ptr<NvmlGpuSource>> Create(
      NvmlFunctions functions, const common::Clock* clock);

  ~NvmlGpuSource() override;  // frees GPM buffers, nvmlShutdown

  absl::StatusOr<std::vector<GpuDeviceInfo>> ListDevices() override;
  absl::StatusOr<GpuSample> Sample() override;

 private:
  struct Device {
    nvmlDevice_t handle = nullptr;
    GpuDeviceInfo info;
    bool lost = false;  // reads failed with GPU_IS_LOST / RESET_REQUIRED
    bool gpm = false;
    // Two GPM sample buffers used alternately: previous and current.
    nvmlGpmSample_t gpm_samples[2] = {nullptr, nullptr};
    int gpm_current = 0;
    bool gpm_primed = false;  // a previous GPM sample exists
  };

  NvmlGpuSource(NvmlFunctions functions, const common::Clock* clock);
  absl::Status Enumerate();
  absl::StatusOr<Device> OpenDevice(uint32_t index, const std::string& driver);
  // The device at `index` is `uuid` again: takes its (new) handle.
  bool Reacquire(Device* d);
  void ReadEnergy(Device* d, DeviceReading* r);
  void ReadGpm(Device* d, DeviceReading* r);
  // Marks `d` lost when `rc` says the GPU is gone.
  void NoteFailure(Device* d, nvmlReturn_t rc);

  // Declared first so that it is destroyed last: `functions_` may point
  // into it.
  std::unique_ptr<NvmlLibrary> library_;
  const NvmlFunctions functions_;
  const common::Clock* const clock_;
  std::vector<Device> devices_;
};

}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_NVML_GPU_SOURCE_H_
