// The few NVML types and entry points the agent uses, declared from NVIDIA's
// documented NVML API (nvml.h is not installed here and not in Debian main).
// Functions are not linked: nvml_library.h resolves them with dlsym from
// libnvidia-ml.so.1 into an NvmlFunctions table (nvml_functions.h), so the
// agent starts on GPU-less nodes and tests can hand NvmlGpuSource a fake.
//
// Layouts follow the NVML reference (CUDA 12/13 headers): opaque handles are
// pointers, nvmlReturn_t is an int enum, GPM structs are version 1.
#ifndef COLLECTOR_NVML_NVML_API_H_
#define COLLECTOR_NVML_NVML_API_H_

extern "C" {

typedef int nvmlReturn_t;
constexpr nvmlReturn_t NVML_SUCCESS = 0;
constexpr nvmlReturn_t NVML_ERROR_UNINITIALIZED = 1;
constexpr nvmlReturn_t NVML_ERROR_INVALID_ARGUMENT = 2;
constexpr nvmlReturn_t NVML_ERROR_NOT_SUPPORTED = 3;
constexpr nvmlReturn_t NVML_ERROR_DRIVER_NOT_LOADED = 9;
// The GPU fell off the bus or is otherwise inaccessible; a reset (or a
// driver reload) may bring it back.
constexpr nvmlReturn_t NVML_ERROR_GPU_IS_LOST = 15;
constexpr nvmlReturn_t NVML_ERROR_RESET_REQUIRED = 16;
constexpr nvmlReturn_t NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25;
constexpr nvmlReturn_t NVML_ERROR_UNKNOWN = 999;

typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct nvmlGpmSample_st* nvmlGpmSample_t;

constexpr unsigned int NVML_DEVICE_UUID_BUFFER_SIZE = 80;
constexpr unsigned int NVML_DEVICE_NAME_V2_BUFFER_SIZE = 96;
constexpr unsigned int NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE = 80;

// GPM metric ids (nvmlGpmMetricId_t).
constexpr unsigned int NVML_GPM_METRIC_SM_UTIL = 2;
constexpr unsigned int NVML_GPM_METRIC_SM_OCCUPANCY = 3;
constexpr unsigned int NVML_GPM_METRIC_ANY_TENSOR_UTIL = 5;
// Capacity of the metrics array in the CUDA 12.0 header; the driver reads only
// `numMetrics` entries, so a larger later value does not change our layout's
// meaning.
constexpr unsigned int NVML_GPM_METRIC_MAX = 98;
constexpr unsigned int NVML_GPM_METRICS_GET_VERSION = 1;
constexpr unsigned int NVML_GPM_SUPPORT_VERSION = 1;

typedef struct {
  unsigned int metricId;    // IN
  nvmlReturn_t nvmlReturn;  // OUT: value valid iff NVML_SUCCESS
  double value;             // OUT
  struct {
    char* shortName;
    char* longName;
    char* unit;
  } metricInfo;  // OUT, may be NULL
} nvmlGpmMetric_t;

typedef struct {
  unsigned int version;     // IN: NVML_GPM_METRICS_GET_VERSION
  unsigned int numMetrics;  // IN
  nvmlGpmSample_t sample1;  // IN: earlier sample
  nvmlGpmSample_t sample2;  // IN: later sample
  nvmlGpmMetric_t metrics[NVML_GPM_METRIC_MAX];
} nvmlGpmMetricsGet_t;

typedef struct {
  unsigned int version;            // IN: NVML_GPM_SUPPORT_VERSION
  unsigned int isSupportedDevice;  // OUT
} nvmlGpmSupport_t;

// Function pointer types, one per entry point resolved with dlsym. The
// symbol name is the one in the comment.
typedef nvmlReturn_t (*nvmlInit_v2_fn)(void);             // nvmlInit_v2
typedef nvmlReturn_t (*nvmlShutdown_fn)(void);            // nvmlShutdown
typedef const char* (*nvmlErrorString_fn)(nvmlReturn_t);  // nvmlErrorString
typedef nvmlReturn_t (*nvmlDeviceGetCount_v2_fn)(
    unsigned int*);  // nvmlDeviceGetCount_v2
typedef nvmlReturn_t (*nvmlDeviceGetHandleByIndex_v2_fn)(
    unsigned int, nvmlDevice_t*);  // nvmlDeviceGetHandleByIndex_v2
typedef nvmlReturn_t (*nvmlDeviceGetUUID_fn)(
    nvmlDevice_t, char*,
    unsigned int);  // nvmlDeviceGetUUID
typedef nvmlReturn_t (*nvmlDeviceGetName_fn)(
    nvmlDevice_t, char*,
    unsigned int);  // nvmlDeviceGetName
typedef nvmlReturn_t (*nvmlSystemGetDriverVersion_fn)(
    char*, unsigned int);  // nvmlSystemGetDriverVersion
typedef nvmlReturn_t (*nvmlDeviceGetMigMode_fn)(
    nvmlDevice_t, unsigned int* current,
    unsigned int* pending);  // nvmlDeviceGetMigMode
typedef nvmlReturn_t (*nvmlDeviceGetTotalEnergyConsumption_fn)(
    nvmlDevice_t,
    unsigned long long* mj);  // nvmlDeviceGetTotalEnergyConsumption
typedef nvmlReturn_t (*nvmlGpmQueryDeviceSupport_fn)(
    nvmlDevice_t, nvmlGpmSupport_t*);  // nvmlGpmQueryDeviceSupport
typedef nvmlReturn_t (*nvmlGpmSampleAlloc_fn)(
    nvmlGpmSample_t*);  // nvmlGpmSampleAlloc
typedef nvmlReturn_t (*nvmlGpmSampleFree_fn)(
    nvmlGpmSample_t);  // nvmlGpmSampleFree
typedef nvmlReturn_t (*nvmlGpmSampleGet_fn)(
    nvmlDevice_t,
    nvmlGpmSample_t);  // nvmlGpmSampleGet
typedef nvmlReturn_t (*nvmlGpmMetricsGet_fn)(
    nvmlGpmMetricsGet_t*);  // nvmlGpmMetricsGet

}  // extern "C"

#endif  // COLLECTOR_NVML_NVML_API_H_
