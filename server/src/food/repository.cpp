#include "food/repository.hpp"

namespace glucoplay::food::repo {

namespace {

constexpr const char* kColumns =
    "id, user_id, food_id, food_name, custom, gi, carbs_per_100g, fiber_per_100g, grams, meal, "
    "eaten_at";

LogEntry to_entry(const storage::RowView& r) {
    LogEntry e;
    e.id = r.int64(0);
    e.user_id = r.int64(1);
    e.food_id = r.opt_int64(2);
    e.food_name = r.text(3);
    e.custom = r.int64(4) != 0;
    if (!r.is_null(5)) e.gi = static_cast<int>(r.int64(5));
    e.carbs_per_100g = r.real(6);
    e.fiber_per_100g = r.real(7);
    e.grams = r.real(8);
    e.meal = r.text(9);
    e.eaten_at = r.int64(10);
    return e;
}

// The entries a query selects (kColumns first), read as the rows stream.
std::vector<LogEntry> entries(storage::Connection& c, const std::string& sql,
                              std::initializer_list<storage::Value> params) {
    std::vector<LogEntry> out;
    c.for_each_row(sql, params, [&](const storage::RowView& r) { out.push_back(to_entry(r)); });
    return out;
}

storage::Value opt(const std::optional<std::int64_t>& v) {
    return v ? storage::Value(*v) : storage::Value(nullptr);
}

}  // namespace

std::int64_t insert(storage::Connection& c, const LogEntry& e, std::int64_t now) {
    return c.insert_row(
        "INSERT INTO food_log (user_id, food_id, food_name, custom, gi, carbs_per_100g, "
        "fiber_per_100g, grams, meal, "
        "eaten_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {e.user_id, opt(e.food_id), e.food_name, std::int64_t{e.custom ? 1 : 0},
         e.gi ? storage::Value(std::int64_t{*e.gi}) : storage::Value(nullptr), e.carbs_per_100g,
         e.fiber_per_100g, e.grams, e.meal, e.eaten_at, now, now});
}

std::optional<LogEntry> find(storage::Connection& c, std::int64_t user_id, std::int64_t id) {
    auto found = entries(
        c, std::string("SELECT ") + kColumns + " FROM food_log WHERE id = ? AND user_id = ?",
        {id, user_id});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

void update(storage::Connection& c, const LogEntry& e, std::int64_t now) {
    c.query(
        "UPDATE food_log SET grams = ?, meal = ?, eaten_at = ?, updated_at = ? WHERE id = ? AND "
        "user_id = ?",
        {e.grams, e.meal, e.eaten_at, now, e.id, e.user_id});
}

bool remove(storage::Connection& c, std::int64_t user_id, std::int64_t id) {
    return c.query("DELETE FROM food_log WHERE id = ? AND user_id = ?", {id, user_id}).affected > 0;
}

std::vector<LogEntry> in_range(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                               std::int64_t to) {
    return entries(c,
                   std::string("SELECT ") + kColumns +
                       " FROM food_log WHERE user_id = ? AND eaten_at >= ? AND eaten_at < ? "
                       "ORDER BY eaten_at, id",
                   {user_id, from, to});
}

std::vector<LogEntry> all_for_user(storage::Connection& c, std::int64_t user_id) {
    return entries(c,
                   std::string("SELECT ") + kColumns +
                       " FROM food_log WHERE user_id = ? ORDER BY eaten_at, id",
                   {user_id});
}

}  // namespace glucoplay::food::repo
