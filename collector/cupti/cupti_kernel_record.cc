#include "collector/cupti/cupti_kernel_record.h"

namespace collector {
namespace cupti {

bool ToKernelActivity(const CUpti_Activity& record, KernelActivity* out) {
  if (record.kind != CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL) return false;
  // CUPTI's documented protocol: the kind says which record type this is.
  const auto& k = reinterpret_cast<const CuptiKernelRecord&>(record);
  out->start_ns = k.start;
  out->end_ns = k.end;
  out->device_id = k.deviceId;
  out->name = k.name;
  return true;
}

}  // namespace cupti
}  // namespace collector
