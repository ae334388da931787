#include "rules/deadline.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rules {
namespace {

struct Zone {
  absl::TimeZone tz;
  bool loaded = false;
};

const Zone& GetZone() {
  static const Zone* zone = [] {
    auto* z = new Zone;
    z->loaded = absl::LoadTimeZone("Europe/Brussels", &z->tz);
    if (!z->loaded) z->tz = absl::FixedTimeZone(3600);
    return z;
  }();
  return *zone;
}

bool IsWorkingDay(absl::CivilDay day, const HolidayCalendar* holidays) {
  const absl::Weekday wd = absl::GetWeekday(day);
  if (wd == absl::Weekday::saturday || wd == absl::Weekday::sunday) {
    return false;
  }
  return holidays == nullptr || !holidays->IsHoliday(day);
}

}  // namespace

const absl::TimeZone& BrusselsZone() { return GetZone().tz; }
bool BrusselsZoneLoaded() { return GetZone().loaded; }

absl::CivilDay BrusselsDay(absl::Time t) {
  return absl::ToCivilDay(t, BrusselsZone());
}

absl::Time StartOfDay(absl::CivilDay day) {
  return absl::FromCivil(day, BrusselsZone());
}

absl::Time EndOfDay(absl::CivilDay day) { return StartOfDay(day + 1); }

void HolidayCalendar::AddYear(int year,
                              const std::vector<absl::CivilDay>& days) {
  years_.insert(year);
  days_.insert(days.begin(), days.end());
}

absl::Time PeriodEndWeeks(absl::Time event, int weeks,
                          const HolidayCalendar* holidays) {
  absl::CivilDay last = BrusselsDay(event) + 7 * weeks;
  while (!IsWorkingDay(last, holidays)) ++last;
  return EndOfDay(last);
}

bool HolidaysCounted(absl::Time end, const HolidayCalendar* holidays) {
  return holidays != nullptr &&
         holidays->Covers(BrusselsDay(end - absl::Nanoseconds(1)).year());
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("date: got \"", text, "\", want YYYY-MM-DD"));
  }
  return day;
}

}  // namespace rules
