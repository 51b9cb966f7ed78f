#pragma once

// SQL for the food log. Every query is scoped by user_id: another user's entry is simply not found.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace glucoplay::food {

struct LogEntry {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::optional<std::int64_t> food_id;
    std::string food_name;
    bool custom = false;
    std::optional<int> gi;
    double carbs_per_100g = 0;
    double fiber_per_100g = 0;
    double grams = 0;
    std::string meal;
    std::int64_t eaten_at = 0;  // unix seconds, UTC
};

namespace repo {

std::int64_t insert(storage::Connection& c, const LogEntry& e, std::int64_t now);
std::optional<LogEntry> find(storage::Connection& c, std::int64_t user_id, std::int64_t id);
void update(storage::Connection& c, const LogEntry& e, std::int64_t now);
bool remove(storage::Connection& c, std::int64_t user_id, std::int64_t id);
// Entries with eaten_at in [from, to), oldest first.
std::vector<LogEntry> in_range(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                               std::int64_t to);
std::vector<LogEntry> all_for_user(storage::Connection& c, std::int64_t user_id);

}  // namespace repo
}  // namespace glucoplay::food
