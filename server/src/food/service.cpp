#include "food/service.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>

#include "accounts/repository.hpp"
#include "food/glycemic.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"

namespace glucoplay::food {

using http::ApiError;
namespace json = boost::json;

namespace {

double round1(double v) {
    return std::round(v * 10) / 10;
}

// 132.5 -> "132.5", 132.0 -> "132".
std::string json_number(double v) {
    return http::to_json_text(
        json::value(v == std::floor(v) ? json::value(std::int64_t(v)) : json::value(v)));
}

// Eating times a log accepts: from 2000 until a day ahead (time zones and clock skew).
void check_eaten_at(std::int64_t t) {
    if (t < 946684800 || t > util::now_unix() + 86400)
        throw ApiError::validation("eaten_at", "eaten_at must be between 2000-01-01 and tomorrow");
}

void check_meal(const std::string& meal) {
    if (std::find(kMeals.begin(), kMeals.end(), meal) == kMeals.end())
        throw ApiError::validation("meal", "meal must be breakfast, lunch, dinner or snack");
}

void check_grams(double g) {
    if (!(g >= 1 && g <= 5000))
        throw ApiError::validation("grams", "grams must be between 1 and 5000");
}

struct Totals {
    double carbs = 0, available = 0, gl = 0;
    std::size_t entries = 0;
    std::vector<MealPart> parts;
    void add(const LogEntry& e) {
        double avail = available_carbs(e.carbs_per_100g, e.fiber_per_100g, e.grams);
        carbs += total_carbs(e.carbs_per_100g, e.grams);
        available += avail;
        if (e.gi) gl += glycemic_load(*e.gi, avail);
        parts.push_back(MealPart{e.gi ? std::optional<double>(*e.gi) : std::nullopt, avail});
        ++entries;
    }
};

}  // namespace

json::value entry_json(const LogEntry& e) {
    double avail = available_carbs(e.carbs_per_100g, e.fiber_per_100g, e.grams);
    json::object food{{"id", e.food_id ? json::value(*e.food_id) : json::value(nullptr)},
                      {"name", e.food_name},
                      {"custom", e.custom},
                      {"gi", e.gi ? json::value(*e.gi) : json::value(nullptr)},
                      {"carbs_per_100g", e.carbs_per_100g},
                      {"fiber_per_100g", e.fiber_per_100g}};
    json::object o{{"id", e.id},
                   {"food", std::move(food)},
                   {"grams", e.grams},
                   {"meal", e.meal},
                   {"eaten_at", util::format_unix(e.eaten_at)},
                   {"carbs_g", round1(total_carbs(e.carbs_per_100g, e.grams))},
                   {"available_carbs_g", round1(avail)}};
    if (e.gi) {
        double gl = glycemic_load(*e.gi, avail);
        o["gl"] = round1(gl);
        o["gi_category"] = to_string(gi_band(*e.gi));
        o["gl_category"] = to_string(gl_band(gl));
    } else {
        o["gl"] = nullptr;
        o["gi_category"] = nullptr;
        o["gl_category"] = nullptr;
    }
    return o;
}

void write_day_summary(http::JsonText& out, const util::Day& day, std::span<const LogEntry> entries,
                       std::optional<std::string_view> time_zone) {
    Totals all;
    std::array<Totals, 4> by_meal;  // in the order of kMeals
    for (const auto& e : entries) {
        all.add(e);
        auto m = std::find(kMeals.begin(), kMeals.end(), e.meal);
        if (m != kMeals.end()) by_meal[static_cast<std::size_t>(m - kMeals.begin())].add(e);
    }
    // A meal GI rounded, with its band, or nulls when no food in it has a GI.
    auto gi_fields = [&](const std::optional<double>& gi) {
        out.key("gi");
        gi ? out.number(round1(*gi)) : out.null();
        out.key("gi_category");
        gi ? out.string(to_string(gi_band(*gi))) : out.null();
    };
    out.begin_object();
    out.key("date").string(util::format_day(day));
    out.key("carbs_g").number(round1(all.carbs));
    out.key("available_carbs_g").number(round1(all.available));
    out.key("gl").number(round1(all.gl));
    out.key("gl_category").string(to_string(daily_gl_band(all.gl)));
    gi_fields(meal_gi(all.parts));
    out.key("meals").begin_array();
    for (std::size_t i = 0; i < kMeals.size(); ++i) {
        const Totals& t = by_meal[i];
        out.begin_object();
        out.key("meal").string(kMeals[i]);
        out.key("carbs_g").number(round1(t.carbs));
        out.key("available_carbs_g").number(round1(t.available));
        out.key("gl").number(round1(t.gl));
        gi_fields(meal_gi(t.parts));
        out.key("entries").integer(static_cast<std::int64_t>(t.entries));
        out.end_object();
    }
    out.end_array();
    out.key("entries").integer(static_cast<std::int64_t>(all.entries));
    if (time_zone) out.key("time_zone").string(*time_zone);
    out.end_object();
}

std::string day_summary_text(const util::Day& day, std::span<const LogEntry> entries,
                             std::optional<std::string_view> time_zone) {
    http::JsonText out;
    write_day_summary(out, day, entries, time_zone);
    return out.str();
}

LogEntry FoodLogService::add(std::int64_t user_id, const NewEntry& in) {
    LogEntry e;
    e.user_id = user_id;
    if (in.food_id.has_value() == in.custom.has_value())
        throw ApiError::validation(
            "food_id", "give either food_id (a catalog food) or custom (your own food)");
    if (in.food_id) {
        const Food* f = catalog_.find(*in.food_id);
        if (!f)
            throw ApiError::validation("food_id", "no food with id " + std::to_string(*in.food_id));
        e.food_id = f->id;
        e.food_name = f->name;
        e.gi = f->gi;
        e.carbs_per_100g = f->carbs_per_100g;
        e.fiber_per_100g = f->fiber_per_100g;
    } else {
        const CustomFood& c = *in.custom;
        if (c.fiber_per_100g > c.carbs_per_100g)
            throw ApiError::validation("custom.fiber_per_100g",
                                       "custom.fiber_per_100g cannot exceed carbs_per_100g");
        e.custom = true;
        e.food_name = c.name;
        e.gi = c.gi;
        e.carbs_per_100g = c.carbs_per_100g;
        e.fiber_per_100g = c.fiber_per_100g;
    }
    check_grams(in.grams);
    check_meal(in.meal);
    e.grams = in.grams;
    e.meal = in.meal;
    e.eaten_at = in.eaten_at.value_or(util::now_unix());
    check_eaten_at(e.eaten_at);
    const std::int64_t now = util::now_unix();
    notifications::Outbox out;
    db_.transaction([&](storage::Connection& c) {
        e.id = repo::insert(c, e, now);
        check_daily_gl(c, user_id, e.eaten_at, out);
    });
    notifier_.deliver(out);
    return e;
}

double total_gl(const std::vector<LogEntry>& entries) {
    Totals t;
    for (const auto& e : entries) t.add(e);
    return t.gl;
}

void FoodLogService::check_daily_gl(storage::Connection& c, std::int64_t user_id,
                                    std::int64_t eaten_at, notifications::Outbox& out) {
    const std::string tz = accounts::repo::time_zone(c, user_id);
    const util::Day day = util::local_day_of(eaten_at, tz);
    auto [from, to] = util::local_day_bounds(day, tz);
    const double gl = total_gl(repo::in_range(c, user_id, from, to));
    if (daily_gl_band(gl) != Band::high) return;
    const std::string date = util::format_day(day);
    const double shown = round1(gl);
    notifier_.create(
        c,
        notifications::Draft{
            user_id, "high_daily_gl",
            "Your glycemic load for " + util::format_local(from, tz, "%a %d %b") + " reached " +
                json_number(shown) +
                ", above the high daily level of 120. Swapping a high-GI food for a lower-GI one "
                "brings it down.",
            json::object{{"date", date},
                         {"gl", shown},
                         {"threshold", 120},
                         {"link", "/food-log.html?date=" + date}},
            "high_gl:" + date},
        util::now_unix(), out);
}

LogEntry FoodLogService::get(std::int64_t user_id, std::int64_t id) {
    auto e =
        db_.with_connection([&](storage::Connection& c) { return repo::find(c, user_id, id); });
    if (!e) throw ApiError::not_found("no food log entry " + std::to_string(id));
    return *e;
}

LogEntry FoodLogService::update(std::int64_t user_id, std::int64_t id, const EntryPatch& p) {
    if (p.grams) check_grams(*p.grams);
    if (p.meal) check_meal(*p.meal);
    if (p.eaten_at) check_eaten_at(*p.eaten_at);
    notifications::Outbox out;
    LogEntry updated = db_.transaction([&](storage::Connection& c) {
        auto e = repo::find(c, user_id, id);
        if (!e) throw ApiError::not_found("no food log entry " + std::to_string(id));
        if (p.grams) e->grams = *p.grams;
        if (p.meal) e->meal = *p.meal;
        if (p.eaten_at) e->eaten_at = *p.eaten_at;
        repo::update(c, *e, util::now_unix());
        check_daily_gl(c, user_id, e->eaten_at, out);
        return *e;
    });
    notifier_.deliver(out);
    return updated;
}

void FoodLogService::remove(std::int64_t user_id, std::int64_t id) {
    bool removed =
        db_.with_connection([&](storage::Connection& c) { return repo::remove(c, user_id, id); });
    if (!removed) throw ApiError::not_found("no food log entry " + std::to_string(id));
}

FoodLogService::Day FoodLogService::day(std::int64_t user_id, const std::optional<util::Day>& day) {
    return db_.with_connection([&](storage::Connection& c) {
        Day out;
        out.time_zone = accounts::repo::time_zone(c, user_id);
        out.day = day ? *day : util::local_day_of(util::now_unix(), out.time_zone);
        auto [from, to] = util::local_day_bounds(out.day, out.time_zone);
        out.entries = repo::in_range(c, user_id, from, to);
        return out;
    });
}

std::string FoodLogService::range_summary(std::int64_t user_id, const util::Day& from,
                                          const util::Day& to) {
    int span = util::days_between(from, to);
    if (span < 0) throw ApiError::validation("to", "to must not be before from");
    if (span >= 366) throw ApiError::validation("to", "a summary covers at most 366 days");
    return db_.with_connection([&](storage::Connection& c) {
        std::string tz = accounts::repo::time_zone(c, user_id);
        // Each day's bounds in the user's time zone, looked up once per day.
        const util::LocalCalendar calendar(tz);
        std::vector<std::pair<std::int64_t, std::int64_t>> bounds;
        bounds.reserve(static_cast<std::size_t>(span) + 1);
        for (util::Day d = from;; d = util::next_day(d)) {
            bounds.push_back(calendar.day_bounds(d));
            if (d == to) break;
        }
        // One query for the whole range. The days tile it (each ends where the next begins) and
        // the entries come oldest first, so each day's entries are the next ones in line.
        const auto entries = repo::in_range(c, user_id, bounds.front().first, bounds.back().second);
        http::JsonText out;
        out.begin_object();
        out.key("from").string(util::format_day(from));
        out.key("to").string(util::format_day(to));
        out.key("time_zone").string(tz);
        out.key("days").begin_array();
        std::size_t first = 0;
        util::Day d = from;
        for (const auto& [start, end] : bounds) {
            std::size_t last = first;
            while (last < entries.size() && entries[last].eaten_at < end) ++last;
            write_day_summary(out, d,
                              std::span<const LogEntry>(entries.data() + first, last - first));
            first = last;
            d = util::next_day(d);
        }
        out.end_array();
        out.end_object();
        return out.str();
    });
}

json::value FoodLogService::export_entries(storage::Connection& c, std::int64_t user_id) const {
    json::array out;
    for (const auto& e : repo::all_for_user(c, user_id)) out.push_back(entry_json(e));
    return out;
}

}  // namespace glucoplay::food
