#include "rules/collector_record_check.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace rules {
namespace {

std::string Want(absl::string_view field, double got, absl::string_view want) {
  return absl::StrCat(field, ": got ", got, ", want ", want);
}

bool NonNegativeFinite(double v) { return std::isfinite(v) && v >= 0; }

}  // namespace

std::string ImpossibleInterval(const aifl::collector::v1::IntervalReport& r,
                               absl::Time integrated) {
  const double lo = r.flop().lower();
  const double hi = r.flop().upper();
  if (!NonNegativeFinite(lo)) return Want("flop.lower", lo, "finite, >= 0");
  if (!NonNegativeFinite(hi)) return Want("flop.upper", hi, "finite, >= 0");
  if (lo > hi) return Want("flop.lower", lo, absl::StrCat("<= upper ", hi));
  const int64_t start = r.start_unix_ms();
  const int64_t end = r.end_unix_ms();
  if (start < kEarliestRecordMs) {
    return absl::StrCat("start_unix_ms: got ", start,
                        ", want >= ", kEarliestRecordMs, " (2000-01-01)");
  }
  if (end < start) {
    return absl::StrCat("end_unix_ms: got ", end, ", want >= start ", start);
  }
  const int64_t latest = absl::ToUnixMillis(integrated + kMaxClockSkew);
  if (end > latest) {
    return absl::StrCat("end_unix_ms: got ", end,
                        ", want <= integration time + 1 day (", latest, ")");
  }
  if (r.has_energy_joules()) {
    const double e = r.energy_joules();
    if (!NonNegativeFinite(e)) return Want("energy_joules", e, "finite, >= 0");
  }
  return "";
}

std::string ImpossiblePlannedFlop(double planned_flop) {
  if (NonNegativeFinite(planned_flop)) return "";
  return Want("planned_compute_flop", planned_flop, "finite, >= 0");
}

}  // namespace rules
