// The authorisation matrix, checked for every route the server registers: anonymous callers get
// 401 on user and admin routes, signed-in users 403 on admin routes, and nobody is refused on a
// public route for lack of credentials. Then every route against app::access_matrix(): the exact
// status for anonymous, another user acting on the owner's records, and the owner (or an admin).
// Runs in-process (dispatcher, real services, temp database).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>

#include <map>
#include <optional>
#include <set>

#include "app/access_matrix.hpp"
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

// The application in-process on a temporary SQLite database, every rate limit off.
struct InProcess {
    std::filesystem::path dir;
    std::unique_ptr<app::AppContext> ctx;
    std::optional<http::Router> router;
    std::optional<http::ApiDispatcher> dispatcher;
    explicit InProcess(const std::string& prefix)
        : dir(std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir);
        app::Config cfg;
        cfg.data_dir = dir;
        cfg.database = "sqlite:" + (dir / "t.db").string();
        cfg.rate_limit = "off";
        cfg.auth_rate_limit = "off";
        cfg.login_rate_limit = "off";
        ctx = app::make_context(cfg);
        router.emplace(app::build_router(*ctx));
        dispatcher.emplace(*router, http::CorsPolicy{}, app::dispatch_hooks(*ctx));
    }
    ~InProcess() {
        dispatcher.reset();
        router.reset();
        ctx.reset();
        std::filesystem::remove_all(dir);
    }
};

}  // namespace

TEST(Authorization, EveryRouteEnforcesItsAccessLevel) {
    InProcess in_process("gp-authz-");
    auto& ctx = in_process.ctx;
    const http::Router& router = *in_process.router;
    const http::ApiDispatcher& dispatcher = *in_process.dispatcher;

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
}

// A token whose session has ended (logged out) is a 401 on every route that needs an account,
// whatever the body: the session is read before the body is looked at.
TEST(Authorization, AnEndedSessionIs401OnEveryRouteThatNeedsAnAccount) {
    InProcess in_process("gp-authz-end-");
    auto& ctx = in_process.ctx;
    const http::Router& router = *in_process.router;
    const http::ApiDispatcher& dispatcher = *in_process.dispatcher;
    const std::string user = ctx->accounts->signup("leaver", "plain password", std::nullopt).token;
    ctx->accounts->create_or_promote_admin("boss", std::string("boss password"));
    const std::string admin = ctx->accounts->login("boss", "boss password").token;
    const auto& routes = router.routes();
    const auto logout = std::find_if(routes.begin(), routes.end(), [](const http::Route& r) {
        return r.pattern == "/api/auth/logout";
    });
    ASSERT_NE(logout, routes.end());
    for (const std::string& token : {user, admin}) {
        auto out = make(*logout, token);
        ASSERT_EQ(dispatcher.dispatch(out).status, 204u);
    }
    std::size_t checked = 0;
    for (const auto& route : router.routes()) {
        if (route.access == http::Access::public_) continue;
        const std::string name = std::string(http::to_string(route.method)) + " " + route.pattern;
        for (const std::string& token : {user, admin}) {
            auto r = make(route, token);
            auto res = dispatcher.dispatch(r);
            if (res.stream) res.stream->on_close();
            EXPECT_EQ(res.status, 401u) << name;
        }
        ++checked;
    }
    EXPECT_GE(checked, 30u);
}

// ---- The matrix: anonymous, another user, the owner (or an admin) -------------------------------

namespace {

struct MatrixFixture : InProcess {
    std::string owner, other, admin;  // tokens
    std::int64_t owner_id = 0;
    std::int64_t food_log_id = 0, event_id = 0, score_id = 0, score_session = 0, quiz_session = 0,
                 question_id = 0, answer_id = 0, notification_id = 0;
    int counter = 0;

    static constexpr const char* kOwnerPassword = "owner password";
    static constexpr const char* kOtherPassword = "other password";

    http::Response call(http::Method method, const std::string& target, const std::string& body,
                        const std::string& token) {
        http::Request r;
        r.method = method;
        r.method_text = std::string(http::to_string(method));
        http::parse_target(r, target);
        r.remote_address = "127.0.0.1";
        if (!body.empty()) {
            r.headers.set("Content-Type", "application/json");
            r.body = body;
        } else if (method == http::Method::post) {
            r.headers.set("Content-Type", "application/json");
        }
        if (!token.empty()) r.headers.set("Authorization", "Bearer " + token);
        r.request_id = "matrix";
        auto res = dispatcher->dispatch(r);
        if (res.stream) res.stream->on_close();
        return res;
    }
    boost::json::value ok(http::Method m, const std::string& target, const std::string& body,
                          const std::string& token) {
        auto res = call(m, target, body, token);
        if (res.status >= 300)
            throw std::runtime_error("fixture " + target + ": " + std::to_string(res.status) + " " +
                                     res.body);
        return boost::json::parse(res.body);
    }

    MatrixFixture() : InProcess("gp-matrix-") {
        auto o = ctx->accounts->signup("owner", kOwnerPassword, std::nullopt);
        owner = o.token;
        owner_id = o.user.id;
        other = ctx->accounts->signup("other", kOtherPassword, std::nullopt).token;
        ctx->accounts->create_or_promote_admin("boss", std::string("boss password"));
        admin = ctx->accounts->login("boss", "boss password").token;

        using M = http::Method;
        food_log_id =
            ok(M::post, "/api/food_log", R"({"food_id":1,"grams":100,"meal":"lunch"})", owner)
                .at("id")
                .as_int64();
        event_id =
            ok(M::post, "/api/events", R"({"type":"note","at":"2026-11-01T08:00:00Z"})", owner)
                .at("id")
                .as_int64();
        auto scored = ok(M::post, "/api/games/racing/sessions", "{}", owner).at("session_id");
        score_id = ok(M::post, "/api/scores",
                      R"({"game":"racing","session_id":)" + boost::json::serialize(scored) +
                          R"(,"score":0})",
                      owner)
                       .at("score")
                       .at("id")
                       .as_int64();
        score_session =
            ok(M::post, "/api/games/racing/sessions", "{}", owner).at("session_id").as_int64();
        quiz_session =
            ok(M::post, "/api/games/racing/sessions", "{}", owner).at("session_id").as_int64();
        auto q = ok(M::get, "/api/games/racing/question?session_id=" + std::to_string(quiz_session),
                    "", owner);
        question_id = q.at("question_id").as_int64();
        // The owner's first score put them in the top 10: that is their notification.
        notification_id = ctx->db->with_connection([&](storage::Connection& c) {
            return c.query("SELECT id FROM notifications WHERE user_id = ?", {owner_id})
                .rows.at(0)
                .int64(0);
        });
        answer_id = q.at("answers").at(0).at("id").as_int64();
    }
    // The request each caller sends for a route: the path names the owner's records.
    std::pair<std::string, std::string> request_for(const http::Route& route) {
        const std::string& p = route.pattern;
        const auto m = route.method;
        using M = http::Method;
        const std::string n = std::to_string(++counter);
        auto id = [&](std::int64_t v) {
            std::string t = p;
            t.replace(t.find("{id}"), 4, std::to_string(v));
            return t;
        };
        if (p == "/api/auth/signup")
            return {p, R"({"username":"someone)" + n + R"(","password":"some password"})"};
        if (p == "/api/auth/login")
            return {p, std::string(R"({"username":"owner","password":")") + kOwnerPassword + "\"}"};
        if (p == "/api/users/me" && m == M::patch) return {p, R"({"display_name":"Renamed"})"};
        if (p == "/api/users/me/password")
            return {p, std::string(R"({"current_password":")") + kOwnerPassword +
                           R"(","new_password":")" + kOwnerPassword + "\"}"};
        if (p == "/api/users/me" && m == M::delete_)
            return {p, std::string(R"({"password":")") + kOwnerPassword + "\"}"};
        if (p == "/api/admin/users/{id}") return {id(owner_id), R"({"disabled":false})"};
        if (p == "/api/foods/{id}") return {id(1), ""};
        if (p == "/api/food_log" && m == M::post)
            return {p, R"({"food_id":1,"grams":100,"meal":"lunch"})"};
        if (p == "/api/food_log/summary") return {p + "?date=2026-11-01", ""};
        if (p == "/api/food_log/{id}" && m == M::patch)
            return {id(food_log_id), R"({"grams":321})"};
        if (p == "/api/food_log/{id}" || p == "/api/food_log/{id}/response")
            return {id(food_log_id), ""};
        if (p == "/api/pin_dexcom/readings" && m == M::post)
            return {p, R"({"readings":[{"at":"2026-11-01T0)" + std::to_string(counter % 10) + ":" +
                           std::to_string(10 + counter % 50) + R"(:00Z","mg_dl":120}]})"};
        if (p == "/api/pin_dexcom/readings" && m == M::delete_) return {p + "?source=demo", ""};
        if (p == "/api/pin_dexcom/import") return {p, "[]"};
        if (p == "/api/events" && m == M::post)
            return {p, R"({"type":"note","at":"2026-11-01T09:00:00Z"})"};
        if (p == "/api/events/{id}") return {id(event_id), ""};
        if (p == "/api/games/{game}/sessions") return {"/api/games/racing/sessions", "{}"};
        if (p == "/api/scores" && m == M::post)
            return {p, R"({"game":"racing","session_id":)" + std::to_string(score_session) +
                           R"(,"score":0})"};
        if (p == "/api/scores" || p == "/api/scores/me" || p == "/api/scores/stream")
            return {p + "?game=racing", ""};
        if (p == "/api/scores/{id}") return {id(score_id), ""};
        if (p == "/api/games/racing/question")
            return {p + "?session_id=" + std::to_string(quiz_session), ""};
        if (p == "/api/games/racing/answer")
            return {p, R"({"session_id":)" + std::to_string(quiz_session) + R"(,"question_id":)" +
                           std::to_string(question_id) + R"(,"answer_id":)" +
                           std::to_string(answer_id) + "}"};
        if (p == "/api/pin_dexcom/sites") return {p + "?model=g7&age_group=adult", ""};
        if (p == "/api/notifications/{id}/read") return {id(notification_id), "{}"};
        if (p == "/api/notifications/{id}") return {id(notification_id), ""};
        if (p == "/api/notifications/preferences" && m == M::patch)
            return {p, R"({"personal_best":true})"};
        if (p == "/api/pin_dexcom/attempts" && m == M::post)
            return {p, R"({"model":"g7","age_group":"adult","view":"front","x":0.5,"y":0.5})"};
        return {p, ""};
    }

    bool row_exists(const std::string& table, std::int64_t id) {
        return ctx->db->with_connection([&](storage::Connection& c) {
            return !c.query("SELECT 1 FROM " + table + " WHERE id = ?", {id}).rows.empty();
        });
    }
};

std::string key(http::Method m, std::string_view pattern) {
    return std::string(http::to_string(m)) + " " + std::string(pattern);
}

}  // namespace

TEST(AuthorizationMatrix, EveryRouteHasARowAndEveryRowARoute) {
    MatrixFixture f;
    std::set<std::string> rows, routes;
    for (const auto& e : app::access_matrix()) rows.insert(key(e.method, e.pattern));
    for (const auto& r : f.router->routes()) {
        routes.insert(key(r.method, r.pattern));
        EXPECT_TRUE(rows.contains(key(r.method, r.pattern)))
            << key(r.method, r.pattern)
            << " has no row in app::access_matrix() (server/src/app/access_matrix.cpp)";
    }
    for (const auto& row : rows) EXPECT_TRUE(routes.contains(row)) << row << ": no such route";
    EXPECT_EQ(rows.size(), app::access_matrix().size()) << "a route has two rows";
}

TEST(AuthorizationMatrix, AnonymousOtherUserAndOwnerGetTheStatusesInTheTable) {
    MatrixFixture f;
    std::map<std::string, const app::AccessExpectation*> table;
    for (const auto& e : app::access_matrix()) table[key(e.method, e.pattern)] = &e;

    // Registration order, except that deleting the owner's account comes last.
    std::vector<const http::Route*> order;
    const http::Route* delete_me = nullptr;
    for (const auto& r : f.router->routes()) {
        if (r.method == http::Method::delete_ && r.pattern == "/api/users/me")
            delete_me = &r;
        else
            order.push_back(&r);
    }
    ASSERT_NE(delete_me, nullptr);
    order.push_back(delete_me);

    std::size_t checked = 0;
    for (const http::Route* route : order) {
        const std::string name = key(route->method, route->pattern);
        auto it = table.find(name);
        if (it == table.end()) {
            ADD_FAILURE() << name << " has no row in the matrix";
            continue;
        }
        const auto& want = *it->second;
        const bool admin_route = route->access == http::Access::admin;

        auto [t1, b1] = f.request_for(*route);
        auto anon = f.call(route->method, t1, b1, "");
        EXPECT_EQ(anon.status, want.anonymous) << name << " anonymous: " << anon.body;

        auto [t2, b2] = f.request_for(*route);
        auto other = f.call(route->method, t2, b2, f.other);
        EXPECT_EQ(other.status, want.other_user) << name << " as another user: " << other.body;
        if (other.status >= 400) {
            auto v = boost::json::parse(other.body);
            EXPECT_TRUE(v.at("error").at("code").is_string()) << name;
        }
        // What the other user tried on the owner's records left them as they were.
        if (route->pattern == "/api/food_log/{id}" && route->method != http::Method::get) {
            EXPECT_TRUE(f.row_exists("food_log", f.food_log_id)) << name;
            auto grams = f.ctx->db->with_connection([&](storage::Connection& c) {
                return c.query("SELECT grams FROM food_log WHERE id = ?", {f.food_log_id})
                    .rows.at(0)
                    .real(0);
            });
            if (route->method == http::Method::patch) {
                EXPECT_NE(grams, 321.0) << name << ": another user's PATCH changed the entry";
            }
        }
        if (route->pattern == "/api/events/{id}") {
            EXPECT_TRUE(f.row_exists("events", f.event_id)) << name;
        }
        if (route->pattern == "/api/scores/{id}") {
            EXPECT_TRUE(f.row_exists("scores", f.score_id)) << name;
        }
        if (route->pattern.starts_with("/api/notifications/{id}")) {
            EXPECT_TRUE(f.row_exists("notifications", f.notification_id)) << name;
        }

        auto [t3, b3] = f.request_for(*route);
        auto owner = f.call(route->method, t3, b3, admin_route ? f.admin : f.owner);
        EXPECT_EQ(owner.status, want.owner)
            << name << (admin_route ? " as an admin: " : " as the owner: ") << owner.body;
        ++checked;

        if (route->pattern == "/api/auth/logout") {  // both sessions ended: sign in again
            f.owner = f.ctx->accounts->login("owner", MatrixFixture::kOwnerPassword).token;
            f.other = f.ctx->accounts->login("other", MatrixFixture::kOtherPassword).token;
        }
    }
    EXPECT_EQ(checked, f.router->routes().size());
    EXPECT_FALSE(f.row_exists("food_log", f.food_log_id));  // the owner's own DELETE worked
}
