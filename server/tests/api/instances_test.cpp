// Several instances on one database (issue 8 point 2): token revocation on either database; on
// PostgreSQL also live events (LISTEN/NOTIFY) reaching streams on another instance, resumption,
// messages too big for one NOTIFY, rate limits shared across instances, and scheduled jobs run by
// one instance at a time. The database-restart case is PostgresRestart.* in postgres_test.cpp.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <random>
#include <thread>

#include "auth/rate_limiter.hpp"
#include "auth/shared_rate_limiter.hpp"
#include "events/hub.hpp"
#include "events/pg_bridge.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/accounts.hpp"
#include "support/event_stream.hpp"
#include "support/games.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"
#include "util/time.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;
namespace events = glucoplay::events;
namespace storage = glucoplay::storage;

namespace {

using Clock = std::chrono::steady_clock;

// Two instances on one data directory, hence one database.
struct Pair {
    explicit Pair(std::vector<std::string> args)
        : dir("glucoplay-pair"),
          a(options(dir, args)),
          b(options(dir, args)),
          ca(a.api_port()),
          cb(b.api_port()) {}
    static ServerProcess::Options options(const std::filesystem::path& dir,
                                          std::vector<std::string> args) {
        ServerProcess::Options o;
        o.data_dir = dir;
        o.args = std::move(args);
        return o;
    }
    TempDir dir;
    ServerProcess a, b;
    HttpClient ca, cb;
};

const std::vector<std::string> kNoLimits = {"--rate-limit",    "off", "--auth-rate-limit", "off",
                                            "--sse-heartbeat", "1s"};

// Polls `ok` every 50 ms until it holds or `limit` passes.
template <class F>
bool eventually(F ok, std::chrono::seconds limit = std::chrono::seconds(20)) {
    const auto deadline = Clock::now() + limit;
    while (!ok()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

}  // namespace

// Logout is a database write and every authenticated request reads the session row: a token
// signed out on one instance is refused by the other on the very next request.
TEST(CrossInstance, LogoutOnOneInstanceRefusesTheTokenOnAnotherAtOnce) {
    Pair p(kNoLimits);
    TestUser u = sign_up(p.ca, "two-places");
    ASSERT_EQ(p.cb.get("/api/users/me", u.auth()).status, 200u);
    ASSERT_EQ(p.ca.post_json("/api/auth/logout", json::object{}, u.auth()).status, 204u);
    auto r = p.cb.get("/api/users/me", u.auth());
    EXPECT_EQ(r.status, 401u) << r.body;
    EXPECT_EQ(r.error_code(), "unauthorized");
    EXPECT_EQ(p.ca.get("/api/users/me", u.auth()).status, 401u);
}

// GET /api/scores/me may answer from memory for a session read live within --session-memory
// (1 s by default). A logout on another process sharing the SQLite file sends no event, so the
// other instance refuses the token once that second is over (on PostgreSQL, the logout's
// session event ends it earlier: PostgresOnly.ALogoutEndsTheSessionRememberedByAnotherInstance).
TEST(CrossInstance, ALogoutElsewhereEndsARememberedStandingWithinTheSessionMemory) {
    Pair p(kNoLimits);
    TestUser u = sign_up(p.ca, "standing-two-places");
    const std::string target = "/api/scores/me?game=racing";
    ASSERT_EQ(p.cb.get(target, u.auth()).status, 200u);
    ASSERT_EQ(p.cb.get(target, u.auth()).status, 200u);
    ASSERT_EQ(p.ca.post_json("/api/auth/logout", json::object{}, u.auth()).status, 204u);
    // 1 s of memory (plus a request's time): well inside the 5 s this allows.
    EXPECT_TRUE(eventually([&] { return p.cb.get(target, u.auth()).status == 401u; },
                           std::chrono::seconds(5)));
    EXPECT_EQ(p.ca.get(target, u.auth()).status, 401u);
}

// With a long --session-memory the only thing that can end the other instance's remembered
// session quickly is the logout's message on "internal:session" through PostgreSQL.
TEST(PostgresOnly, ALogoutEndsTheSessionRememberedByAnotherInstance) {
    std::vector<std::string> args = kNoLimits;
    args.insert(args.end(), {"--session-memory", "60s"});
    Pair p(args);
    TestUser u = sign_up(p.ca, "remembered-elsewhere");
    const std::string target = "/api/scores/me?game=racing";
    ASSERT_EQ(p.cb.get(target, u.auth()).status, 200u);
    ASSERT_EQ(p.cb.get(target, u.auth()).status, 200u);
    ASSERT_GE(metric(p.cb, "glucoplay_remembered_sessions"), 1);
    ASSERT_EQ(p.ca.post_json("/api/auth/logout", json::object{}, u.auth()).status, 204u);
    EXPECT_TRUE(eventually([&] { return p.cb.get(target, u.auth()).status == 401u; },
                           std::chrono::seconds(10)));
}

TEST(PostgresOnly, LeaderboardStreamOnOneInstanceSeesAScorePostedThroughAnother) {
    Pair p(kNoLimits);
    TestUser early = sign_up(p.ca, "early");
    ASSERT_EQ(play_racing(p.ca, p.a, early, 300).status, 201u);
    // A has loaded its boards (and would keep them up to 30 s without the fan-out).
    ASSERT_EQ(p.ca.get("/api/scores/me?game=racing", early.auth()).json().at("players").as_int64(),
              1);
    EventStream stream(p.a.api_port(), "/api/scores/stream?game=racing");
    ASSERT_TRUE(stream.wait_for("event: leaderboard")) << stream.text();
    const std::size_t initial = stream.text().size();

    TestUser late = sign_up(p.cb, "via-b");
    ASSERT_EQ(play_racing(p.cb, p.b, late, 900).status, 201u);
    ASSERT_TRUE(stream.wait_for("\"display_name\":\"via-b\"", initial)) << stream.text();
    EXPECT_NE(stream.text().find("\"score\":900", initial), std::string::npos);
    // The rank message went before the board: A's rank index already has the new player.
    auto me = p.ca.get("/api/scores/me?game=racing", late.auth()).json();
    EXPECT_EQ(me.at("rank").as_int64(), 1) << me;
    EXPECT_EQ(me.at("players").as_int64(), 2) << me;
    EXPECT_GE(metric(p.cb, "glucoplay_events_forwarded_total"), 2);
    EXPECT_GE(metric(p.ca, "glucoplay_events_received_total"), 2);
    EXPECT_EQ(metric(p.ca, "glucoplay_events_failed_total"), 0);
    EXPECT_EQ(metric(p.cb, "glucoplay_events_failed_total"), 0);
}

// Instance B remembers display names (GET /api/scores/me) and leaderboards (GET /api/scores); a
// rename on A reaches B's memory through the profile message, not after some timeout: the names
// have none.
TEST(PostgresOnly, ARenameOnOneInstanceShowsOnTheOthersStandingsAndBoards) {
    Pair p(kNoLimits);
    TestUser x = sign_up(p.ca, "racer-x");
    TestUser y = sign_up(p.ca, "racer-y");
    ASSERT_EQ(play_racing(p.ca, p.a, x, 500).status, 201u);
    ASSERT_EQ(play_racing(p.ca, p.a, y, 400).status, 201u);
    auto neighbours_on_b = [&] {
        std::string names;
        const json::value me = p.cb.get("/api/scores/me?game=racing", y.auth()).json();
        for (const auto& e : me.at("around").as_array())
            names += std::string(e.at("display_name").as_string()) + ";";
        return names;
    };
    auto board_on_b = [&] { return p.cb.get("/api/scores?game=racing").body; };
    ASSERT_TRUE(eventually([&] { return neighbours_on_b() == "racer-x;racer-y;"; }))
        << neighbours_on_b();
    ASSERT_NE(board_on_b().find("racer-x"), std::string::npos);

    auto renamed =
        p.ca.patch_json("/api/users/me", json::object{{"display_name", "X. Renamed"}}, x.auth());
    ASSERT_EQ(renamed.status, 200u) << renamed.body;
    EXPECT_TRUE(eventually([&] { return neighbours_on_b() == "X. Renamed;racer-y;"; },
                           std::chrono::seconds(5)))
        << neighbours_on_b();
    EXPECT_NE(board_on_b().find("X. Renamed"), std::string::npos);
    EXPECT_EQ(board_on_b().find("racer-x"), std::string::npos);
}

TEST(PostgresOnly, NotificationStreamOnOneInstanceGetsWhatAnotherCausedAndResumes) {
    Pair p(kNoLimits);
    TestUser u = sign_up(p.ca, "notified");
    std::string last_id;
    {
        EventStream stream(p.a.api_port(), "/api/notifications/stream", u.token);
        ASSERT_TRUE(stream.wait_for("retry:"));
        ASSERT_EQ(play_racing(p.cb, p.b, u, 700).status, 201u);  // top10_entered
        ASSERT_EQ(play_racing(p.cb, p.b, u, 900).status, 201u);  // personal_best
        ASSERT_TRUE(stream.wait_for("\"kind\":\"personal_best\"")) << stream.text();
        const std::string& t = stream.text();
        auto entered = t.find("\"kind\":\"top10_entered\"");
        ASSERT_NE(entered, std::string::npos) << t;
        EXPECT_LT(entered, t.find("\"kind\":\"personal_best\""));  // in the order they were made
        auto id_at = t.rfind("id: ");
        last_id = t.substr(id_at + 4, t.find('\n', id_at) - id_at - 4);
        auto items = p.ca.get("/api/notifications", u.auth()).json().at("items").as_array();
        ASSERT_EQ(items.size(), 2u);
        EXPECT_EQ(std::to_string(items[0].at("id").as_int64()), last_id);  // newest first
    }
    // Missed while no stream was open, caused on B; a stream on A resuming from the last id it
    // saw gets exactly that one, then live ones from B again.
    ASSERT_EQ(play_racing(p.cb, p.b, u, 1000).status, 201u);
    EventStream again(p.a.api_port(), "/api/notifications/stream", u.token, last_id);
    ASSERT_TRUE(again.wait_for("\"score\":1000")) << again.text();
    EXPECT_EQ(again.text().find("\"score\":900,"), std::string::npos) << again.text();
    const std::size_t mark = again.text().size();
    ASSERT_EQ(play_racing(p.cb, p.b, u, 1100).status, 201u);
    ASSERT_TRUE(again.wait_for("\"score\":1100", mark)) << again.text();
}

// The bridge itself, two of them on one database as two processes would be: a message over the
// 8000-byte NOTIFY limit arrives whole through event_spill, small ones inline, each process
// ignores its own, nothing is forwarded twice, and an unreadable payload is counted, not fatal.
TEST(PostgresOnly, BridgeCarriesMessagesOfAnySizeToOtherProcessesOnly) {
    const std::string url = create_scratch_postgres_database();
    storage::migrate(*storage::open_database(url), storage::builtin_migrations());
    events::Hub hub_a, hub_b;
    std::vector<std::string> seen_a, seen_b;
    std::mutex mutex;
    hub_a.add_observer("", [&](const std::string& t, const events::Message& m) {
        std::lock_guard lock(mutex);
        seen_a.push_back(t + " " + m.data);
    });
    hub_b.add_observer("", [&](const std::string& t, const events::Message& m) {
        std::lock_guard lock(mutex);
        seen_b.push_back(t + " " + m.data + " " + m.id.value_or("-"));
    });
    events::PgBridge a(hub_a, url), b(hub_b, url);
    ASSERT_TRUE(a.start());
    ASSERT_TRUE(b.start());
    EXPECT_NE(a.origin(), b.origin());

    const std::string big(20'000, 'x');  // JSON-quoted inside the payload: well over 8000 bytes
    hub_a.publish("user:1", events::Message{"notification", big, std::string("7")});
    hub_a.publish("leaderboard:racing", events::Message{"leaderboard", "small", std::nullopt});
    auto received = [&](std::size_t n) {
        return eventually([&] {
            std::lock_guard lock(mutex);
            return seen_b.size() >= n;
        });
    };
    ASSERT_TRUE(received(2));
    {
        std::lock_guard lock(mutex);
        EXPECT_EQ(seen_b[0], "user:1 " + big + " 7");
        EXPECT_EQ(seen_b[1], "leaderboard:racing small -");
    }
    // Something from B, to know A's listener has had time to see (and drop) its own echoes.
    hub_b.publish("user:2", events::Message{"notification", "from-b", std::nullopt});
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return seen_a.size() >= 3;
    }));
    {
        std::lock_guard lock(mutex);
        EXPECT_EQ(seen_a, (std::vector<std::string>{"user:1 " + big, "leaderboard:racing small",
                                                    "user:2 from-b"}));
    }
    // Someone else's garbage on the channel.
    storage::open_database(url)->with_connection([](storage::Connection& c) {
        c.query("SELECT pg_notify('glucoplay', 'not an envelope')");
    });
    ASSERT_TRUE(eventually([&] { return a.stats().failed == 1 && b.stats().failed == 1; }));
    {
        // Notified after B's own message, so B's listener has passed B's echo by now.
        std::lock_guard lock(mutex);
        EXPECT_EQ(seen_b.size(), 3u);  // B's own message, delivered once (locally)
    }
    auto sa = a.stats(), sb = b.stats();
    EXPECT_EQ(sa.forwarded, 2u);
    EXPECT_EQ(sa.spilled, 1u);
    EXPECT_EQ(sa.received, 1u);
    EXPECT_EQ(sb.forwarded, 1u);  // only its own publish: received messages are not sent on
    EXPECT_EQ(sb.received, 2u);
    EXPECT_TRUE(sa.listening && sb.listening);
    a.stop();
    b.stop();
}

// Messages published faster than one NOTIFY a round trip are sent several to a statement, and
// still arrive once each and in order: also a message repeated word for word, which PostgreSQL
// would deliver only once if two of them were sent in one transaction.
TEST(PostgresOnly, BridgeSendsABurstInFewStatementsInOrderRepeatsIncluded) {
    const std::string url = create_scratch_postgres_database();
    storage::migrate(*storage::open_database(url), storage::builtin_migrations());
    events::Hub hub_a, hub_b;
    std::vector<std::string> seen_b;
    std::mutex mutex;
    hub_b.add_observer("", [&](const std::string& t, const events::Message& m) {
        std::lock_guard lock(mutex);
        seen_b.push_back(t + " " + m.data);
    });
    events::PgBridge a(hub_a, url), b(hub_b, url);
    ASSERT_TRUE(a.start());
    ASSERT_TRUE(b.start());
    std::vector<std::string> sent;
    for (int i = 0; i < 500; ++i) {
        // Every tenth one twice in a row, and the same text again at the end.
        const int copies = i % 10 == 0 ? 2 : 1;
        for (int k = 0; k < copies; ++k) {
            const std::string data = "m" + std::to_string(i);
            hub_a.publish("rank:racing", events::Message{"score", data, std::nullopt});
            sent.push_back("rank:racing " + data);
        }
    }
    hub_a.publish("rank:racing", events::Message{"score", "m0", std::nullopt});
    sent.push_back("rank:racing m0");
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return seen_b.size() >= sent.size();
    }));
    {
        std::lock_guard lock(mutex);
        EXPECT_EQ(seen_b, sent);
    }
    const auto sa = a.stats();
    EXPECT_EQ(sa.forwarded, sent.size());
    EXPECT_EQ(sa.failed, 0u);
    // 551 messages published in a loop, faster than a round trip each: far fewer statements.
    EXPECT_LT(sa.statements, sent.size() / 2) << sa.statements;
    EXPECT_GE(sa.statements, 1u);
    a.stop();
    b.stop();
}

// The shared bucket is the same token bucket as the in-memory one: over a random run of requests
// (times in exact binary fractions, so neither side rounds), two SharedRateLimiters on one
// database taking turns, as two instances would, decide exactly as one MemoryRateLimiter does,
// Retry-After included.
TEST(PostgresOnly, SharedRateLimiterDecidesExactlyAsTheInMemoryBucket) {
    const std::string url = create_scratch_postgres_database();
    auto db = storage::open_database(url);
    storage::migrate(*db, storage::builtin_migrations());
    double now = 1'800'000'000;  // unix seconds, exactly representable like every step below
    auto clock = [&now] { return now; };
    const auto spec = glucoplay::auth::parse_rate_spec("4/2s");  // one token per 0.5 s
    glucoplay::auth::SharedRateLimiter a(*db, "t", spec, "secret", clock);
    glucoplay::auth::SharedRateLimiter b(*db, "t", spec, "secret", clock);
    glucoplay::auth::MemoryRateLimiter memory(spec);
    auto memory_now =
        glucoplay::auth::MemoryRateLimiter::Clock::time_point{} + std::chrono::hours(1);
    std::mt19937 rng(20261127);
    int allowed = 0, refused = 0;
    for (int i = 0; i < 300; ++i) {
        const int eighths = static_cast<int>(rng() % 5);  // 0 to 0.5 s later
        now += eighths * 0.125;
        memory_now += std::chrono::milliseconds(125) * eighths;
        const std::string key = rng() % 4 == 0 ? "other" : "busy";
        if (i == 200) {  // a successful sign-in forgets the key's failures
            a.reset(key);
            memory.reset(key);
        }
        auto want = memory.take(key, memory_now);
        auto got = (i % 2 ? a : b).take(key);
        ASSERT_EQ(got, want) << "request " << i << " key " << key;
        ++(want ? refused : allowed);
    }
    EXPECT_GT(allowed, 80);  // the run exercised both answers
    EXPECT_GT(refused, 50);
    // Another limit's buckets are separate rows.
    glucoplay::auth::SharedRateLimiter other(*db, "u", spec, "secret", clock);
    EXPECT_FALSE(other.take("busy").has_value());
}

TEST(PostgresOnly, SignInLimitsHoldAcrossInstances) {
    Pair p({"--rate-limit", "off", "--auth-rate-limit", "6/1h", "--login-rate-limit", "4/15m"});
    sign_up(p.ca, "target");  // one of the six per-address sign-ups (through A)
    // Wrong passwords for one username, alternating between the instances: four are checked,
    // the fifth is refused on either instance, however the attempts were spread.
    for (int i = 0; i < 4; ++i) {
        HttpClient& c = i % 2 ? p.cb : p.ca;
        auto r = c.post_json("/api/auth/login",
                             json::object{{"username", "target"}, {"password", "wrong-password"}});
        EXPECT_EQ(r.status, 401u) << i << " " << r.body;
    }
    for (HttpClient* c : {&p.ca, &p.cb}) {
        auto r = c->post_json("/api/auth/login",
                              json::object{{"username", "target"}, {"password", kPassword}});
        EXPECT_EQ(r.status, 429u) << r.body;
        EXPECT_EQ(r.error_code(), "rate_limited");
        EXPECT_GE(std::stoi(r.header("Retry-After")), 60);  // a quarter of an hour / 4 tokens
    }
    // Sign-ups per address: one was made above; five more (on B, then A) and the next is refused.
    for (int i = 0; i < 5; ++i) {
        HttpClient& c = i < 3 ? p.cb : p.ca;
        EXPECT_EQ(c.post_json("/api/auth/signup", json::object{}).status, 400u) << i;
    }
    EXPECT_EQ(p.cb.post_json("/api/auth/signup", json::object{}).status, 429u);
    EXPECT_EQ(p.ca.post_json("/api/auth/signup", json::object{}).status, 429u);
    // Neither an address nor a username is stored: the buckets are keyed by a keyed hash.
    auto db = open_test_database(p.dir);
    db->with_connection([](storage::Connection& c) {
        auto rows = c.query("SELECT name, key FROM rate_buckets ORDER BY name, key").rows;
        ASSERT_FALSE(rows.empty());
        for (const auto& r : rows) {
            EXPECT_EQ(r.text(1).size(), 32u) << r.text(1);
            EXPECT_EQ(r.text(1).find("127.0.0.1"), std::string::npos);
            EXPECT_EQ(r.text(1).find("target"), std::string::npos);
        }
    });
}

// The general per-address limit stays per instance by default (one database write per request
// would be its cost) and is shared with --shared-rate-limits all.
TEST(PostgresOnly, RequestLimitIsPerInstanceUnlessSharedAll) {
    auto requests_allowed = [](Pair& p) {
        int ok = 0;
        for (int i = 0; i < 8; ++i) {
            HttpClient& c = i % 2 ? p.cb : p.ca;
            auto r = c.get("/api/health");
            if (r.status == 200u)
                ++ok;
            else
                EXPECT_EQ(r.status, 429u) << r.body;
        }
        return ok;
    };
    {
        Pair per_instance({"--rate-limit", "3/1h"});
        EXPECT_EQ(requests_allowed(per_instance), 6);  // three on each
    }
    Pair shared({"--rate-limit", "3/1h", "--shared-rate-limits", "all"});
    EXPECT_EQ(requests_allowed(shared), 3);
}

// Both instances run the scheduler; the one holding the job's advisory lock does the job and the
// other skips every round, until the holder dies and the other takes over.
TEST(PostgresOnly, ScheduledJobRunsOnOneInstanceAndMovesWhenItDies) {
    const TempDir dir("glucoplay-sched");
    const std::vector<std::string> args = {
        "--rate-limit", "off", "--auth-rate-limit", "off", "--scheduler-interval", "1s"};
    ServerProcess a(Pair::options(dir, args));
    HttpClient ca(a.api_port());
    ASSERT_FALSE(a.wait_for_log([](const std::string& l) {
                      return l.find("this instance runs sensor_change_due") != std::string::npos;
                  }).empty());
    ServerProcess b(Pair::options(dir, args));
    HttpClient cb(b.api_port());
    ASSERT_TRUE(eventually([&] { return metric(cb, "glucoplay_scheduler_skipped_total") >= 2; }));
    EXPECT_EQ(metric(ca, "glucoplay_scheduler_skipped_total"), 0);
    EXPECT_GE(metric(cb, "glucoplay_scheduler_runs_total"), 2);  // it ran its rounds, skipping

    auto due_soon = [&](HttpClient& c, const std::string& name) {
        TestUser u = sign_up(c, name);
        // A G7 sensor inserted 9 days ago less two seconds: due in two seconds.
        auto r = c.post_json(
            "/api/events",
            json::object{
                {"type", "sensor_insert"},
                {"at", glucoplay::util::format_unix(glucoplay::util::now_unix() - 9 * 86400 + 2)}},
            u.auth());
        EXPECT_EQ(r.status, 201u) << r.body;
        return u;
    };
    auto reminded = [](HttpClient& c, const TestUser& u) {
        const json::value list = c.get("/api/notifications", u.auth()).json();
        for (const auto& n : list.at("items").as_array())
            if (n.at("kind").as_string() == "sensor_change_due") return true;
        return false;
    };
    auto produced = [](const ServerProcess& s) {
        return s.log_text().find("scheduler: sensor_change_due produced 1") != std::string::npos;
    };
    TestUser first = due_soon(cb, "due-first");
    ASSERT_TRUE(eventually([&] { return reminded(cb, first); }));
    EXPECT_TRUE(produced(a)) << a.log_text();
    EXPECT_FALSE(produced(b)) << b.log_text();

    // The holder dies; its session ends and B takes the lock at its next round.
    a.signal(SIGKILL);
    a.wait_exit();
    ASSERT_FALSE(b.wait_for_log(
                      [](const std::string& l) {
                          return l.find("this instance runs sensor_change_due") !=
                                 std::string::npos;
                      },
                      std::chrono::seconds(20))
                     .empty())
        << b.log_text();
    TestUser second = due_soon(cb, "due-second");
    ASSERT_TRUE(eventually([&] { return reminded(cb, second); }));
    EXPECT_TRUE(produced(b)) << b.log_text();
}
