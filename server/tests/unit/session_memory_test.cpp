// Sessions remembered as live (auth::Authenticator::authenticate_remembered), which let
// GET /api/scores/me answer on the network thread: only a session read live from the database
// within the bound, re-read in the background while in use, and forgotten at once by every
// session change the application reports. In-process (real services, temp SQLite database).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "accounts/service.hpp"
#include "app/app.hpp"
#include "auth/authenticator.hpp"
#include "http/dispatcher.hpp"
#include "http/errors.hpp"
#include "util/time.hpp"

using namespace glucoplay;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    std::filesystem::path dir;
    std::unique_ptr<app::AppContext> ctx;
    explicit Fixture(const std::string& name, unsigned pool_size = 8) {
        dir = std::filesystem::temp_directory_path() /
              ("gp-sessmem-" + name + "-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        app::Config cfg;
        cfg.data_dir = dir;
        cfg.database = "sqlite:" + (dir / "t.db").string();
        cfg.rate_limit = "off";
        cfg.auth_rate_limit = "off";
        cfg.db_pool_size = pool_size;
        ctx = app::make_context(cfg);
    }
    ~Fixture() {
        ctx.reset();
        std::filesystem::remove_all(dir);
    }
    static http::Request me(const std::string& token) {
        http::Request r;
        r.method = http::Method::get;
        r.method_text = "GET";
        http::parse_target(r, "/api/scores/me?game=racing");
        r.remote_address = "127.0.0.1";
        r.headers.set("Authorization", "Bearer " + token);
        return r;
    }
    void revoke_in_sql(const std::string& token) {
        auto claims = ctx->tokens->verify(token, util::now_unix());
        ASSERT_TRUE(claims);
        ctx->db->with_connection([&](storage::Connection& c) {
            c.query("UPDATE sessions SET revoked_at = ? WHERE jti = ?",
                    {util::now_unix(), claims->jti});
        });
    }
};

// A clock the test moves by hand.
struct ManualClock {
    auth::Authenticator::Clock::time_point now{};
    std::function<auth::Authenticator::Clock::time_point()> fn() {
        return [this] { return now; };
    }
};

// Waits (without sleeping) until `ok` holds, for up to 10 s.
bool wait_until(const std::function<bool()>& ok) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!ok()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

}  // namespace

// With reads together (PostgreSQL's default), the session reads that arrive while one is under
// way wait for it and are then made in one query, each with its own answer: a revoked session
// among them is refused alone.
TEST(SessionMemory, ReadsArrivingDuringAReadAreMadeTogetherInOneQuery) {
    Fixture f("together",
              1);  // one connection, which the test holds to keep the first read waiting
    auth::Authenticator a(*f.ctx->tokens, *f.ctx->db, 1s);
    a.set_read_together(true);
    std::vector<accounts::AccountService::SignedIn> users;
    for (int i = 0; i < 4; ++i)
        users.push_back(f.ctx->accounts->signup("together" + std::to_string(i), "long enough pw",
                                                std::nullopt));
    f.revoke_in_sql(users[2].token);
    const std::uint64_t reads_before = a.session_reads();
    std::vector<std::string> outcome(users.size());
    auto authenticate = [&](std::size_t i) {
        try {
            auto p = a.authenticate(Fixture::me(users[i].token));
            outcome[i] = p ? "user " + std::to_string(p->user_id) : "nobody";
        } catch (const http::ApiError& e) {
            outcome[i] = std::to_string(e.status()) + " " + e.what();
        }
    };
    std::optional<storage::Database::Lease> held(f.ctx->db->acquire());
    const std::uint64_t waits_before = f.ctx->db->stats().waits;
    std::thread first(authenticate, 0);
    // Its read is under way (waiting for the connection): the next three wait for it.
    ASSERT_TRUE(wait_until([&] { return f.ctx->db->stats().waits > waits_before; }));
    std::vector<std::thread> rest;
    for (std::size_t i = 1; i < users.size(); ++i) rest.emplace_back(authenticate, i);
    ASSERT_TRUE(wait_until([&] { return a.waiting_session_reads() == 3; }));
    EXPECT_EQ(a.session_reads() - reads_before, 1u);
    held.reset();
    first.join();
    for (auto& t : rest) t.join();
    EXPECT_EQ(a.session_reads() - reads_before, 2u);  // the first read, then one for the three
    EXPECT_EQ(outcome[0], "user " + std::to_string(users[0].user.id));
    EXPECT_EQ(outcome[1], "user " + std::to_string(users[1].user.id));
    EXPECT_EQ(outcome[2], "401 session ended; sign in again");
    EXPECT_EQ(outcome[3], "user " + std::to_string(users[3].user.id));
    // Alone (SQLite's default), each read is a query of its own.
    a.set_read_together(false);
    for (std::size_t i = 0; i < users.size(); ++i) authenticate(i);
    EXPECT_EQ(a.session_reads() - reads_before, 6u);
    EXPECT_EQ(outcome[2], "401 session ended; sign in again");
}

TEST(SessionMemory, OnlyASessionReadLiveWithinTheBoundIsTakenFromMemory) {
    Fixture f("bound");
    ManualClock clock;
    auth::Authenticator a(*f.ctx->tokens, *f.ctx->db, 1s, clock.fn());
    const std::string token = f.ctx->accounts->signup("ann", "long enough pw", std::nullopt).token;
    auto req = Fixture::me(token);
    EXPECT_FALSE(a.authenticate_remembered(req));  // never read
    auto who = a.authenticate(req);
    ASSERT_TRUE(who);
    auto remembered = a.authenticate_remembered(req);
    ASSERT_TRUE(remembered);
    EXPECT_EQ(remembered->user_id, who->user_id);
    EXPECT_EQ(remembered->session_id, who->session_id);
    EXPECT_FALSE(remembered->admin);
    clock.now += 999ms;
    EXPECT_TRUE(a.authenticate_remembered(req));
    clock.now += 1ms;  // read exactly 1 s ago: no longer
    EXPECT_FALSE(a.authenticate_remembered(req));
    // A token nobody verified is never taken from memory, whatever its session.
    auto other = Fixture::me(token + "x");
    EXPECT_FALSE(a.authenticate_remembered(other));
    EXPECT_FALSE(a.authenticate_remembered(Fixture::me("")));
    http::Request anonymous = Fixture::me("");
    anonymous.headers = {};
    EXPECT_FALSE(a.authenticate_remembered(anonymous));

    // A revoked or disabled session is not remembered by the read that finds it so.
    clock.now += 1h;
    f.revoke_in_sql(token);
    EXPECT_THROW(a.authenticate(req), http::ApiError);
    EXPECT_FALSE(a.authenticate_remembered(req));
    // Memory off (0): nothing is ever taken from it.
    auth::Authenticator off(*f.ctx->tokens, *f.ctx->db, 0s, clock.fn());
    const std::string t2 = f.ctx->accounts->login("ann", "long enough pw").token;
    auto r2 = Fixture::me(t2);
    ASSERT_TRUE(off.authenticate(r2));
    EXPECT_FALSE(off.authenticate_remembered(r2));
}

TEST(SessionMemory, ASessionInUseIsReadAgainInTheBackgroundOnceHalfThatOld) {
    Fixture f("reread");
    ManualClock clock;
    std::vector<std::function<void()>> queued;
    auth::Authenticator a(*f.ctx->tokens, *f.ctx->db, 1s, clock.fn());
    a.set_background([&](std::function<void()> task) { queued.push_back(std::move(task)); });
    const std::string token = f.ctx->accounts->signup("bob", "long enough pw", std::nullopt).token;
    auto req = Fixture::me(token);
    ASSERT_TRUE(a.authenticate(req));
    clock.now += 499ms;
    EXPECT_TRUE(a.authenticate_remembered(req));
    EXPECT_TRUE(queued.empty());
    clock.now += 1ms;  // half the bound: one background read, not one per request
    EXPECT_TRUE(a.authenticate_remembered(req));
    EXPECT_TRUE(a.authenticate_remembered(req));
    ASSERT_EQ(queued.size(), 1u);
    queued[0]();  // reads it live at 500 ms
    queued.clear();
    EXPECT_EQ(a.background_rereads(), 1u);
    clock.now += 900ms;  // 1.4 s after the first read, 0.9 s after the second
    EXPECT_TRUE(a.authenticate_remembered(req));
    ASSERT_EQ(queued.size(), 1u);
    // Revoked in SQL (no event): the background read finds it so and forgets it at once.
    f.revoke_in_sql(token);
    queued[0]();
    queued.clear();
    EXPECT_FALSE(a.authenticate_remembered(req));

    // A session change heard of while a background read is queued: that read stores nothing.
    const std::string t2 = f.ctx->accounts->login("bob", "long enough pw").token;
    auto r2 = Fixture::me(t2);
    ASSERT_TRUE(a.authenticate(r2));
    clock.now += 600ms;
    EXPECT_TRUE(a.authenticate_remembered(r2));
    ASSERT_EQ(queued.size(), 1u);
    a.forget_sessions();
    queued[0]();
    EXPECT_FALSE(a.authenticate_remembered(r2));
    EXPECT_EQ(a.remembered_sessions(), 0u);
}

// A task that reads due sessions again also takes, at most once a quarter of the bound, every
// other remembered session that is due and was used within two bounds (the sweep): a client
// whose requests miss the second half of its session's bound stays answered from memory, while
// one that stopped calling two bounds ago is let go, and a revoked one is forgotten as ever.
TEST(SessionMemory, SessionsUsedLatelyAreReadAgainWithTheDueOnesWithoutARequestOfTheirOwn) {
    Fixture f("sweep");
    ManualClock clock;
    std::vector<std::function<void()>> queued;
    auth::Authenticator a(*f.ctx->tokens, *f.ctx->db, 1s, clock.fn());
    a.set_background([&](std::function<void()> task) { queued.push_back(std::move(task)); });
    auto token = [&](const std::string& name) {
        return f.ctx->accounts->signup(name, "long enough pw", std::nullopt).token;
    };
    const std::string ann_token = token("sweep_ann");
    const auto ann = Fixture::me(ann_token);             // calls now and then
    const auto busy = Fixture::me(token("sweep_busy"));  // calls in every second half
    const auto idle = Fixture::me(token("sweep_idle"));  // read once, never called again
    for (const auto* r : {&ann, &busy, &idle}) ASSERT_TRUE(a.authenticate(*r));
    auto run = [&] {
        ASSERT_EQ(queued.size(), 1u);
        queued[0]();
        queued.clear();
    };
    clock.now += 300ms;
    EXPECT_TRUE(a.authenticate_remembered(ann));  // a use, not due: nothing queued
    EXPECT_TRUE(queued.empty());
    clock.now += 300ms;  // 0.6 s
    EXPECT_TRUE(a.authenticate_remembered(busy));
    run();  // busy's read again, and ann and idle with it
    EXPECT_EQ(a.background_rereads(), 3u);
    clock.now += 700ms;  // 1.3 s: ann is answered only because the sweep read it at 0.6
    EXPECT_TRUE(a.authenticate_remembered(ann));
    run();
    EXPECT_EQ(a.background_rereads(), 6u);
    clock.now += 600ms;  // 1.9 s
    EXPECT_TRUE(a.authenticate_remembered(busy));
    run();
    EXPECT_EQ(a.background_rereads(), 9u);
    clock.now += 600ms;  // 2.5 s: idle was last used 2.5 s ago, no longer swept
    EXPECT_TRUE(a.authenticate_remembered(busy));
    f.revoke_in_sql(ann_token);
    run();
    EXPECT_EQ(a.background_rereads(), 11u);         // busy and ann
    clock.now += 500ms;                             // 3 s
    EXPECT_FALSE(a.authenticate_remembered(ann));   // revoked: forgotten by the sweep's read
    EXPECT_FALSE(a.authenticate_remembered(idle));  // read at 1.9, 1.1 s ago
    EXPECT_TRUE(a.authenticate_remembered(busy));
}

// Sessions due meanwhile are read together: one background task, one query, for all of them
// (and one that ended among them is forgotten without keeping the others from being renewed).
TEST(SessionMemory, SessionsDueTogetherAreReadAgainInOneTask) {
    Fixture f("batch");
    ManualClock clock;
    std::vector<std::function<void()>> queued;
    auth::Authenticator a(*f.ctx->tokens, *f.ctx->db, 1s, clock.fn());
    a.set_background([&](std::function<void()> task) { queued.push_back(std::move(task)); });
    std::vector<std::string> tokens;
    for (int i = 0; i < 12; ++i)
        tokens.push_back(
            f.ctx->accounts->signup("many" + std::to_string(i), "long enough pw", std::nullopt)
                .token);
    for (const auto& t : tokens) ASSERT_TRUE(a.authenticate(Fixture::me(t)));
    clock.now += 600ms;
    for (const auto& t : tokens) EXPECT_TRUE(a.authenticate_remembered(Fixture::me(t)));
    ASSERT_EQ(queued.size(), 1u);  // one task for the twelve
    f.revoke_in_sql(tokens[0]);
    queued[0]();
    queued.clear();
    EXPECT_EQ(a.background_rereads(), 12u);
    EXPECT_FALSE(a.authenticate_remembered(Fixture::me(tokens[0])));
    clock.now += 900ms;  // 1.5 s after the first read: only the re-read keeps them
    for (std::size_t i = 1; i < tokens.size(); ++i)
        EXPECT_TRUE(a.authenticate_remembered(Fixture::me(tokens[i]))) << i;
    // The next round is a new task.
    EXPECT_EQ(queued.size(), 1u);
}

// A re-read reads the session rows only when the database's session-change number moved since
// they were read live: with it unchanged, the sessions in use are renewed from it alone; any
// change that can end a session (here made in SQL, with no event) makes the next re-read read
// every row again, and the session it ended is forgotten.
TEST(SessionMemory, UnchangedSessionsAreRenewedWithoutReadingTheirRows) {
    Fixture f("unchanged");
    ManualClock clock;
    std::vector<std::function<void()>> queued;
    auth::Authenticator a(*f.ctx->tokens, *f.ctx->db, 1s, clock.fn());
    a.set_background([&](std::function<void()> task) { queued.push_back(std::move(task)); });
    std::vector<std::string> tokens;
    for (int i = 0; i < 4; ++i)
        tokens.push_back(
            f.ctx->accounts->signup("same" + std::to_string(i), "long enough pw", std::nullopt)
                .token);
    for (const auto& t : tokens) ASSERT_TRUE(a.authenticate(Fixture::me(t)));
    // One round: every session in use is due, one task re-reads them.
    auto round = [&](std::size_t expect_remembered) {
        clock.now += 600ms;
        std::size_t remembered = 0;
        for (const auto& t : tokens)
            if (a.authenticate_remembered(Fixture::me(t))) ++remembered;
        EXPECT_EQ(remembered, expect_remembered);
        ASSERT_EQ(queued.size(), 1u);
        queued[0]();
        queued.clear();
    };
    round(4);  // read by authenticate(): no number known yet, so the rows are read
    EXPECT_EQ(a.background_rereads(), 4u);
    EXPECT_EQ(a.unchanged_rereads(), 0u);
    round(4);  // nothing changed since: renewed from the number alone
    EXPECT_EQ(a.background_rereads(), 8u);
    EXPECT_EQ(a.unchanged_rereads(), 4u);
    // Changes that cannot end these sessions: a sign-in, a profile edit.
    f.ctx->accounts->login("same1", "long enough pw");
    f.ctx->db->with_connection([](storage::Connection& c) {
        c.query("UPDATE users SET display_name = 'Renamed' WHERE username = 'same2'");
    });
    round(4);
    EXPECT_EQ(a.unchanged_rereads(), 8u);
    // An ended session: the next round reads every row again and forgets that one.
    f.revoke_in_sql(tokens[0]);
    round(4);
    EXPECT_EQ(a.unchanged_rereads(), 8u);
    EXPECT_FALSE(a.authenticate_remembered(Fixture::me(tokens[0])));
    // A normal request's read in between keeps the number the session was renewed with.
    clock.now += 100ms;
    ASSERT_TRUE(a.authenticate(Fixture::me(tokens[1])));
    tokens.erase(tokens.begin());
    round(3);
    EXPECT_EQ(a.unchanged_rereads(), 11u);
    // Disabled in SQL: the same.
    f.ctx->db->with_connection([](storage::Connection& c) {
        c.query("UPDATE users SET disabled = 1 WHERE username = 'same3'");
    });
    round(3);
    EXPECT_EQ(a.unchanged_rereads(), 11u);
    EXPECT_FALSE(a.authenticate_remembered(Fixture::me(tokens[2])));
    EXPECT_TRUE(a.authenticate_remembered(Fixture::me(tokens[0])));
    EXPECT_TRUE(a.authenticate_remembered(Fixture::me(tokens[1])));
}

// The application's wiring: every session change AccountService reports reaches the
// authenticator through the hub before the change returns, so the very next request of an
// ended session takes the normal way and gets its 401.
TEST(SessionMemory, EverySessionChangeEndsTheFastAnswerAtOnce) {
    Fixture f("changes");
    http::Router router = app::build_router(*f.ctx);
    http::ApiDispatcher d(router, http::CorsPolicy{}, app::dispatch_hooks(*f.ctx));
    auto& accounts = *f.ctx->accounts;
    f.ctx->accounts->create_or_promote_admin("boss", std::string("boss password 1"));
    const auto boss = accounts.login("boss", "boss password 1");
    struct Change {
        const char* name;
        std::function<void(const accounts::AccountService::SignedIn&)> apply;
    };
    const std::vector<Change> changes = {
        {"logout",
         [&](const accounts::AccountService::SignedIn& s) {
             accounts.logout(*f.ctx->authenticator->authenticate(Fixture::me(s.token)));
         }},
        {"password change elsewhere",
         [&](const accounts::AccountService::SignedIn& s) {
             auto other = accounts.login(s.user.username, "long enough pw");
             accounts.change_password(*f.ctx->authenticator->authenticate(Fixture::me(other.token)),
                                      "long enough pw", "another long pw");
         }},
        {"disabled by an admin",
         [&](const accounts::AccountService::SignedIn& s) {
             accounts.admin_update(s.user.id, std::nullopt, true);
         }},
        {"account deleted",
         [&](const accounts::AccountService::SignedIn& s) {
             accounts.delete_account(s.user.id, "long enough pw");
         }},
    };
    int n = 0;
    for (const auto& change : changes) {
        const auto s =
            accounts.signup("user" + std::to_string(n++), "long enough pw", std::nullopt);
        auto first = Fixture::me(s.token);
        ASSERT_EQ(d.dispatch(first).status, 200u) << change.name;
        auto second = Fixture::me(s.token);
        auto fast = d.try_fast(second);
        ASSERT_TRUE(fast) << change.name;
        EXPECT_EQ(fast->status, 200u) << change.name;
        change.apply(s);
        auto after = Fixture::me(s.token);
        EXPECT_FALSE(d.try_fast(after)) << change.name;
        EXPECT_EQ(d.dispatch(after).status, 401u) << change.name;
    }
    (void)boss;
}
