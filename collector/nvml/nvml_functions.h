// NvmlFunctions: the NVML entry points NvmlGpuSource calls, as a table of
// callables. It is the seam between the source's logic (enumeration, GPM
// double-buffering, lost and returning GPUs) and the driver: production
// fills it from libnvidia-ml.so.1 with dlsym (nvml_library.h); tests fill it
// with a scripted fake (testonly/fake_nvml_functions.h), the way Kineto puts
// CUPTI behind an interface with a mock.
//
// Each member has the signature of the NVML function named in its comment
// (nvml_api.h). An empty member means the library lacks that entry point:
// the required ones make NvmlGpuSource::Create fail with kUnavailable, the
// optional ones turn the feature off (older drivers lack them).
#ifndef COLLECTOR_NVML_NVML_FUNCTIONS_H_
#define COLLECTOR_NVML_NVML_FUNCTIONS_H_

#include <functional>
#include <type_traits>

#include "collector/nvml/nvml_api.h"

namespace collector {
namespace nvml {

// std::function over the NVML function-pointer type `Fn`.
template <typename Fn>
using NvmlFn = std::function<std::remove_pointer_t<Fn>>;

struct NvmlFunctions {
  // Required.
  NvmlFn<nvmlInit_v2_fn> init;                          // nvmlInit_v2
  NvmlFn<nvmlShutdown_fn> shutdown;                     // nvmlShutdown
  NvmlFn<nvmlErrorString_fn> error_string;              // nvmlErrorString
  NvmlFn<nvmlDeviceGetCount_v2_fn> get_count;           // ..GetCount_v2
  NvmlFn<nvmlDeviceGetHandleByIndex_v2_fn> get_handle;  // ..ByIndex_v2
  NvmlFn<nvmlDeviceGetUUID_fn> get_uuid;                // nvmlDeviceGetUUID
  NvmlFn<nvmlDeviceGetName_fn> get_name;                // nvmlDeviceGetName
  NvmlFn<nvmlSystemGetDriverVersion_fn> get_driver;     // ..DriverVersion
  // Optional.
  NvmlFn<nvmlDeviceGetMigMode_fn> get_mig_mode;  // ..GetMigMode
  NvmlFn<nvmlDeviceGetTotalEnergyConsumption_fn> get_energy;
  NvmlFn<nvmlGpmQueryDeviceSupport_fn> gpm_support;  // ..DeviceSupport
  NvmlFn<nvmlGpmSampleAlloc_fn> gpm_alloc;           // nvmlGpmSampleAlloc
  NvmlFn<nvmlGpmSampleFree_fn> gpm_free;             // nvmlGpmSampleFree
  NvmlFn<nvmlGpmSampleGet_fn> gpm_get;               // nvmlGpmSampleGet
  NvmlFn<nvmlGpmMetricsGet_fn> gpm_metrics;          // nvmlGpmMetricsGet

  // Whether every required entry point is present.
  bool HasRequired() const {
    return init && shutdown && error_string && get_count && get_handle &&
           get_uuid && get_name && get_driver;
  }
  // Whether the GPM entry points the source needs are all present.
  bool HasGpm() const {
    return gpm_support && gpm_alloc && gpm_free && gpm_get && gpm_metrics;
  }
};

}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_NVML_FUNCTIONS_H_
