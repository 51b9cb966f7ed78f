// The authorisation matrix, checked for every route the server registers: anonymous callers get
// 401 on user and admin routes, signed-in users 403 on admin routes, and nobody is refused on a
// public route for lack of credentials. Runs in-process (dispatcher, real services, temp database).
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "app/app.hpp"
#include "http/dispatcher.hpp"

using namespace glucoplay;

namespace {

http::Request make(const http::Route& route, const std::string& token) {
    http::Request r;
    r.method = route.method;
    r.method_text = std::string(http::to_string(route.method));
    std::string target;
    for (const auto& seg : route.segments) {
        target += "/";
        target += seg.size() > 2 && seg.front() == '{' ? (seg == "{game}" ? "racing" : "1") : seg;
    }
    if (target.empty()) target = "/";
    // Queries some public routes need to answer at all.
    if (route.pattern == "/api/scores" || route.pattern == "/api/scores/stream")
        target += "?game=racing";
    http::parse_target(r, target);
    r.remote_address = "127.0.0.1";
    if (route.method != http::Method::get) {
        r.headers.set("Content-Type", "application/json");
        r.body = "{}";
    }
    if (!token.empty()) r.headers.set("Authorization", "Bearer " + token);
    r.request_id = "authz";
    return r;
}

}  // namespace

TEST(Authorization, EveryRouteEnforcesItsAccessLevel) {
    auto dir = std::filesystem::temp_directory_path() / ("gp-authz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    app::Config cfg;
    cfg.data_dir = dir;
    cfg.database = "sqlite:" + (dir / "t.db").string();
    cfg.rate_limit = "off";
    cfg.auth_rate_limit = "off";
    auto ctx = app::make_context(cfg);
    http::Router router = app::build_router(*ctx);
    http::ApiDispatcher dispatcher(router, http::CorsPolicy{}, app::dispatch_hooks(*ctx));

    std::string user = ctx->accounts->signup("plainuser", "plain password", std::nullopt).token;
    ctx->accounts->create_or_promote_admin("boss", std::string("boss password"));
    std::string admin = ctx->accounts->login("boss", "boss password").token;

    std::size_t checked = 0;
    for (const auto& route : router.routes()) {
        const std::string name = std::string(http::to_string(route.method)) + " " + route.pattern;
        auto anon = make(route, "");
        auto as_user = make(route, user);
        auto as_admin = make(route, admin);
        // Event streams keep a subscription open; their access is checked but the stream is not
        // run.
        auto status = [&](http::Request& r) {
            auto res = dispatcher.dispatch(r);
            if (res.stream) res.stream->on_close();
            return res.status;
        };
        unsigned a = status(anon), u = status(as_user), m = status(as_admin);
        switch (route.access) {
            case http::Access::public_:
                EXPECT_NE(a, 401u) << name;
                EXPECT_NE(a, 403u) << name;
                break;
            case http::Access::user:
                EXPECT_EQ(a, 401u) << name;
                EXPECT_NE(u, 401u) << name;
                EXPECT_NE(u, 403u) << name;
                break;
            case http::Access::admin:
                EXPECT_EQ(a, 401u) << name;
                EXPECT_EQ(u, 403u) << name;
                EXPECT_NE(m, 401u) << name;
                EXPECT_NE(m, 403u) << name;
                break;
        }
        ++checked;
        if (route.pattern == "/api/auth/logout") {  // that ended both sessions: sign in again
            user = ctx->accounts->login("plainuser", "plain password").token;
            admin = ctx->accounts->login("boss", "boss password").token;
        }
    }
    EXPECT_EQ(checked, router.routes().size());
    EXPECT_GE(checked, 40u);
    ctx.reset();
    std::filesystem::remove_all(dir);
}
