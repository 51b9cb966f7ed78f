#include "pin/handlers.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "http/errors.hpp"
#include "http/json.hpp"
#include "pin/placement.hpp"
#include "util/time.hpp"

namespace glucoplay::pin {

using http::Access;
using http::ApiError;
using http::BodyKind;
using http::FieldReader;
using http::Method;
using http::Request;
namespace json = boost::json;

namespace {

std::string one_of(const std::optional<std::string>& value, const std::string& field,
                   const std::vector<std::string>& allowed) {
    if (!value) throw ApiError::validation(field, field + " is required");
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw ApiError::validation(field, field + " must be one of " + list);
    }
    return *value;
}

std::vector<Obstacle> read_obstacles(const json::object& body) {
    std::vector<Obstacle> out;
    auto v = body.if_contains("obstacles");
    if (!v || v->is_null()) return out;
    if (!v->is_array() || v->as_array().size() > 4)
        throw ApiError::validation("obstacles",
                                   "obstacles must be an array of at most 4 {kind, view, x, y}");
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
        const std::string prefix = "obstacles[" + std::to_string(i) + "]";
        if (!v->as_array()[i].is_object())
            throw ApiError::validation(prefix, prefix + " must be an object");
        FieldReader f(v->as_array()[i].as_object(), prefix + ".");
        f.only({"kind", "view", "x", "y"});
        Obstacle o;
        o.kind = one_of(f.optional_string("kind", 1, 32), prefix + ".kind",
                        {"pump_site", "injection_site", "tattoo", "scar"});
        o.view = one_of(f.optional_string("view", 1, 8), prefix + ".view", kViews);
        o.at = {f.number("x", 0, 1), f.number("y", 0, 1)};
        out.push_back(o);
    }
    return out;
}

json::value attempt_json(const storage::Row& r) {
    return json::object{{"id", r.int64(0)},
                        {"model", r.text(1)},
                        {"age_group", r.text(2)},
                        {"view", r.text(3)},
                        {"x", r.real(4)},
                        {"y", r.real(5)},
                        {"correct", r.int64(6) != 0},
                        {"zone", r.is_null(7) ? json::value(nullptr) : json::value(r.text(7))},
                        {"score", r.int64(8)},
                        {"created_at", util::format_unix(r.int64(9))}};
}

constexpr const char* kAttemptColumns =
    "id, model, age_group, view, x, y, correct, zone, score, created_at";

}  // namespace

json::value export_attempts(storage::Connection& c, std::int64_t user_id) {
    json::array out;
    for (const auto& r : c.query(std::string("SELECT ") + kAttemptColumns +
                                     " FROM pin_attempts WHERE user_id = ? ORDER BY id",
                                 {user_id})
                             .rows)
        out.push_back(attempt_json(r));
    return out;
}

void register_routes(http::Router& router, storage::Database& db) {
    router.add(Method::get, "/api/pin_dexcom/sites", Access::public_, [](Request& req) {
        auto model = one_of(req.query_param("model").value_or("g7"), "model", kModels);
        auto age = one_of(req.query_param("age_group").value_or("adult"), "age_group", kAgeGroups);
        http::Response r = http::json_response(200, sites_json(builtin_sites(), model, age));
        r.headers.set("Cache-Control", "public, max-age=3600");
        return r;
    });

    router.add(
        Method::post, "/api/pin_dexcom/attempts", Access::user,
        [&db](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"model", "age_group", "view", "x", "y", "obstacles"});
            const std::string model = one_of(f.optional_string("model", 1, 16), "model", kModels);
            const std::string age =
                one_of(f.optional_string("age_group", 1, 16), "age_group", kAgeGroups);
            const std::string view = one_of(f.optional_string("view", 1, 8), "view", kViews);
            const Point p{f.number("x", 0, 1), f.number("y", 0, 1)};
            Verdict v = judge(builtin_sites(), model, age, view, p, read_obstacles(body));
            const std::int64_t now = util::now_unix();
            std::int64_t id = db.transaction([&](storage::Connection& c) {
                return c.insert_row(
                    "INSERT INTO pin_attempts (user_id, model, age_group, view, x, y, correct, "
                    "zone, score, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {req.user().user_id, model, age, view, p.x, p.y,
                     std::int64_t{v.correct ? 1 : 0},
                     v.zone ? storage::Value(*v.zone) : storage::Value(nullptr),
                     std::int64_t{v.score}, now});
            });
            return http::json_response(
                201, json::object{{"id", id},
                                  {"correct", v.correct},
                                  {"zone", v.zone ? json::value(*v.zone) : json::value(nullptr)},
                                  {"reason", v.reason},
                                  {"score", v.score},
                                  {"distance", v.distance < 0 ? json::value(nullptr)
                                                              : json::value(v.distance)}});
        },
        BodyKind::json);

    router.add(Method::get, "/api/pin_dexcom/attempts", Access::user, [&db](Request& req) {
        const std::int64_t limit = http::limit_param(req);
        return db.with_connection([&](storage::Connection& c) {
            const auto user = req.user().user_id;
            auto totals = c.query(
                "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM pin_attempts WHERE user_id = ?",
                {user});
            const std::int64_t attempts = totals.rows.at(0).int64(0),
                               correct = totals.rows.at(0).int64(1);
            // Streak: correct attempts in a row, counting back from the latest.
            std::int64_t streak = 0;
            for (const auto& r : c.query("SELECT correct FROM pin_attempts WHERE user_id = ? ORDER "
                                         "BY id DESC LIMIT 1000",
                                         {user})
                                     .rows) {
                if (r.int64(0) == 0) break;
                ++streak;
            }
            json::array items;
            for (const auto& r :
                 c.query(std::string("SELECT ") + kAttemptColumns +
                             " FROM pin_attempts WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                         {user, limit})
                     .rows)
                items.push_back(attempt_json(r));
            double accuracy = attempts ? std::round(1000.0 * correct / attempts) / 10 : 0;
            return http::json_response(200, json::object{{"items", std::move(items)},
                                                         {"next_cursor", nullptr},
                                                         {"attempts", attempts},
                                                         {"correct", correct},
                                                         {"accuracy_pct", accuracy},
                                                         {"streak", streak}});
        });
    });
}

}  // namespace glucoplay::pin
