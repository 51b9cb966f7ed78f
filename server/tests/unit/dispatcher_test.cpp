// The API pipeline in-process, without a socket: CORS, content types, error mapping, headers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>
#include <thread>

#include "app/app.hpp"
#include "app/ops_routes.hpp"
#include "http/dispatcher.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"

using namespace glucoplay;
using namespace glucoplay::http;
namespace json = boost::json;

namespace {

Router test_router() {
    Router r;
    r.add(
        Method::post, "/api/echo", Access::public_,
        [](Request& req) {
            auto body = parse_json_object(req);
            return json_response(201, body);
        },
        BodyKind::json);
    r.add(
        Method::post, "/api/import", Access::public_,
        [](Request&) { return Response::no_content(); }, BodyKind::json_or_csv);
    r.add(Method::get, "/api/boom", Access::public_,
          [](Request&) -> Response { throw std::runtime_error("secret detail"); });
    r.add(Method::get, "/api/mine", Access::user,
          [](Request& req) { return Response::text(200, std::to_string(req.user().user_id)); });
    r.add(Method::get, "/api/admin-only", Access::admin,
          [](Request&) { return Response::text(200, "ok"); });
    return r;
}

// Authenticates "Bearer user" as user 7 and "Bearer admin" as admin 1; anything else is a bad
// token.
DispatchHooks fake_auth() {
    DispatchHooks h;
    h.authenticate = [](const Request& r) -> std::optional<Principal> {
        auto a = r.header("Authorization");
        if (!a) return std::nullopt;
        if (*a == "Bearer user") return Principal{7, false, "s1"};
        if (*a == "Bearer admin") return Principal{1, true, "s2"};
        throw ApiError::unauthorized("bad token");
    };
    return h;
}

Request req(Method m, std::string target, std::string body = "", std::string type = "") {
    Request r;
    r.method = m;
    r.method_text = std::string(to_string(m));
    parse_target(r, target);
    r.body = std::move(body);
    if (!type.empty()) r.headers.set("Content-Type", type);
    r.request_id = "test-id";
    return r;
}

std::string error_code(const Response& r) {
    return std::string(json::parse(r.body).at("error").at("code").as_string());
}

}  // namespace

// set_all is set() for each field in turn: every field of that name (any case) replaced, the
// others kept in their order, the new ones appended in the order given.
TEST(Headers, SetAllReplacesEachNamedFieldAsSetWouldAndKeepsTheRest) {
    Headers h;
    h.add("Content-Type", "text/plain");
    h.add("x-frame-options", "SAMEORIGIN");
    h.add("Cache-Control", "max-age=60");
    h.add("X-Frame-Options", "ALLOW");
    const std::pair<std::string_view, std::string_view> fields[] = {{"X-Frame-Options", "DENY"},
                                                                    {"Vary", "Origin"}};
    h.set_all(fields);
    Headers by_set;
    by_set.add("Content-Type", "text/plain");
    by_set.add("x-frame-options", "SAMEORIGIN");
    by_set.add("Cache-Control", "max-age=60");
    by_set.add("X-Frame-Options", "ALLOW");
    by_set.set("X-Frame-Options", "DENY");
    by_set.set("Vary", "Origin");
    EXPECT_EQ(h.fields(), by_set.fields());
    const std::vector<std::pair<std::string, std::string>> want = {{"Content-Type", "text/plain"},
                                                                   {"Cache-Control", "max-age=60"},
                                                                   {"X-Frame-Options", "DENY"},
                                                                   {"Vary", "Origin"}};
    EXPECT_EQ(h.fields(), want);
}

// set_all_static is set_all without the copies: the same replacements, the static fields listed
// after the others; a later set(), set_all() or erase() of the name replaces or drops one, and
// past kStatic of them the rest are copied, so none is ever lost.
TEST(Headers, StaticFieldsActAsSetFieldsListedAfterTheOthers) {
    Headers h;
    h.add("Content-Type", "text/plain");
    h.add("x-frame-options", "SAMEORIGIN");
    const Headers::View constant[] = {{"X-Frame-Options", "DENY"}, {"Vary", "Origin"}};
    h.set_all_static(constant);
    h.add("Retry-After", "5");
    const std::vector<std::pair<std::string, std::string>> want = {{"Content-Type", "text/plain"},
                                                                   {"Retry-After", "5"},
                                                                   {"X-Frame-Options", "DENY"},
                                                                   {"Vary", "Origin"}};
    EXPECT_EQ(h.fields(), want);
    EXPECT_EQ(h.get("x-frame-OPTIONS").value(), "DENY");
    h.set("vary", "Accept");
    EXPECT_EQ(h.get("Vary").value(), "Accept");
    h.erase("X-FRAME-OPTIONS");
    EXPECT_FALSE(h.contains("X-Frame-Options"));
    const std::vector<std::pair<std::string, std::string>> after = {
        {"Content-Type", "text/plain"}, {"Retry-After", "5"}, {"vary", "Accept"}};
    EXPECT_EQ(h.fields(), after);

    std::vector<std::string> names;
    for (std::size_t i = 0; i < Headers::kStatic + 3; ++i)
        names.push_back("X-F" + std::to_string(i));
    std::vector<Headers::View> many;
    for (const auto& n : names) many.emplace_back(n, "v");
    Headers all;
    all.set_all_static(many);
    ASSERT_EQ(all.fields().size(), names.size());
    for (const auto& n : names) EXPECT_EQ(all.get(n).value_or("missing"), "v") << n;
}

TEST(Dispatcher, PostWithoutJsonContentTypeIs415) {
    Router router = test_router();
    ApiDispatcher d(router, CorsPolicy{{"http://localhost:4887"}});
    auto plain = req(Method::post, "/api/echo", "{}", "text/plain");
    auto r = d.dispatch(plain);
    EXPECT_EQ(r.status, 415u);
    EXPECT_EQ(error_code(r), "unsupported_media_type");
    auto form = req(Method::post, "/api/echo", "a=1", "application/x-www-form-urlencoded");
    EXPECT_EQ(d.dispatch(form).status, 415u);
    auto empty = req(Method::post, "/api/echo");  // no body, no type: still a POST
    EXPECT_EQ(d.dispatch(empty).status, 415u);
    auto ok = req(Method::post, "/api/echo", "{\"a\":1}", "application/json");
    auto res = d.dispatch(ok);
    EXPECT_EQ(res.status, 201u);
    EXPECT_EQ(res.body, "{\"a\":1}");
}

TEST(Dispatcher, CsvOnlyWhereTheRouteTakesIt) {
    Router router = test_router();
    ApiDispatcher d(router, CorsPolicy{});
    auto csv = req(Method::post, "/api/import", "a,b\n", "text/csv");
    EXPECT_EQ(d.dispatch(csv).status, 204u);
    auto csv_elsewhere = req(Method::post, "/api/echo", "a,b\n", "text/csv");
    EXPECT_EQ(d.dispatch(csv_elsewhere).status, 415u);
}

TEST(Dispatcher, UnexpectedErrorsAreOpaque500WithSecurityHeaders) {
    Router router = test_router();
    ApiDispatcher d(router, CorsPolicy{});
    auto r0 = req(Method::get, "/api/boom");
    auto r = d.dispatch(r0);
    EXPECT_EQ(r.status, 500u);
    EXPECT_EQ(error_code(r), "internal");
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    EXPECT_EQ(r.headers.get("X-Content-Type-Options").value(), "nosniff");
    EXPECT_EQ(r.headers.get("Cache-Control").value(), "no-store");
    EXPECT_EQ(r.headers.get("X-Request-Id").value(), "test-id");
}

TEST(Dispatcher, CorsAllowsConfiguredOriginsOnlyAndNeverEchoesOthers) {
    Router router = test_router();
    ApiDispatcher d(router, CorsPolicy{{"http://localhost:4887"}});

    auto allowed = req(Method::post, "/api/echo", "{}", "application/json");
    allowed.headers.set("Origin", "http://localhost:4887");
    auto r = d.dispatch(allowed);
    EXPECT_EQ(r.headers.get("Access-Control-Allow-Origin").value(), "http://localhost:4887");
    EXPECT_EQ(r.headers.get("Access-Control-Allow-Credentials").value(), "true");
    EXPECT_EQ(r.headers.get("Vary").value(), "Origin");

    auto foreign = req(Method::post, "/api/echo", "{}", "application/json");
    foreign.headers.set("Origin", "https://evil.example");
    auto f = d.dispatch(foreign);
    EXPECT_FALSE(f.headers.contains("Access-Control-Allow-Origin"));
}

TEST(Dispatcher, PreflightForAllowedAndForeignOrigins) {
    Router router = test_router();
    ApiDispatcher d(router, CorsPolicy{{"http://localhost:4887"}});
    auto pre = req(Method::options, "/api/echo");
    pre.headers.set("Origin", "http://localhost:4887");
    pre.headers.set("Access-Control-Request-Method", "POST");
    pre.headers.set("Access-Control-Request-Headers", "content-type");
    auto r = d.dispatch(pre);
    EXPECT_EQ(r.status, 204u);
    EXPECT_EQ(r.headers.get("Access-Control-Allow-Origin").value(), "http://localhost:4887");
    EXPECT_NE(r.headers.get("Access-Control-Allow-Headers").value().find("Content-Type"),
              std::string::npos);
    EXPECT_NE(r.headers.get("Access-Control-Allow-Methods").value().find("PATCH"),
              std::string::npos);

    auto bad = req(Method::options, "/api/echo");
    bad.headers.set("Origin", "https://evil.example");
    bad.headers.set("Access-Control-Request-Method", "POST");
    auto b = d.dispatch(bad);
    EXPECT_EQ(b.status, 403u);
    EXPECT_FALSE(b.headers.contains("Access-Control-Allow-Origin"));
}

namespace {

// A database whose connections always fail, to see /api/health report 503.
class BrokenConnection : public storage::Connection {
  public:
    using Connection::query;
    storage::Result query(std::string_view, std::span<const storage::Value>) override {
        throw storage::DbUnavailable("disk I/O error");
    }
    void execute_script(std::string_view) override {}
    void begin() override {}
    void commit() override {}
    void rollback() noexcept override {}
    storage::Dialect dialect() const override { return storage::Dialect::sqlite; }
};

}  // namespace

TEST(Health, ReportsOkAnd503WhenTheDatabaseIsDown) {
    app::AppContext ctx;
    ctx.db = std::make_unique<storage::Database>(
        storage::Dialect::sqlite, 1, [] { return std::make_unique<BrokenConnection>(); });
    Router router;
    app::register_ops_routes(router, ctx);
    ApiDispatcher d(router, CorsPolicy{});
    auto h = req(Method::get, "/api/health");
    auto r = d.dispatch(h);
    EXPECT_EQ(r.status, 503u);
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("status").as_string(), "unavailable");
    EXPECT_EQ(body.at("error").at("code").as_string(), "unavailable");
    EXPECT_EQ(r.body.find("disk I/O"), std::string::npos);
}

TEST(Dispatcher, AccessLevelsAreEnforcedBeforeTheHandler) {
    Router router = test_router();
    ApiDispatcher d(router, CorsPolicy{}, fake_auth());
    auto anon = req(Method::get, "/api/mine");
    EXPECT_EQ(d.dispatch(anon).status, 401u);
    auto bad = req(Method::get, "/api/mine");
    bad.headers.set("Authorization", "Bearer forged");
    EXPECT_EQ(d.dispatch(bad).status, 401u);
    auto user = req(Method::get, "/api/mine");
    user.headers.set("Authorization", "Bearer user");
    auto ok = d.dispatch(user);
    EXPECT_EQ(ok.status, 200u);
    EXPECT_EQ(ok.body, "7");

    auto user_on_admin = req(Method::get, "/api/admin-only");
    user_on_admin.headers.set("Authorization", "Bearer user");
    auto f = d.dispatch(user_on_admin);
    EXPECT_EQ(f.status, 403u);
    EXPECT_EQ(error_code(f), "forbidden");
    auto admin = req(Method::get, "/api/admin-only");
    admin.headers.set("Authorization", "Bearer admin");
    EXPECT_EQ(d.dispatch(admin).status, 200u);
    auto anon_admin = req(Method::get, "/api/admin-only");
    EXPECT_EQ(d.dispatch(anon_admin).status, 401u);
}

TEST(Dispatcher, AdmitHookRefusesBeforeRouting) {
    Router router = test_router();
    DispatchHooks h;
    h.client_address = [](const Request&) { return std::string("203.0.113.9"); };
    h.admit = [](const Request& r) {
        if (r.client_address == "203.0.113.9") throw ApiError::rate_limited(3);
    };
    ApiDispatcher d(router, CorsPolicy{}, h);
    auto r0 = req(Method::get, "/api/does-not-exist");
    auto r = d.dispatch(r0);
    EXPECT_EQ(r.status, 429u);
    EXPECT_EQ(r.headers.get("Retry-After").value(), "3");
}

// The fast path (Router::set_fast, ApiDispatcher::try_fast): the same CORS, rate limit and
// headers as dispatch(), an answer from memory, or nullopt to go the normal way.
namespace {

struct FastFixture {
    Router router;
    int admitted = 0;
    std::optional<std::string> memory;  // what the fast handler "has in memory"
    FastFixture() {
        router.add(Method::get, "/api/board", Access::public_,
                   [](Request&) { return Response::text(200, "from the database"); });
        router.add(Method::get, "/api/mine", Access::user,
                   [](Request&) { return Response::text(200, "mine"); });
        router.set_fast("/api/board", [this](Request& req) -> std::optional<Response> {
            if (req.query_param("bad")) throw ApiError::validation("bad", "bad is not allowed");
            if (!memory) return std::nullopt;
            return Response::text(200, *memory);
        });
    }
    DispatchHooks hooks(int limit) {
        DispatchHooks h;
        h.admit = [this, limit](const Request&) {
            if (++admitted > limit) throw ApiError::rate_limited(3);
        };
        return h;
    }
};

}  // namespace

TEST(DispatcherFastPath, AnswersFromMemoryWithTheSameHeadersAsDispatch) {
    FastFixture f;
    f.memory = "from memory";
    ApiDispatcher d(f.router, CorsPolicy{{"http://localhost:4887"}}, f.hooks(100));
    auto r1 = req(Method::get, "/api/board");
    r1.headers.set("Origin", "http://localhost:4887");
    auto fast = d.try_fast(r1);
    ASSERT_TRUE(fast);
    EXPECT_EQ(fast->body, "from memory");
    EXPECT_EQ(r1.route_pattern, "/api/board");
    auto r2 = req(Method::get, "/api/board");
    r2.headers.set("Origin", "http://localhost:4887");
    f.memory.reset();
    auto slow = d.dispatch(r2);
    EXPECT_EQ(slow.body, "from the database");
    // Every header dispatch() sets, the fast answer has with the same value.
    for (const auto& [name, value] : slow.headers.fields()) {
        if (name == "Content-Type") continue;
        ASSERT_TRUE(fast->headers.get(name)) << name;
        EXPECT_EQ(*fast->headers.get(name), value) << name;
    }
    EXPECT_EQ(*fast->headers.get("Access-Control-Allow-Origin"), "http://localhost:4887");
}

TEST(DispatcherFastPath, FallsThroughWithoutCountingTheRequestTwice) {
    FastFixture f;  // nothing in memory
    ApiDispatcher d(f.router, CorsPolicy{{}}, f.hooks(1));
    auto r = req(Method::get, "/api/board");
    EXPECT_FALSE(d.try_fast(r));
    EXPECT_EQ(f.admitted, 1);
    EXPECT_EQ(d.dispatch(r).body, "from the database");  // the same request, the normal way
    EXPECT_EQ(f.admitted, 1);
    // The next request is over the limit of 1: refused on the fast path itself.
    f.memory = "x";
    auto next = req(Method::get, "/api/board");
    auto refused = d.try_fast(next);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 429u);
    EXPECT_EQ(*refused->headers.get("Retry-After"), "3");
}

TEST(DispatcherFastPath, ErrorsAreMappedAndOtherRequestsGoTheNormalWay) {
    FastFixture f;
    f.memory = "x";
    ApiDispatcher d(f.router, CorsPolicy{{}}, f.hooks(100));
    auto bad = req(Method::get, "/api/board?bad=1");
    auto r = d.try_fast(bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(error_code(*r), "validation_failed");
    EXPECT_EQ(*r->headers.get("X-Content-Type-Options"), "nosniff");
    auto head = req(Method::head, "/api/board");
    EXPECT_TRUE(d.try_fast(head));
    auto with_body = req(Method::get, "/api/board", "{}", "application/json");
    EXPECT_FALSE(d.try_fast(with_body));
    auto post = req(Method::post, "/api/board", "{}", "application/json");
    EXPECT_FALSE(d.try_fast(post));
    auto other = req(Method::get, "/api/mine");
    EXPECT_FALSE(d.try_fast(other));
    auto missing = req(Method::get, "/api/nothing");
    EXPECT_FALSE(d.try_fast(missing));
    EXPECT_EQ(f.admitted, 2);  // only the two requests the fast path answered were counted
}

TEST(DispatcherFastPath, NoneWhenTheRateLimitWaitsOnTheDatabase) {
    FastFixture f;
    f.memory = "x";
    DispatchHooks hooks = f.hooks(100);
    hooks.admit_blocks = true;  // e.g. --shared-rate-limits all on PostgreSQL
    ApiDispatcher d(f.router, CorsPolicy{{}}, hooks);
    auto r = req(Method::get, "/api/board");
    EXPECT_FALSE(d.try_fast(r));
    EXPECT_EQ(f.admitted, 0);
    EXPECT_EQ(d.dispatch(r).body, "from the database");
}

TEST(DispatcherFastPath, PublicAndUserGetRoutesTakeOneAdminRoutesNot) {
    FastFixture f;
    auto none = [](Request&) -> std::optional<Response> { return std::nullopt; };
    f.router.add(Method::get, "/api/admin/thing", Access::admin,
                 [](Request&) { return Response::text(200, "admin"); });
    EXPECT_THROW(f.router.set_fast("/api/admin/thing", none), std::invalid_argument);
    EXPECT_THROW(f.router.set_fast("/api/unknown", none), std::invalid_argument);
    EXPECT_NO_THROW(f.router.set_fast("/api/mine", none));
}

// A user route's fast path runs only for a caller `authenticate_remembered` knows; anyone else
// (no credentials, a token memory cannot vouch for) goes the normal way, uncounted.
TEST(DispatcherFastPath, AUserRouteAnswersFromMemoryOnlyForACallerKnownFromMemory) {
    FastFixture f;
    f.router.set_fast("/api/mine", [](Request& req) -> std::optional<Response> {
        return Response::text(200, "mine from memory for " + std::to_string(req.user().user_id));
    });
    DispatchHooks hooks = f.hooks(100);
    int asked = 0;
    hooks.authenticate_remembered = [&asked](const Request& req) -> std::optional<Principal> {
        ++asked;
        if (req.header("Authorization") == std::optional<std::string_view>("Bearer known"))
            return Principal{42, false, "jti-42"};
        return std::nullopt;
    };
    hooks.authenticate = [](const Request& req) -> std::optional<Principal> {
        if (!req.header("Authorization")) return std::nullopt;
        throw ApiError::unauthorized("session ended; sign in again");
    };
    ApiDispatcher d(f.router, CorsPolicy{{}}, hooks);
    auto known = req(Method::get, "/api/mine");
    known.headers.set("Authorization", "Bearer known");
    auto fast = d.try_fast(known);
    ASSERT_TRUE(fast);
    EXPECT_EQ(fast->body, "mine from memory for 42");
    EXPECT_EQ(*fast->headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(f.admitted, 1);

    auto unknown = req(Method::get, "/api/mine");
    unknown.headers.set("Authorization", "Bearer revoked");
    EXPECT_FALSE(d.try_fast(unknown));
    EXPECT_EQ(d.dispatch(unknown).status, 401u);  // the normal way says why
    auto anonymous = req(Method::get, "/api/mine");
    EXPECT_FALSE(d.try_fast(anonymous));
    EXPECT_EQ(d.dispatch(anonymous).status, 401u);
    EXPECT_EQ(f.admitted, 3);  // once each: the two refused ones only by dispatch()
    EXPECT_EQ(asked, 3);

    // Without the hook a user route never answers from memory.
    FastFixture g;
    g.router.set_fast("/api/mine", [](Request&) -> std::optional<Response> {
        return Response::text(200, "unreachable");
    });
    ApiDispatcher plain(g.router, CorsPolicy{{}}, g.hooks(100));
    auto r = req(Method::get, "/api/mine");
    r.headers.set("Authorization", "Bearer known");
    EXPECT_FALSE(plain.try_fast(r));
    EXPECT_EQ(g.admitted, 0);
}

// A route whose answer is settled later (as POST /api/scores's, by the group commit): the
// dispatcher hands back the deferred answer and finishes it (error mapping, headers) whichever
// thread settles it.
TEST(DispatcherDeferred, SettledLaterOnAnotherThreadWithTheHeadersOfEveryAnswer) {
    std::shared_ptr<Deferred> pending;
    Router router;
    router.add(Method::get, "/api/later", Access::public_, [&pending](Request&) {
        pending = std::make_shared<Deferred>();
        return Response::deferred(pending);
    });
    ApiDispatcher d(router, CorsPolicy{{"http://localhost:4887"}});
    auto r = req(Method::get, "/api/later");
    r.headers.set("Origin", "http://localhost:4887");
    Response res = d.dispatch(r);
    ASSERT_TRUE(res.later);
    EXPECT_FALSE(res.later->settled());
    std::optional<Response> got;
    res.later->when_settled([&got](Response done) { got = std::move(done); });
    EXPECT_FALSE(got);
    std::thread([&] { pending->resolve(json_response(201, json::object{{"ok", true}})); }).join();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 201u);
    EXPECT_EQ(got->body, "{\"ok\":true}");
    EXPECT_EQ(got->headers.get("X-Content-Type-Options").value(), "nosniff");
    EXPECT_EQ(got->headers.get("Access-Control-Allow-Origin").value(), "http://localhost:4887");
    EXPECT_EQ(got->headers.get("X-Request-Id").value(), "test-id");
    // Settling twice changes nothing: the first outcome stands and is delivered once.
    pending->reject(std::make_exception_ptr(ApiError::conflict("late")));
    EXPECT_EQ(got->status, 201u);
}

TEST(DispatcherDeferred, ARejectionIsMappedLikeAThrownError) {
    std::shared_ptr<Deferred> pending;
    Router router;
    router.add(Method::get, "/api/later", Access::public_, [&pending](Request&) {
        pending = std::make_shared<Deferred>();
        return Response::deferred(pending);
    });
    ApiDispatcher d(router, CorsPolicy{});
    auto r = req(Method::get, "/api/later");
    Response res = d.dispatch(r);
    ASSERT_TRUE(res.later);
    pending->reject(std::make_exception_ptr(ApiError::unprocessable("session used", "session_id")));
    // Settled before anyone waited: when_settled delivers at once, wait() would too.
    std::optional<Response> got;
    res.later->when_settled([&got](Response done) { got = std::move(done); });
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 422u);
    EXPECT_EQ(error_code(*got), "unprocessable");
    EXPECT_EQ(got->headers.get("X-Request-Id").value(), "test-id");

    pending.reset();
    auto r2 = req(Method::get, "/api/later");
    Response res2 = d.dispatch(r2);
    pending->reject(std::make_exception_ptr(std::runtime_error("secret detail")));
    Response waited = res2.later->wait();
    EXPECT_EQ(waited.status, 500u);
    EXPECT_EQ(waited.body.find("secret"), std::string::npos);
}

TEST(DispatcherDeferred, AnAnswerSettledBeforeTheHandlerReturnsComesBackAsIs) {
    Router router;
    router.add(Method::get, "/api/now", Access::public_, [](Request&) {
        auto done = std::make_shared<Deferred>();
        done->resolve(Response::text(200, "done"));
        return Response::deferred(done);
    });
    ApiDispatcher d(router, CorsPolicy{});
    auto r = req(Method::get, "/api/now");
    Response res = d.dispatch(r);
    EXPECT_FALSE(res.later);
    EXPECT_EQ(res.body, "done");
    EXPECT_EQ(res.headers.get("Cache-Control").value(), "no-store");
}

// A route that reads its caller's session in its own write (Router::read_session_in_write) gets
// the caller from the token alone, and only an answer given without that write reads the session
// first: a caller whose session ended gets the 401 whatever else is wrong with the request.
namespace {

// fake_auth() plus a token-only check for the routes that read the session in their write:
// "Bearer ended" is a good token whose session ended (authenticate, counted in `session_reads`,
// throws its 401).
DispatchHooks session_in_write_hooks(int& session_reads) {
    DispatchHooks h = fake_auth();
    h.authenticate = [&session_reads, inner = h.authenticate](const Request& r) {
        ++session_reads;
        if (r.header("Authorization") == std::optional<std::string_view>("Bearer ended"))
            throw ApiError::unauthorized("session ended; sign in again");
        return inner(r);
    };
    h.authenticate_token = [](const Request& r) -> std::optional<Principal> {
        auto a = r.header("Authorization");
        if (!a) return std::nullopt;
        if (*a == "Bearer user" || *a == "Bearer ended") return Principal{7, false, "s1", false};
        throw ApiError::unauthorized("bad token");
    };
    return h;
}

}  // namespace

TEST(DispatcherSessionInWrite, TheTokenAloneUnlessTheAnswerComesWithoutTheWrite) {
    std::shared_ptr<Deferred> pending;
    std::optional<Principal> seen;
    Router router;
    router.add(
        Method::post, "/api/write", Access::user,
        [&](Request& req) {
            seen = req.user();
            auto body = parse_json_object(req);
            if (body.contains("now")) return Response::text(200, "answered without the write");
            pending = std::make_shared<Deferred>();
            return Response::deferred(pending);
        },
        BodyKind::json);
    router.read_session_in_write(Method::post, "/api/write");
    int session_reads = 0;
    DispatchHooks h = session_in_write_hooks(session_reads);
    ApiDispatcher d(router, CorsPolicy{}, h);
    auto call = [&](const std::string& token, const std::string& body,
                    const std::string& type = "application/json") {
        auto r = req(Method::post, "/api/write", body, type);
        if (!token.empty()) r.headers.set("Authorization", "Bearer " + token);
        return d.dispatch(r);
    };

    // The write's way: the caller as the token says, the session left to the write.
    Response later = call("user", "{}");
    ASSERT_TRUE(later.later);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->user_id, 7);
    EXPECT_FALSE(seen->session_read);
    EXPECT_EQ(session_reads, 0);
    pending->reject(
        std::make_exception_ptr(ApiError::unauthorized("session ended; sign in again")));
    EXPECT_EQ(later.later->wait().status, 401u);

    // Without a token, or with a bad one, as on any user route.
    EXPECT_EQ(call("", "{}").status, 401u);
    EXPECT_EQ(call("forged", "{}").status, 401u);
    EXPECT_EQ(session_reads, 0);

    // An error before the write: the session is read, and one that ended wins.
    Response bad = call("user", "not json");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(session_reads, 1);
    Response ended_bad = call("ended", "not json");
    EXPECT_EQ(ended_bad.status, 401u);
    EXPECT_NE(ended_bad.body.find("session ended"), std::string::npos) << ended_bad.body;
    EXPECT_EQ(call("ended", "{}", "text/plain").status, 401u);  // not the 415
    EXPECT_EQ(call("user", "{}", "text/plain").status, 415u);
    // An answer of the handler's own, without the write: read too.
    session_reads = 0;
    EXPECT_EQ(call("user", "{\"now\":1}").status, 200u);
    EXPECT_EQ(call("ended", "{\"now\":1}").status, 401u);
    EXPECT_EQ(session_reads, 2);

    // Without authenticate_token, the route reads the session before the handler like others.
    h.authenticate_token = nullptr;
    ApiDispatcher plain(router, CorsPolicy{}, h);
    auto r = req(Method::post, "/api/write", "{}", "application/json");
    r.headers.set("Authorization", "Bearer ended");
    EXPECT_EQ(plain.dispatch(r).status, 401u);
    auto r2 = req(Method::post, "/api/write", "{}", "application/json");
    r2.headers.set("Authorization", "Bearer user");
    EXPECT_TRUE(plain.dispatch(r2).later);
    EXPECT_TRUE(seen->session_read);
}

// A write handled on the network thread (Router::write_on_network_thread): try_fast runs the
// handler with the caller from the token alone and gives its deferred answer; anything it cannot
// answer that way goes the normal way, counted once, where an ended session's 401 comes first.
TEST(DispatcherSessionInWrite, AWriteOnTheNetworkThreadTakesTheTokenAndFallsBackOnAnyError) {
    std::shared_ptr<Deferred> pending;
    int handled = 0;
    Router router;
    router.add(
        Method::post, "/api/write", Access::user,
        [&](Request& req) {
            ++handled;
            EXPECT_FALSE(req.user().session_read);
            auto body = parse_json_object(req);
            if (body.contains("now")) return Response::text(200, "answered without the write");
            pending = std::make_shared<Deferred>();
            return Response::deferred(pending);
        },
        BodyKind::json);
    router.add(
        Method::post, "/api/plain", Access::user,
        [](Request&) { return Response::text(200, "plain"); }, BodyKind::json);
    router.read_session_in_write(Method::post, "/api/write");
    router.write_on_network_thread(Method::post, "/api/write");
    int session_reads = 0, admitted = 0;
    DispatchHooks h = session_in_write_hooks(session_reads);
    h.admit = [&admitted](const Request&) { ++admitted; };
    ApiDispatcher d(router, CorsPolicy{{"https://app.example"}}, h);
    auto make = [](const std::string& path, const std::string& token, const std::string& body,
                   const std::string& type = "application/json") {
        auto r = req(Method::post, path, body, type);
        if (!token.empty()) r.headers.set("Authorization", "Bearer " + token);
        r.headers.set("Origin", "https://app.example");
        return r;
    };

    // The write's way: answered by its write, with the headers of every answer.
    auto r = make("/api/write", "user", "{}");
    auto fast = d.try_fast(r);
    ASSERT_TRUE(fast);
    ASSERT_TRUE(fast->later);
    EXPECT_EQ(handled, 1);
    EXPECT_EQ(admitted, 1);
    EXPECT_EQ(session_reads, 0);
    pending->resolve(Response::text(201, "written"));
    Response written = fast->later->wait();
    EXPECT_EQ(written.status, 201u);
    EXPECT_EQ(written.headers.get("Access-Control-Allow-Origin"), "https://app.example");
    EXPECT_EQ(written.headers.get("X-Request-Id"), "test-id");

    // No token, a bad one, a wrong content type: the normal way, before the handler runs.
    for (auto [token, type] : {std::pair<std::string, std::string>{"", "application/json"},
                               {"forged", "application/json"},
                               {"user", "text/plain"}}) {
        auto other = make("/api/write", token, "{}", type);
        EXPECT_FALSE(d.try_fast(other)) << token << " " << type;
    }
    EXPECT_EQ(handled, 1);

    // An error from the handler: the normal way, counted once, where an ended session is a 401.
    auto ended = make("/api/write", "ended", "not json");
    EXPECT_FALSE(d.try_fast(ended));
    EXPECT_EQ(admitted, 3);  // the wrong content type's request, and this one
    EXPECT_EQ(session_reads, 0);
    Response answer = d.dispatch(ended);
    EXPECT_EQ(answer.status, 401u);
    EXPECT_EQ(admitted, 3);
    EXPECT_EQ(session_reads, 1);

    // An answer without the write would need the session read on this thread: refused as a bug.
    auto now = make("/api/write", "user", "{\"now\":1}");
    auto refused = d.try_fast(now);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 500u);
    EXPECT_EQ(session_reads, 1);

    // A body over 16 KB is read on a worker.
    auto large = make("/api/write", "user", "{\"pad\":\"" + std::string(16 * 1024, 'x') + "\"}");
    EXPECT_FALSE(d.try_fast(large));
    EXPECT_EQ(handled, 4);  // since the first: "not json" twice (here, then dispatch()), "now"
    // Other POST routes, and every write when the rate limit may wait on the database, go the
    // normal way.
    auto plain = make("/api/plain", "user", "{}");
    EXPECT_FALSE(d.try_fast(plain));
    h.admit_blocks = true;
    ApiDispatcher blocking(router, CorsPolicy{}, h);
    auto blocked = make("/api/write", "user", "{}");
    EXPECT_FALSE(blocking.try_fast(blocked));
}
