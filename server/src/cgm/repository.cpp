#include "cgm/repository.hpp"

#include <cstdio>
#include <set>

#include "cgm/day_pack.hpp"

namespace glucoplay::cgm::repo {

namespace {

storage::Value opt_text(const std::optional<std::string>& s) {
    return s ? storage::Value(*s) : storage::Value(nullptr);
}
storage::Value opt_real(const std::optional<double>& d) {
    return d ? storage::Value(*d) : storage::Value(nullptr);
}

std::vector<StoredReading> to_readings(const storage::Result& r) {
    std::vector<StoredReading> out;
    out.reserve(r.rows.size());
    for (const auto& row : r.rows)
        out.push_back({row.int64(0), static_cast<int>(row.int64(1)), row.opt_text(2)});
    return out;
}

}  // namespace

void repack_days(storage::Connection& c, std::int64_t user_id, const std::set<std::int64_t>& days) {
    std::vector<Reading> day_readings;
    for (const std::int64_t day : days) {
        day_readings.clear();
        c.for_each_row(
            "SELECT at, mg_dl FROM cgm_readings WHERE user_id = ? AND at >= ? AND at < ? ORDER BY "
            "at",
            {user_id, day * pack::kDaySeconds, (day + 1) * pack::kDaySeconds},
            [&](const storage::RowView& r) {
                day_readings.push_back(Reading{r.int64(0), static_cast<int>(r.int64(1))});
            });
        if (day_readings.empty())
            c.query("DELETE FROM cgm_reading_days WHERE user_id = ? AND day = ?", {user_id, day});
        else
            c.query(
                "INSERT INTO cgm_reading_days (user_id, day, readings) VALUES (?, ?, ?) ON "
                "CONFLICT (user_id, day) DO UPDATE SET readings = excluded.readings",
                {user_id, day, pack::encode(day, day_readings)});
    }
}

std::size_t insert_readings(storage::Connection& c, std::int64_t user_id,
                            const std::vector<ParsedReading>& readings, const std::string& source,
                            const std::function<void(std::size_t done)>& progress) {
    std::size_t inserted = 0, done = 0;
    std::set<std::int64_t> changed_days;
    for (const auto& r : readings) {
        if (progress && ++done % 1000 == 0) progress(done);
        if (c.query("INSERT INTO cgm_readings (user_id, at, mg_dl, flag, source) VALUES (?, ?, ?, "
                    "?, ?) "
                    "ON CONFLICT (user_id, at) DO NOTHING",
                    {user_id, r.at, std::int64_t{r.mg_dl}, opt_text(r.flag), source})
                .affected > 0) {
            ++inserted;
            changed_days.insert(pack::day_of(r.at));
        }
    }
    repack_days(c, user_id, changed_days);
    return inserted;
}

std::size_t delete_readings(storage::Connection& c, std::int64_t user_id,
                            const std::string& source) {
    std::set<std::int64_t> changed_days;
    c.for_each_row(
        "SELECT at FROM cgm_readings WHERE user_id = ? AND source = ?", {user_id, source},
        [&](const storage::RowView& r) { changed_days.insert(pack::day_of(r.int64(0))); });
    const auto deleted = static_cast<std::size_t>(
        c.query("DELETE FROM cgm_readings WHERE user_id = ? AND source = ?", {user_id, source})
            .affected);
    repack_days(c, user_id, changed_days);
    return deleted;
}

std::vector<StoredReading> readings(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                                    std::int64_t to, std::int64_t limit) {
    if (limit > 0)
        return to_readings(c.query(
            "SELECT at, mg_dl, flag FROM cgm_readings WHERE user_id = ? AND at >= ? AND at < ? "
            "ORDER BY at LIMIT ?",
            {user_id, from, to, limit}));
    return to_readings(
        c.query("SELECT at, mg_dl, flag FROM cgm_readings WHERE user_id = ? AND at >= ? AND at < ? "
                "ORDER BY at",
                {user_id, from, to}));
}

void for_each_reading(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                      std::int64_t to,
                      const std::function<void(std::int64_t at, int mg_dl)>& on_reading) {
    if (from >= to) return;
    std::vector<Reading> day;
    c.for_each_row(
        "SELECT day, readings FROM cgm_reading_days WHERE user_id = ? AND day >= ? AND day <= ? "
        "ORDER BY day",
        {user_id, pack::day_of(from), pack::day_of(to - 1)}, [&](const storage::RowView& row) {
            day.clear();
            pack::decode(row.int64(0), row.text(1), day);
            for (const Reading& r : day)
                if (r.at >= from && r.at < to) on_reading(r.at, r.mg_dl);
        });
}

std::vector<StoredReading> newest_readings(storage::Connection& c, std::int64_t user_id,
                                           std::int64_t count) {
    return to_readings(c.query(
        "SELECT at, mg_dl, flag FROM cgm_readings WHERE user_id = ? ORDER BY at DESC LIMIT ?",
        {user_id, count}));
}

std::size_t insert_imported_events(storage::Connection& c, std::int64_t user_id,
                                   const std::vector<ParsedEvent>& events, std::int64_t now) {
    std::size_t inserted = 0;
    for (const auto& e : events) {
        char value[32] = "";
        if (e.value) std::snprintf(value, sizeof value, "%.3f", *e.value);
        std::string key = e.type + "|" + std::to_string(e.at) + "|" + value;
        inserted += static_cast<std::size_t>(
            c.query("INSERT INTO events (user_id, type, at, value, note, import_key, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, import_key) DO NOTHING",
                    {user_id, e.type, e.at, opt_real(e.value), opt_text(e.note), key, now})
                .affected);
    }
    return inserted;
}

std::int64_t insert_event(storage::Connection& c, std::int64_t user_id, const Event& e,
                          std::int64_t now) {
    return c.insert_row(
        "INSERT INTO events (user_id, type, at, value, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {user_id, e.type, e.at, opt_real(e.value), opt_text(e.note), now});
}

std::vector<Event> events(storage::Connection& c, std::int64_t user_id, std::int64_t from,
                          std::int64_t to) {
    std::vector<Event> out;
    for (const auto& r : c.query("SELECT id, type, at, value, note FROM events WHERE user_id = ? "
                                 "AND at >= ? AND at < ? "
                                 "ORDER BY at, id",
                                 {user_id, from, to})
                             .rows)
        out.push_back({r.int64(0), r.text(1), r.int64(2), r.opt_real(3), r.opt_text(4)});
    return out;
}

bool delete_event(storage::Connection& c, std::int64_t user_id, std::int64_t id) {
    return c.query("DELETE FROM events WHERE id = ? AND user_id = ?", {id, user_id}).affected > 0;
}

}  // namespace glucoplay::cgm::repo
