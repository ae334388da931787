#include "collector/agent/energy_counter.h"

#include <algorithm>
#include <limits>

namespace collector {
namespace agent {

EnergyDelta NextEnergyDelta(EnergyCounterState* state,
                            std::optional<uint64_t> reading_mj, absl::Time time,
                            const EnergyCounterPolicy& policy) {
  EnergyDelta out;
  if (!reading_mj.has_value()) {
    out.kind = EnergyDelta::kMissing;
    return out;
  }
  const uint64_t cur = *reading_mj;
  if (!state->last_mj.has_value()) {
    out.kind = EnergyDelta::kFirst;
  } else {
    const absl::Duration dt = time - state->last_time;
    const uint64_t last = *state->last_mj;
    // Allow at least 1 ms so equal timestamps do not reject everything.
    const double cap_mj = policy.max_power_watts *
                          std::max(absl::ToDoubleSeconds(dt), 0.001) * 1000.0;
    if (dt > policy.max_gap || dt < absl::ZeroDuration()) {
      out.kind = EnergyDelta::kGap;
    } else if (cur >= last) {
      const uint64_t d = cur - last;
      if (static_cast<double>(d) <= cap_mj) {
        out.kind = EnergyDelta::kOk;
        out.joules = static_cast<double>(d) / 1000.0;
      } else {
        out.kind = EnergyDelta::kImplausible;
      }
    } else {
      // Distance forward through 2^64: (max - last) + cur + 1, no overflow
      // because cur < last.
      const uint64_t wrapped =
          (std::numeric_limits<uint64_t>::max() - last) + cur + 1;
      if (static_cast<double>(wrapped) <= cap_mj) {
        out.kind = EnergyDelta::kWrapped;
        out.joules = static_cast<double>(wrapped) / 1000.0;
      } else {
        out.kind = EnergyDelta::kReset;
      }
    }
  }
  state->last_mj = cur;
  state->last_time = time;
  return out;
}

}  // namespace agent
}  // namespace collector
