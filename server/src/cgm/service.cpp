#include "cgm/service.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

#include "accounts/repository.hpp"
#include "cgm/stats.hpp"
#include "http/errors.hpp"

namespace glucoplay::cgm {

using http::ApiError;
namespace json = boost::json;

namespace {

double round1(double v) {
    return std::round(v * 10) / 10;
}

}  // namespace

double to_mmol(int mg_dl) {
    return round1(mg_dl / 18.0);
}

json::value reading_json(const repo::StoredReading& r) {
    json::object o{
        {"at", util::format_unix(r.at)}, {"mg_dl", r.mg_dl}, {"mmol_l", to_mmol(r.mg_dl)}};
    o["flag"] = r.flag ? json::value(*r.flag) : json::value(nullptr);
    return o;
}

json::value event_json(const repo::Event& e) {
    return json::object{{"id", e.id},
                        {"type", e.type},
                        {"at", util::format_unix(e.at)},
                        {"value", e.value ? json::value(*e.value) : json::value(nullptr)},
                        {"note", e.note ? json::value(*e.note) : json::value(nullptr)}};
}

SensorSession sensor_session(const std::string& cgm_model) {
    constexpr std::int64_t kDay = 86400, kHour = 3600;
    if (cgm_model == "g6") return {"Dexcom G6", 10 * kDay, 0};
    if (cgm_model == "stelo") return {"Dexcom Stelo", 15 * kDay, 12 * kHour};
    return {"Dexcom G7", 10 * kDay, 12 * kHour};
}

CgmService::Inserted CgmService::add_readings(std::int64_t user_id,
                                              const std::vector<ParsedReading>& readings,
                                              const std::string& source) {
    notifications::Outbox out;
    std::size_t inserted = db_.transaction([&](storage::Connection& c) {
        std::size_t n = repo::insert_readings(c, user_id, readings, source);
        // Demo readings are made up by the app: they warn nobody.
        if (source != "demo" && n > 0) low_glucose(c, user_id, readings, out);
        return n;
    });
    notifier_.deliver(out);
    return {inserted, readings.size() - inserted};
}

void CgmService::low_glucose(storage::Connection& c, std::int64_t user_id,
                             const std::vector<ParsedReading>& batch, notifications::Outbox& out) {
    std::int64_t first_low = std::numeric_limits<std::int64_t>::max(), last_low = 0;
    std::set<std::int64_t> low_times;
    for (const auto& r : batch)
        if (r.mg_dl < kVeryLowMgDl) {
            first_low = std::min(first_low, r.at);
            last_low = std::max(last_low, r.at);
            low_times.insert(r.at);
        }
    if (low_times.empty()) return;  // the common case: nothing to look at
    // Episodes are found from the stored readings around the batch, so a batch that continues an
    // episode begun in an earlier batch finds its start (and its dedupe key) again. An episode
    // longer than the 24-hour look-back would be split; no real low lasts that long.
    std::vector<Reading> around;
    for (const auto& r : repo::readings(c, user_id, first_low - 86400, last_low + 3600))
        around.push_back(Reading{r.at, r.mg_dl});
    auto user = accounts::repo::find_by_id(c, user_id);
    if (!user) return;
    const auto& settings = user->user.settings;
    const std::int64_t now = util::now_unix();
    for (const auto& e : low_episodes(around)) {
        auto in_batch = low_times.lower_bound(e.start);
        if (in_batch == low_times.end() || *in_batch > e.end) continue;
        std::string value = settings.glucose_unit == "mmol/L"
                                ? fmt::format("{:.1f} mmol/L", to_mmol(e.nadir_mg_dl))
                                : fmt::format("{} mg/dL", e.nadir_mg_dl);
        std::string threshold = settings.glucose_unit == "mmol/L" ? "3.0 mmol/L" : "54 mg/dL";
        std::string when = util::format_local(e.start, settings.time_zone, "%H:%M on %a %d %b");
        notifier_.create(
            c,
            notifications::Draft{
                user_id, "low_glucose",
                "Very low glucose from " + when + ": lowest " + value + " (below " + threshold +
                    "). If this is happening now, treat it as your care plan says and check again.",
                json::object{
                    {"episode_start", util::format_unix(e.start)},
                    {"episode_end", util::format_unix(e.end)},
                    {"lowest_mg_dl", e.nadir_mg_dl},
                    {"lowest_at", util::format_unix(e.nadir_at)},
                    {"date", util::format_day(util::local_day_of(e.start, settings.time_zone))},
                    {"link", "/trends.html"}},
                "low:" + std::to_string(e.start)},
            now, out);
    }
}

void CgmService::due_sensors(storage::Connection& c, std::int64_t now,
                             std::optional<std::int64_t> user_id, notifications::Outbox& out) {
    // The longest session with its grace period bounds the look-back; the shortest session less
    // the lead bounds the newest sensor that can be due.
    const std::int64_t oldest = now - (15 * 86400 + 12 * 3600);
    const std::int64_t newest = now - (10 * 86400 - kSensorReminderLead);
    std::string sql =
        "SELECT e.id, e.user_id, e.at FROM events e WHERE e.type = 'sensor_insert' AND e.at > ? "
        "AND e.at <= ?";
    std::vector<storage::Value> params{oldest, newest};
    if (user_id) {
        sql += " AND e.user_id = ?";
        params.emplace_back(*user_id);
    }
    // Only a user's latest sensor: an older one has been replaced. Nor one already reminded of.
    sql +=
        " AND NOT EXISTS (SELECT 1 FROM events n WHERE n.user_id = e.user_id AND n.type = "
        "'sensor_insert' AND n.at > e.at) AND NOT EXISTS (SELECT 1 FROM notifications x WHERE "
        "x.user_id = e.user_id AND x.dedupe_key = 'sensor_due:' || e.id)";
    for (const auto& row : c.query(sql, params).rows) {
        const std::int64_t event_id = row.int64(0), owner = row.int64(1), at = row.int64(2);
        auto user = accounts::repo::find_by_id(c, owner);
        if (!user) continue;
        const auto& settings = user->user.settings;
        SensorSession s = sensor_session(settings.cgm_model);
        const std::int64_t ends = at + s.session_s, due = ends - kSensorReminderLead;
        if (now < due || now >= ends + s.grace_s) continue;
        const std::string tz = settings.time_zone;
        std::string message =
            "Your " + s.name + " sensor (inserted " + util::format_local(at, tz, "%a %d %b %H:%M") +
            ") reaches the end of its " + std::to_string(s.session_s / 86400) + "-day session at " +
            util::format_local(ends, tz, "%a %d %b %H:%M") + ".";
        message += s.grace_s > 0 ? " A " + std::to_string(s.grace_s / 3600) +
                                       "-hour grace period follows: have a new sensor ready."
                                 : " Have a new sensor ready.";
        notifier_.create(c,
                         notifications::Draft{
                             owner, "sensor_change_due", message,
                             json::object{{"event_id", event_id},
                                          {"model", settings.cgm_model},
                                          {"inserted_at", util::format_unix(at)},
                                          {"session_ends_at", util::format_unix(ends)},
                                          {"grace_ends_at", util::format_unix(ends + s.grace_s)},
                                          {"link", "/pin-dexcom.html"}},
                             "sensor_due:" + std::to_string(event_id)},
                         now, out);
    }
}

std::size_t CgmService::notify_due_sensors(std::int64_t now) {
    notifications::Outbox out;
    db_.transaction([&](storage::Connection& c) { due_sensors(c, now, std::nullopt, out); });
    notifier_.deliver(out);
    return out.items().size();
}

json::value CgmService::import(std::int64_t user_id, std::string_view text, Format format,
                               const std::function<void(std::size_t, std::size_t)>& progress) {
    notifications::Outbox out;
    json::value result = db_.transaction([&](storage::Connection& c) {
        ParsedImport parsed;
        try {
            parsed = format == Format::clarity_csv
                         ? parse_clarity_csv(text, accounts::repo::time_zone(c, user_id))
                         : parse_nightscout_json(text);
        } catch (const std::invalid_argument& e) {
            throw ApiError::unprocessable(e.what());
        }
        std::size_t inserted = repo::insert_readings(
            c, user_id, parsed.readings, format == Format::clarity_csv ? "clarity" : "nightscout",
            progress ? std::function<void(std::size_t)>(
                           [&](std::size_t done) { progress(done, parsed.readings.size()); })
                     : nullptr);
        if (progress) progress(parsed.readings.size(), parsed.readings.size());
        if (inserted > 0) low_glucose(c, user_id, parsed.readings, out);
        std::size_t events =
            repo::insert_imported_events(c, user_id, parsed.events, util::now_unix());
        json::array skipped;
        for (const auto& s : parsed.skipped)
            skipped.push_back(json::object{{"line", s.line}, {"reason", s.reason}});
        return json::value(json::object{{"inserted", inserted},
                                        {"duplicates", parsed.readings.size() - inserted},
                                        {"events", events},
                                        {"skipped", std::move(skipped)}});
    });
    notifier_.deliver(out);
    return result;
}

std::pair<std::int64_t, std::int64_t> CgmService::resolve_range(std::int64_t user_id,
                                                                const TimeArg& from,
                                                                const TimeArg& to,
                                                                std::int64_t default_span_s) {
    std::string tz;
    if (from.day || to.day)
        tz = db_.with_connection(
            [&](storage::Connection& c) { return accounts::repo::time_zone(c, user_id); });
    std::int64_t end = to.instant ? *to.instant
                       : to.day   ? util::local_day_bounds(*to.day, tz).second
                                  : util::now_unix();
    std::int64_t start = from.instant ? *from.instant
                         : from.day   ? util::local_day_bounds(*from.day, tz).first
                                      : end - default_span_s;
    if (start >= end) throw ApiError::validation("from", "from must be before to");
    if (end - start > 366LL * 86400)
        throw ApiError::validation("from", "a range covers at most 366 days");
    return {start, end};
}

std::size_t CgmService::delete_readings(std::int64_t user_id, const std::string& source) {
    return db_.transaction(
        [&](storage::Connection& c) { return repo::delete_readings(c, user_id, source); });
}

std::vector<repo::StoredReading> CgmService::readings(std::int64_t user_id, std::int64_t from,
                                                      std::int64_t to, std::int64_t limit) {
    return db_.with_connection(
        [&](storage::Connection& c) { return repo::readings(c, user_id, from, to, limit); });
}

std::vector<Reading> CgmService::readings_around(std::int64_t user_id, std::int64_t from,
                                                 std::int64_t to) {
    std::vector<Reading> out;
    for (const auto& r : readings(user_id, from, to, 0)) out.push_back({r.at, r.mg_dl});
    return out;
}

json::value CgmService::trends(std::int64_t user_id, std::int64_t from, std::int64_t to) {
    // The readings stream from the database straight into what the statistics need: each value,
    // its local minute of day (for the AGP) and its time (for the trend arrow).
    std::vector<int> values;
    std::vector<int> minutes;
    std::vector<std::int64_t> times;
    const auto room =
        static_cast<std::size_t>(std::clamp<std::int64_t>((to - from) / 300 + 1, 0, 366 * 288));
    values.reserve(room);
    minutes.reserve(room);
    times.reserve(room);
    auto [tz, target] = db_.with_connection([&](storage::Connection& c) {
        auto t = c.query("SELECT target_low_mg_dl, target_high_mg_dl FROM users WHERE id = ?",
                         {user_id});
        std::pair<std::int64_t, std::int64_t> range{70, 180};
        if (!t.rows.empty()) range = {t.rows[0].int64(0), t.rows[0].int64(1)};
        std::string zone = accounts::repo::time_zone(c, user_id);
        // The readings come in time order, so the local day (and its start) is looked up in the
        // time zone database once per day, not once per reading (25 920 of them in 90 days).
        const util::LocalCalendar calendar(zone);
        std::pair<std::int64_t, std::int64_t> day{0, 0};
        repo::for_each_reading(c, user_id, from, to, [&](std::int64_t at, int mg_dl) {
            if (at < day.first || at >= day.second) day = calendar.day_bounds(calendar.day_of(at));
            values.push_back(mg_dl);
            minutes.push_back(
                static_cast<int>(std::min<std::int64_t>((at - day.first) / 60, 1439)));
            times.push_back(at);
        });
        return std::pair{std::move(zone), range};
    });
    const double expected = static_cast<double>(to - from) / 300.0;  // one reading per 5 minutes
    const double coverage = expected > 0 ? std::min(100.0, values.size() / expected * 100.0) : 0;
    const double days = static_cast<double>(to - from) / 86400.0;
    const double m = mean(values), sd = standard_deviation(values);
    auto ranges = time_in_ranges(values);

    json::array reasons;
    if (days < 14) reasons.push_back("fewer than 14 days in the period");
    if (coverage < 70)
        reasons.push_back("less than 70% of the expected 5-minute readings are present");

    json::array agp_bins;
    for (const auto& b : agp(values, minutes)) {
        std::string label = fmt::format("{:02}:{:02}", b.minute / 60, b.minute % 60);
        agp_bins.push_back(json::object{{"minute", b.minute},
                                        {"time", label},
                                        {"count", b.count},
                                        {"p5", round1(b.p5)},
                                        {"p25", round1(b.p25)},
                                        {"p50", round1(b.p50)},
                                        {"p75", round1(b.p75)},
                                        {"p95", round1(b.p95)}});
    }
    json::value latest = nullptr;
    if (!times.empty()) {
        // The readings of the last 15 minutes, oldest first.
        std::vector<Reading> recent;
        std::size_t first = times.size() - 1;
        while (first > 0 && times.back() - times[first - 1] <= 15 * 60) --first;
        for (std::size_t i = first; i < times.size(); ++i) recent.push_back({times[i], values[i]});
        const Reading& newest = recent.back();
        auto rate = rate_of_change(recent);
        json::object l{{"at", util::format_unix(newest.at)},
                       {"mg_dl", newest.mg_dl},
                       {"mmol_l", to_mmol(newest.mg_dl)}};
        l["trend"] = rate ? trend_direction(*rate) : "NONE";
        l["rate_mg_dl_per_min"] = rate ? json::value(round1(*rate)) : json::value(nullptr);
        latest = std::move(l);
    }
    const bool any = !values.empty();
    return json::object{
        {"from", util::format_unix(from)},
        {"to", util::format_unix(to)},
        {"time_zone", tz},
        {"days", round1(days)},
        {"readings", values.size()},
        {"coverage_pct", round1(coverage)},
        {"mean_mg_dl", any ? json::value(round1(m)) : json::value(nullptr)},
        {"sd_mg_dl", any ? json::value(round1(sd)) : json::value(nullptr)},
        {"cv_pct",
         any ? json::value(round1(coefficient_of_variation(sd, m))) : json::value(nullptr)},
        {"gmi_pct", any ? json::value(round1(gmi_percent(m))) : json::value(nullptr)},
        // Combined bands (rounded once, so they agree with the consensus' "below 70" / "above
        // 180"), and time within the user's own target range from their profile.
        {"below_70_pct", round1(ranges.very_low + ranges.low)},
        {"above_180_pct", round1(ranges.high + ranges.very_high)},
        {"in_target_pct",
         any ? json::value(round1(percent_between(values, target.first, target.second)))
             : json::value(nullptr)},
        {"target", json::object{{"low_mg_dl", target.first}, {"high_mg_dl", target.second}}},
        {"ranges", json::object{{"very_low", round1(ranges.very_low)},
                                {"low", round1(ranges.low)},
                                {"in_range", round1(ranges.in_range)},
                                {"high", round1(ranges.high)},
                                {"very_high", round1(ranges.very_high)}}},
        // Consensus targets (Battelino 2019) for display beside the figures.
        {"targets", json::object{{"in_range_pct_min", 70},
                                 {"low_pct_max", 4},
                                 {"very_low_pct_max", 1},
                                 {"high_pct_max", 25},
                                 {"very_high_pct_max", 5},
                                 {"cv_pct_max", 36}}},
        {"sufficient", reasons.empty()},
        {"insufficient_reasons", std::move(reasons)},
        {"agp", std::move(agp_bins)},
        {"latest", std::move(latest)}};
}

json::value CgmService::nightscout_entries(std::int64_t user_id, std::int64_t count) {
    // Fetch 3 more than asked so the oldest returned entry still has neighbours for its arrow.
    auto rows = db_.with_connection(
        [&](storage::Connection& c) { return repo::newest_readings(c, user_id, count + 3); });
    std::vector<Reading> asc;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) asc.push_back({it->at, it->mg_dl});
    json::array out;
    for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < count; ++i) {
        const auto& r = rows[i];
        // Readings up to and including this one (asc is oldest first).
        std::vector<Reading> upto(asc.begin(),
                                  asc.begin() + static_cast<std::ptrdiff_t>(asc.size() - i));
        auto rate = rate_of_change(upto);
        out.push_back(json::object{{"type", "sgv"},
                                   {"sgv", r.mg_dl},
                                   {"date", r.at * 1000},
                                   {"dateString", util::format_unix(r.at)},
                                   {"direction", rate ? trend_direction(*rate) : "NONE"},
                                   {"device", "glucoplay"}});
    }
    return out;
}

repo::Event CgmService::add_event(std::int64_t user_id, repo::Event e) {
    notifications::Outbox out;
    db_.transaction([&](storage::Connection& c) {
        const std::int64_t now = util::now_unix();
        e.id = repo::insert_event(c, user_id, e, now);
        // A sensor logged late may already be due; the scheduler handles the rest.
        if (e.type == "sensor_insert") due_sensors(c, now, user_id, out);
    });
    notifier_.deliver(out);
    return e;
}

std::vector<repo::Event> CgmService::events(std::int64_t user_id, std::int64_t from,
                                            std::int64_t to) {
    return db_.with_connection(
        [&](storage::Connection& c) { return repo::events(c, user_id, from, to); });
}

void CgmService::delete_event(std::int64_t user_id, std::int64_t id) {
    if (!db_.with_connection(
            [&](storage::Connection& c) { return repo::delete_event(c, user_id, id); }))
        throw ApiError::not_found("no event " + std::to_string(id));
}

json::value CgmService::export_data(storage::Connection& c, std::int64_t user_id) const {
    json::array readings, events;
    for (const auto& r : repo::readings(c, user_id, 0, std::numeric_limits<std::int64_t>::max()))
        readings.push_back(reading_json(r));
    for (const auto& e : repo::events(c, user_id, 0, std::numeric_limits<std::int64_t>::max()))
        events.push_back(event_json(e));
    return json::object{{"readings", std::move(readings)}, {"events", std::move(events)}};
}

}  // namespace glucoplay::cgm
