// Differencing NVML's total-energy counter (millijoules since driver load),
// pure. The counter is 64-bit and in practice only decreases when the driver
// reloads (reset), but a wrap past 2^64 is handled too.
//
// Rules (collector/README.md, "Counter wrap and reset"):
//  - absent reading: kMissing; the baseline is kept, so the next good reading
//    covers the gap (if the gap is short).
//  - first reading: kFirst, only sets the baseline.
//  - gap since the baseline longer than `max_gap`: kGap; rebaseline, no energy
//    (it could not be attributed to the right jobs).
//  - increase no larger than max_power × elapsed: kOk.
//  - decrease whose wrap-around distance is plausible: kWrapped.
//  - any other decrease (reset) or an implausibly large increase: kReset /
//    kImplausible; rebaseline, no energy. Never a negative or huge figure.
#ifndef COLLECTOR_AGENT_ENERGY_COUNTER_H_
#define COLLECTOR_AGENT_ENERGY_COUNTER_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace collector {
namespace agent {

struct EnergyCounterPolicy {
  // Highest plausible board power. Default: 2000 W (above any current GPU).
  double max_power_watts = 2000;
  // Longest gap between usable readings that is still attributed.
  // Default: 10 s.
  absl::Duration max_gap = absl::Seconds(10);
};

struct EnergyCounterState {
  std::optional<uint64_t> last_mj;
  absl::Time last_time;
};

struct EnergyDelta {
  enum Kind { kOk, kWrapped, kFirst, kMissing, kGap, kReset, kImplausible };
  Kind kind = kMissing;
  double joules = 0;  // > 0 only for kOk and kWrapped
  // Whether this poll counts as a missing sample (no usable energy).
  bool missing() const {
    return kind != kOk && kind != kWrapped && kind != kFirst;
  }
};

// Advances `state` with the reading taken at `time` and returns the energy
// since the previous usable reading. `state` must not be null.
EnergyDelta NextEnergyDelta(EnergyCounterState* state,
                            std::optional<uint64_t> reading_mj, absl::Time time,
                            const EnergyCounterPolicy& policy = {});

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_ENERGY_COUNTER_H_
