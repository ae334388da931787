// The one place a CUPTI activity record is read: CUpti_ActivityKernel10, the
// record of CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL in the CUPTI 13 headers
// this library is built against (tests/cuda/cupti_headers_test pins its
// layout). Needs the CUDA toolkit's headers, not libcupti.
#ifndef COLLECTOR_CUPTI_CUPTI_KERNEL_RECORD_H_
#define COLLECTOR_CUPTI_CUPTI_KERNEL_RECORD_H_

#include <cupti.h>

#include "collector/cupti/activity_api.h"

namespace collector {
namespace cupti {

// CUPTI's record type for concurrent-kernel activity.
using CuptiKernelRecord = CUpti_ActivityKernel10;

// Sets `*out` from `record` and returns true when `record` is a
// concurrent-kernel record; false (and `*out` untouched) for any other kind.
// `out->name` points into `record`.
bool ToKernelActivity(const CUpti_Activity& record, KernelActivity* out);

}  // namespace cupti
}  // namespace collector

#endif  // COLLECTOR_CUPTI_CUPTI_KERNEL_RECORD_H_
