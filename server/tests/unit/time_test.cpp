#include <date/date.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "util/time.hpp"

using namespace glucoplay::util;

TEST(Time, FormatsUtcRfc3339) {
    TimePoint t{std::chrono::seconds(1795768200)};  // 2026-11-27T08:30:00Z
    EXPECT_EQ(format_rfc3339(t), "2026-11-27T08:30:00Z");
}

TEST(Time, ParsesZuluAndOffsetsToUtc) {
    EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-27T08:30:00Z")), "2026-11-27T08:30:00Z");
    EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-27T00:30:00-08:00")), "2026-11-27T08:30:00Z");
    EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-27T14:00:00+05:30")), "2026-11-27T08:30:00Z");
    EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-27T08:30:00.987Z")), "2026-11-27T08:30:00Z");
    EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-27t08:30:00z")), "2026-11-27T08:30:00Z");
}

TEST(Time, RejectsMalformed) {
    for (const char* bad :
         {"", "2026-11-27", "2026-11-27 08:30:00Z", "2026-11-27T08:30:00", "2026-13-27T08:30:00Z",
          "2026-11-27T25:30:00Z", "2026-11-27T08:30:00+0800", "2026-11-27T08:30:00+24:00",
          "2026-11-27T08:30:00.Z", "2026-11-27T08:30:00Zjunk",
          // Non-digits where date::parse reads numbers (the seconds case was undefined behaviour
          // inside date.h, found by fuzzing).
          "2026-11-27T08:30:XXZ", "2026-11-27T08:30:-1Z", "2026-11-27T08:3a:00Z",
          "+026-11-27T08:30:00Z", "2026-1 -27T08:30:00Z"}) {
        EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
    }
}

TEST(Time, UnixSecondsHelpers) {
    EXPECT_EQ(format_unix(1795768200), "2026-11-27T08:30:00Z");
    EXPECT_EQ(format_unix(0), "1970-01-01T00:00:00Z");
    EXPECT_LE(std::llabs(now_unix() - now_seconds().time_since_epoch().count()),
              1);  // a second may tick between
}

// format_rfc3339 and format_day are written by hand for speed (issue 9); they must agree with
// Howard Hinnant's date::format over leap days, day ends, pre-1970 instants and far years.
TEST(Time, HandWrittenFormattingMatchesTheDateLibrary) {
    const std::int64_t instants[] = {0,          -1,          -86400,      951782399,
                                     951782400,  951868799,   1795768200,  1795823999,
                                     4102444799, -2208988800, 253402300799};
    for (std::int64_t s : instants) {
        TimePoint t{std::chrono::seconds(s)};
        EXPECT_EQ(format_rfc3339(t), date::format("%FT%TZ", t)) << s;
        auto ymd = date::year_month_day{date::floor<date::days>(t)};
        Day d{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
              static_cast<unsigned>(ymd.day())};
        EXPECT_EQ(format_day(d), date::format("%F", date::floor<date::days>(t))) << s;
    }
    for (std::int64_t s = -400LL * 86400 * 366; s < 400LL * 86400 * 366; s += 86400 * 7 + 3599) {
        TimePoint t{std::chrono::seconds(s)};
        ASSERT_EQ(format_rfc3339(t), date::format("%FT%TZ", t)) << s;
    }
}
