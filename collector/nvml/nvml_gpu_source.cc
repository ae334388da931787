#include "collector/nvml/nvml_gpu_source.h"

#include <dlfcn.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace collector {
namespace nvml {

struct NvmlGpuSource::Api {
  nvmlInit_v2_fn init = nullptr;
  nvmlShutdown_fn shutdown = nullptr;
  nvmlErrorString_fn error_string = nullptr;
  nvmlDeviceGetCount_v2_fn get_count = nullptr;
  nvmlDeviceGetHandleByIndex_v2_fn get_handle = nullptr;
  nvmlDeviceGetUUID_fn get_uuid = nullptr;
  nvmlDeviceGetName_fn get_name = nullptr;
  nvmlSystemGetDriverVersion_fn get_driver = nullptr;
  // Optional entry points (older drivers lack them): nullptr = unsupported.
  nvmlDeviceGetMigMode_fn get_mig_mode = nullptr;
  nvmlDeviceGetTotalEnergyConsumption_fn get_energy = nullptr;
  nvmlGpmQueryDeviceSupport_fn gpm_support = nullptr;
  nvmlGpmSampleAlloc_fn gpm_alloc = nullptr;
  nvmlGpmSampleFree_fn gpm_free = nullptr;
  nvmlGpmSampleGet_fn gpm_get = nullptr;
  nvmlGpmMetricsGet_fn gpm_metrics = nullptr;
};

namespace {

// The one place NVML errors become absl::Status.
absl::Status FromNvml(const NvmlGpuSource::Api& api, nvmlReturn_t rc,
                      const char* what) {
  if (rc == NVML_SUCCESS) return absl::OkStatus();
  const char* msg = api.error_string ? api.error_string(rc) : "unknown";
  return absl::UnavailableError(
      absl::StrCat(what, ": NVML error ", rc, " (", msg, ")"));
}

template <typename Fn>
bool Resolve(void* dl, const char* symbol, Fn* out) {
  *out = reinterpret_cast<Fn>(dlsym(dl, symbol));
  return *out != nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<NvmlGpuSource>> NvmlGpuSource::Open(
    const common::Clock* clock, const std::string& library) {
  void* dl = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (dl == nullptr) {
    const char* err = dlerror();
    return absl::UnavailableError(absl::StrCat(
        "NVML not available (", library, "): ", err ? err : "dlopen failed",
        "; no GPU measurements on this node"));
  }
  auto api = std::make_unique<Api>();
  bool ok = Resolve(dl, "nvmlInit_v2", &api->init) &&
            Resolve(dl, "nvmlShutdown", &api->shutdown) &&
            Resolve(dl, "nvmlErrorString", &api->error_string) &&
            Resolve(dl, "nvmlDeviceGetCount_v2", &api->get_count) &&
            Resolve(dl, "nvmlDeviceGetHandleByIndex_v2", &api->get_handle) &&
            Resolve(dl, "nvmlDeviceGetUUID", &api->get_uuid) &&
            Resolve(dl, "nvmlDeviceGetName", &api->get_name) &&
            Resolve(dl, "nvmlSystemGetDriverVersion", &api->get_driver);
  if (!ok) {
    dlclose(dl);
    return absl::UnavailableError(
        absl::StrCat(library, " lacks a required NVML entry point"));
  }
  Resolve(dl, "nvmlDeviceGetMigMode", &api->get_mig_mode);
  Resolve(dl, "nvmlDeviceGetTotalEnergyConsumption", &api->get_energy);
  Resolve(dl, "nvmlGpmQueryDeviceSupport", &api->gpm_support);
  Resolve(dl, "nvmlGpmSampleAlloc", &api->gpm_alloc);
  Resolve(dl, "nvmlGpmSampleFree", &api->gpm_free);
  Resolve(dl, "nvmlGpmSampleGet", &api->gpm_get);
  Resolve(dl, "nvmlGpmMetricsGet", &api->gpm_metrics);
  absl::Status init = FromNvml(*api, api->init(), "nvmlInit_v2");
  if (!init.ok()) {
    dlclose(dl);
    return init;
  }
  std::unique_ptr<NvmlGpuSource> source(
      new NvmlGpuSource(dl, std::move(api), clock));
  RETURN_IF_ERROR(source->Enumerate());
  return source;
}

NvmlGpuSource::NvmlGpuSource(void* handle, std::unique_ptr<Api> api,
                             const common::Clock* clock)
    : dl_(handle), api_(std::move(api)), clock_(clock) {}

NvmlGpuSource::~NvmlGpuSource() {
  for (Device& d : devices_) {
    for (nvmlGpmSample_t s : d.gpm_samples) {
      if (s != nullptr && api_->gpm_free) api_->gpm_free(s);
    }
  }
  api_->shutdown();  // Best effort at exit; nothing to do on failure.
  dlclose(dl_);
}

absl::Status NvmlGpuSource::Enumerate() {
  char driver[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = {0};
  RETURN_IF_ERROR(FromNvml(*api_, api_->get_driver(driver, sizeof(driver)),
                           "nvmlSystemGetDriverVersion"));
  unsigned int count = 0;
  RETURN_IF_ERROR(
      FromNvml(*api_, api_->get_count(&count), "nvmlDeviceGetCount_v2"));
  for (unsigned int i = 0; i < count; ++i) {
    Device d;
    RETURN_IF_ERROR(FromNvml(*api_, api_->get_handle(i, &d.handle),
                             "nvmlDeviceGetHandleByIndex_v2"));
    char uuid[NVML_DEVICE_UUID_BUFFER_SIZE] = {0};
    char name[NVML_DEVICE_NAME_V2_BUFFER_SIZE] = {0};
    RETURN_IF_ERROR(FromNvml(*api_,
                             api_->get_uuid(d.handle, uuid, sizeof(uuid)),
                             "nvmlDeviceGetUUID"));
    RETURN_IF_ERROR(FromNvml(*api_,
                             api_->get_name(d.handle, name, sizeof(name)),
                             "nvmlDeviceGetName"));
    d.info = {i, uuid, name, driver, false};
    unsigned int current = 0, pending = 0;
    if (api_->get_mig_mode &&
        api_->get_mig_mode(d.handle, &current, &pending) == NVML_SUCCESS) {
      d.info.mig = current != 0;
    }
    nvmlGpmSupport_t support{NVML_GPM_SUPPORT_VERSION, 0};
    if (api_->gpm_support && api_->gpm_alloc && api_->gpm_get &&
        api_->gpm_metrics &&
        api_->gpm_support(d.handle, &support) == NVML_SUCCESS &&
        support.isSupportedDevice) {
      d.gpm = api_->gpm_alloc(&d.gpm_samples[0]) == NVML_SUCCESS &&
              api_->gpm_alloc(&d.gpm_samples[1]) == NVML_SUCCESS;
    }
    devices_.push_back(d);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<GpuDeviceInfo>> NvmlGpuSource::ListDevices() {
  std::vector<GpuDeviceInfo> out;
  for (const Device& d : devices_) out.push_back(d.info);
  return out;
}

absl::StatusOr<GpuSample> NvmlGpuSource::Sample() {
  GpuSample sample;
  sample.time = clock_->Now();
  for (Device& d : devices_) {
    DeviceReading r;
    r.index = d.info.index;
    unsigned long long mj = 0;
    if (api_->get_energy && api_->get_energy(d.handle, &mj) == NVML_SUCCESS) {
      r.energy_mj = mj;
    }
    if (d.gpm) {
      const int cur = d.gpm_current;
      if (api_->gpm_get(d.handle, d.gpm_samples[cur]) == NVML_SUCCESS) {
        if (d.gpm_primed) {
          nvmlGpmMetricsGet_t m{};
          m.version = NVML_GPM_METRICS_GET_VERSION;
          m.numMetrics = 2;
          m.sample1 = d.gpm_samples[1 - cur];
          m.sample2 = d.gpm_samples[cur];
          m.metrics[0].metricId = NVML_GPM_METRIC_SM_UTIL;
          m.metrics[1].metricId = NVML_GPM_METRIC_ANY_TENSOR_UTIL;
          if (api_->gpm_metrics(&m) == NVML_SUCCESS) {
            if (m.metrics[0].nvmlReturn == NVML_SUCCESS)
              r.sm_active_pct = m.metrics[0].value;
            if (m.metrics[1].nvmlReturn == NVML_SUCCESS)
              r.tensor_active_pct = m.metrics[1].value;
          }
        }
        d.gpm_primed = true;
        d.gpm_current = 1 - cur;
      } else {
        d.gpm_primed = false;  // the next interval has no valid start
      }
    }
    sample.devices.push_back(r);
  }
  return sample;
}

}  // namespace nvml
}  // namespace collector
