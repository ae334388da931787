#include "collector/nvml/testonly/fake_nvml_functions.h"

#include <cstring>
#include <utility>

namespace collector {
namespace nvml {
namespace testonly {
namespace {

nvmlReturn_t CopyString(const std::string& value, char* out,
                        unsigned int size) {
  if (value.size() + 1 > size) return NVML_ERROR_INVALID_ARGUMENT;
  std::memcpy(out, value.c_str(), value.size() + 1);
  return NVML_SUCCESS;
}

}  // namespace

FakeNvml::FakeNvml(std::vector<Gpu> gpus) {
  for (uint32_t i = 0; i < gpus.size(); ++i) {
    gpus_.push_back(State{std::move(gpus[i])});
    NewLife(i);
  }
}

void FakeNvml::NewLife(uint32_t index) {
  State& s = gpus_[index];
  if (s.handle != nullptr) old_handles_.push_back(std::move(s.handle));
  s.handle = std::make_unique<nvmlDevice_st>(nvmlDevice_st{index, ++lives_});
  s.energy_mj = 0;
  s.sm_s = s.tensor_s = s.elapsed_s = 0;
}

NvmlFunctions FakeNvml::Functions() {
  NvmlFunctions f;
  f.init = [this] {
    nvmlReturn_t rc = Injected(Entry::kInit);
    if (rc == NVML_SUCCESS) initialized_ = true;
    return rc;
  };
  f.shutdown = [this] {
    initialized_ = false;
    return NVML_SUCCESS;
  };
  f.error_string = [](nvmlReturn_t rc) {
    return rc == NVML_ERROR_GPU_IS_LOST ? "GPU is lost" : "fake NVML error";
  };
  f.get_count = [this](unsigned int* count) {
    nvmlReturn_t rc = Injected(Entry::kGetCount);
    if (rc == NVML_SUCCESS) *count = gpus_.size();
    return rc;
  };
  f.get_handle = [this](unsigned int i, nvmlDevice_t* out) {
    return GetHandle(i, out);
  };
  f.get_uuid = [this](nvmlDevice_t h, char* out, unsigned int size) {
    return GetString(/*uuid=*/true, h, out, size);
  };
  f.get_name = [this](nvmlDevice_t h, char* out, unsigned int size) {
    return GetString(/*uuid=*/false, h, out, size);
  };
  f.get_driver = [this](char* out, unsigned int size) {
    nvmlReturn_t rc = Injected(Entry::kGetDriver);
    return rc == NVML_SUCCESS ? CopyString("555.42.06", out, size) : rc;
  };
  f.get_mig_mode = [this](nvmlDevice_t h, unsigned int* current,
                          unsigned int* pending) {
    State* s = nullptr;
    nvmlReturn_t rc = Live(h, &s);
    if (rc == NVML_SUCCESS) *current = *pending = s->gpu.mig ? 1 : 0;
    return rc;
  };
  f.get_energy = [this](nvmlDevice_t h, unsigned long long* mj) {
    return GetEnergy(h, mj);
  };
  f.gpm_support = [this](nvmlDevice_t h, nvmlGpmSupport_t* support) {
    return GpmSupport(h, support);
  };
  f.gpm_alloc = [this](nvmlGpmSample_t* out) { return GpmAlloc(out); };
  f.gpm_free = [this](nvmlGpmSample_t s) { return GpmFree(s); };
  f.gpm_get = [this](nvmlDevice_t h, nvmlGpmSample_t s) {
    return GpmSampleGet(h, s);
  };
  f.gpm_metrics = [this](nvmlGpmMetricsGet_t* m) { return GpmMetricsGet(m); };
  return f;
}

void FakeNvml::Run(uint32_t index, double seconds, double watts, double sm_pct,
                   double tensor_pct) {
  State& s = gpus_[index];
  s.energy_mj += static_cast<uint64_t>(watts * seconds * 1000);
  s.elapsed_s += seconds;
  s.sm_s += seconds * sm_pct / 100;
  s.tensor_s += seconds * tensor_pct / 100;
}

void FakeNvml::SetEnergy(uint32_t index, uint64_t mj) {
  gpus_[index].energy_mj = mj;
}

void FakeNvml::Lose(uint32_t index) { gpus_[index].lost = true; }

void FakeNvml::Return(uint32_t index, const std::string& uuid) {
  State& s = gpus_[index];
  s.lost = false;
  if (!uuid.empty()) s.gpu.uuid = uuid;
  NewLife(index);
}

void FakeNvml::FailNext(Entry entry, nvmlReturn_t rc, int times) {
  for (int i = 0; i < times; ++i) failures_[entry].push_back(rc);
}

nvmlReturn_t FakeNvml::Injected(Entry entry) {
  auto it = failures_.find(entry);
  if (it == failures_.end() || it->second.empty()) return NVML_SUCCESS;
  const nvmlReturn_t rc = it->second.front();
  it->second.pop_front();
  return rc;
}

nvmlReturn_t FakeNvml::Live(nvmlDevice_t handle, State** state) {
  if (!initialized_) return NVML_ERROR_UNINITIALIZED;
  if (handle == nullptr || handle->index >= gpus_.size()) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  State& s = gpus_[handle->index];
  if (s.lost || s.handle->life != handle->life) return NVML_ERROR_GPU_IS_LOST;
  *state = &s;
  return NVML_SUCCESS;
}

nvmlReturn_t FakeNvml::GetHandle(unsigned int index, nvmlDevice_t* out) {
  nvmlReturn_t rc = Injected(Entry::kGetHandle);
  if (rc != NVML_SUCCESS) return rc;
  if (index >= gpus_.size()) return NVML_ERROR_INVALID_ARGUMENT;
  if (gpus_[index].lost) return NVML_ERROR_GPU_IS_LOST;
  *out = gpus_[index].handle.get();
  return NVML_SUCCESS;
}

nvmlReturn_t FakeNvml::GetString(bool uuid, nvmlDevice_t handle, char* out,
                                 unsigned int size) {
  nvmlReturn_t rc = uuid ? Injected(Entry::kGetUuid) : NVML_SUCCESS;
  State* s = nullptr;
  if (rc == NVML_SUCCESS) rc = Live(handle, &s);
  if (rc != NVML_SUCCESS) return rc;
  return CopyString(uuid ? s->gpu.uuid : s->gpu.name, out, size);
}

nvmlReturn_t FakeNvml::GetEnergy(nvmlDevice_t handle, unsigned long long* mj) {
  nvmlReturn_t rc = Injected(Entry::kGetEnergy);
  State* s = nullptr;
  if (rc == NVML_SUCCESS) rc = Live(handle, &s);
  if (rc == NVML_SUCCESS) *mj = s->energy_mj;
  return rc;
}

nvmlReturn_t FakeNvml::GpmSupport(nvmlDevice_t handle,
                                  nvmlGpmSupport_t* support) {
  State* s = nullptr;
  nvmlReturn_t rc = Live(handle, &s);
  if (rc != NVML_SUCCESS) return rc;
  if (support->version != NVML_GPM_SUPPORT_VERSION)
    return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  support->isSupportedDevice = s->gpu.gpm ? 1 : 0;
  return NVML_SUCCESS;
}

nvmlReturn_t FakeNvml::GpmAlloc(nvmlGpmSample_t* out) {
  nvmlReturn_t rc = Injected(Entry::kGpmAlloc);
  if (rc != NVML_SUCCESS) return rc;
  *out = new nvmlGpmSample_st();
  ++live_gpm_samples_;
  return NVML_SUCCESS;
}

nvmlReturn_t FakeNvml::GpmFree(nvmlGpmSample_t sample) {
  delete sample;
  --live_gpm_samples_;
  return NVML_SUCCESS;
}

nvmlReturn_t FakeNvml::GpmSampleGet(nvmlDevice_t handle,
                                    nvmlGpmSample_t sample) {
  nvmlReturn_t rc = Injected(Entry::kGpmSampleGet);
  State* s = nullptr;
  if (rc == NVML_SUCCESS) rc = Live(handle, &s);
  if (rc != NVML_SUCCESS) return rc;
  *sample = nvmlGpmSample_st{true,    handle->index, handle->life,
                             s->sm_s, s->tensor_s,   s->elapsed_s};
  return NVML_SUCCESS;
}

nvmlReturn_t FakeNvml::GpmMetricsGet(nvmlGpmMetricsGet_t* m) {
  ++metrics_calls_;
  nvmlReturn_t rc = Injected(Entry::kGpmMetricsGet);
  if (rc != NVML_SUCCESS) return rc;
  const nvmlGpmSample_st* a = m->sample1;
  const nvmlGpmSample_st* b = m->sample2;
  if (m->version != NVML_GPM_METRICS_GET_VERSION || a == nullptr ||
      b == nullptr || a == b || !a->filled || !b->filled ||
      a->index != b->index || a->life != b->life) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  const double elapsed = b->elapsed_s - a->elapsed_s;
  for (unsigned int i = 0; i < m->numMetrics; ++i) {
    nvmlGpmMetric_t& metric = m->metrics[i];
    double active = 0;
    if (metric.metricId == NVML_GPM_METRIC_SM_UTIL) {
      active = b->sm_s - a->sm_s;
    } else if (metric.metricId == NVML_GPM_METRIC_ANY_TENSOR_UTIL) {
      active = b->tensor_s - a->tensor_s;
    } else {
      metric.nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
      continue;
    }
    // GPM needs time between its samples.
    metric.nvmlReturn =
        elapsed > 0 ? NVML_SUCCESS : NVML_ERROR_INVALID_ARGUMENT;
    metric.value = elapsed > 0 ? 100 * active / elapsed : 0;
  }
  return NVML_SUCCESS;
}

}  // namespace testonly
}  // namespace nvml
}  // namespace collector
