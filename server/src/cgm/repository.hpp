#pragma once

// SQL for readings and events, always scoped by user_id.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cgm/import.hpp"
#include "cgm/stats.hpp"
#include "storage/database.hpp"

namespace glucoplay::cgm::repo {

struct StoredReading {
    std::int64_t at = 0;
    int mg_dl = 0;
    std::optional<std::string> flag;
};

struct Event {
    std::int64_t id = 0;
    std::string type;
    std::int64_t at = 0;
    std::optional<double> value;
    std::optional<std::string> note;
};

// Changes to a user's readings go through these two, which rewrite the packs of the days they
// touch (cgm_reading_days, cgm/day_pack.hpp) in the same transaction: run them in one.
// Inserts readings, ignoring ones whose (user, at) already exists. Returns how many were new.
std::size_t insert_readings(storage::Connection& c, std::int64_t user_id,
                            const std::vector<ParsedReading>& readings, const std::string& source,
                            const std::function<void(std::size_t done)>& progress = nullptr);
// Deletes the user's readings from `source`; returns how many.
std::size_t delete_readings(storage::Connection& c, std::int64_t user_id,
                            const std::string& source);
// Rewrites the packs of these UTC days from the user's readings (none left: no pack).
void repack_days(storage::Connection& c, std::int64_t user_id, const std::set<std::int64_t>& days);
// Readings with at in [from, to), ascending; at most `limit` (0 = no limit) after `after_at`.
std::vector<StoredReading> readings(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                                    std::int64_t to, std::int64_t limit = 0);
// Calls on_reading(at, mg_dl) for each reading with at in [from, to), ascending, from the day
// packs (the 90-day trends: 90 rows rather than some 26 000).
void for_each_reading(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                      std::int64_t to,
                      const std::function<void(std::int64_t at, int mg_dl)>& on_reading);
std::vector<StoredReading> newest_readings(storage::Connection& c, std::int64_t user_id,
                                           std::int64_t count);

// Inserts imported events keyed by type, time and value; returns how many were new.
std::size_t insert_imported_events(storage::Connection& c, std::int64_t user_id,
                                   const std::vector<ParsedEvent>& events, std::int64_t now);
std::int64_t insert_event(storage::Connection& c, std::int64_t user_id, const Event& e,
                          std::int64_t now);
std::vector<Event> events(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                          std::int64_t to);
bool delete_event(storage::Connection& c, std::int64_t user_id, std::int64_t id);

}  // namespace glucoplay::cgm::repo
