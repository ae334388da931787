#include "collector/nvml/nvml_gpu_source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace collector {
namespace nvml {
namespace {

// The one place NVML errors become absl::Status.
absl::Status FromNvml(const NvmlFunctions& f, nvmlReturn_t rc,
                      const char* what) {
  if (rc == NVML_SUCCESS) return absl::OkStatus();
  const char* msg = f.error_string ? f.error_string(rc) : nullptr;
  return absl::UnavailableError(absl::StrCat(what, ": NVML error ", rc, " (",
                                             msg ? msg : "unknown", ")"));
}

// Whether `rc` says the GPU itself is gone (fell off the bus, needs a
// reset), as opposed to one query failing.
bool GpuIsGone(nvmlReturn_t rc) {
  return rc == NVML_ERROR_GPU_IS_LOST || rc == NVML_ERROR_RESET_REQUIRED;
}

}  // namespace

absl::StatusOr<std::unique_ptr<NvmlGpuSource>> NvmlGpuSource::Open(
    const common::Clock* clock, const std::string& library) {
  ASSIGN_OR_RETURN(std::unique_ptr<NvmlLibrary> lib,
                   NvmlLibrary::Load(library));
  if (!lib->functions().HasRequired()) {
    return absl::UnavailableError(
        absl::StrCat(library, " lacks a required NVML entry point"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<NvmlGpuSource> source,
                   Create(lib->functions(), clock));
  source->library_ = std::move(lib);
  return source;
}

absl::StatusOr<std::unique_ptr<NvmlGpuSource>> NvmlGpuSource::Create(
    NvmlFunctions functions, const common::Clock* clock) {
  if (!functions.HasRequired()) {
    return absl::UnavailableError("NVML lacks a required entry point");
  }
  RETURN_IF_ERROR(FromNvml(functions, functions.init(), "nvmlInit_v2"));
  // From here the destructor shuts NVML down again, also on failure.
  std::unique_ptr<NvmlGpuSource> source(
      new NvmlGpuSource(std::move(functions), clock));
  RETURN_IF_ERROR(source->Enumerate());
  return source;
}

NvmlGpuSource::NvmlGpuSource(NvmlFunctions functions,
                             const common::Clock* clock)
    : functions_(std::move(functions)), clock_(clock) {}

NvmlGpuSource::~NvmlGpuSource() {
  for (Device& d : devices_) {
    for (nvmlGpmSample_t s : d.gpm_samples) {
      if (s != nullptr) functions_.gpm_free(s);
    }
  }
  functions_.shutdown();  // Best effort at exit; nothing to do on failure.
}

absl::Status NvmlGpuSource::Enumerate() {
  char driver[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = {0};
  RETURN_IF_ERROR(FromNvml(functions_,
                           functions_.get_driver(driver, sizeof(driver)),
                           "nvmlSystemGetDriverVersion"));
  unsigned int count = 0;
  RETURN_IF_ERROR(FromNvml(functions_, functions_.get_count(&count),
                           "nvmlDeviceGetCount_v2"));
  for (unsigned int i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(Device d, OpenDevice(i, driver));
    devices_.push_back(d);
  }
  return absl::OkStatus();
}

absl::StatusOr<NvmlGpuSource::Device> NvmlGpuSource::OpenDevice(
    uint32_t index, const std::string& driver) {
  Device d;
  RETURN_IF_ERROR(FromNvml(functions_, functions_.get_handle(index, &d.handle),
                           "nvmlDeviceGetHandleByIndex_v2"));
  char uuid[NVML_DEVICE_UUID_BUFFER_SIZE] = {0};
  char name[NVML_DEVICE_NAME_V2_BUFFER_SIZE] = {0};
  RETURN_IF_ERROR(FromNvml(functions_,
                           functions_.get_uuid(d.handle, uuid, sizeof(uuid)),
                           "nvmlDeviceGetUUID"));
  RETURN_IF_ERROR(FromNvml(functions_,
                           functions_.get_name(d.handle, name, sizeof(name)),
                           "nvmlDeviceGetName"));
  d.info = {index, uuid, name, driver, false};
  unsigned int current = 0, pending = 0;
  if (functions_.get_mig_mode &&
      functions_.get_mig_mode(d.handle, &current, &pending) == NVML_SUCCESS) {
    d.info.mig = current != 0;
  }
  nvmlGpmSupport_t support{NVML_GPM_SUPPORT_VERSION, 0};
  if (functions_.HasGpm() &&
      functions_.gpm_support(d.handle, &support) == NVML_SUCCESS &&
      support.isSupportedDevice) {
    // A buffer allocated before a failure is freed with the device.
    d.gpm = functions_.gpm_alloc(&d.gpm_samples[0]) == NVML_SUCCESS &&
            functions_.gpm_alloc(&d.gpm_samples[1]) == NVML_SUCCESS;
  }
  return d;
}

absl::StatusOr<std::vector<GpuDeviceInfo>> NvmlGpuSource::ListDevices() {
  std::vector<GpuDeviceInfo> out;
  for (const Device& d : devices_) out.push_back(d.info);
  return out;
}

bool NvmlGpuSource::Reacquire(Device* d) {
  nvmlDevice_t handle = nullptr;
  char uuid[NVML_DEVICE_UUID_BUFFER_SIZE] = {0};
  if (functions_.get_handle(d->info.index, &handle) != NVML_SUCCESS ||
      functions_.get_uuid(handle, uuid, sizeof(uuid)) != NVML_SUCCESS ||
      d->info.uuid != uuid) {
    return false;  // still gone, or another GPU at this index: not ours
  }
  d->handle = handle;
  d->lost = false;
  d->gpm_primed = false;  // the GPU's counters restarted
  return true;
}

void NvmlGpuSource::NoteFailure(Device* d, nvmlReturn_t rc) {
  if (GpuIsGone(rc)) d->lost = true;
}

void NvmlGpuSource::ReadEnergy(Device* d, DeviceReading* r) {
  if (!functions_.get_energy) return;
  unsigned long long mj = 0;
  const nvmlReturn_t rc = functions_.get_energy(d->handle, &mj);
  if (rc == NVML_SUCCESS) {
    r->energy_mj = mj;
  } else {
    NoteFailure(d, rc);
  }
}

void NvmlGpuSource::ReadGpm(Device* d, DeviceReading* r) {
  const int cur = d->gpm_current;
  const nvmlReturn_t rc = functions_.gpm_get(d->handle, d->gpm_samples[cur]);
  if (rc != NVML_SUCCESS) {
    NoteFailure(d, rc);
    d->gpm_primed = false;  // the next interval has no valid start
    return;
  }
  if (d->gpm_primed) {
    nvmlGpmMetricsGet_t m{};
    m.version = NVML_GPM_METRICS_GET_VERSION;
    m.numMetrics = 2;
    m.sample1 = d->gpm_samples[1 - cur];
    m.sample2 = d->gpm_samples[cur];
    m.metrics[0].metricId = NVML_GPM_METRIC_SM_UTIL;
    m.metrics[1].metricId = NVML_GPM_METRIC_ANY_TENSOR_UTIL;
    if (functions_.gpm_metrics(&m) == NVML_SUCCESS) {
      if (m.metrics[0].nvmlReturn == NVML_SUCCESS) {
        r->sm_active_pct = m.metrics[0].value;
      }
      if (m.metrics[1].nvmlReturn == NVML_SUCCESS) {
        r->tensor_active_pct = m.metrics[1].value;
      }
    }
  }
  d->gpm_primed = true;
  d->gpm_current = 1 - cur;
}

absl::StatusOr<GpuSample> NvmlGpuSource::Sample() {
  GpuSample sample;
  sample.time = clock_->Now();
  for (Device& d : devices_) {
    DeviceReading r;
    r.index = d.info.index;
    if (!d.lost || Reacquire(&d)) {
      ReadEnergy(&d, &r);
      if (d.gpm && !d.lost) ReadGpm(&d, &r);
    }
    sample.devices.push_back(r);
  }
  return sample;
}

}  // namespace nvml
}  // namespace collector
