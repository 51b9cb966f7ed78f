#include "util/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>

#include <sstream>

namespace glucoplay::util {

namespace {
// `n` (0 <= n < 10^width) as `width` decimal digits at p.
void put_digits(char* p, unsigned n, int width) {
    for (int i = width - 1; i >= 0; --i, n /= 10) p[i] = static_cast<char>('0' + n % 10);
}
}  // namespace

// Formatted by hand rather than with date::format, which builds an ostringstream per call (or
// snprintf, which parses its format every time): the leaderboards, readings and summaries
// format thousands of these per response.
std::string format_rfc3339(TimePoint t) {
    RfcText buf;
    if (!format_rfc3339_into(t, buf)) return date::format("%FT%TZ", t);
    return std::string(buf.data(), buf.size());
}

bool format_rfc3339_into(TimePoint t, RfcText& buf) {
    const auto day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) return false;
    const date::hh_mm_ss<std::chrono::seconds> hms{t - day};
    buf = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0',
           'T', '0', '0', ':', '0', '0', ':', '0', '0', 'Z'};
    put_digits(buf.data(), static_cast<unsigned>(year), 4);
    put_digits(buf.data() + 5, static_cast<unsigned>(ymd.month()), 2);
    put_digits(buf.data() + 8, static_cast<unsigned>(ymd.day()), 2);
    put_digits(buf.data() + 11, static_cast<unsigned>(hms.hours().count()), 2);
    put_digits(buf.data() + 14, static_cast<unsigned>(hms.minutes().count()), 2);
    put_digits(buf.data() + 17, static_cast<unsigned>(hms.seconds().count()), 2);
    return true;
}

TimePoint now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(Clock::now());
}

std::string now_rfc3339() {
    return format_rfc3339(now_seconds());
}

std::int64_t now_unix() {
    return now_seconds().time_since_epoch().count();
}

std::string format_unix(std::int64_t seconds) {
    return format_rfc3339(TimePoint{std::chrono::seconds(seconds)});
}

bool format_unix_into(std::int64_t seconds, RfcText& buf) {
    return format_rfc3339_into(TimePoint{std::chrono::seconds(seconds)}, buf);
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    // Shape check first: date::parse is lenient about widths, and when it cannot read the seconds
    // it converts an uninitialised long double (undefined behaviour, found by fuzzing), so every
    // position that must hold a digit is checked here.
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
        (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    std::string s(text);
    if (s.back() == 'z') s.back() = 'Z';
    if (s[10] == 't') s[10] = 'T';
    // Fractional seconds are accepted and dropped.
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t end = pos + 1;
        while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
        if (end == pos + 1) return std::nullopt;
        s.erase(pos, end - pos);
    }
    std::string zone = s.substr(19);
    date::sys_seconds tp;
    std::istringstream in(s.substr(0, 19));
    in >> date::parse("%FT%T", tp);
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
    if (zone == "Z") return tp;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':')
        return std::nullopt;
    for (int i : {1, 2, 4, 5})
        if (!std::isdigit(static_cast<unsigned char>(zone[i]))) return std::nullopt;
    int hours = std::stoi(zone.substr(1, 2));
    int minutes = std::stoi(zone.substr(4, 2));
    if (hours > 23 || minutes > 59) return std::nullopt;
    auto offset = std::chrono::hours(hours) + std::chrono::minutes(minutes);
    return zone[0] == '+' ? tp - offset : tp + offset;
}

namespace {
date::year_month_day to_ymd(const Day& d) {
    return date::year_month_day{date::year{d.year}, date::month{d.month}, date::day{d.day}};
}
Day from_ymd(const date::year_month_day& ymd) {
    return Day{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day())};
}
}  // namespace

std::optional<Day> parse_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    Day d{std::stoi(std::string(text.substr(0, 4))),
          static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2)))),
          static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))))};
    if (d.year < 1900 || d.year > 2200 || !to_ymd(d).ok()) return std::nullopt;
    return d;
}

std::string format_day(const Day& d) {
    if (d.year < 0 || d.year > 9999 || d.month > 99 || d.day > 99)
        return date::format("%F", date::sys_days{to_ymd(d)});
    char buf[10] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0'};
    put_digits(buf, static_cast<unsigned>(d.year), 4);
    put_digits(buf + 5, d.month, 2);
    put_digits(buf + 8, d.day, 2);
    return std::string(buf, sizeof buf);
}

Day next_day(const Day& d) {
    return from_ymd(date::year_month_day{date::sys_days{to_ymd(d)} + date::days{1}});
}

int days_between(const Day& from, const Day& to) {
    return static_cast<int>((date::sys_days{to_ymd(to)} - date::sys_days{to_ymd(from)}).count());
}

LocalCalendar::LocalCalendar(const std::string& time_zone) : zone_(date::locate_zone(time_zone)) {}

std::pair<std::int64_t, std::int64_t> LocalCalendar::day_bounds(const Day& d) const {
    auto start_local = date::local_days{to_ymd(d)};
    auto end_local = start_local + date::days{1};
    // A midnight skipped by a daylight-saving jump maps to the moment the day actually starts.
    auto start = zone_->to_sys(start_local, date::choose::earliest);
    auto end = zone_->to_sys(end_local, date::choose::earliest);
    return {std::chrono::duration_cast<std::chrono::seconds>(start.time_since_epoch()).count(),
            std::chrono::duration_cast<std::chrono::seconds>(end.time_since_epoch()).count()};
}

Day LocalCalendar::day_of(std::int64_t utc_seconds) const {
    auto local = zone_->to_local(date::sys_seconds{std::chrono::seconds(utc_seconds)});
    return from_ymd(date::year_month_day{date::floor<date::days>(local)});
}

std::pair<std::int64_t, std::int64_t> local_day_bounds(const Day& d, const std::string& time_zone) {
    return LocalCalendar(time_zone).day_bounds(d);
}

std::string format_local(std::int64_t utc_seconds, const std::string& time_zone,
                         const char* format) {
    const date::time_zone* zone = date::locate_zone(time_zone);
    auto local = zone->to_local(date::sys_seconds{std::chrono::seconds(utc_seconds)});
    return date::format(format, local);
}

Day local_day_of(std::int64_t utc_seconds, const std::string& time_zone) {
    return LocalCalendar(time_zone).day_of(utc_seconds);
}

Day utc_day_of(std::int64_t utc_seconds) {
    return from_ymd(date::year_month_day{
        date::floor<date::days>(date::sys_seconds{std::chrono::seconds(utc_seconds)})});
}

bool is_time_zone(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    try {
        return date::locate_zone(name) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

void load_time_zones() {
    local_day_of(0, "UTC");
}

}  // namespace glucoplay::util
