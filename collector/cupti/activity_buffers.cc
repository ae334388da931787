#include "collector/cupti/activity_buffers.h"

#include <cstdlib>

namespace collector {
namespace cupti {

ActivityBuffers::ActivityBuffers(ActivityApi* api,
                                 ActivityBufferOptions options)
    : api_(api), options_(options) {}

void ActivityBuffers::Request(uint8_t** buffer, size_t* size,
                              size_t* max_records) {
  *max_records = 0;
  *buffer = nullptr;
  *size = 0;
  if (buffers_out_.fetch_add(1) >= options_.max_buffers) {
    buffers_out_.fetch_sub(1);
    refused_.fetch_add(1);  // CUPTI drops and counts the records
    return;
  }
  // aligned_alloc wants a size that is a multiple of the alignment.
  const size_t bytes = (options_.buffer_bytes + 7) / 8 * 8;
  *buffer = static_cast<uint8_t*>(std::aligned_alloc(8, bytes));
  if (*buffer == nullptr) {
    buffers_out_.fetch_sub(1);
    refused_.fetch_add(1);
    return;
  }
  *size = bytes;
}

ActivityBuffers::Name ActivityBuffers::Intern(const char* name) {
  const std::string key = name != nullptr ? name : "?";
  auto it = names_.find(key);
  if (it == names_.end()) {
    const Name interned{static_cast<uint32_t>(names_.size()),
                        kernels::IsTensorKernelName(key)};
    it = names_.emplace(key, interned).first;
  }
  return it->second;
}

void ActivityBuffers::Complete(CUctx_st* context, uint32_t stream,
                               uint8_t* buffer, size_t valid) {
  if (buffer == nullptr) return;
  {
    absl::MutexLock lock(&mu_);
    api_->ForEachKernel(buffer, valid, [this](const KernelActivity& k) {
      mu_.AssertHeld();
      const Name name = Intern(k.name);
      aggregator_.Add(kernels::KernelRecord{k.start_ns, k.end_ns, k.device_id,
                                            name.id, name.tensor});
    });
    aggregator_.AddDropped(api_->DroppedRecords(context, stream));
  }
  std::free(buffer);
  buffers_out_.fetch_sub(1);
}

kernels::KernelTotals ActivityBuffers::Take() {
  absl::MutexLock lock(&mu_);
  aggregator_.AddDropped(refused_.exchange(0));
  return aggregator_.Take();
}

size_t ActivityBuffers::distinct_names() const {
  absl::MutexLock lock(&mu_);
  return names_.size();
}

}  // namespace cupti
}  // namespace collector
