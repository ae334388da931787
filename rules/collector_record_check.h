// Plausibility of stored collector records, checked by the fold before a
// value is added to any figure (issue 14: a number that cannot be true is
// skipped with a finding of its own, never folded). The server validates
// records at ingest as well; this check covers entries stored before that,
// and any that slip past it. Pure; thread-safe.
#ifndef RULES_COLLECTOR_RECORD_CHECK_H_
#define RULES_COLLECTOR_RECORD_CHECK_H_

#include <string>

#include "absl/time/time.h"
#include "schema/collector.pb.h"

namespace rules {

// Interval timestamps must lie after this instant (2000-01-01 UTC) and end
// no later than a day after the record was integrated (clock skew).
inline constexpr int64_t kEarliestRecordMs = 946684800000;
inline constexpr absl::Duration kMaxClockSkew = absl::Hours(24);

// Why `r`, integrated at `integrated`, cannot be true ("field: got X, want
// Y"), or "" when its values can be true: FLOP bounds finite, >= 0,
// lower <= upper; energy, when present, finite and >= 0; start after
// kEarliestRecordMs, start <= end, end before integrated + kMaxClockSkew.
// No per-GPU ceiling: peak rates change with hardware, and a too-high figure
// is the declared-vs-measured rules' business.
std::string ImpossibleInterval(const aifl::collector::v1::IntervalReport& r,
                               absl::Time integrated);

// Why a run's planned compute cannot be true (negative, NaN, infinite), or "".
std::string ImpossiblePlannedFlop(double planned_flop);

}  // namespace rules

#endif  // RULES_COLLECTOR_RECORD_CHECK_H_
