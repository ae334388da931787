// Pure aggregation of CUDA kernel activity records, with no CUDA dependency:
// the CUPTI injection library feeds it plain records; tests and the
// benchmark feed it synthetic ones. Computes per-kernel counts, busy time
// (union of kernel intervals per device, summed over devices) and the busy
// time spent in tensor-core kernels (by name heuristics, IsTensorKernelName).
//
// Bounded memory: per device at most `max_pending` raw intervals are held;
// then they are sorted and merged, and if still large the older half is
// folded into a running total behind a watermark. A record arriving later
// that starts before the watermark is clipped to it (CUPTI delivers records
// per buffer in roughly start order, so this loses at most idle gaps inside
// one buffer's span; documented in collector/README.md).
//
// Thread-compatible: the injection library calls it under its own lock.
#ifndef COLLECTOR_KERNELS_KERNEL_AGGREGATOR_H_
#define COLLECTOR_KERNELS_KERNEL_AGGREGATOR_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace collector {
namespace kernels {

struct KernelRecord {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;  // records with end <= start are ignored
  uint32_t device = 0;
  uint32_t name_id = 0;  // interned kernel name (caller's table)
  bool tensor = false;   // IsTensorKernelName(name)
};

// Name heuristic for tensor-core kernels: the lower-cased name contains one
// of "mma" (hmma, imma, wgmma, gmma), "gemm", "xmma", "cutlass", "tensorop",
// "fmha", "flash", or a cuBLAS tile tag ("s16816", "h16816", "s1688",
// "h1688"). Heuristic: a GEMM on CUDA cores is counted as tensor, a custom
// tensor kernel with another name is not.
bool IsTensorKernelName(absl::string_view name);

struct KernelTotals {
  uint64_t kernels = 0;
  uint64_t busy_ns = 0;         // union per device, summed over devices
  uint64_t tensor_busy_ns = 0;  // same, tensor kernels only
  uint64_t dropped = 0;         // records the producer could not deliver
  uint64_t first_start_ns = 0;
  uint64_t last_end_ns = 0;
  std::vector<uint64_t> per_kernel;  // count by name_id
  // Share of busy time in tensor kernels, 0 when not busy.
  double tensor_share() const {
    return busy_ns ? static_cast<double>(tensor_busy_ns) / busy_ns : 0.0;
  }
};

class KernelAggregator {
 public:
  explicit KernelAggregator(size_t max_pending = 1 << 16)
      : max_pending_(max_pending) {}

  void Add(const KernelRecord& r);
  void AddDropped(uint64_t n) { totals_.dropped += n; }

  // The totals since the last Take(), and starts a new window.
  KernelTotals Take();

 private:
  using Interval = std::pair<uint64_t, uint64_t>;
  struct Track {  // one per device and kind (all kernels / tensor kernels)
    std::vector<Interval> pending;
    uint64_t folded_ns = 0;
    uint64_t watermark = 0;
  };
  void AddTo(Track* t, uint64_t start, uint64_t end);
  void Compact(Track* t, bool fold_all);

  const size_t max_pending_;
  std::vector<Track> all_;     // by device
  std::vector<Track> tensor_;  // by device
  KernelTotals totals_;
};

}  // namespace kernels
}  // namespace collector

#endif  // COLLECTOR_KERNELS_KERNEL_AGGREGATOR_H_
