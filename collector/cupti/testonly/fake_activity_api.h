// FakeActivityApi: an ActivityApi whose activity buffers hold the fake's own
// records, so a test feeds kernel records through ActivityBuffers' real
// buffer handling without CUDA: take a buffer with Request(), Write() records
// into it, hand it to Complete(). The record layout is the fake's (CUPTI's is
// pinned by tests/cuda/cupti_headers_test); like CUPTI's, each record starts
// with its kind, and a kernel's name lives in the buffer, so it is valid only
// while the buffer is read.
//
// Thread-safe (ForEachKernel only reads its buffer; the drop counts lock).
#ifndef COLLECTOR_CUPTI_TESTONLY_FAKE_ACTIVITY_API_H_
#define COLLECTOR_CUPTI_TESTONLY_FAKE_ACTIVITY_API_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "collector/cupti/activity_api.h"

namespace collector {
namespace cupti {
namespace testonly {

struct FakeRecord {
  enum Kind : uint32_t { kKernel = 1, kMemcpy = 2 };
  Kind kind = kKernel;
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  uint32_t device_id = 0;
  std::string name;  // a kernel without a name: empty and `unnamed`
  bool unnamed = false;
};

class FakeActivityApi final : public ActivityApi {
 public:
  // Writes `records` into `buffer` (of `size` bytes) and returns the valid
  // byte count to pass to Complete(). Records that do not fit are left out
  // and counted in the second value.
  static std::pair<size_t, size_t> Write(
      uint8_t* buffer, size_t size, const std::vector<FakeRecord>& records);

  // CUPTI dropped `n` more records for (`context`, `stream`).
  void Drop(CUctx_st* context, uint32_t stream, size_t n);

  void ForEachKernel(
      uint8_t* buffer, size_t valid,
      const std::function<void(const KernelActivity&)>& fn) override;
  // Like CUPTI: the drops since the last call for that pair.
  size_t DroppedRecords(CUctx_st* context, uint32_t stream) override;

 private:
  std::mutex mu_;
  std::map<std::pair<CUctx_st*, uint32_t>, size_t> dropped_;
};

}  // namespace testonly
}  // namespace cupti
}  // namespace collector

#endif  // COLLECTOR_CUPTI_TESTONLY_FAKE_ACTIVITY_API_H_
