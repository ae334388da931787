#include "collector/cupti/cupti_activity_api.h"

#include <cupti.h>

#include "collector/cupti/cupti_kernel_record.h"

namespace collector {
namespace cupti {

void CuptiActivityApi::ForEachKernel(
    uint8_t* buffer, size_t valid,
    const std::function<void(const KernelActivity&)>& fn) {
  CUpti_Activity* record = nullptr;
  while (cuptiActivityGetNextRecord(buffer, valid, &record) == CUPTI_SUCCESS) {
    KernelActivity k;
    if (ToKernelActivity(*record, &k)) fn(k);
  }
}

size_t CuptiActivityApi::DroppedRecords(CUctx_st* context, uint32_t stream) {
  size_t dropped = 0;
  if (cuptiActivityGetNumDroppedRecords(context, stream, &dropped) !=
      CUPTI_SUCCESS) {
    return 0;
  }
  return dropped;
}

}  // namespace cupti
}  // namespace collector
