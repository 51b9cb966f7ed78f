#include "cgm/service.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <cmath>
#include <set>
#include <tuple>

#include "accounts/repository.hpp"
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

CgmService::Inserted CgmService::add_readings(std::int64_t user_id,
                                              const std::vector<ParsedReading>& readings,
                                              const std::string& source) {
    std::size_t inserted = db_.transaction([&](storage::Connection& c) {
        return repo::insert_readings(c, user_id, readings, source);
    });
    return {inserted, readings.size() - inserted};
}

json::value CgmService::import(std::int64_t user_id, std::string_view text, Format format,
                               const std::function<void(std::size_t, std::size_t)>& progress) {
    return db_.transaction([&](storage::Connection& c) {
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
    return static_cast<std::size_t>(db_.with_connection([&](storage::Connection& c) {
        return c
            .query("DELETE FROM cgm_readings WHERE user_id = ? AND source = ?", {user_id, source})
            .affected;
    }));
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
    auto [tz, rows, target] = db_.with_connection([&](storage::Connection& c) {
        auto t = c.query("SELECT target_low_mg_dl, target_high_mg_dl FROM users WHERE id = ?",
                         {user_id});
        std::pair<std::int64_t, std::int64_t> range{70, 180};
        if (!t.rows.empty()) range = {t.rows[0].int64(0), t.rows[0].int64(1)};
        return std::tuple{accounts::repo::time_zone(c, user_id),
                          repo::readings(c, user_id, from, to), range};
    });
    std::vector<int> values;
    std::vector<int> minutes;
    values.reserve(rows.size());
    minutes.reserve(rows.size());
    // The readings come in time order, so the local day (and its start) is looked up in the time
    // zone database once per day, not once per reading (25 920 lookups for 90 days).
    std::pair<std::int64_t, std::int64_t> day{0, 0};
    for (const auto& r : rows) {
        values.push_back(r.mg_dl);
        if (r.at < day.first || r.at >= day.second)
            day = util::local_day_bounds(util::local_day_of(r.at, tz), tz);
        minutes.push_back(static_cast<int>(std::min<std::int64_t>((r.at - day.first) / 60, 1439)));
    }
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
    if (!rows.empty()) {
        std::vector<Reading> recent;
        for (auto it = rows.rbegin(); it != rows.rend() && rows.back().at - it->at <= 15 * 60; ++it)
            recent.insert(recent.begin(), Reading{it->at, it->mg_dl});
        auto rate = rate_of_change(recent);
        json::object l{{"at", util::format_unix(rows.back().at)},
                       {"mg_dl", rows.back().mg_dl},
                       {"mmol_l", to_mmol(rows.back().mg_dl)}};
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
    return db_.transaction([&](storage::Connection& c) {
        e.id = repo::insert_event(c, user_id, e, util::now_unix());
        return e;
    });
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
