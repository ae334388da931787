#include "collector/cupti/testonly/fake_activity_api.h"

#include <cstring>

namespace collector {
namespace cupti {
namespace testonly {
namespace {

// A record in the buffer: this header, then the name's bytes and a NUL,
// padded to 8 bytes (CUPTI's records are 8-byte aligned too).
struct Header {
  uint32_t kind;
  uint32_t device_id;
  uint64_t start_ns;
  uint64_t end_ns;
  uint32_t name_bytes;  // with the NUL; 0: no name
  uint32_t total_bytes;
};

size_t Padded(size_t n) { return (n + 7) / 8 * 8; }

}  // namespace

std::pair<size_t, size_t> FakeActivityApi::Write(
    uint8_t* buffer, size_t size, const std::vector<FakeRecord>& records) {
  size_t used = 0, left_out = 0;
  for (const FakeRecord& r : records) {
    const uint32_t name_bytes = r.unnamed ? 0 : r.name.size() + 1;
    const size_t total = Padded(sizeof(Header) + name_bytes);
    if (used + total > size) {
      ++left_out;
      continue;
    }
    const Header h{r.kind,   r.device_id, r.start_ns,
                   r.end_ns, name_bytes,  static_cast<uint32_t>(total)};
    std::memcpy(buffer + used, &h, sizeof(h));
    if (name_bytes > 0) {
      std::memcpy(buffer + used + sizeof(h), r.name.c_str(), name_bytes);
    }
    used += total;
  }
  return {used, left_out};
}

void FakeActivityApi::Drop(CUctx_st* context, uint32_t stream, size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  dropped_[{context, stream}] += n;
}

void FakeActivityApi::ForEachKernel(
    uint8_t* buffer, size_t valid,
    const std::function<void(const KernelActivity&)>& fn) {
  size_t at = 0;
  while (at + sizeof(Header) <= valid) {
    Header h;
    std::memcpy(&h, buffer + at, sizeof(h));
    if (h.kind == FakeRecord::kKernel) {
      KernelActivity k;
      k.start_ns = h.start_ns;
      k.end_ns = h.end_ns;
      k.device_id = h.device_id;
      k.name = h.name_bytes > 0
                   ? reinterpret_cast<const char*>(buffer + at + sizeof(h))
                   : nullptr;
      fn(k);
    }
    at += h.total_bytes;
  }
}

size_t FakeActivityApi::DroppedRecords(CUctx_st* context, uint32_t stream) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = dropped_.find({context, stream});
  if (it == dropped_.end()) return 0;
  const size_t n = it->second;
  dropped_.erase(it);
  return n;
}

}  // namespace testonly
}  // namespace cupti
}  // namespace collector
