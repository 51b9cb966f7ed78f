// Glucose statistics on hand-worked data, trend arrows, the meal response, and the importers.
#include <gtest/gtest.h>

#include <random>

#include "cgm/day_pack.hpp"
#include "cgm/import.hpp"
#include "cgm/service.hpp"
#include "cgm/stats.hpp"

using namespace glucoplay::cgm;

TEST(Stats, MeanSdCvGmiOnFiveReadings) {
    std::vector<int> v = {60, 100, 140, 200, 300};
    // mean = 800 / 5 = 160
    EXPECT_DOUBLE_EQ(mean(v), 160);
    // squared deviations 10000 + 3600 + 400 + 1600 + 19600 = 35200; / (5 - 1) = 8800; sqrt
    // = 93.80831...
    EXPECT_NEAR(standard_deviation(v), 93.8083151964686, 1e-9);
    // CV = 93.80831 / 160 x 100 = 58.63019...
    EXPECT_NEAR(coefficient_of_variation(standard_deviation(v), mean(v)), 58.63019699779287, 1e-9);
    // GMI = 3.31 + 0.02392 x 160 = 7.1372
    EXPECT_NEAR(gmi_percent(160), 7.1372, 1e-12);
    EXPECT_NEAR(gmi_percent(154), 6.99368,
                1e-12);  // the consensus' worked example mean of 154 mg/dL -> ~7.0 %
    EXPECT_EQ(standard_deviation({120}), 0);
}

TEST(Stats, TimeInRangesUsesTheConsensusCutPoints) {
    auto r = time_in_ranges({60, 100, 140, 200, 300});
    EXPECT_DOUBLE_EQ(r.very_low, 0);
    EXPECT_DOUBLE_EQ(r.low, 20);
    EXPECT_DOUBLE_EQ(r.in_range, 40);
    EXPECT_DOUBLE_EQ(r.high, 20);
    EXPECT_DOUBLE_EQ(r.very_high, 20);
    // Edges: <54 | 54-69 | 70-180 | 181-250 | >250
    auto e = time_in_ranges({53, 54, 69, 70, 180, 181, 250, 251});
    EXPECT_DOUBLE_EQ(e.very_low, 12.5);
    EXPECT_DOUBLE_EQ(e.low, 25);
    EXPECT_DOUBLE_EQ(e.in_range, 25);
    EXPECT_DOUBLE_EQ(e.high, 25);
    EXPECT_DOUBLE_EQ(e.very_high, 12.5);
}

TEST(Stats, PercentilesInterpolateBetweenRanks) {
    std::vector<int> s = {10, 20, 30, 40};
    EXPECT_DOUBLE_EQ(percentile(s, 5), 11.5);   // h = 3 x 0.05 = 0.15
    EXPECT_DOUBLE_EQ(percentile(s, 25), 17.5);  // h = 0.75
    EXPECT_DOUBLE_EQ(percentile(s, 50), 25);    // h = 1.5
    EXPECT_DOUBLE_EQ(percentile(s, 95), 38.5);  // h = 2.85
    EXPECT_DOUBLE_EQ(percentile(s, 100), 40);
    EXPECT_DOUBLE_EQ(percentile({7}, 50), 7);
}

TEST(Stats, AgpGroupsByLocalTimeOfDay) {
    auto bins = agp({100, 120, 140, 200, 220}, {0, 5, 14, 15, 29});
    ASSERT_EQ(bins.size(), 2u);
    EXPECT_EQ(bins[0].minute, 0);
    EXPECT_EQ(bins[0].count, 3u);
    EXPECT_DOUBLE_EQ(bins[0].p50, 120);
    EXPECT_DOUBLE_EQ(bins[0].p25, 110);  // h = 2 x 0.25 = 0.5 between 100 and 120
    EXPECT_EQ(bins[1].minute, 15);
    EXPECT_DOUBLE_EQ(bins[1].p50, 210);
}

// agp() orders each bin by counting instead of sorting; the percentiles must be the very same
// doubles the sorting definition gives, on data with many ties, bins of one or two readings,
// every bin width, minutes outside a day and values outside 39..401 (which are sorted instead).
TEST(Stats, AgpByCountingEqualsAgpBySortingOnRandomData) {
    std::mt19937 rng(20261201);
    auto check = [](const std::vector<int>& values, const std::vector<int>& minutes, int width) {
        auto fast = agp(values, minutes, width);
        auto reference = agp_by_sorting(values, minutes, width);
        ASSERT_EQ(fast.size(), reference.size());
        for (std::size_t b = 0; b < fast.size(); ++b) {
            SCOPED_TRACE("bin " + std::to_string(b) + " of width " + std::to_string(width));
            EXPECT_EQ(fast[b].minute, reference[b].minute);
            EXPECT_EQ(fast[b].count, reference[b].count);
            EXPECT_EQ(fast[b].p5, reference[b].p5);  // exactly: the same sorted list
            EXPECT_EQ(fast[b].p25, reference[b].p25);
            EXPECT_EQ(fast[b].p50, reference[b].p50);
            EXPECT_EQ(fast[b].p75, reference[b].p75);
            EXPECT_EQ(fast[b].p95, reference[b].p95);
        }
    };
    for (int round = 0; round < 300; ++round) {
        // From a handful of readings (most bins empty or with one or two) to two weeks' worth.
        const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 4000)(rng) >>
                              std::uniform_int_distribution<int>(0, 10)(rng);
        // Few distinct values (ties everywhere), the CGM range, or far outside it.
        const int kind = round % 4;
        std::uniform_int_distribution<int> few(100, 104), cgm(39, 401), wide(-100000, 100000);
        std::uniform_int_distribution<int> minute(0, 1439), odd_minute(-3000, 3000);
        std::vector<int> values(n), minutes(n);
        for (std::size_t i = 0; i < n; ++i) {
            values[i] = kind == 0 ? few(rng) : kind == 3 ? wide(rng) : cgm(rng);
            minutes[i] = kind == 2 && i % 7 == 0 ? odd_minute(rng) : minute(rng);
        }
        for (int width : {1, 5, 15, 60, 1440}) check(values, minutes, width);
        // Extra minutes or values beyond the shorter list are ignored by both.
        minutes.push_back(30);
        check(values, minutes, 15);
    }
    check({}, {}, 15);
    check({120}, {1439}, 15);
    check({401, 39}, {0, 14}, 15);
}

// The per-day packs of cgm_reading_days (what the trends read).
TEST(DayPack, RoundTripsADayAndSortsAPackOutOfOrder) {
    using namespace glucoplay::cgm::pack;
    EXPECT_EQ(day_of(0), 0);
    EXPECT_EQ(day_of(86399), 0);
    EXPECT_EQ(day_of(86400), 1);
    EXPECT_EQ(day_of(-1), -1);  // before 1970: rounded down, not towards zero
    EXPECT_EQ(day_of(-86400), -1);
    EXPECT_EQ(day_of(-86401), -2);
    const std::int64_t day = day_of(1795132800);  // 2026-11-20
    std::vector<Reading> readings = {
        {1795132800, 39}, {1795132805, 401}, {1795133100, 120}, {1795219199, 7}};
    const std::string text = encode(day, readings);
    EXPECT_EQ(text, "00000039000054010030012086399007");
    std::vector<Reading> back = {{1, 1}};  // decode appends
    decode(day, text, back);
    ASSERT_EQ(back.size(), 5u);
    for (std::size_t i = 0; i < readings.size(); ++i) {
        EXPECT_EQ(back[i + 1].at, readings[i].at);
        EXPECT_EQ(back[i + 1].mg_dl, readings[i].mg_dl);
    }
    // The migration's SQL may concatenate a day in any order: read back in time order.
    std::vector<Reading> sorted;
    decode(day, "86399007000054010000003900300120", sorted);
    ASSERT_EQ(sorted.size(), 4u);
    EXPECT_EQ(sorted[0].at, 1795132800);
    EXPECT_EQ(sorted[3].at, 1795219199);
    // A day before 1970 works the same way.
    std::vector<Reading> early;
    decode(-1, encode(-1, std::vector<Reading>{{-86400, 100}, {-1, 101}}), early);
    EXPECT_EQ(early.back().at, -1);
    EXPECT_EQ(encode(day, {}), "");
    EXPECT_THROW(encode(day, std::vector<Reading>{{1795219200, 100}}), std::invalid_argument);
    EXPECT_THROW(encode(day, std::vector<Reading>{{1795132800, 1000}}), std::invalid_argument);
    std::vector<Reading> junk;
    EXPECT_THROW(decode(day, "0000003", junk), std::invalid_argument);
    EXPECT_THROW(decode(day, "0000x039", junk), std::invalid_argument);
    EXPECT_THROW(decode(day, "86400039", junk), std::invalid_argument);
}

TEST(Trend, ArrowThresholds) {
    EXPECT_EQ(trend_direction(0), "Flat");
    EXPECT_EQ(trend_direction(0.99), "Flat");
    EXPECT_EQ(trend_direction(-0.99), "Flat");
    EXPECT_EQ(trend_direction(1.0), "FortyFiveUp");
    EXPECT_EQ(trend_direction(-1.5), "FortyFiveDown");
    EXPECT_EQ(trend_direction(2.0), "SingleUp");
    EXPECT_EQ(trend_direction(3.0), "SingleUp");
    EXPECT_EQ(trend_direction(-2.5), "SingleDown");
    EXPECT_EQ(trend_direction(3.01), "DoubleUp");
    EXPECT_EQ(trend_direction(-3.5), "DoubleDown");
}

TEST(Trend, RateOfChangeIsTheSlopeOverTheLast15Minutes) {
    // 100, 110, 120, 130 five minutes apart: +2 mg/dL per minute.
    std::vector<Reading> r = {{0, 100}, {300, 110}, {600, 120}, {900, 130}};
    EXPECT_NEAR(*rate_of_change(r), 2.0, 1e-12);
    // A reading older than 15 minutes before the newest is ignored.
    std::vector<Reading> old = {{0, 300}, {1200, 100}, {1500, 95}};
    EXPECT_NEAR(*rate_of_change(old), -1.0, 1e-12);
    EXPECT_FALSE(rate_of_change({{0, 100}}).has_value());
    EXPECT_FALSE(rate_of_change({{0, 100}, {1000, 120}}).has_value());
}

TEST(MealResponse, BaselinePeakRiseAndIncrementalArea) {
    const std::int64_t T = 1795192200;
    auto at = [&](int minutes, int v) { return Reading{T + minutes * 60, v}; };
    std::vector<Reading> r = {at(-30, 90),  at(-5, 100), at(15, 130), at(30, 160),
                              at(45, 180),  at(60, 170), at(75, 150), at(90, 120),
                              at(105, 100), at(120, 90), at(135, 95)};
    auto m = meal_response(r, T);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->baseline_mg_dl, 100);
    EXPECT_EQ(m->peak_mg_dl, 180);
    EXPECT_EQ(m->peak_after_min, 45);
    EXPECT_EQ(m->rise_mg_dl, 80);
    // Above baseline: first segment clipped at eating time (7.5 at t=0 -> 30 at 15 min) = 281.25,
    // then 675 + 1050 + 1125 + 900 + 525 + 150, and nothing for 105-120 min (below baseline).
    EXPECT_NEAR(m->iauc_2h, 4706.25, 1e-9);
}

TEST(MealResponse, CrossingTheBaselineCountsOnlyTheTriangleAbove) {
    const std::int64_t T = 0;
    std::vector<Reading> r = {{T, 100}, {T + 600, 120}, {T + 1200, 80}};
    for (int m = 30; m <= 120; m += 10) r.push_back({T + m * 60, 80});
    auto m = meal_response(r, T);
    ASSERT_TRUE(m.has_value());
    // 0 -> 10 min: triangle/trapezoid 0..20 = 100; 10 -> 20 min crosses at 15 min: 20 x 5 / 2 = 50.
    EXPECT_NEAR(m->iauc_2h, 150, 1e-9);
}

TEST(MealResponse, NeedsCoverage) {
    const std::int64_t T = 100000;
    std::vector<Reading> no_baseline = {{T + 600, 120}, {T + 7200, 100}};
    EXPECT_FALSE(meal_response(no_baseline, T).has_value());
    std::vector<Reading> stops_early = {{T - 60, 100}, {T + 600, 120}, {T + 1200, 130}};
    EXPECT_FALSE(meal_response(stops_early, T).has_value());
    std::vector<Reading> gap = {{T - 60, 100}, {T + 600, 120}, {T + 7000, 110}};  // 106-minute gap
    EXPECT_FALSE(meal_response(gap, T).has_value());
}

namespace {
const char* kClarityHeader =
    "Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device "
    "Info,Source Device ID,"
    "Glucose Value (mg/dL),Insulin Value (u),Carb Value (grams),Duration (hh:mm:ss),Glucose Rate "
    "of Change (mg/dL/min),"
    "Transmitter Time (Long Integer),Transmitter ID";
}

TEST(ClarityImport, ReadsReadingsEventsAndSkipsWhatItMust) {
    std::string csv = std::string("\xEF\xBB\xBF") + kClarityHeader + "\r\n" +
                      "1,,FirstName,,Maya,,,,,,,,,\r\n"
                      "2,,LastName,,Rivera,,,,,,,,,\r\n"
                      "3,,Device,,,\"Dexcom G7 Mobile App\",Android G7,,,,,,,\r\n"
                      "4,,Alert,Fall,,,Android G7,,,,,,,\r\n"
                      "5,2026-11-20T08:30:00,EGV,,,,Android G7,120,,,,,123456,8YK2AB\r\n"
                      "6,\"2026-11-20T08:35:00\",\"EGV\",,,,\"Android G7\",\"Low\",,,,,,\r\n"
                      "7,2026-11-20T08:40:00,EGV,,,,Android G7,High,,,,,,\r\n"
                      "8,2026-11-20T08:45:00,Carbs,,,,Android G7,,,45,,,,\r\n"
                      "9,2026-11-20T08:46:00,Insulin,Fast-Acting,,,Android G7,,4.5,,,,,\r\n"
                      "10,2026-11-20T08:50:00,EGV,,,,Android G7,not-a-number,,,,,,\r\n"
                      "11,20/11/2026 08:55,EGV,,,,Android G7,130,,,,,,\r\n"
                      "12,2026-11-20T09:00:00,Calibration,,,,Android G7,118,,,,,,\r\n"
                      "13,2026-11-20T09:05:00,Exercise,Medium,,,Android G7,,,,00:30:00,,,\n";
    auto p = parse_clarity_csv(csv, "America/Los_Angeles");
    ASSERT_EQ(p.readings.size(), 3u);
    EXPECT_EQ(p.readings[0].at, 1795192200);  // 08:30 PST = 16:30 UTC
    EXPECT_EQ(p.readings[0].mg_dl, 120);
    EXPECT_FALSE(p.readings[0].flag.has_value());
    EXPECT_EQ(p.readings[1].mg_dl, 39);
    EXPECT_EQ(p.readings[1].flag, "low");
    EXPECT_EQ(p.readings[2].mg_dl, 401);
    EXPECT_EQ(p.readings[2].flag, "high");
    ASSERT_EQ(p.events.size(), 3u);
    EXPECT_EQ(p.events[0].type, "carbs");
    EXPECT_EQ(p.events[0].value, 45);
    EXPECT_EQ(p.events[1].type, "insulin");
    EXPECT_EQ(p.events[1].value, 4.5);
    EXPECT_EQ(p.events[1].note, "Fast-Acting");
    EXPECT_EQ(p.events[2].type, "exercise");
    EXPECT_EQ(p.events[2].value, 30);
    // Broken rows are reported with their line numbers; profile rows are not reported at all.
    ASSERT_EQ(p.skipped.size(), 3u);
    EXPECT_EQ(p.skipped[0].line, 11u);
    EXPECT_EQ(p.skipped[1].line, 12u);
    EXPECT_EQ(p.skipped[2].line, 13u);
    for (const auto& s : p.skipped) {
        EXPECT_EQ(s.reason.find("Maya"), std::string::npos);
        EXPECT_EQ(s.reason.find("Rivera"), std::string::npos);
    }
}

// Found by the clarity_csv fuzz target: an exercise duration is bounded like POST /api/events
// (a day at most, minutes and seconds under 60), so no overflow and no 99-hour workout.
TEST(ClarityImport, ExerciseDurationMustBeADayAtMost) {
    std::string csv = std::string(kClarityHeader) + "\n" +
                      "1,2026-11-20T09:05:00,Exercise,,,,G7,,,,24:00:00,,,\n"
                      "2,2026-11-20T09:06:00,Exercise,,,,G7,,,,99:99:99,,,\n"
                      "3,2026-11-20T09:07:00,Exercise,,,,G7,,,,2147483647:00:00,,,\n"
                      "4,2026-11-20T09:08:00,Exercise,,,,G7,,,,-1:30:00,,,\n"
                      "5,2026-11-20T09:09:00,Exercise,,,,G7,,,,00:45,,,\n"
                      "6,2026-11-20T09:10:00,Exercise,,,,G7,,,,,,,\n";
    auto p = parse_clarity_csv(csv, "UTC");
    ASSERT_EQ(p.events.size(), 2u);
    EXPECT_EQ(p.events[0].value, 24 * 60);
    EXPECT_FALSE(p.events[1].value.has_value());  // no duration given: imported without one
    ASSERT_EQ(p.skipped.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(p.skipped[i].line, i + 3);
        EXPECT_NE(p.skipped[i].reason.find("exercise duration"), std::string::npos);
    }
}

// Found by the http_request fuzz target: a skipped row's reason quotes the event type, and the
// answer is JSON, so bytes that are not printable ASCII are never echoed.
TEST(ClarityImport, EchoedEventTypeIsPrintableAscii) {
    std::string csv = std::string(kClarityHeader) + "\n" +
                      "1,2026-11-20T09:00:00,Carb\x8d\xd0,,,,G7,,,45,,,,\n"
                      "2,2026-11-20T09:01:00,\xc3\xa9v\x01nement,,,,G7,,,,,,,\n";
    auto p = parse_clarity_csv(csv, "UTC");
    ASSERT_EQ(p.skipped.size(), 2u);
    EXPECT_EQ(p.skipped[0].reason, "event type 'Carb?\?' is not imported");
    EXPECT_EQ(p.skipped[1].reason, "event type '??v?nement' is not imported");
}

TEST(ClarityImport, MmolVariantIsConverted) {
    std::string header = kClarityHeader;
    header.replace(header.find("Glucose Value (mg/dL)"), 21, "Glucose Value (mmol/L)");
    std::string csv =
        header +
        "\n1,2026-11-20T08:30:00,EGV,,,,G7,5.5,,,,,,\n2,2026-11-20T08:35:00,EGV,,,,G7,10.0,,,,,,\n";
    auto p = parse_clarity_csv(csv, "UTC");
    ASSERT_EQ(p.readings.size(), 2u);
    EXPECT_EQ(p.readings[0].mg_dl, 99);   // 5.5 x 18 = 99
    EXPECT_EQ(p.readings[1].mg_dl, 180);  // 10.0 x 18 = 180
    EXPECT_EQ(p.readings[0].at, 1795163400);
}

TEST(ClarityImport, AmbiguousLocalTimeTakesTheEarlierInstant) {
    std::string csv = std::string(kClarityHeader) + "\n1,2026-11-01T01:30:00,EGV,,,,G7,100,,,,,,\n";
    auto p = parse_clarity_csv(csv, "America/Los_Angeles");
    ASSERT_EQ(p.readings.size(), 1u);
    EXPECT_EQ(p.readings[0].at, 1793521800);  // 01:30 PDT, the first of the two 01:30s
}

TEST(ClarityImport, NotAClarityFileIsRefused) {
    EXPECT_THROW(parse_clarity_csv("a,b,c\n1,2,3\n", "UTC"), std::invalid_argument);
    EXPECT_THROW(parse_clarity_csv("", "UTC"), std::invalid_argument);
}

TEST(NightscoutImport, SgvEntriesOnly) {
    auto p = parse_nightscout_json(R"([
      {"type":"sgv","sgv":120,"date":1795192200000,"dateString":"2026-11-20T16:30:00.000Z","direction":"Flat","device":"xDrip"},
      {"type":"mbg","mbg":118,"date":1795192200000},
      {"type":"sgv","sgv":20,"date":1795192500000},
      {"type":"sgv","sgv":"125","date":1795192800000},
      7
    ])");
    ASSERT_EQ(p.readings.size(), 1u);
    EXPECT_EQ(p.readings[0].at, 1795192200);
    EXPECT_EQ(p.readings[0].mg_dl, 120);
    ASSERT_EQ(p.skipped.size(), 4u);
    EXPECT_EQ(p.skipped[0].line, 2u);
    EXPECT_EQ(p.skipped[3].line, 5u);
    EXPECT_THROW(parse_nightscout_json("{\"sgv\":1}"), std::invalid_argument);
    EXPECT_THROW(parse_nightscout_json("not json"), std::invalid_argument);
}

TEST(Stats, PercentBetweenIsInclusive) {
    EXPECT_DOUBLE_EQ(percent_between({70, 100, 180, 181}, 70, 180), 75);
    EXPECT_DOUBLE_EQ(percent_between({}, 70, 180), 0);
}

// Low episodes (< 54 mg/dL; an episode ends after 15 minutes at or above, Danne 2017), worked by
// hand on 5-minute readings starting at t = 0.
TEST(Stats, LowEpisodesEndAfterFifteenMinutesOfRecovery) {
    auto at = [](std::vector<int> values) {
        std::vector<Reading> out;
        for (std::size_t i = 0; i < values.size(); ++i)
            out.push_back(Reading{static_cast<std::int64_t>(i) * 300, values[i]});
        return out;
    };
    // 60 55 | 53 50 | 56 58 (10 min up) | 52 | 60 70 80 90 (15 min up: ends) | 40
    auto e = low_episodes(at({60, 55, 53, 50, 56, 58, 52, 60, 70, 80, 90, 40}));
    ASSERT_EQ(e.size(), 2u);
    // The dip back to 52 after only 10 minutes above belongs to the first episode.
    EXPECT_EQ(e[0].start, 600);
    EXPECT_EQ(e[0].end, 1800);
    EXPECT_EQ(e[0].nadir_mg_dl, 50);
    EXPECT_EQ(e[0].nadir_at, 900);
    EXPECT_EQ(e[1].start, 3300);
    EXPECT_EQ(e[1].nadir_mg_dl, 40);
    // 54 itself is not below the threshold.
    EXPECT_TRUE(low_episodes(at({54, 54, 54})).empty());
    // A single low reading is an episode (the app warns early).
    EXPECT_EQ(low_episodes(at({100, 39, 100})).size(), 1u);
    // Two low readings 31 minutes apart with nothing between: two episodes; 30 minutes: one.
    EXPECT_EQ(low_episodes({{0, 50}, {1860, 50}}).size(), 2u);
    EXPECT_EQ(low_episodes({{0, 50}, {1800, 50}}).size(), 1u);
}
// Session lengths from Dexcom's user guides; the reminder is due 24 h before the session ends.
TEST(Sensors, SessionLengthsAndGracePeriods) {
    EXPECT_EQ(sensor_session("g6").session_s, 10 * 86400);
    EXPECT_EQ(sensor_session("g6").grace_s, 0);
    EXPECT_EQ(sensor_session("g7").session_s, 10 * 86400);
    EXPECT_EQ(sensor_session("g7").grace_s, 12 * 3600);
    EXPECT_EQ(sensor_session("stelo").session_s, 15 * 86400);
    EXPECT_EQ(sensor_session("stelo").grace_s, 12 * 3600);
    EXPECT_EQ(sensor_session("stelo").name, "Dexcom Stelo");
    // G7 inserted at day 0: due at 10 d - 24 h = day 9; Stelo: day 14.
    EXPECT_EQ(sensor_session("g7").session_s - kSensorReminderLead, 9 * 86400);
    EXPECT_EQ(sensor_session("stelo").session_s - kSensorReminderLead, 14 * 86400);
}
