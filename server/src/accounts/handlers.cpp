#include "accounts/handlers.hpp"

#include <boost/json.hpp>

#include "accounts/repository.hpp"
#include "auth/authenticator.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"

namespace glucoplay::accounts {

using http::Access;
using http::ApiError;
using http::BodyKind;
using http::FieldReader;
using http::Method;
using http::Request;
using http::Response;
namespace json = boost::json;

namespace {

void limit(auth::RateLimiter& limiter, const std::string& key) {
    if (auto wait = limiter.take(key)) throw ApiError::rate_limited(*wait);
}

// The session cookie mirrors the token: HttpOnly (no script can read it), SameSite=Lax, and Secure
// when the request reached us over HTTPS through a trusted proxy.
std::string session_cookie(const std::string& token, std::chrono::seconds max_age, bool secure) {
    return std::string(auth::kSessionCookie) + "=" + token +
           "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Lax" +
           (secure ? "; Secure" : "");
}

Response signed_in(unsigned status, const AccountService::SignedIn& s, const RouteDeps& deps,
                   const Request& req) {
    Response res =
        http::json_response(status, json::object{{"user", to_json(s.user)}, {"token", s.token}});
    res.headers.set("Set-Cookie", session_cookie(s.token, deps.tokens.ttl(),
                                                 auth::forwarded_https(req, deps.trusted_proxies)));
    return res;
}

SettingsPatch read_settings(const json::object& body) {
    SettingsPatch p;
    auto it = body.find("settings");
    if (it == body.end() || it->value().is_null()) return p;
    if (!it->value().is_object())
        throw ApiError::validation("settings", "settings must be an object");
    FieldReader f(it->value().as_object(), "settings.");
    f.only({"glucose_unit", "target_low_mg_dl", "target_high_mg_dl", "time_zone", "cgm_model",
            "age_group"});
    p.glucose_unit = f.optional_string("glucose_unit", 1, 16);
    p.target_low_mg_dl = f.optional_integer("target_low_mg_dl", 50, 300);
    p.target_high_mg_dl = f.optional_integer("target_high_mg_dl", 50, 300);
    p.time_zone = f.optional_string("time_zone", 1, 64);
    p.cgm_model = f.optional_string("cgm_model", 1, 16);
    p.age_group = f.optional_string("age_group", 1, 16);
    return p;
}

}  // namespace

void register_routes(http::Router& router, RouteDeps deps) {
    // Captured by value into each handler; the referenced services outlive the router.
    auto d = std::make_shared<RouteDeps>(std::move(deps));

    router.add(
        Method::post, "/api/auth/signup", Access::public_,
        [d](Request& req) {
            limit(d->auth_per_address, "signup:" + req.client_address);
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"username", "password", "display_name"});
            // Length rules are the service's (checked before anything is hashed).
            auto username = f.string("username", 0, 100000);
            auto password = f.string("password", 0, 100000);
            auto display_name = f.optional_string("display_name", 0, 100000);
            return signed_in(201, d->service.signup(username, password, display_name), *d, req);
        },
        BodyKind::json);

    router.add(
        Method::post, "/api/auth/login", Access::public_,
        [d](Request& req) {
            limit(d->auth_per_address, "login:" + req.client_address);
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"username", "password"});
            auto username = f.string("username", 1, 100000);
            auto password = f.string("password", 1, 100000);
            const std::string user_key = "user:" + repo::username_key(username);
            limit(d->login_per_user, user_key);
            auto session = d->service.login(username, password);
            d->login_per_user.reset(user_key);
            return signed_in(200, session, *d, req);
        },
        BodyKind::json);

    router.add(Method::post, "/api/auth/logout", Access::user, [d](Request& req) {
        d->service.logout(req.user());
        Response res = Response::no_content();
        res.headers.set("Set-Cookie",
                        std::string(auth::kSessionCookie) +
                            "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
                            (auth::forwarded_https(req, d->trusted_proxies) ? "; Secure" : ""));
        return res;
    });

    router.add(Method::get, "/api/users/me", Access::user, [d](Request& req) {
        return http::json_response(200, to_json(d->service.get(req.user().user_id)));
    });

    router.add(
        Method::patch, "/api/users/me", Access::user,
        [d](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"display_name", "settings"});
            auto display_name = f.optional_string("display_name", 0, 100000);
            if (body.contains("display_name") && !display_name)
                throw ApiError::validation("display_name", "display_name must be a string");
            auto user =
                d->service.update_profile(req.user().user_id, display_name, read_settings(body));
            return http::json_response(200, to_json(user));
        },
        BodyKind::json);

    router.add(
        Method::post, "/api/users/me/password", Access::user,
        [d](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"current_password", "new_password"});
            auto current = f.string("current_password", 1, 100000);
            auto next = f.string("new_password", 0, 100000);
            // Guessing the current password through a stolen session is rate-limited like a login.
            limit(d->login_per_user, "id:" + std::to_string(req.user().user_id));
            d->service.change_password(req.user(), current, next);
            return Response::no_content();
        },
        BodyKind::json);

    router.add(Method::get, "/api/users/me/export", Access::user, [d](Request& req) {
        Response res = http::json_response(200, d->service.export_data(req.user().user_id));
        res.headers.set("Content-Disposition", "attachment; filename=\"glucoplay-export.json\"");
        return res;
    });

    router.add(
        Method::delete_, "/api/users/me", Access::user,
        [d](Request& req) {
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"password"});
            auto password = f.string("password", 1, 100000);
            limit(d->login_per_user, "id:" + std::to_string(req.user().user_id));
            d->service.delete_account(req.user().user_id, password);
            Response res = Response::no_content();
            res.headers.set("Set-Cookie", std::string(auth::kSessionCookie) +
                                              "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
            return res;
        },
        BodyKind::json);

    router.add(Method::get, "/api/admin/users", Access::admin, [d](Request& req) {
        const std::int64_t limit_n = http::limit_param(req);
        const std::int64_t after = http::cursor_param(req);
        auto users = d->service.list_users(after, limit_n + 1);
        json::array items;
        for (std::size_t i = 0; i < users.size() && static_cast<std::int64_t>(i) < limit_n; ++i)
            items.push_back(to_json(users[i], true));
        json::value next = nullptr;
        if (static_cast<std::int64_t>(users.size()) > limit_n)
            next = std::to_string(users[limit_n - 1].id);
        return http::json_response(
            200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
    });

    router.add(
        Method::patch, "/api/admin/users/{id}", Access::admin,
        [d](Request& req) {
            const std::int64_t id = http::id_param(req);
            auto body = http::parse_json_object(req);
            FieldReader f(body);
            f.only({"role", "disabled"});
            auto role = f.optional_string("role", 1, 16);
            auto disabled = f.optional_bool("disabled");
            return http::json_response(200,
                                       to_json(d->service.admin_update(id, role, disabled), true));
        },
        BodyKind::json);
}

}  // namespace glucoplay::accounts
