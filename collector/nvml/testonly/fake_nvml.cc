// A stand-in libnvidia-ml.so.1 with no GPUs, so that `collector_agent run`
// (the NVML daemon path) starts on machines without a driver: tests put its
// folder first in LD_LIBRARY_PATH. Only the entry points NvmlGpuSource
// requires; every device query fails (there are none).
#include <cstring>

#include "collector/nvml/nvml_api.h"

extern "C" {

__attribute__((visibility("default"))) nvmlReturn_t nvmlInit_v2() {
  return NVML_SUCCESS;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlShutdown() {
  return NVML_SUCCESS;
}
__attribute__((visibility("default"))) const char* nvmlErrorString(
    nvmlReturn_t) {
  return "fake NVML: no such device";
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetCount_v2(
    unsigned int* count) {
  *count = 0;
  return NVML_SUCCESS;
}
__attribute__((visibility("default"))) nvmlReturn_t
nvmlDeviceGetHandleByIndex_v2(unsigned int, nvmlDevice_t*) {
  return NVML_ERROR_INVALID_ARGUMENT;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetUUID(
    nvmlDevice_t, char*, unsigned int) {
  return NVML_ERROR_INVALID_ARGUMENT;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlDeviceGetName(
    nvmlDevice_t, char*, unsigned int) {
  return NVML_ERROR_INVALID_ARGUMENT;
}
__attribute__((visibility("default"))) nvmlReturn_t nvmlSystemGetDriverVersion(
    char* version, unsigned int length) {
  std::strncpy(version, "fake-0.0", length);
  if (length > 0) version[length - 1] = '\0';
  return NVML_SUCCESS;
}

}  // extern "C"
