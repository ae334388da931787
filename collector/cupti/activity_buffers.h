// ActivityBuffers: the injection library's half of CUPTI's activity-buffer
// protocol, with no CUDA header, so its tests run everywhere. CUPTI asks for
// a buffer (Request, from cuptiActivityRegisterCallbacks' bufferRequested),
// fills it, and hands it back (Complete, from bufferCompleted); this class
//  - bounds memory: at most `max_buffers` buffers of `buffer_bytes` are out
//    at once; a request beyond that gets no buffer (CUPTI then drops the
//    records and counts them) and is counted as refused;
//  - reads each completed buffer's kernel records through an ActivityApi,
//    interns kernel names (one id and one tensor-core verdict per distinct
//    name, IsTensorKernelName) and feeds a KernelAggregator;
//  - counts drops: CUPTI's per (context, stream) after each buffer, and the
//    refused buffers, both in KernelTotals::dropped;
//  - frees every buffer it handed out once it is completed.
//
// Thread-safe: CUPTI calls Request and Complete from its own threads, the
// summary sender calls Take.
#ifndef COLLECTOR_CUPTI_ACTIVITY_BUFFERS_H_
#define COLLECTOR_CUPTI_ACTIVITY_BUFFERS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "collector/cupti/activity_api.h"
#include "collector/kernels/kernel_aggregator.h"

namespace collector {
namespace cupti {

struct ActivityBufferOptions {
  // Size of one activity buffer. Default: 8 MiB.
  size_t buffer_bytes = 8 << 20;
  // Buffers out at once (128 MiB at most with the defaults). Default: 16.
  int max_buffers = 16;
};

class ActivityBuffers {
 public:
  // `api` is not owned and must outlive this object.
  explicit ActivityBuffers(ActivityApi* api,
                           ActivityBufferOptions options = {});

  // bufferRequested: sets `*buffer` to a new buffer (8-byte aligned, as
  // CUPTI requires) and `*size` to its size, or both to null / 0 when
  // `max_buffers` are out or memory is short. `*max_records` = 0 (as many
  // as fit).
  void Request(uint8_t** buffer, size_t* size, size_t* max_records);

  // bufferCompleted: aggregates the kernel records among the first `valid`
  // bytes of `buffer`, adds CUPTI's drop count for (`context`, `stream`),
  // and frees `buffer`, which must come from Request (null is ignored).
  void Complete(CUctx_st* context, uint32_t stream, uint8_t* buffer,
                size_t valid);

  // The totals since the last Take (refused buffer requests added to
  // `dropped`), and starts a new window. Kernel name ids stay stable.
  kernels::KernelTotals Take();

  // Buffers handed out and not yet completed.
  int buffers_out() const { return buffers_out_.load(); }
  // Distinct kernel names seen so far.
  size_t distinct_names() const;

 private:
  struct Name {
    uint32_t id = 0;
    bool tensor = false;
  };
  // The interned id and tensor verdict of `name` (null: "?").
  Name Intern(const char* name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ActivityApi* const api_;
  const ActivityBufferOptions options_;
  std::atomic<int> buffers_out_{0};
  std::atomic<uint64_t> refused_{0};
  mutable absl::Mutex mu_;
  kernels::KernelAggregator aggregator_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Name> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cupti
}  // namespace collector

#endif  // COLLECTOR_CUPTI_ACTIVITY_BUFFERS_H_
