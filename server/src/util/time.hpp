#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace date {
class time_zone;
}

namespace glucoplay::util {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::seconds>;

// "2026-11-27T08:30:00Z" (UTC, whole seconds).
std::string format_rfc3339(TimePoint t);
// The same text into a buffer, without allocating (issue 9: a 20-character std::string is a heap
// allocation, five of them in every GET /api/scores/me answer). False, with `buf` unspecified,
// for a year outside 0000-9999, which format_rfc3339() writes with more digits or a sign.
using RfcText = std::array<char, 20>;
bool format_rfc3339_into(TimePoint t, RfcText& buf);
std::string now_rfc3339();
// Unix seconds now, and a Unix-seconds instant as RFC 3339 UTC (how the database stores times).
std::int64_t now_unix();
std::string format_unix(std::int64_t seconds);
bool format_unix_into(std::int64_t seconds, RfcText& buf);
TimePoint now_seconds();

// Parses RFC 3339 with "Z" or a numeric offset ("2026-11-27T00:30:00-08:00"), optional
// fractional seconds (truncated); returns UTC. nullopt when malformed or out of range.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// A calendar day, "YYYY-MM-DD".
struct Day {
    int year = 0;
    unsigned month = 0, day = 0;
    bool operator==(const Day&) const = default;
};
std::optional<Day> parse_day(std::string_view text);
std::string format_day(const Day& d);
Day next_day(const Day& d);
int days_between(const Day& from, const Day& to);  // to - from

// The UTC seconds [start, end) of a calendar day in an IANA time zone (23, 24 or 25 hours
// long across daylight-saving changes). Throws std::runtime_error for an unknown zone.
std::pair<std::int64_t, std::int64_t> local_day_bounds(const Day& d, const std::string& time_zone);
// The calendar day in `time_zone` of a UTC instant (unix seconds).
Day local_day_of(std::int64_t utc_seconds, const std::string& time_zone);
// The UTC calendar day of an instant: local_day_of(t, "UTC") by arithmetic alone, without the
// zone's lookup in the time-zone database (the leaderboards' day and week keys, on every score).
Day utc_day_of(std::int64_t utc_seconds);
// The same two, with the time zone looked up once: for loops over many days or instants (a
// year of food-log days, 90 days of readings).
class LocalCalendar {
  public:
    // Throws std::runtime_error for an unknown zone.
    explicit LocalCalendar(const std::string& time_zone);
    std::pair<std::int64_t, std::int64_t> day_bounds(const Day& d) const;
    Day day_of(std::int64_t utc_seconds) const;

  private:
    const date::time_zone* zone_;
};
// The instant as local time in the zone, with a strftime-like `format` of the date library
// (e.g. "%a %d %b %H:%M" -> "Sat 28 Nov 08:30").
std::string format_local(std::int64_t utc_seconds, const std::string& time_zone,
                         const char* format);

// True when `name` is a time zone in the system's IANA database (e.g. "America/Los_Angeles").
bool is_time_zone(const std::string& name);
// Loads the time-zone database and UTC's rules now, on the calling thread. date/tz does both
// lazily on first use; call this before starting threads so that the first use is not a request's
// or a live event's, racing the others (ThreadSanitizer sees no ordering in that library).
void load_time_zones();

}  // namespace glucoplay::util
