#include "collector/nvml/nvml_library.h"

#include <dlfcn.h>

#include "absl/strings/str_cat.h"

namespace collector {
namespace nvml {
namespace {

// Sets `out` to the symbol's address, or leaves it empty when absent.
template <typename Fn>
void Resolve(void* dl, const char* symbol, NvmlFn<Fn>* out) {
  if (void* address = dlsym(dl, symbol)) *out = reinterpret_cast<Fn>(address);
}

}  // namespace

absl::StatusOr<std::unique_ptr<NvmlLibrary>> NvmlLibrary::Load(
    const std::string& library) {
  void* dl = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (dl == nullptr) {
    const char* err = dlerror();
    return absl::UnavailableError(absl::StrCat(
        "NVML not available (", library, "): ", err ? err : "dlopen failed",
        "; no GPU measurements on this node"));
  }
  std::unique_ptr<NvmlLibrary> lib(new NvmlLibrary(dl));
  NvmlFunctions& f = lib->functions_;
  Resolve<nvmlInit_v2_fn>(dl, "nvmlInit_v2", &f.init);
  Resolve<nvmlShutdown_fn>(dl, "nvmlShutdown", &f.shutdown);
  Resolve<nvmlErrorString_fn>(dl, "nvmlErrorString", &f.error_string);
  Resolve<nvmlDeviceGetCount_v2_fn>(dl, "nvmlDeviceGetCount_v2", &f.get_count);
  Resolve<nvmlDeviceGetHandleByIndex_v2_fn>(dl, "nvmlDeviceGetHandleByIndex_v2",
                                            &f.get_handle);
  Resolve<nvmlDeviceGetUUID_fn>(dl, "nvmlDeviceGetUUID", &f.get_uuid);
  Resolve<nvmlDeviceGetName_fn>(dl, "nvmlDeviceGetName", &f.get_name);
  Resolve<nvmlSystemGetDriverVersion_fn>(dl, "nvmlSystemGetDriverVersion",
                                         &f.get_driver);
  Resolve<nvmlDeviceGetMigMode_fn>(dl, "nvmlDeviceGetMigMode", &f.get_mig_mode);
  Resolve<nvmlDeviceGetTotalEnergyConsumption_fn>(
      dl, "nvmlDeviceGetTotalEnergyConsumption", &f.get_energy);
  Resolve<nvmlGpmQueryDeviceSupport_fn>(dl, "nvmlGpmQueryDeviceSupport",
                                        &f.gpm_support);
  Resolve<nvmlGpmSampleAlloc_fn>(dl, "nvmlGpmSampleAlloc", &f.gpm_alloc);
  Resolve<nvmlGpmSampleFree_fn>(dl, "nvmlGpmSampleFree", &f.gpm_free);
  Resolve<nvmlGpmSampleGet_fn>(dl, "nvmlGpmSampleGet", &f.gpm_get);
  Resolve<nvmlGpmMetricsGet_fn>(dl, "nvmlGpmMetricsGet", &f.gpm_metrics);
  return lib;
}

NvmlLibrary::~NvmlLibrary() { dlclose(handle_); }

}  // namespace nvml
}  // namespace collector
