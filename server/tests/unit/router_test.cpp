#include <gtest/gtest.h>

#include "http/errors.hpp"
#include "http/router.hpp"

using namespace glucoplay::http;

namespace {

Request make(Method m, const std::string& target) {
    Request r;
    r.method = m;
    EXPECT_TRUE(parse_target(r, target));
    return r;
}

Handler named(std::string name) {
    return [name](Request&) { return Response::text(200, name); };
}

Router sample() {
    Router router;
    router.add(Method::get, "/api/food_log/{id}", Access::public_, named("get-entry"));
    router.add(Method::patch, "/api/food_log/{id}", Access::public_, named("patch-entry"));
    router.add(Method::get, "/api/food_log/summary", Access::public_, named("summary"));
    router.add(Method::get, "/api/scores/{id}/x/{part}", Access::public_, named("two-captures"));
    router.add(Method::get, "/", Access::public_, named("root"));
    return router;
}

}  // namespace

TEST(Router, MatchesLiteralAndCapture) {
    Router router = sample();
    Request r = make(Method::get, "/api/food_log/42");
    auto m = router.match(r);
    EXPECT_EQ(m.route->pattern, "/api/food_log/{id}");
    EXPECT_EQ(m.params.at("id"), "42");
}

TEST(Router, LiteralSegmentBeatsCaptureRegardlessOfOrder) {
    Router router = sample();
    Request r = make(Method::get, "/api/food_log/summary");
    EXPECT_EQ(router.match(r).route->pattern, "/api/food_log/summary");
}

TEST(Router, CapturesSeveralParamsAndDecodesThem) {
    Router router = sample();
    Request r = make(Method::get, "/api/scores/a%20b/x/c%2Fd");
    auto m = router.match(r);
    EXPECT_EQ(m.params.at("id"), "a b");
    EXPECT_EQ(m.params.at("part"), "c/d");  // an encoded slash stays inside its segment
}

TEST(Router, UnknownPathIs404) {
    Router router = sample();
    Request r = make(Method::get, "/api/nothing");
    try {
        router.match(r);
        FAIL() << "expected 404";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 404u);
        EXPECT_EQ(e.code(), "not_found");
    }
}

TEST(Router, WrongMethodIs405WithAllow) {
    Router router = sample();
    Request r = make(Method::delete_, "/api/food_log/7");
    try {
        router.match(r);
        FAIL() << "expected 405";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 405u);
        ASSERT_TRUE(e.allow.has_value());
        EXPECT_EQ(*e.allow, "GET, PATCH");
    }
}

TEST(Router, HeadUsesTheGetRoute) {
    Router router = sample();
    Request r = make(Method::head, "/api/food_log/1");
    EXPECT_EQ(router.match(r).route->pattern, "/api/food_log/{id}");
}

TEST(Router, EmptyCaptureAndTrailingSlashDoNotMatch) {
    Router router = sample();
    Request r1 = make(Method::get, "/api/food_log/");
    EXPECT_THROW(router.match(r1), ApiError);
    Request r2 = make(Method::get, "/api/food_log/1/");
    EXPECT_THROW(router.match(r2), ApiError);
}

TEST(Router, RootPattern) {
    Router router = sample();
    Request r = make(Method::get, "/");
    EXPECT_EQ(router.match(r).route->pattern, "/");
}

TEST(Router, DuplicateRouteIsRejectedAtStartup) {
    Router router = sample();
    EXPECT_THROW(router.add(Method::get, "/api/food_log/{id}", Access::public_, named("again")),
                 std::invalid_argument);
    EXPECT_THROW(router.add(Method::get, "no-slash", Access::public_, named("bad")),
                 std::invalid_argument);
}

TEST(Router, OnlyAUserRouteReadsItsSessionInItsWrite) {
    Router router = sample();
    router.add(Method::post, "/api/mine", Access::user, named("mine"));
    router.add(Method::post, "/api/admin", Access::admin, named("admin"));
    router.read_session_in_write(Method::post, "/api/mine");
    Request r = make(Method::post, "/api/mine");
    EXPECT_TRUE(router.match(r).route->session_in_write);
    Request other = make(Method::get, "/api/food_log/1");
    EXPECT_FALSE(router.match(other).route->session_in_write);
    EXPECT_THROW(router.read_session_in_write(Method::get, "/api/mine"), std::invalid_argument);
    EXPECT_THROW(router.read_session_in_write(Method::post, "/api/admin"), std::invalid_argument);
    EXPECT_THROW(router.read_session_in_write(Method::get, "/api/food_log/{id}"),
                 std::invalid_argument);
}

TEST(Router, OnlyARouteThatReadsItsSessionInItsWriteWritesOnTheNetworkThread) {
    Router router = sample();
    router.add(Method::post, "/api/mine", Access::user, named("mine"));
    router.add(Method::post, "/api/other", Access::user, named("other"));
    router.read_session_in_write(Method::post, "/api/mine");
    EXPECT_THROW(router.write_on_network_thread(Method::post, "/api/other"), std::invalid_argument);
    EXPECT_THROW(router.write_on_network_thread(Method::post, "/api/none"), std::invalid_argument);
    router.write_on_network_thread(Method::post, "/api/mine");
    Request r = make(Method::post, "/api/mine");
    EXPECT_TRUE(router.match(r).route->write_on_network_thread);
    Request other = make(Method::post, "/api/other");
    EXPECT_FALSE(router.match(other).route->write_on_network_thread);
}

TEST(Router, QueryIsParsedAndDecoded) {
    Request r = make(Method::get, "/api/foods?q=apple%20pie&limit=20&flag");
    EXPECT_EQ(r.path, "/api/foods");
    EXPECT_EQ(r.query.at("q"), "apple pie");
    EXPECT_EQ(r.query.at("limit"), "20");
    EXPECT_EQ(r.query.at("flag"), "");
}

TEST(Router, MalformedTargetIsRejected) {
    Request r;
    EXPECT_FALSE(parse_target(r, "no-leading-slash"));
    EXPECT_FALSE(parse_target(r, "/bad%zzescape"));
}

// Routes are looked up among those of the path's length and second segment (issue 9: the fast
// paths compared every route of their length); a capture in the second segment must still be
// found for every second segment, registered before or after the literal ones, and the 405's
// Allow must list the methods in registration order across both.
TEST(Router, ACaptureInTheSecondSegmentIsFoundBesideLiteralOnes) {
    Router router;
    router.add(Method::get, "/api/{kind}/items", Access::public_, named("kind-items"));
    router.add(Method::get, "/api/scores/items", Access::public_, named("score-items"));
    router.add(Method::post, "/api/foods/items", Access::public_, named("post-food-items"));
    router.add(Method::delete_, "/api/{kind}/items", Access::public_, named("delete-kind"));
    router.add(Method::put, "/api/foods/items", Access::public_, named("put-food-items"));
    router.add(Method::get, "/api/foods/{id}", Access::public_, named("food"));

    auto pattern = [&](Method m, const std::string& target) {
        Request r = make(m, target);
        return router.match(r).route->pattern;
    };
    EXPECT_EQ(pattern(Method::get, "/api/scores/items"), "/api/scores/items");    // literal wins
    EXPECT_EQ(pattern(Method::get, "/api/foods/items"), "/api/{kind}/items");     // fewest captures
    EXPECT_EQ(pattern(Method::get, "/api/anything/items"), "/api/{kind}/items");  // no bucket
    EXPECT_EQ(pattern(Method::delete_, "/api/scores/items"), "/api/{kind}/items");
    EXPECT_EQ(pattern(Method::delete_, "/api/foods/items"), "/api/{kind}/items");
    EXPECT_EQ(pattern(Method::get, "/api/foods/7"), "/api/foods/{id}");
    Request none = make(Method::get, "/api/anything/7");
    EXPECT_EQ(router.find(none, nullptr), nullptr);
    try {
        Request r = make(Method::patch, "/api/foods/items");
        router.match(r);
        FAIL() << "expected 405";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 405u);
        ASSERT_TRUE(e.allow.has_value());
        EXPECT_EQ(*e.allow, "GET, POST, DELETE, PUT");
    }
}

// parse_target() keeps the last few parses of its thread (issue 9): whatever it returns must be
// exactly what parsing gives, for repeated targets, for more distinct targets than it keeps, for
// targets that differ only late, and after a target that does not parse.
TEST(Router, RememberedTargetsParseExactlyAsParsingAgain) {
    std::vector<std::string> targets = {"/api/scores?game=racing", "/api/scores?game=plate",
                                        "/api/scores/me?game=racing", "/bad%zzescape",
                                        "/api/foods?q=apple%20pie&limit=20&flag"};
    for (int i = 0; i < 12; ++i)
        targets.push_back("/api/food_log/" + std::to_string(i) + "?a=" + std::to_string(i * 7));
    targets.push_back("/" + std::string(300, 'x') + "?long=1");  // longer than it keeps
    // Three rounds: the later ones find some targets remembered and others pushed out.
    for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 0; i < targets.size(); i += (round == 1 ? 1 : 2)) {
            const std::string& t = targets[i];
            Request got, want;
            got.path = "stale";
            got.segments = {"stale"};
            got.query["stale"] = "1";
            const bool ok = parse_target(got, t);
            ASSERT_EQ(ok, parse_target_uncached(want, t)) << t;
            if (!ok) continue;
            EXPECT_EQ(got.target, want.target) << t;
            EXPECT_EQ(got.path, want.path) << t;
            EXPECT_EQ(got.segments, want.segments) << t;
            EXPECT_EQ(got.query, want.query) << t;
        }
    }
    Request r;
    ASSERT_TRUE(parse_target(r, "/api/scores?game=racing"));
    EXPECT_EQ(r.query.at("game"), "racing");
    ASSERT_TRUE(parse_target(r, "/api/scores?game=plate"));
    EXPECT_EQ(r.query.at("game"), "plate");
    EXPECT_EQ(r.query.size(), 1u);
}
