#include "rules/deadline.h"

#include "gtest/gtest.h"

namespace rules {
namespace {

absl::Time Brussels(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), BrusselsZone());
}

TEST(DeadlineTest, LoadsBrusselsFromTheSystemDatabase) {
  EXPECT_TRUE(BrusselsZoneLoaded());
  // Summer time: UTC+2.
  EXPECT_EQ(Brussels(2025, 8, 5, 12), absl::FromUnixSeconds(1754388000));
}

struct PeriodCase {
  const char* name;
  absl::Time event;
  absl::Time want_end;
};

TEST(DeadlineTest, TwoWeeksEndOnTheSameWeekdayOrNextWorkingDay) {
  const PeriodCase cases[] = {
      // Tuesday → end of the Tuesday two weeks later.
      {"tuesday", Brussels(2025, 9, 2, 15), Brussels(2025, 9, 17)},
      // Event late in the evening still counts from its Brussels day.
      {"late evening", Brussels(2025, 9, 2, 23, 59), Brussels(2025, 9, 17)},
      // Saturday 2 Aug 2025 → Saturday 16 Aug → Monday 18 Aug.
      {"saturday", Brussels(2025, 8, 2, 10), Brussels(2025, 8, 19)},
      // Sunday → Monday.
      {"sunday", Brussels(2025, 8, 3, 10), Brussels(2025, 8, 19)},
      // Across the end of summer time (26 Oct 2025).
      {"dst change", Brussels(2025, 10, 20, 9), Brussels(2025, 11, 4)},
  };
  for (const PeriodCase& c : cases) {
    EXPECT_EQ(PeriodEndWeeks(c.event, 2), c.want_end) << c.name;
  }
}

TEST(DeadlineTest, LastDayIsOnTimeAndTheDayAfterIsLate) {
  const absl::Time end = PeriodEndWeeks(Brussels(2025, 9, 2, 15), 2);
  EXPECT_LT(Brussels(2025, 9, 16, 23, 59), end);  // last day: on time
  EXPECT_GE(Brussels(2025, 9, 17, 0, 0), end);    // day after: late
}

TEST(DeadlineTest, SkipsListedHolidays) {
  HolidayCalendar holidays;
  holidays.AddYear(2025, {absl::CivilDay(2025, 9, 16)});
  EXPECT_EQ(PeriodEndWeeks(Brussels(2025, 9, 2, 15), 2, &holidays),
            Brussels(2025, 9, 18));
  EXPECT_TRUE(HolidaysCounted(Brussels(2025, 9, 18), &holidays));
}

TEST(DeadlineTest, HolidayThenWeekendMovesToTheNextWorkingDay) {
  // Friday 19 Sep 2025 listed: Fri → Sat → Sun → Monday 22 Sep.
  HolidayCalendar holidays;
  holidays.AddYear(2025, {absl::CivilDay(2025, 9, 19)});
  EXPECT_EQ(PeriodEndWeeks(Brussels(2025, 9, 5, 10), 2, &holidays),
            Brussels(2025, 9, 23));
}

TEST(DeadlineTest, YearWithoutAListCountsWeekendsOnlyAndSaysSo) {
  HolidayCalendar holidays;
  holidays.AddYear(2023, {absl::CivilDay(2023, 5, 9)});
  // 9 May 2026 would be a holiday if 2026 had the 2023 list; it has none.
  const absl::Time end = PeriodEndWeeks(Brussels(2026, 4, 24, 10), 2,
                                        &holidays);  // Friday → Friday 8 May
  EXPECT_EQ(end, Brussels(2026, 5, 9));
  EXPECT_FALSE(HolidaysCounted(end, &holidays));
  EXPECT_FALSE(HolidaysCounted(end, nullptr));
  // A period ending on the listed day in the covered year moves past it.
  const absl::Time end23 = PeriodEndWeeks(Brussels(2023, 4, 25, 10), 2,
                                          &holidays);  // Tue 9 May → Wed 10
  EXPECT_EQ(end23, Brussels(2023, 5, 11));
  EXPECT_TRUE(HolidaysCounted(end23, &holidays));
}

TEST(DeadlineTest, ParsesDaysAndRejectsGarbage) {
  auto day = ParseDay("2027-08-02");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(*day, absl::CivilDay(2027, 8, 2));
  EXPECT_EQ(ParseDay("2 Aug 2027").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rules
