// The one function that computes legal deadlines, and the civil-date helpers
// the rule pack uses. Pure; thread-safe.
//
// Convention (Regulation (EEC, Euratom) No 1182/71, Art. 3 [S]):
//   * all calendar reasoning is in Brussels time (Europe/Brussels, from the
//     system tz database: /usr/share/zoneinfo, no network);
//   * the day of the event is not counted; a period in weeks ends at the end
//     of the same weekday in the last week (event on a Tuesday, two weeks →
//     the Tuesday two weeks later);
//   * if that day is a Saturday or Sunday (or a listed public holiday) the
//     period ends at the end of the next working day.
//   * a deadline is returned as the first instant *after* the period, i.e.
//     00:00 Brussels time of the following day; an act is on time iff it is
//     integrated strictly before that instant.
// Public holidays are data (they differ per institution and year): the rule
// pack lists them per year with their source (rule_pack.proto HolidayYear);
// a year without a list counts weekends only, and HolidayCalendar::Covers
// says so, so that a finding can state that holidays were not counted.
#ifndef RULES_DEADLINE_H_
#define RULES_DEADLINE_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rules {

// Europe/Brussels, loaded once. Falls back to a fixed UTC+1 zone (and logs
// nothing) only if the tz database is absent; BrusselsZoneLoaded() says which.
const absl::TimeZone& BrusselsZone();
bool BrusselsZoneLoaded();

// The public holidays of the years for which a list was supplied. Value
// type; thread-compatible.
class HolidayCalendar {
 public:
  // Adds `year`'s list (the days need not be in that year's order). A year
  // added twice keeps the union.
  void AddYear(int year, const std::vector<absl::CivilDay>& days);
  // True when a list was supplied for `year` (possibly empty).
  bool Covers(int64_t year) const { return years_.contains(year); }
  bool IsHoliday(absl::CivilDay day) const { return days_.contains(day); }

 private:
  absl::flat_hash_set<int64_t> years_;
  absl::flat_hash_set<absl::CivilDay> days_;
};

// The end (exclusive) of a period of `weeks` weeks that starts with the
// event at `event`. REQUIRES: weeks >= 0. `holidays` may be null (weekends
// only).
absl::Time PeriodEndWeeks(absl::Time event, int weeks,
                          const HolidayCalendar* holidays = nullptr);

// True when public holidays were counted for a period ending (exclusive) at
// `end`: the calendar has a list for the year of the period's last day.
bool HolidaysCounted(absl::Time end, const HolidayCalendar* holidays);

// The end (exclusive) of the Brussels civil day `day`: 00:00 of the next day.
absl::Time EndOfDay(absl::CivilDay day);
// 00:00 Brussels time on `day`.
absl::Time StartOfDay(absl::CivilDay day);
// The Brussels civil day of `t`.
absl::CivilDay BrusselsDay(absl::Time t);

// Parses "YYYY-MM-DD". kInvalidArgument with the offending text otherwise.
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text);

}  // namespace rules

#endif  // RULES_DEADLINE_H_
