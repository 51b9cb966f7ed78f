#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace glucoplay::util {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::seconds>;

// "2026-11-27T08:30:00Z" (UTC, whole seconds).
std::string format_rfc3339(TimePoint t);
std::string now_rfc3339();
TimePoint now_seconds();

// Parses RFC 3339 with "Z" or a numeric offset ("2026-11-27T00:30:00-08:00"), optional
// fractional seconds (truncated); returns UTC. nullopt when malformed or out of range.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// True when `name` is a time zone in the system's IANA database (e.g. "America/Los_Angeles").
bool is_time_zone(const std::string& name);

}  // namespace glucoplay::util
