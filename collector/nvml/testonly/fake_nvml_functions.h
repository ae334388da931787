// FakeNvml: a scripted NVML behind an NvmlFunctions table, so tests drive
// NvmlGpuSource (and the agent over it) through GPM double-buffering, lost
// and returning GPUs, restarted counters and NVML errors without a GPU or a
// driver. Kineto tests its CUPTI glue the same way.
//
// The fake keeps, per GPU, the counters NVML would: total energy (mJ) and
// GPM's cumulative SM-active, tensor-active and elapsed time. A GPM sample
// buffer records them when filled (nvmlGpmSampleGet); nvmlGpmMetricsGet
// computes 100 × Δactive / Δelapsed between its two buffers, in the order
// given, so a source that swaps or reuses its buffers reads the wrong figure.
// Handles are per "life" of a GPU: after Lose() every call on the old handle
// fails with NVML_ERROR_GPU_IS_LOST, and after Return() the index gives a
// new handle whose counters started again at zero.
//
// Not thread-safe. The table returned by Functions() refers to this object,
// which must outlive every user of the table.
#ifndef COLLECTOR_NVML_TESTONLY_FAKE_NVML_FUNCTIONS_H_
#define COLLECTOR_NVML_TESTONLY_FAKE_NVML_FUNCTIONS_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collector/nvml/nvml_api.h"
#include "collector/nvml/nvml_functions.h"

// The fake's definitions of NVML's opaque handle types (the real library's
// are private to it; it is never loaded together with this fake).
struct nvmlDevice_st {
  uint32_t index = 0;
  uint64_t life = 0;  // which life of the GPU at `index` this handle is for
};
struct nvmlGpmSample_st {
  bool filled = false;
  uint32_t index = 0;
  uint64_t life = 0;
  double sm_s = 0, tensor_s = 0, elapsed_s = 0;
};

namespace collector {
namespace nvml {
namespace testonly {

class FakeNvml {
 public:
  struct Gpu {
    std::string uuid;
    std::string name = "NVIDIA H100 80GB HBM3";
    bool mig = false;
    bool gpm = true;  // GPM-capable (Hopper+)
  };
  // Entry points whose next calls can be made to fail (FailNext).
  enum class Entry {
    kInit,
    kGetCount,
    kGetHandle,
    kGetUuid,
    kGetDriver,
    kGetEnergy,
    kGpmAlloc,
    kGpmSampleGet,
    kGpmMetricsGet,
  };

  explicit FakeNvml(std::vector<Gpu> gpus);

  // A table whose entry points call into this fake. Clear a member to
  // simulate a library that lacks that entry point.
  NvmlFunctions Functions();

  // GPU `index` works for `seconds` at `watts`, with SM and tensor pipes
  // active for the given percentages of the time.
  void Run(uint32_t index, double seconds, double watts, double sm_pct,
           double tensor_pct);
  // Sets GPU `index`'s energy counter (e.g. near 2^64 to test a wrap).
  void SetEnergy(uint32_t index, uint64_t mj);
  // GPU `index` falls off the bus: its handle and the index answer
  // NVML_ERROR_GPU_IS_LOST until Return().
  void Lose(uint32_t index);
  // GPU `index` is back after a reset: a new handle, counters at zero.
  // `uuid`, when not empty, puts another GPU at that index.
  void Return(uint32_t index, const std::string& uuid = "");
  // The next `times` calls of `entry` return `rc` (and do nothing else).
  void FailNext(Entry entry, nvmlReturn_t rc, int times = 1);

  bool initialized() const { return initialized_; }
  // GPM buffers allocated and not freed.
  int live_gpm_samples() const { return live_gpm_samples_; }
  // nvmlGpmMetricsGet calls so far.
  int metrics_calls() const { return metrics_calls_; }

 private:
  struct State {
    Gpu gpu;
    bool lost = false;
    std::unique_ptr<nvmlDevice_st> handle;  // the current life's handle
    uint64_t energy_mj = 0;
    double sm_s = 0, tensor_s = 0, elapsed_s = 0;
  };

  // The failure queued for `entry`, consumed; NVML_SUCCESS when none.
  nvmlReturn_t Injected(Entry entry);
  // NVML_SUCCESS and the state of a live handle, else why not.
  nvmlReturn_t Live(nvmlDevice_t handle, State** state);
  void NewLife(uint32_t index);

  nvmlReturn_t GetHandle(unsigned int index, nvmlDevice_t* out);
  // The UUID (`uuid`) or the name of the GPU behind `handle`.
  nvmlReturn_t GetString(bool uuid, nvmlDevice_t handle, char* out,
                         unsigned int size);
  nvmlReturn_t GetEnergy(nvmlDevice_t handle, unsigned long long* mj);
  nvmlReturn_t GpmSupport(nvmlDevice_t handle, nvmlGpmSupport_t* support);
  nvmlReturn_t GpmAlloc(nvmlGpmSample_t* out);
  nvmlReturn_t GpmFree(nvmlGpmSample_t sample);
  nvmlReturn_t GpmSampleGet(nvmlDevice_t handle, nvmlGpmSample_t sample);
  nvmlReturn_t GpmMetricsGet(nvmlGpmMetricsGet_t* m);

  std::vector<State> gpus_;
  std::deque<std::unique_ptr<nvmlDevice_st>> old_handles_;  // stay readable
  std::map<Entry, std::deque<nvmlReturn_t>> failures_;
  uint64_t lives_ = 0;
  bool initialized_ = false;
  int live_gpm_samples_ = 0;
  int metrics_calls_ = 0;
};

}  // namespace testonly
}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_TESTONLY_FAKE_NVML_FUNCTIONS_H_
