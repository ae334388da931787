#include "collector/spool/interval_merge.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace collector {
namespace spool {
namespace {

int Looseness(aifl::common::v1::ComputeMethod m) {
  switch (m) {
    case aifl::common::v1::MEASURED_COUNTED:
      return 0;
    case aifl::common::v1::MEASURED_TENSOR_ACTIVITY:
      return 1;
    case aifl::common::v1::MEASURED_BUSY_TIME:
      return 2;
    default:
      return 3;
  }
}

}  // namespace

absl::Status MergeInterval(aifl::collector::v1::IntervalReport* a,
                           const aifl::collector::v1::IntervalReport& b) {
  if (a->run_id() != b.run_id() || a->node() != b.node()) {
    return absl::InvalidArgumentError(
        absl::StrCat("merge: got run ", b.run_id(), "@", b.node(), ", want ",
                     a->run_id(), "@", a->node()));
  }
  a->set_interval_index(std::min(a->interval_index(), b.interval_index()));
  a->set_start_unix_ms(std::min(a->start_unix_ms(), b.start_unix_ms()));
  a->set_end_unix_ms(std::max(a->end_unix_ms(), b.end_unix_ms()));
  a->set_gpu_count(std::max(a->gpu_count(), b.gpu_count()));
  a->set_gpu_seconds_allocated(a->gpu_seconds_allocated() +
                               b.gpu_seconds_allocated());
  if (b.has_gpu_seconds_active()) {
    a->set_gpu_seconds_active(a->gpu_seconds_active() + b.gpu_seconds_active());
  }
  if (b.has_energy_joules()) {
    a->set_energy_joules(a->energy_joules() + b.energy_joules());
  }
  auto* fa = a->mutable_flop();
  const auto& fb = b.flop();
  fa->set_lower(fa->lower() + fb.lower());
  fa->set_upper(fa->upper() + fb.upper());
  if (Looseness(fb.method()) > Looseness(fa->method()))
    fa->set_method(fb.method());
  if (!fb.assumptions().empty() &&
      !absl::StrContains(fa->assumptions(), fb.assumptions())) {
    fa->set_assumptions(
        fa->assumptions().empty()
            ? fb.assumptions()
            : absl::StrCat(fa->assumptions(), " | ", fb.assumptions()));
  }
  a->set_precision_low(std::min(a->precision_low(), b.precision_low()));
  a->set_precision_high(std::max(a->precision_high(), b.precision_high()));
  a->set_shared_gpu(a->shared_gpu() || b.shared_gpu());
  a->set_mig(a->mig() || b.mig());
  a->set_merged_intervals(std::max(1u, a->merged_intervals()) +
                          std::max(1u, b.merged_intervals()));
  a->set_missing_samples(a->missing_samples() + b.missing_samples());
  if (a->device_model().empty()) a->set_device_model(b.device_model());
  return absl::OkStatus();
}

}  // namespace spool
}  // namespace collector
