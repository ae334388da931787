// CuptiActivityApi: the real ActivityApi, over libcupti
// (cuptiActivityGetNextRecord, cuptiActivityGetNumDroppedRecords). Built
// only where the CUDA toolkit is found (//bazel:cupti.bzl).
//
// Thread-safe: CUPTI's record iteration is per buffer.
#ifndef COLLECTOR_CUPTI_CUPTI_ACTIVITY_API_H_
#define COLLECTOR_CUPTI_CUPTI_ACTIVITY_API_H_

#include "collector/cupti/activity_api.h"

namespace collector {
namespace cupti {

class CuptiActivityApi final : public ActivityApi {
 public:
  void ForEachKernel(
      uint8_t* buffer, size_t valid,
      const std::function<void(const KernelActivity&)>& fn) override;
  size_t DroppedRecords(CUctx_st* context, uint32_t stream) override;
};

}  // namespace cupti
}  // namespace collector

#endif  // COLLECTOR_CUPTI_CUPTI_ACTIVITY_API_H_
