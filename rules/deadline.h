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
// Public holidays are not built in (they differ per institution and year);
// callers may pass them.
#ifndef RULES_DEADLINE_H_
#define RULES_DEADLINE_H_

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

// The end (exclusive) of a period of `weeks` weeks that starts with the
// event at `event`. REQUIRES: weeks >= 0. `holidays` may be null.
absl::Time PeriodEndWeeks(
    absl::Time event, int weeks,
    const absl::flat_hash_set<absl::CivilDay>* holidays = nullptr);

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
