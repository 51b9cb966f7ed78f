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
        RfcText buf;
        ASSERT_TRUE(format_unix_into(s, buf)) << s;
        ASSERT_EQ(std::string(buf.data(), buf.size()), format_unix(s)) << s;
    }
    // The buffer form writes only four-digit years; format_rfc3339 writes the others itself.
    RfcText buf;
    EXPECT_TRUE(format_unix_into(-62167219200, buf));  // 0000-01-01T00:00:00Z
    EXPECT_EQ(std::string(buf.data(), buf.size()), "0000-01-01T00:00:00Z");
    EXPECT_TRUE(format_unix_into(253402300799, buf));
    EXPECT_EQ(std::string(buf.data(), buf.size()), "9999-12-31T23:59:59Z");
    for (std::int64_t s : {-62167219201LL, 253402300800LL}) {
        EXPECT_FALSE(format_unix_into(s, buf)) << s;
        TimePoint t{std::chrono::seconds(s)};
        EXPECT_EQ(format_unix(s), date::format("%FT%TZ", t)) << s;
    }
}

// The food-log range summary walks its entries day by day with these bounds instead of asking
// each entry's day (issue 9); that is the same only if consecutive days tile time, each instant
// lying within the bounds of its own local day. Checked over years of daylight-saving changes,
// in zones that change at 02:00, at midnight (Sao Paulo until 2019, Havana) and by half an hour
// (Lord Howe).
TEST(Time, LocalDaysTileTimeAndHoldTheirOwnInstants) {
    for (const char* zone : {"UTC", "America/Los_Angeles", "Europe/Berlin", "America/Sao_Paulo",
                             "America/Havana", "Australia/Lord_Howe", "Asia/Tokyo"}) {
        SCOPED_TRACE(zone);
        const LocalCalendar calendar(zone);
        Day d{2015, 1, 1};
        auto bounds = calendar.day_bounds(d);
        for (int i = 0; i < 12 * 366; ++i) {
            ASSERT_EQ(bounds, local_day_bounds(d, zone)) << format_day(d);
            const auto [start, end] = bounds;
            ASSERT_GE(end - start, 22 * 3600) << format_day(d);
            ASSERT_LE(end - start, 26 * 3600) << format_day(d);
            for (std::int64_t t : {start, start + 1800, start + 3599, start + 3600, end - 3601,
                                   end - 3600, end - 1800, end - 1})
                ASSERT_EQ(calendar.day_of(t), d) << format_day(d) << " at " << format_unix(t);
            ASSERT_EQ(local_day_of(start, zone), d);
            const Day next = next_day(d);
            const auto next_bounds = calendar.day_bounds(next);
            ASSERT_EQ(next_bounds.first, end) << format_day(d);
            d = next;
            bounds = next_bounds;
        }
    }
    EXPECT_THROW(LocalCalendar("Mars/Olympus_Mons"), std::runtime_error);
}

// utc_day_of is the UTC day by arithmetic: the same day as the time-zone database's UTC at
// instants a week and a second apart from 1969 to 2038 (so the time of day drifts through the
// whole day) and a second either side of each, and the hand-worked instants of the leaderboards'
// keys (1795391999 = 2026-11-22T23:59:59Z, one second before Monday 2026-11-23).
TEST(Time, UtcDayOfIsLocalDayOfInUtc) {
    EXPECT_EQ(utc_day_of(1795391999), (Day{2026, 11, 22}));
    EXPECT_EQ(utc_day_of(1795392000), (Day{2026, 11, 23}));
    EXPECT_EQ(utc_day_of(0), (Day{1970, 1, 1}));
    EXPECT_EQ(utc_day_of(-1), (Day{1969, 12, 31}));
    const LocalCalendar utc("UTC");
    for (std::int64_t at = -86400 * 366; at < 2145916800; at += 86400 * 7 + 1)
        for (std::int64_t t : {at - 1, at, at + 1})
            ASSERT_EQ(utc_day_of(t), utc.day_of(t)) << format_unix(t);
}
