#include "collector/spool/interval_merge.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "collector/flop/flop_accounting.h"

namespace collector {
namespace spool {

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
  collector::flop::AddFlopRange(a->mutable_flop(), b.flop());
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
