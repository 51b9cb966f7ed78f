#include "cgm/handlers.hpp"

#include <boost/json.hpp>

#include "http/errors.hpp"
#include "http/json.hpp"

namespace glucoplay::cgm {

using http::Access;
using http::ApiError;
using http::BodyKind;
using http::FieldReader;
using http::Method;
using http::Request;
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxBatch = 10000;

TimeArg time_arg(const Request& req, const std::string& name) {
    TimeArg arg;
    auto text = req.query_param(name);
    if (!text || text->empty()) return arg;
    if (auto day = util::parse_day(*text))
        arg.day = day;
    else if (auto t = util::parse_rfc3339(*text))
        arg.instant = t->time_since_epoch().count();
    else
        throw ApiError::validation(name, name + " must be a date (2026-11-27) or an RFC 3339 time");
    return arg;
}

std::int64_t instant(const FieldReader& f, const std::string& field) {
    auto t = util::parse_rfc3339(f.string(field, 1, 64));
    if (!t)
        throw ApiError::validation(
            f.name(field), f.name(field) + " must be an RFC 3339 time like 2026-11-27T08:30:00Z");
    std::int64_t s = t->time_since_epoch().count();
    if (s < 946684800 || s > util::now_unix() + 86400)
        throw ApiError::validation(f.name(field),
                                   f.name(field) + " must be between 2000-01-01 and tomorrow");
    return s;
}

}  // namespace

void register_routes(http::Router& router, CgmService& cgm, food::FoodLogService& food_log) {
    router.add(
        Method::post, "/api/pin_dexcom/readings", Access::user,
        [&cgm](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"readings", "source"});
            // "demo" marks synthetic readings (the Trends page's demo data) so they can be removed.
            const std::string source = f.optional_string("source", 1, 8).value_or("api");
            if (source != "api" && source != "demo")
                throw ApiError::validation("source", "source must be api or demo");
            auto it = body.find("readings");
            if (it == body.end() || !it->value().is_array())
                throw ApiError::validation("readings", "readings must be an array of {at, mg_dl}");
            const auto& arr = it->value().as_array();
            if (arr.empty() || arr.size() > kMaxBatch)
                throw ApiError::validation("readings", "readings must hold 1 to 10000 readings");
            std::vector<ParsedReading> readings;
            readings.reserve(arr.size());
            for (std::size_t i = 0; i < arr.size(); ++i) {
                const std::string prefix = "readings[" + std::to_string(i) + "].";
                if (!arr[i].is_object())
                    throw ApiError::validation("readings[" + std::to_string(i) + "]",
                                               "each reading must be an object");
                FieldReader r(arr[i].as_object(), prefix);
                r.only({"at", "mg_dl"});
                readings.push_back({instant(r, "at"), static_cast<int>(r.integer("mg_dl", 40, 400)),
                                    std::nullopt});
            }
            auto res = cgm.add_readings(req.user().user_id, readings, source);
            return http::json_response(
                201, json::object{{"inserted", res.inserted}, {"duplicates", res.duplicates}});
        },
        BodyKind::json);

    router.add(Method::delete_, "/api/pin_dexcom/readings", Access::user, [&cgm](Request& req) {
        // Only demo readings can be removed on their own; real data goes with the account.
        if (req.query_param("source").value_or("") != "demo")
            throw ApiError::validation("source",
                                       "only demo readings can be deleted: add ?source=demo");
        return http::json_response(
            200, json::object{{"deleted", cgm.delete_readings(req.user().user_id, "demo")}});
    });

    router.add(Method::get, "/api/pin_dexcom/readings", Access::user, [&cgm](Request& req) {
        const auto user = req.user().user_id;
        auto [from, to] =
            cgm.resolve_range(user, time_arg(req, "from"), time_arg(req, "to"), 86400);
        if (auto cursor = req.query_param("cursor"); cursor && !cursor->empty()) {
            try {
                std::size_t used = 0;
                std::int64_t after = std::stoll(*cursor, &used);
                if (used != cursor->size()) throw std::invalid_argument("cursor");
                from = std::max(from, after + 1);
            } catch (const std::exception&) {
                throw ApiError::validation("cursor", "cursor is not one this API returned");
            }
        }
        const std::int64_t limit = http::limit_param(req);
        auto rows = cgm.readings(user, from, to, limit + 1);
        json::array items;
        for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < limit; ++i)
            items.push_back(reading_json(rows[i]));
        json::value next = nullptr;
        if (static_cast<std::int64_t>(rows.size()) > limit)
            next = std::to_string(rows[limit - 1].at);
        return http::json_response(
            200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
    });

    router.add(
        Method::post, "/api/pin_dexcom/import", Access::user,
        [&cgm](Request& req) {
            if (req.body.empty())
                throw ApiError::bad_request(
                    "the import is empty; send a Clarity CSV or Nightscout JSON file");
            auto format = http::has_media_type(req, "text/csv")
                              ? CgmService::Format::clarity_csv
                              : CgmService::Format::nightscout_json;
            if (format == CgmService::Format::nightscout_json &&
                http::has_non_finite_number(req.body))
                throw ApiError::bad_request("the file has a number too large to represent");
            if (format == CgmService::Format::nightscout_json)
                if (auto key = http::find_duplicate_key(req.body))
                    throw ApiError::validation(
                        "entries", "an entry has the key \"" + key->substr(0, 64) +
                                       "\" more than once; which value is meant is unclear");
            return http::json_response(200, cgm.import(req.user().user_id, req.body, format));
        },
        BodyKind::json_or_csv);

    router.add(Method::get, "/api/pin_dexcom/trends", Access::user, [&cgm](Request& req) {
        const auto user = req.user().user_id;
        auto [from, to] =
            cgm.resolve_range(user, time_arg(req, "from"), time_arg(req, "to"), 14 * 86400);
        return http::json_response(200, cgm.trends(user, from, to));
    });

    router.add(Method::get, "/api/v1/entries.json", Access::user, [&cgm](Request& req) {
        std::int64_t count = 10;
        if (auto c = req.query_param("count")) {
            try {
                std::size_t used = 0;
                count = std::stoll(*c, &used);
                if (used != c->size() || count < 1 || count > 10000)
                    throw std::out_of_range("count");
            } catch (const std::exception&) {
                throw ApiError::validation("count", "count must be a whole number from 1 to 10000");
            }
        }
        return http::json_response(200, cgm.nightscout_entries(req.user().user_id, count));
    });

    router.add(
        Method::post, "/api/events", Access::user,
        [&cgm](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"type", "at", "value", "note"});
            repo::Event e;
            e.type = f.string("type", 1, 32);
            if (std::find(kEventTypes.begin(), kEventTypes.end(), e.type) == kEventTypes.end())
                throw ApiError::validation(
                    "type", "type must be carbs, insulin, exercise, sensor_insert or note");
            e.at = instant(f, "at");
            // Plausible amounts per kind: grams of carbohydrate, units of insulin, minutes of
            // exercise.
            double max = e.type == "carbs"      ? 1000
                         : e.type == "insulin"  ? 250
                         : e.type == "exercise" ? 1440
                                                : 1e6;
            e.value = f.optional_number("value", 0, max);
            if ((e.type == "carbs" || e.type == "insulin") && !e.value)
                throw ApiError::validation("value", "value is required for " + e.type);
            e.note = f.optional_string("note", 0, 500);
            return http::json_response(201, event_json(cgm.add_event(req.user().user_id, e)));
        },
        BodyKind::json);

    router.add(Method::get, "/api/events", Access::user, [&cgm](Request& req) {
        const auto user = req.user().user_id;
        auto [from, to] =
            cgm.resolve_range(user, time_arg(req, "from"), time_arg(req, "to"), 14 * 86400);
        json::array items;
        for (const auto& e : cgm.events(user, from, to)) items.push_back(event_json(e));
        return http::json_response(
            200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
    });

    router.add(Method::delete_, "/api/events/{id}", Access::user, [&cgm](Request& req) {
        cgm.delete_event(req.user().user_id, http::id_param(req));
        return http::Response::no_content();
    });

    router.add(
        Method::get, "/api/food_log/{id}/response", Access::user, [&cgm, &food_log](Request& req) {
            const auto user = req.user().user_id;
            auto entry = food_log.get(user, http::id_param(req));  // 404 for another user's entry
            auto readings =
                cgm.readings_around(user, entry.eaten_at - 15 * 60, entry.eaten_at + 120 * 60 + 1);
            auto r = meal_response(readings, entry.eaten_at);
            if (!r)
                throw ApiError::not_found(
                    "your readings do not cover this meal (from 15 minutes before to 2 hours "
                    "after)");
            return http::json_response(200,
                                       json::object{{"baseline_mg_dl", r->baseline_mg_dl},
                                                    {"peak_mg_dl", r->peak_mg_dl},
                                                    {"peak_after_min", r->peak_after_min},
                                                    {"rise_mg_dl", r->rise_mg_dl},
                                                    {"iauc_2h", std::round(r->iauc_2h * 10) / 10}});
        });
}

}  // namespace glucoplay::cgm
