#include "notifications/handlers.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "events/sse.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "util/time.hpp"

namespace glucoplay::notifications {

using http::Access;
using http::ApiError;
using http::BodyKind;
using http::Method;
using http::Request;
namespace json = boost::json;

namespace {

// Missed notifications a reconnecting stream is sent at most; the list API has the rest.
constexpr std::int64_t kMaxBacklog = 100;

bool unread_param(const Request& req) {
    auto v = req.query_param("unread");
    if (!v || *v == "false") return false;
    if (*v == "true") return true;
    throw ApiError::validation("unread", "unread must be true or false");
}

// Last-Event-ID (the header an EventSource sends when it reconnects) or ?last_event_id=.
std::optional<std::int64_t> last_event_id(const Request& req) {
    std::optional<std::string> text;
    if (auto h = req.header("Last-Event-ID")) text = std::string(*h);
    if (auto q = req.query_param("last_event_id")) text = *q;
    if (!text || text->empty()) return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < 0)
        throw ApiError::validation("last_event_id",
                                   "Last-Event-ID must be the id of a notification");
    return v;
}

json::value preferences_json(const std::map<std::string, bool>& prefs) {
    json::object o;
    for (const auto& [k, v] : prefs) o[k] = v;
    return o;
}

}  // namespace

json::value export_notifications(storage::Connection& c, std::int64_t user_id) {
    json::array items;
    for (const auto& n : repo::all_for_user(c, user_id)) items.push_back(to_json(n));
    return json::object{{"items", std::move(items)},
                        {"preferences", preferences_json(repo::preferences(c, user_id))}};
}

void register_routes(http::Router& router, storage::Database& db, events::Hub& hub) {
    router.add(Method::get, "/api/notifications", Access::user, [&db](Request& req) {
        const auto user = req.user().user_id;
        const bool unread = unread_param(req);
        const std::int64_t limit = http::limit_param(req);
        const std::int64_t before = http::cursor_param(req);
        return db.with_connection([&](storage::Connection& c) {
            auto rows = repo::list(c, user, unread, before, limit + 1);
            json::array items;
            for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < limit; ++i)
                items.push_back(to_json(rows[i]));
            json::value next = nullptr;
            if (static_cast<std::int64_t>(rows.size()) > limit)
                next = std::to_string(rows[limit - 1].id);
            return http::json_response(200, json::object{{"items", std::move(items)},
                                                         {"next_cursor", next},
                                                         {"unread", repo::unread_count(c, user)}});
        });
    });

    router.add(Method::post, "/api/notifications/{id}/read", Access::user, [&db](Request& req) {
        const auto user = req.user().user_id;
        const std::int64_t id = http::id_param(req);
        return db.transaction([&](storage::Connection& c) {
            // Someone else's notification answers exactly like a missing one.
            if (!repo::mark_read(c, user, id, util::now_unix()))
                throw ApiError::not_found("no notification " + std::to_string(id));
            return http::json_response(
                200, json::object{{"id", id}, {"unread", repo::unread_count(c, user)}});
        });
    });

    router.add(Method::post, "/api/notifications/read_all", Access::user, [&db](Request& req) {
        const auto user = req.user().user_id;
        std::int64_t marked = db.with_connection(
            [&](storage::Connection& c) { return repo::mark_all_read(c, user, util::now_unix()); });
        return http::json_response(200, json::object{{"marked", marked}, {"unread", 0}});
    });

    router.add(Method::delete_, "/api/notifications/{id}", Access::user, [&db](Request& req) {
        const std::int64_t id = http::id_param(req);
        bool removed = db.with_connection(
            [&](storage::Connection& c) { return repo::remove(c, req.user().user_id, id); });
        if (!removed) throw ApiError::not_found("no notification " + std::to_string(id));
        return http::Response::no_content();
    });

    router.add(Method::get, "/api/notifications/preferences", Access::user, [&db](Request& req) {
        return http::json_response(200, preferences_json(db.with_connection([&](auto& c) {
                                       return repo::preferences(c, req.user().user_id);
                                   })));
    });

    router.add(
        Method::patch, "/api/notifications/preferences", Access::user,
        [&db](Request& req) {
            auto body = http::parse_json_object(req);
            if (body.empty())
                throw ApiError::validation("body", "name at least one kind to switch on or off");
            http::FieldReader f(body);
            std::vector<std::pair<std::string, bool>> changes;
            for (const auto& field : body) {
                std::string kind(field.key());
                if (!is_kind(kind))
                    throw ApiError::validation(kind, "unknown notification kind '" + kind + "'");
                auto on = f.optional_bool(kind);
                if (!on) throw ApiError::validation(kind, kind + " must be true or false");
                changes.emplace_back(kind, *on);
            }
            const auto user = req.user().user_id;
            auto prefs = db.transaction([&](storage::Connection& c) {
                for (const auto& [kind, on] : changes) repo::set_preference(c, user, kind, on);
                return repo::preferences(c, user);
            });
            return http::json_response(200, preferences_json(prefs));
        },
        BodyKind::json);

    router.add(Method::get, "/api/notifications/stream", Access::user, [&db, &hub](Request& req) {
        const auto user = req.user().user_id;
        auto resume = last_event_id(req);
        return events::sse_response(
            hub, Notifier::topic(user), [&db, user, resume]() -> std::vector<events::Message> {
                std::vector<events::Message> out;
                if (!resume) return out;  // a first connection starts with what comes next
                for (const auto& n : db.with_connection([&](storage::Connection& c) {
                         return repo::after(c, user, *resume, kMaxBacklog);
                     }))
                    out.push_back(Notifier::event(n));
                return out;
            });
    });
}

}  // namespace glucoplay::notifications
