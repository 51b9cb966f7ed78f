#include "util/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>

#include <sstream>

namespace glucoplay::util {

std::string format_rfc3339(TimePoint t) {
    return date::format("%FT%TZ", t);
}

TimePoint now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(Clock::now());
}

std::string now_rfc3339() {
    return format_rfc3339(now_seconds());
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    // Shape check first: date::parse is lenient about widths.
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
        (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        return std::nullopt;
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

bool is_time_zone(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    try {
        return date::locate_zone(name) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace glucoplay::util
