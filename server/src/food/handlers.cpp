#include "food/handlers.hpp"

#include <boost/json.hpp>
#include <limits>

#include "http/errors.hpp"
#include "http/json.hpp"

namespace glucoplay::food {

using http::Access;
using http::ApiError;
using http::BodyKind;
using http::FieldReader;
using http::Method;
using http::Request;
namespace json = boost::json;

namespace {

std::optional<util::Day> day_param(const Request& req, const std::string& name) {
    auto text = req.query_param(name);
    if (!text) return std::nullopt;
    auto d = util::parse_day(*text);
    if (!d) throw ApiError::validation(name, name + " must be a date like 2026-11-27");
    return d;
}

std::optional<std::int64_t> eaten_at(const FieldReader& f) {
    if (!f.has("eaten_at")) return std::nullopt;
    auto t = util::parse_rfc3339(f.string("eaten_at", 1, 64));
    if (!t)
        throw ApiError::validation("eaten_at",
                                   "eaten_at must be an RFC 3339 time like 2026-11-27T08:30:00Z");
    return t->time_since_epoch().count();
}

std::optional<std::string> enum_param(const Request& req, const std::string& name,
                                      const std::vector<std::string>& allowed) {
    auto v = req.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end())
        throw ApiError::validation(name, "unknown " + name + " '" + *v + "'");
    return v;
}

}  // namespace

void register_routes(http::Router& router, const FoodCatalog& catalog, FoodLogService& log) {
    router.add(Method::get, "/api/foods", Access::public_, [&catalog](Request& req) {
        FoodCatalog::Query q;
        q.text = req.query_param("q").value_or("");
        if (q.text.size() > 100)
            throw ApiError::validation("q", "q must be at most 100 characters");
        q.category = enum_param(req, "category", kCategories);
        q.plate_group = enum_param(req, "plate_group", kPlateGroups);
        const std::int64_t limit = http::limit_param(req, 20, 500);
        std::size_t offset = 0;
        if (auto cursor = req.query_param("cursor"); cursor && !cursor->empty()) {
            try {
                std::size_t used = 0;
                offset = std::stoul(*cursor, &used);
                if (used != cursor->size()) throw std::invalid_argument("cursor");
            } catch (const std::exception&) {
                throw ApiError::validation("cursor", "cursor is not one this API returned");
            }
        }
        auto hits = catalog.search(q);
        json::array items;
        for (std::size_t i = offset;
             i < hits.size() && items.size() < static_cast<std::size_t>(limit); ++i)
            items.push_back(to_json(*hits[i]));
        std::size_t next = offset + items.size();
        return http::json_response(
            200, json::object{{"items", std::move(items)},
                              {"next_cursor", next < hits.size() ? json::value(std::to_string(next))
                                                                 : json::value(nullptr)}});
    });

    router.add(Method::get, "/api/foods/{id}", Access::public_, [&catalog](Request& req) {
        const Food* f = catalog.find(http::id_param(req));
        if (!f) throw ApiError::not_found("no food with that id");
        return http::json_response(200, to_json(*f));
    });

    router.add(
        Method::post, "/api/food_log", Access::user,
        [&log](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"food_id", "custom", "grams", "meal", "eaten_at"});
            NewEntry in;
            in.food_id = f.optional_integer("food_id", 1, std::numeric_limits<std::int64_t>::max());
            if (auto it = body.find("custom"); it != body.end() && !it->value().is_null()) {
                if (!it->value().is_object())
                    throw ApiError::validation("custom", "custom must be an object");
                FieldReader c(it->value().as_object(), "custom.");
                c.only({"name", "gi", "carbs_per_100g", "fiber_per_100g"});
                CustomFood food;
                food.name = c.string("name", 1, 80);
                if (auto gi = c.optional_integer("gi", 0, 110)) food.gi = static_cast<int>(*gi);
                food.carbs_per_100g = c.number("carbs_per_100g", 0, 100);
                food.fiber_per_100g = c.optional_number("fiber_per_100g", 0, 100).value_or(0);
                in.custom = food;
            }
            in.grams = f.number("grams", 1, 5000);
            in.meal = f.string("meal", 1, 16);
            in.eaten_at = eaten_at(f);
            return http::json_response(201, entry_json(log.add(req.user().user_id, in)));
        },
        BodyKind::json);

    router.add(Method::get, "/api/food_log", Access::user, [&log](Request& req) {
        auto day = log.day(req.user().user_id, day_param(req, "date"));
        json::array items;
        for (const auto& e : day.entries) items.push_back(entry_json(e));
        return http::json_response(200, json::object{{"date", util::format_day(day.day)},
                                                     {"time_zone", day.time_zone},
                                                     {"items", std::move(items)},
                                                     {"next_cursor", nullptr}});
    });

    router.add(Method::get, "/api/food_log/summary", Access::user, [&log](Request& req) {
        auto from = day_param(req, "from");
        auto to = day_param(req, "to");
        if (from || to) {
            if (!from) throw ApiError::validation("from", "from is required with to");
            if (!to) throw ApiError::validation("to", "to is required with from");
            return http::json_text_response(200, log.range_summary(req.user().user_id, *from, *to));
        }
        auto day = log.day(req.user().user_id, day_param(req, "date"));
        return http::json_text_response(200, day_summary_text(day.day, day.entries, day.time_zone));
    });

    router.add(Method::get, "/api/food_log/{id}", Access::user, [&log](Request& req) {
        return http::json_response(200,
                                   entry_json(log.get(req.user().user_id, http::id_param(req))));
    });

    router.add(
        Method::patch, "/api/food_log/{id}", Access::user,
        [&log](Request& req) {
            const std::int64_t id = http::id_param(req);
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"grams", "meal", "eaten_at"});
            EntryPatch p;
            p.grams = f.optional_number("grams", 1, 5000);
            p.meal = f.optional_string("meal", 1, 16);
            p.eaten_at = eaten_at(f);
            return http::json_response(200, entry_json(log.update(req.user().user_id, id, p)));
        },
        BodyKind::json);

    router.add(Method::delete_, "/api/food_log/{id}", Access::user, [&log](Request& req) {
        log.remove(req.user().user_id, http::id_param(req));
        return http::Response::no_content();
    });
}

}  // namespace glucoplay::food
