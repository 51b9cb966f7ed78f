#pragma once

// Food log rules: entries from catalog or custom foods, per-day lists and summaries in the
// user's time zone, and ranges of days.

#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "food/catalog.hpp"
#include "food/repository.hpp"
#include "notifications/notifications.hpp"
#include "util/time.hpp"

namespace glucoplay::http {
class JsonText;
}

namespace glucoplay::food {

inline const std::vector<std::string> kMeals = {"breakfast", "lunch", "dinner", "snack"};

struct CustomFood {
    std::string name;
    std::optional<int> gi;
    double carbs_per_100g = 0;
    double fiber_per_100g = 0;
};

struct NewEntry {
    std::optional<std::int64_t> food_id;
    std::optional<CustomFood> custom;
    double grams = 0;
    std::string meal;
    std::optional<std::int64_t> eaten_at;  // default: now
};

struct EntryPatch {
    std::optional<double> grams;
    std::optional<std::string> meal;
    std::optional<std::int64_t> eaten_at;
};

// The entry as the API shows it, with carbohydrate, GL and bands computed from its stored values.
boost::json::value entry_json(const LogEntry& e);
// One day's totals, per-meal breakdown (all four meals, zeros when empty) and meal GI, as a
// JSON object (then `time_zone` when given) written to `out`, or as text.
void write_day_summary(http::JsonText& out, const util::Day& day, std::span<const LogEntry> entries,
                       std::optional<std::string_view> time_zone = std::nullopt);
std::string day_summary_text(const util::Day& day, std::span<const LogEntry> entries,
                             std::optional<std::string_view> time_zone = std::nullopt);

class FoodLogService {
  public:
    FoodLogService(storage::Database& db, const FoodCatalog& catalog,
                   notifications::Notifier& notifier)
        : db_(db), catalog_(catalog), notifier_(notifier) {}

    LogEntry add(std::int64_t user_id, const NewEntry& entry);
    LogEntry update(std::int64_t user_id, std::int64_t id, const EntryPatch& patch);
    void remove(std::int64_t user_id, std::int64_t id);
    LogEntry get(std::int64_t user_id, std::int64_t id);

    struct Day {
        util::Day day;
        std::string time_zone;
        std::vector<LogEntry> entries;
    };
    // `day` defaults to today in the user's time zone.
    Day day(std::int64_t user_id, const std::optional<util::Day>& day);
    // One summary per day from..to inclusive (at most 366 days), empty days as zeros, as JSON
    // text: a year is 200 KB of it, written as it is worked out rather than built as some 15 000
    // json::values first.
    std::string range_summary(std::int64_t user_id, const util::Day& from, const util::Day& to);

    boost::json::value export_entries(storage::Connection& c, std::int64_t user_id) const;

  private:
    // A `high_daily_gl` notification, once per day, when the day of `eaten_at` (in the user's
    // time zone) has a glycemic load in the high daily band.
    void check_daily_gl(storage::Connection& c, std::int64_t user_id, std::int64_t eaten_at,
                        notifications::Outbox& out);

    storage::Database& db_;
    const FoodCatalog& catalog_;
    notifications::Notifier& notifier_;
};

// The day's glycemic load: the sum of each entry's GL (entries without a GI add none).
double total_gl(const std::vector<LogEntry>& entries);

}  // namespace glucoplay::food
