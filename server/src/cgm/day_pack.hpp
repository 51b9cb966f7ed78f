#pragma once

// One user's glucose readings of one UTC day packed into one text value: the rows of
// cgm_reading_days, which the trends read (90 rows for 90 days instead of some 26 000). The
// readings in cgm_readings stay the record; a day's pack is rewritten from them in the same
// transaction as every change to that day (cgm/repository.cpp). Pure functions.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cgm/stats.hpp"

namespace glucoplay::cgm::pack {

inline constexpr std::int64_t kDaySeconds = 86400;
// Characters per reading: seconds into the day (5 digits) and mg/dL (3 digits).
inline constexpr std::size_t kWidth = 8;

// The UTC day of an instant: whole days since 1970-01-01, rounded down (also before 1970).
std::int64_t day_of(std::int64_t at);

// "SSSSSMMM" per reading, in the given order. Every reading must lie in `day`, with mg/dL
// 0..999; throws std::invalid_argument otherwise.
std::string encode(std::int64_t day, std::span<const Reading> readings);

// Appends the readings of a pack to `out`, in time order (a pack written by the migration's
// SQL may list them in any order). Throws std::invalid_argument when `text` is not a pack.
void decode(std::int64_t day, std::string_view text, std::vector<Reading>& out);

}  // namespace glucoplay::cgm::pack
