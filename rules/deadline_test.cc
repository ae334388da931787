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
  absl::flat_hash_set<absl::CivilDay> holidays = {absl::CivilDay(2025, 9, 16)};
  EXPECT_EQ(PeriodEndWeeks(Brussels(2025, 9, 2, 15), 2, &holidays),
            Brussels(2025, 9, 18));
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
