#include "collector/kernels/kernel_aggregator.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace collector {
namespace kernels {

bool IsTensorKernelName(absl::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr const char* kMarkers[] = {
      "mma",   "gemm",   "xmma",   "cutlass", "tensorop", "fmha",
      "flash", "s16816", "h16816", "s1688",   "h1688"};
  for (const char* m : kMarkers) {
    if (lower.find(m) != std::string::npos) return true;
  }
  return false;
}

void KernelAggregator::Add(const KernelRecord& r) {
  if (r.end_ns <= r.start_ns) return;
  if (r.device >= all_.size()) {
    all_.resize(r.device + 1);
    tensor_.resize(r.device + 1);
  }
  ++totals_.kernels;
  if (r.name_id >= totals_.per_kernel.size()) {
    totals_.per_kernel.resize(r.name_id + 1);
  }
  ++totals_.per_kernel[r.name_id];
  if (totals_.first_start_ns == 0 || r.start_ns < totals_.first_start_ns) {
    totals_.first_start_ns = r.start_ns;
  }
  totals_.last_end_ns = std::max(totals_.last_end_ns, r.end_ns);
  AddTo(&all_[r.device], r.start_ns, r.end_ns);
  if (r.tensor) AddTo(&tensor_[r.device], r.start_ns, r.end_ns);
}

void KernelAggregator::AddTo(Track* t, uint64_t start, uint64_t end) {
  start = std::max(start, t->watermark);
  if (end <= start) return;  // already counted behind the watermark
  t->pending.emplace_back(start, end);
  if (t->pending.size() >= max_pending_) Compact(t, /*fold_all=*/false);
}

void KernelAggregator::Compact(Track* t, bool fold_all) {
  auto& v = t->pending;
  std::sort(v.begin(), v.end());
  size_t out = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (out > 0 && v[i].first <= v[out - 1].second) {
      v[out - 1].second = std::max(v[out - 1].second, v[i].second);
    } else {
      v[out++] = v[i];
    }
  }
  v.resize(out);
  // Fold everything (Take) or, when merging did not free enough, the older
  // half behind a watermark.
  size_t fold =
      fold_all ? v.size() : (v.size() > max_pending_ / 2 ? v.size() / 2 : 0);
  for (size_t i = 0; i < fold; ++i) t->folded_ns += v[i].second - v[i].first;
  if (fold > 0) {
    t->watermark = std::max(t->watermark, v[fold - 1].second);
    v.erase(v.begin(), v.begin() + fold);
  }
}

KernelTotals KernelAggregator::Take() {
  for (auto* tracks : {&all_, &tensor_}) {
    for (Track& t : *tracks) Compact(&t, /*fold_all=*/true);
  }
  for (Track& t : all_) totals_.busy_ns += t.folded_ns;
  for (Track& t : tensor_) totals_.tensor_busy_ns += t.folded_ns;
  KernelTotals out = std::move(totals_);
  totals_ = KernelTotals();
  // Keep watermarks so a straggler from the old window is not counted twice.
  for (auto* tracks : {&all_, &tensor_}) {
    for (Track& t : *tracks) t.folded_ns = 0;
  }
  return out;
}

}  // namespace kernels
}  // namespace collector
