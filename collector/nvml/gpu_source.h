// GpuSource: the narrow interface through which the node agent reads GPUs.
// Real implementation: NvmlGpuSource (NVML via dlopen). Replay implementation:
// ReplayGpuSource (a recorded text file, collector/FORMAT.md). Tests use the
// replay source or build GpuSample values directly.
//
// A reading that the device did not give is std::nullopt: never zero-filled.
#ifndef COLLECTOR_NVML_GPU_SOURCE_H_
#define COLLECTOR_NVML_GPU_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace collector {
namespace nvml {

// One GPU (or MIG instance) on the node, as NVML reports it.
struct GpuDeviceInfo {
  uint32_t index = 0;  // NVML index on the node
  std::string uuid;    // "GPU-…" (or "MIG-…")
  std::string name;    // e.g. "NVIDIA H100 80GB HBM3"
  std::string driver_version;
  bool mig = false;  // MIG mode enabled on this device
};

// One device's readings at one poll.
struct DeviceReading {
  uint32_t index = 0;
  // NVML total energy counter, millijoules since driver load. May wrap or
  // reset (driver reload); consumers difference it (see CounterDelta).
  std::optional<uint64_t> energy_mj;
  // GPM metrics over the interval since the previous poll, percent 0..100.
  // Absent before Hopper, on the first poll, or when NVML fails.
  std::optional<double> sm_active_pct;
  std::optional<double> tensor_active_pct;
};

// All devices' readings taken at one instant.
struct GpuSample {
  absl::Time time;
  std::vector<DeviceReading> devices;
};

class GpuSource {
 public:
  virtual ~GpuSource() = default;

  // The devices on this node, in index order. Stable for the source's life.
  virtual absl::StatusOr<std::vector<GpuDeviceInfo>> ListDevices() = 0;

  // Reads every device once. Returns kOutOfRange when a replay has no more
  // samples; kUnavailable when the whole read failed (one device failing only
  // leaves its readings absent). Not thread-safe: call from one poller thread.
  virtual absl::StatusOr<GpuSample> Sample() = 0;
};

}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_GPU_SOURCE_H_
