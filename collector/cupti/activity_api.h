// ActivityApi: the CUPTI calls the injection library's buffer handling
// makes, behind a narrow interface (Kineto's CuptiActivityApi), so that the
// handling — bounded buffers, name interning, drop counts — is tested by
// feeding records through it without CUDA. No CUDA header here: the real
// implementation is cupti_activity_api.h (built only where the toolkit is);
// tests use testonly/fake_activity_api.h.
#ifndef COLLECTOR_CUPTI_ACTIVITY_API_H_
#define COLLECTOR_CUPTI_ACTIVITY_API_H_

#include <cstddef>
#include <cstdint>
#include <functional>

// CUDA's context type (CUcontext is `struct CUctx_st*`), declared here so
// the seam needs no CUDA header.
struct CUctx_st;

namespace collector {
namespace cupti {

// One concurrent-kernel activity record, reduced to what the aggregator
// reads. `name` is CUPTI's (valid while the record's buffer is being read).
struct KernelActivity {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  uint32_t device_id = 0;
  const char* name = nullptr;  // may be null
};

class ActivityApi {
 public:
  virtual ~ActivityApi() = default;

  // Calls `fn` for each concurrent-kernel record among the first `valid`
  // bytes of `buffer` (a completed activity buffer), in buffer order;
  // records of other kinds are skipped.
  virtual void ForEachKernel(
      uint8_t* buffer, size_t valid,
      const std::function<void(const KernelActivity&)>& fn) = 0;

  // How many records CUPTI dropped for (`context`, `stream`) because no
  // buffer was available; 0 when CUPTI cannot say.
  virtual size_t DroppedRecords(CUctx_st* context, uint32_t stream) = 0;
};

}  // namespace cupti
}  // namespace collector

#endif  // COLLECTOR_CUPTI_ACTIVITY_API_H_
