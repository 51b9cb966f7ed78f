// Games and leaderboards over HTTP: sessions, cheating refused, server-scored plates, ties,
// periods, rank far outside the top 10, the live stream, the quiz and moderation.
#include <gtest/gtest.h>

#include <thread>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "storage/database.hpp"
#include "support/accounts.hpp"
#include "support/games.hpp"
#include "support/http_client.hpp"
#include "support/metrics.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;

namespace {

class GamesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerProcess::Options o;
        o.args = {"--rate-limit", "off", "--auth-rate-limit", "off", "--sse-heartbeat", "1s"};
        server_ = std::make_unique<ServerProcess>(o);
        client_ = std::make_unique<HttpClient>(server_->api_port());
    }
    HttpClient& c() { return *client_; }
    std::unique_ptr<glucoplay::storage::Database> db() {
        return open_test_database(server_->data_dir());
    }
    std::int64_t start(const TestUser& u, const std::string& game = "racing") {
        auto r = c().post_json("/api/games/" + game + "/sessions", json::object{}, u.auth());
        EXPECT_EQ(r.status, 201u) << r.body;
        return r.json().at("session_id").as_int64();
    }
    // Moves a session's start back in time, as if the run had lasted that long.
    void age_session(std::int64_t id, int seconds) {
        glucoplay::testing::age_session(*server_, id, seconds);
    }
    HttpResponse submit(const TestUser& u, std::int64_t session, json::value score) {
        return c().post_json(
            "/api/scores",
            json::object{{"game", "racing"}, {"session_id", session}, {"score", score}}, u.auth());
    }
    // A racing score `value` for a fresh session aged enough to make it plausible.
    HttpResponse play(const TestUser& u, std::int64_t value) {
        return play_racing(c(), *server_, u, value);
    }
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
};

}  // namespace

TEST_F(GamesTest, GamesPublishTheirRules) {
    auto r = c().get("/api/games").json();
    auto items = r.at("items").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("id").as_string(), "racing");
    EXPECT_EQ(items[0].at("rules").at("max_points_per_second").as_int64(), 150);
    EXPECT_EQ(items[1].at("rules").at("max_plates").as_int64(), 3);
}

TEST_F(GamesTest, SessionsScoreOnceAndRefuseCheats) {
    auto maya = sign_up(c(), "maya");
    auto sam = sign_up(c(), "sam");
    EXPECT_EQ(c().post_json("/api/games/racing/sessions", json::object{}).status, 401u);
    EXPECT_EQ(c().post_json("/api/games/chess/sessions", json::object{}, maya.auth()).status, 404u);
    auto sr = c().post_json("/api/games/racing/sessions", json::object{}, maya.auth()).json();
    std::int64_t s = sr.at("session_id").as_int64();
    EXPECT_TRUE(sr.at("seed").is_int64());
    EXPECT_FALSE(sr.at("expires_at").as_string().empty());

    // Just started: nothing above 0 seconds x 150 is possible.
    auto impossible = submit(maya, s, 5000);
    EXPECT_EQ(impossible.status, 422u);
    EXPECT_EQ(impossible.json().at("error").at("field").as_string(), "score");
    EXPECT_NE(impossible.json().at("error").at("message").as_string().find("impossible"),
              std::string::npos);
    EXPECT_EQ(submit(maya, s, -1).status, 422u);
    EXPECT_EQ(submit(maya, s, 10.5).status, 422u);
    EXPECT_EQ(submit(maya, s, "100").status, 400u);
    // Someone else's session is refused.
    EXPECT_EQ(submit(sam, s, 0).status, 422u);

    age_session(s, 20);  // 20 s in: up to 3000 points
    auto ok = submit(maya, s, 2900);
    ASSERT_EQ(ok.status, 201u) << ok.body;
    EXPECT_EQ(ok.json().at("score").at("value").as_int64(), 2900);
    EXPECT_EQ(ok.json().at("rank").as_int64(), 1);
    EXPECT_TRUE(ok.json().at("personal_best").as_bool());
    EXPECT_TRUE(ok.json().at("in_top10").as_bool());
    auto reuse = submit(maya, s, 100);
    EXPECT_EQ(reuse.status, 422u);
    EXPECT_NE(reuse.json().at("error").at("message").as_string().find("already"),
              std::string::npos);

    // An expired session.
    auto old = start(maya);
    age_session(old, 1000);  // past the 15-minute expiry
    auto expired = submit(maya, old, 10);
    EXPECT_EQ(expired.status, 422u);
    EXPECT_NE(expired.json().at("error").at("message").as_string().find("expired"),
              std::string::npos);
    // A plate session cannot take a racing score.
    auto plate_session = start(maya, "plate");
    EXPECT_EQ(submit(maya, plate_session, 0).status, 422u);
}

TEST_F(GamesTest, LeaderboardIsOnePerPlayerBestFirstTiesToTheEarlier) {
    auto a = sign_up(c(), "alpha");
    auto b = sign_up(c(), "bravo");
    auto d = sign_up(c(), "delta");
    ASSERT_EQ(play(a, 500).status, 201u);
    ASSERT_EQ(play(b, 800).status, 201u);
    ASSERT_EQ(play(a, 700).status, 201u);  // alpha's best becomes 700
    ASSERT_EQ(play(d, 700).status, 201u);  // ties alpha, but later
    ASSERT_EQ(play(a, 600).status, 201u);  // lower than alpha's best: no change

    auto board = c().get("/api/scores?game=racing").json();
    auto e = board.at("entries").as_array();
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[0].at("display_name").as_string(), "bravo");
    EXPECT_EQ(e[1].at("display_name").as_string(), "alpha");  // reached 700 first
    EXPECT_EQ(e[2].at("display_name").as_string(), "delta");
    EXPECT_EQ(e[1].at("score").as_int64(), 700);
    EXPECT_EQ(e[2].at("rank").as_int64(), 3);
    EXPECT_EQ(c().get("/api/scores?game=racing&limit=2").json().at("entries").as_array().size(),
              2u);
    EXPECT_EQ(c().get("/api/scores?game=plate").json().at("entries").as_array().size(), 0u);
    EXPECT_EQ(c().get("/api/scores?game=tetris").status, 400u);
    EXPECT_EQ(c().get("/api/scores?game=racing&period=year").status, 400u);
    EXPECT_EQ(c().get("/api/scores?game=racing&limit=101").status, 400u);
}

TEST_F(GamesTest, PeriodsOnlyCountScoresInsideThem) {
    auto a = sign_up(c(), "today-player");
    auto old = sign_up(c(), "last-week");
    ASSERT_EQ(play(a, 300).status, 201u);
    // A score from three weeks ago, stored as the server would have stored it then.
    db()->transaction([&](glucoplay::storage::Connection& conn) {
        std::int64_t then = 1793500000;  // 2026-10-31
        auto s = conn.query(
            "INSERT INTO game_sessions (user_id, game, seed, started_at, expires_at, scored_at) "
            "VALUES (?, 'racing', 1, ?, ?, ?) RETURNING id",
            {old.id, then - 100, then + 800, then});
        auto sid = s.rows.at(0).int64(0);
        auto sc = conn.query(
            "INSERT INTO scores (user_id, game, session_id, value, created_at) VALUES (?, "
            "'racing', ?, 9000, ?) RETURNING id",
            {old.id, sid, then});
        for (const char* period : {"all", "w2026-10-26", "d2026-10-31"})
            conn.query(
                "INSERT INTO player_bests (game, period, user_id, best, achieved_at, score_id) "
                "VALUES ('racing', ?, ?, 9000, ?, ?)",
                {std::string(period), old.id, then, sc.rows.at(0).int64(0)});
    });
    auto all = c().get("/api/scores?game=racing&period=all").json().at("entries").as_array();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].at("display_name").as_string(), "last-week");
    for (const char* period : {"week", "day"}) {
        auto e = c().get(std::string("/api/scores?game=racing&period=") + period)
                     .json()
                     .at("entries")
                     .as_array();
        ASSERT_EQ(e.size(), 1u) << period;
        EXPECT_EQ(e[0].at("display_name").as_string(), "today-player") << period;
        EXPECT_EQ(e[0].at("rank").as_int64(), 1);
    }
}

TEST_F(GamesTest, MyRankFarOutsideTheTopTenWithNeighbours) {
    std::vector<TestUser> players;
    for (int i = 0; i < 14; ++i) players.push_back(sign_up(c(), "player" + std::to_string(i)));
    for (int i = 0; i < 14; ++i)
        ASSERT_EQ(play(players[i], 1000 - i * 50).status, 201u);  // p0 best ... p13 worst
    auto me = c().get("/api/scores/me?game=racing", players[12].auth()).json();
    EXPECT_EQ(me.at("rank").as_int64(), 13);
    EXPECT_EQ(me.at("players").as_int64(), 14);
    EXPECT_EQ(me.at("best").as_int64(), 400);
    auto around = me.at("around").as_array();
    ASSERT_EQ(around.size(), 4u);  // ranks 11, 12, 13 (me), 14
    EXPECT_EQ(around[0].at("rank").as_int64(), 11);
    EXPECT_EQ(around[2].at("display_name").as_string(), "player12");
    EXPECT_EQ(c().get("/api/scores?game=racing").json().at("entries").as_array().size(), 10u);
    auto nobody = c().get("/api/scores/me?game=racing", sign_up(c(), "newbie").auth()).json();
    EXPECT_TRUE(nobody.at("rank").is_null());
    EXPECT_EQ(c().get("/api/scores/me?game=racing").status, 401u);
}

// Scores submitted together are committed together (group commit): each still gets its own
// answer, a refused one its own error without touching the others, and every score is there
// exactly once afterwards. A refused submission in the batch (someone else's session, an
// impossible score) leaves its session unscored: those sessions still take their owner's score
// afterwards.
TEST_F(GamesTest, ScoresSubmittedTogetherEachGetTheirOwnAnswer) {
    constexpr int kPlayers = 12;
    std::vector<TestUser> players;
    std::vector<std::int64_t> sessions;
    for (int i = 0; i < kPlayers; ++i) {
        players.push_back(sign_up(c(), "together" + std::to_string(i)));
        sessions.push_back(start(players.back()));
        age_session(sessions.back(), 20);
    }
    // A session scored already: replaying it alongside the others must fail alone.
    const TestUser replayer = sign_up(c(), "replayer");
    const std::int64_t used = start(replayer);
    age_session(used, 20);
    ASSERT_EQ(submit(replayer, used, 700).status, 201u);
    // Someone else's live session, and an impossible score on one's own.
    const TestUser impostor = sign_up(c(), "impostor");
    const std::int64_t victim = start(players[0]);
    age_session(victim, 20);
    const TestUser cheater = sign_up(c(), "cheater");
    const std::int64_t cheat = start(cheater);
    age_session(cheat, 20);  // at most 3000 points
    const double writes_before = metric(c(), "glucoplay_score_batch_writes_total");
    const double batches_before = metric(c(), "glucoplay_score_batches_total");

    // Every submission of the batch: the players', two replays, the impostor's, the cheater's.
    struct Submission {
        const TestUser* by;
        std::int64_t session;
        std::int64_t value;
    };
    std::vector<Submission> all;
    for (int i = 0; i < kPlayers; ++i) all.push_back({&players[i], sessions[i], 1000 + 10 * i});
    constexpr int kReplays = 2;
    for (int i = 0; i < kReplays; ++i) all.push_back({&replayer, used, 800});
    const int kImpostor = static_cast<int>(all.size());
    all.push_back({&impostor, victim, 800});
    const int kCheater = static_cast<int>(all.size());
    all.push_back({&cheater, cheat, 9000});
    const int kAll = static_cast<int>(all.size());
    std::vector<HttpResponse> answers(kAll);
    std::vector<std::thread> threads;
    for (int i = 0; i < kAll; ++i)
        threads.emplace_back([&, i] {
            HttpClient own(server_->api_port());
            const Submission& s = all[i];
            answers[i] = own.post_json(
                "/api/scores",
                json::object{{"game", "racing"}, {"session_id", s.session}, {"score", s.value}},
                s.by->auth());
        });
    for (auto& t : threads) t.join();

    for (int i = 0; i < kPlayers; ++i) {
        ASSERT_EQ(answers[i].status, 201u) << answers[i].body;
        auto a = answers[i].json();
        EXPECT_EQ(a.at("score").at("value").as_int64(), 1000 + 10 * i);
        EXPECT_EQ(a.at("best").as_int64(), 1000 + 10 * i);
        EXPECT_TRUE(a.at("personal_best").as_bool());
        EXPECT_GE(a.at("rank").as_int64(), 1);
    }
    for (int i = kPlayers; i < kPlayers + kReplays; ++i) {
        EXPECT_EQ(answers[i].status, 422u) << answers[i].body;
        EXPECT_NE(answers[i].body.find("already has a score"), std::string::npos);
        EXPECT_EQ(answers[i].header("X-Content-Type-Options"), "nosniff");
    }
    EXPECT_EQ(answers[kImpostor].status, 422u) << answers[kImpostor].body;
    EXPECT_NE(answers[kImpostor].body.find("no such game session for you"), std::string::npos);
    EXPECT_EQ(answers[kCheater].status, 422u) << answers[kCheater].body;
    EXPECT_NE(answers[kCheater].body.find("impossible"), std::string::npos);
    // Every submission went through the group commit, in at least one transaction.
    EXPECT_EQ(metric(c(), "glucoplay_score_batch_writes_total"), writes_before + kAll);
    const double batches = metric(c(), "glucoplay_score_batches_total") - batches_before;
    EXPECT_GE(batches, 1);
    EXPECT_LE(batches, kAll);
    // Once each: the board ranks them by value, the replayed session still has its one score.
    for (int i = 0; i < kPlayers; ++i) {
        auto me = c().get("/api/scores/me?game=racing", players[i].auth()).json();
        EXPECT_EQ(me.at("rank").as_int64(), kPlayers - i);
        EXPECT_EQ(me.at("best").as_int64(), 1000 + 10 * i);
    }
    db()->with_connection([&](glucoplay::storage::Connection& conn) {
        EXPECT_EQ(conn.query("SELECT COUNT(*) FROM scores").rows.at(0).int64(0), kPlayers + 1);
        EXPECT_EQ(
            conn.query("SELECT value FROM scores WHERE session_id = ?", {used}).rows.at(0).int64(0),
            700);
        EXPECT_EQ(conn.query("SELECT COUNT(*) FROM game_sessions WHERE id IN (?, ?) AND "
                             "scored_at IS NOT NULL",
                             {victim, cheat})
                      .rows.at(0)
                      .int64(0),
                  0);
    });
    // The refused submissions left their sessions unscored: the owners' scores are taken.
    EXPECT_EQ(submit(players[0], victim, 1500).status, 201u);
    EXPECT_EQ(submit(cheater, cheat, 2500).status, 201u);
}

// GET /api/scores/me is answered on the network thread for a caller whose session was read
// live within --session-memory (1 s): the same answer as the normal way, and a logout, a
// password change or a deleted account ends it on the very next request.
TEST_F(GamesTest, MyStandingFromMemoryIsTheSameAnswerAndEndsWithTheSessionAtOnce) {
    std::vector<TestUser> players;
    for (int i = 0; i < 6; ++i) players.push_back(sign_up(c(), "mem" + std::to_string(i)));
    for (int i = 0; i < 6; ++i) ASSERT_EQ(play(players[i], 900 - i * 100).status, 201u);
    const TestUser& me = players[3];
    const std::string target = "/api/scores/me?game=racing";
    const auto first = c().get(target, me.auth());  // reads the session: the normal way
    ASSERT_EQ(first.status, 200u) << first.body;
    const double fast_before = metric(c(), "glucoplay_fast_path_responses_total");
    const auto again = c().get(target, me.auth());
    EXPECT_EQ(again.status, 200u);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Content-Type"), "application/json");
    EXPECT_EQ(again.header("Cache-Control"), "no-store");
    EXPECT_GE(metric(c(), "glucoplay_fast_path_responses_total"), fast_before + 1);
    EXPECT_EQ(again.json().at("rank").as_int64(), 4);
    EXPECT_EQ(again.json().at("around").as_array().size(), 5u);
    // A bad parameter is the same 400 from memory.
    EXPECT_EQ(c().get("/api/scores/me?game=tetris", me.auth()).status, 400u);
    // Names are escaped as JSON (the answer is written as text, not through Boost.JSON).
    const std::string odd_utf8 = "Zo\xc3\xab \"Z\" \\ \xf0\x9f\x98\x80";
    ASSERT_EQ(
        c().patch_json("/api/users/me", json::object{{"display_name", odd_utf8}}, players[2].auth())
            .status,
        200u);
    const auto named = c().get(target, me.auth());
    ASSERT_EQ(named.status, 200u);
    const json::value parsed = json::parse(named.body);
    bool found = false;
    for (const auto& e : parsed.at("around").as_array())
        if (e.at("display_name").as_string() == odd_utf8) found = true;
    EXPECT_TRUE(found) << named.body;
    EXPECT_EQ(json::serialize(parsed), named.body);  // byte for byte what Boost.JSON would write
    // A new best shows at once.
    ASSERT_EQ(play(me, 2000).status, 201u);
    EXPECT_EQ(c().get(target, me.auth()).json().at("rank").as_int64(), 1);

    // Logout.
    ASSERT_EQ(c().get(target, players[0].auth()).status, 200u);
    ASSERT_EQ(c().get(target, players[0].auth()).status, 200u);
    ASSERT_EQ(c().post_json("/api/auth/logout", json::object{}, players[0].auth()).status, 204u);
    auto out = c().get(target, players[0].auth());
    EXPECT_EQ(out.status, 401u) << out.body;
    EXPECT_EQ(out.error_code(), "unauthorized");

    // A password change ends the other sessions.
    auto other = c().post_json("/api/auth/login",
                               json::object{{"username", "mem1"}, {"password", kPassword}});
    ASSERT_EQ(other.status, 200u);
    const HeaderList other_auth = {
        {"Authorization", "Bearer " + std::string(other.json().at("token").as_string())}};
    ASSERT_EQ(c().get(target, other_auth).status, 200u);
    ASSERT_EQ(c().get(target, other_auth).status, 200u);
    ASSERT_EQ(c().post_json("/api/users/me/password",
                            json::object{{"current_password", kPassword},
                                         {"new_password", "another long password"}},
                            players[1].auth())
                  .status,
              204u);
    EXPECT_EQ(c().get(target, other_auth).status, 401u);
    EXPECT_EQ(c().get(target, players[1].auth()).status, 200u);  // the one that changed it

    // A deleted account.
    ASSERT_EQ(c().get(target, players[2].auth()).status, 200u);
    ASSERT_EQ(c().request("DELETE", "/api/users/me",
                          json::serialize(json::object{{"password", kPassword}}),
                          {{"Authorization", "Bearer " + players[2].token},
                           {"Content-Type", "application/json"}})
                  .status,
              204u);
    EXPECT_EQ(c().get(target, players[2].auth()).status, 401u);
}

// A score from a session that has ended, however it ended (a logout, or a change made in SQL
// that no message reports), is a 401 that writes nothing: the game session stays unscored for
// the next sign-in. On both databases.
TEST_F(GamesTest, AScoreFromAnEndedSessionIs401AndWritesNothing) {
    auto login = [&](const std::string& username) {
        auto r = c().post_json("/api/auth/login",
                               json::object{{"username", username}, {"password", kPassword}});
        EXPECT_EQ(r.status, 200u) << r.body;
        return TestUser{r.json().at("user").at("id").as_int64(), username,
                        std::string(r.json().at("token").as_string())};
    };
    auto sql = [&](const std::string& statement, std::int64_t user_id) {
        db()->with_connection(
            [&](glucoplay::storage::Connection& conn) { conn.query(statement, {user_id}); });
    };
    auto scored_sessions = [&](std::int64_t session) {
        std::int64_t n = -1;
        db()->with_connection([&](glucoplay::storage::Connection& conn) {
            n = conn.query("SELECT COUNT(*) FROM scores WHERE session_id = ?", {session})
                    .rows.at(0)
                    .int64(0);
        });
        return n;
    };
    auto other = sign_up(c(), "bystander");
    struct Ending {
        const char* how;
        std::function<void(const TestUser&)> end;
        const char* message;
        std::function<void(const TestUser&)> undo;  // lets the player sign in again
    };
    const std::vector<Ending> endings = {
        {"logout",
         [&](const TestUser& u) {
             ASSERT_EQ(c().post_json("/api/auth/logout", json::object{}, u.auth()).status, 204u);
         },
         "session ended; sign in again", nullptr},
        {"revoked in SQL",
         [&](const TestUser& u) {
             sql("UPDATE sessions SET revoked_at = 1 WHERE user_id = ?", u.id);
         },
         "session ended; sign in again", nullptr},
        {"expired early in SQL",
         [&](const TestUser& u) {
             sql("UPDATE sessions SET expires_at = 1 WHERE user_id = ?", u.id);
         },
         "session ended; sign in again", nullptr},
        {"moved to another user",
         [&](const TestUser& u) {
             db()->with_connection([&](glucoplay::storage::Connection& conn) {
                 conn.query("UPDATE sessions SET user_id = ? WHERE user_id = ?", {other.id, u.id});
             });
         },
         "session ended; sign in again", nullptr},
        {"account disabled",
         [&](const TestUser& u) { sql("UPDATE users SET disabled = 1 WHERE id = ?", u.id); },
         "this account is disabled",
         [&](const TestUser& u) { sql("UPDATE users SET disabled = 0 WHERE id = ?", u.id); }},
    };
    int n = 0;
    for (const auto& e : endings) {
        auto u = sign_up(c(), "ended" + std::to_string(n++));
        const std::int64_t s = start(u);
        age_session(s, 60);
        e.end(u);
        auto refused = submit(u, s, 100);
        EXPECT_EQ(refused.status, 401u) << e.how << ": " << refused.body;
        EXPECT_EQ(refused.error_code(), "unauthorized") << e.how;
        EXPECT_NE(refused.body.find(e.message), std::string::npos) << e.how << ": " << refused.body;
        // Refused before the body is looked at, as on every other route: a 401, not a 400.
        auto bad = c().post_json("/api/scores", json::object{{"game", "chess"}}, u.auth());
        EXPECT_EQ(bad.status, 401u) << e.how << ": " << bad.body;
        EXPECT_EQ(scored_sessions(s), 0) << e.how;
        if (e.undo) e.undo(u);
        auto again = submit(login(u.username), s, 100);
        EXPECT_EQ(again.status, 201u) << e.how << ": " << again.body;
        EXPECT_EQ(scored_sessions(s), 1) << e.how;
    }
    // A tampered token is refused before anything is read.
    const std::int64_t s = start(other);
    age_session(s, 60);
    TestUser forged = other;
    char& in_signature = forged.token[forged.token.size() - 10];  // not the last: padding bits
    in_signature = in_signature == 'a' ? 'b' : 'a';
    auto tampered = submit(forged, s, 100);
    EXPECT_EQ(tampered.status, 401u) << tampered.body;
    EXPECT_NE(tampered.body.find("invalid or expired token"), std::string::npos) << tampered.body;
    // A live session still gets the answers after the session check: 400, 422, then 201.
    EXPECT_EQ(c().post_json("/api/scores", json::object{{"game", "chess"}}, other.auth()).status,
              400u);
    EXPECT_EQ(submit(other, s, 1'000'000).status, 422u);
    EXPECT_EQ(submit(other, s, 100).status, 201u);
    EXPECT_EQ(submit(other, s, 100).status, 422u);  // scored once

    // The session of a score is read in the score's own transaction, not in a read before it
    // (Router::read_session_in_write).
    const std::int64_t s2 = start(other);
    age_session(s2, 60);
    const double reads = metric(c(), "glucoplay_session_reads_total");
    const double in_writes = metric(c(), "glucoplay_session_reads_in_writes_total");
    // and the request is handed to its write from the network thread
    // (Router::write_on_network_thread), counted with the answers that take no worker.
    const double fast = metric(c(), "glucoplay_fast_path_responses_total");
    ASSERT_GE(in_writes, 0);
    EXPECT_EQ(submit(other, s2, 100).status, 201u);
    EXPECT_EQ(metric(c(), "glucoplay_session_reads_total"), reads);
    EXPECT_EQ(metric(c(), "glucoplay_session_reads_in_writes_total"), in_writes + 1);
    EXPECT_EQ(metric(c(), "glucoplay_fast_path_responses_total"), fast + 1);
}

// With --session-memory off every request reads the session: never a fast answer for it.
TEST(GamesSessionMemory, OffSendsEveryStandingTheNormalWay) {
    ServerProcess::Options o;
    o.args = {"--rate-limit", "off", "--auth-rate-limit", "off", "--session-memory", "off"};
    ServerProcess server(o);
    HttpClient c(server.api_port());
    auto u = sign_up(c, "strict");
    const double fast_before = metric(c, "glucoplay_fast_path_responses_total");
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(c.get("/api/scores/me?game=racing", u.auth()).status, 200u);
    EXPECT_EQ(metric(c, "glucoplay_fast_path_responses_total"), fast_before);
}

TEST_F(GamesTest, PlatesAreScoredByTheServerWithFeedback) {
    auto u = sign_up(c(), "chef");
    auto find = [&](const std::string& q, const std::string& group) {
        auto items = c().get("/api/foods?q=" + q + "&plate_group=" + group + "&limit=1")
                         .json()
                         .at("items")
                         .as_array();
        EXPECT_FALSE(items.empty()) << q;
        return items.at(0).as_object();
    };
    auto veg = find("broccoli", "vegetables");
    auto protein = find("chicken", "protein");
    auto carb = find("rice", "carbohydrate");
    auto water = find("water", "drink");
    auto s = start(u, "plate");
    json::array items{
        json::object{{"food_id", veg.at("id")}, {"grams", 200}, {"section", "vegetables"}},
        json::object{{"food_id", protein.at("id")}, {"grams", 100}, {"section", "protein"}},
        json::object{{"food_id", carb.at("id")}, {"grams", 100}, {"section", "carbohydrate"}},
        json::object{{"food_id", water.at("id")}, {"grams", 250}, {"section", "drink"}}};
    json::object body{{"game", "plate"},
                      {"session_id", s},
                      {"plates", json::array{json::object{{"items", items}}}}};
    auto too_fast = c().post_json("/api/scores", body, u.auth());
    EXPECT_EQ(too_fast.status, 422u);  // a plate in under 5 s
    age_session(s, 20);
    auto r = c().post_json("/api/scores", body, u.auth());
    ASSERT_EQ(r.status, 201u) << r.body;
    auto plate = r.json().at("plates").at(0).as_object();
    EXPECT_EQ(plate.at("components").at("balance").as_int64(), 400);
    EXPECT_EQ(plate.at("components").at("placement").as_int64(), 200);
    EXPECT_EQ(plate.at("components").at("drink").as_int64(), 150);
    EXPECT_FALSE(plate.at("feedback").as_array().empty());
    std::int64_t expected = plate.at("score").as_int64() + r.json().at("time_bonus").as_int64();
    EXPECT_EQ(r.json().at("score").at("value").as_int64(), expected);
    EXPECT_EQ(r.json().at("time_bonus").as_int64(), 100);  // 20 s for one plate

    // A client cannot send its own score for a plate, and bad items name their field.
    auto s2 = start(u, "plate");
    age_session(s2, 20);
    json::object cheat{{"game", "plate"}, {"session_id", s2}, {"score", 999999}};
    EXPECT_EQ(c().post_json("/api/scores", cheat, u.auth()).status, 400u);
    json::object bad{
        {"game", "plate"},
        {"session_id", s2},
        {"plates",
         json::array{json::object{
             {"items", json::array{json::object{
                           {"food_id", veg.at("id")}, {"grams", 100}, {"section", "dessert"}}}}}}}};
    auto br = c().post_json("/api/scores", bad, u.auth());
    EXPECT_EQ(br.status, 400u);
    EXPECT_EQ(br.json().at("error").at("field").as_string(), "plates[0].items[0].section");

    // A plate from a session that has ended is refused in its write like a race: a 401 that
    // scores nothing, and the game session is there for the next sign-in.
    ASSERT_EQ(c().post_json("/api/auth/logout", json::object{}, u.auth()).status, 204u);
    body["session_id"] = s2;
    auto ended = c().post_json("/api/scores", body, u.auth());
    EXPECT_EQ(ended.status, 401u) << ended.body;
    EXPECT_NE(ended.body.find("session ended"), std::string::npos) << ended.body;
    auto login = c().post_json("/api/auth/login",
                               json::object{{"username", u.username}, {"password", kPassword}});
    ASSERT_EQ(login.status, 200u) << login.body;
    TestUser again = u;
    again.token = std::string(login.json().at("token").as_string());
    EXPECT_EQ(c().post_json("/api/scores", body, again.auth()).status, 201u);
}

TEST_F(GamesTest, QuizQuestionsHideTheAnswerAndCorrectAnswersRaiseTheLimit) {
    // The answer key, read from the data file the server was built with.
    std::ifstream in(std::string(GLUCOPLAY_SOURCE_DIR) + "/server/data/quiz.json");
    std::stringstream text;
    text << in.rdbuf();
    std::map<std::int64_t, std::int64_t> key;
    auto quiz = json::parse(text.str());
    for (const auto& q : quiz.at("questions").as_array())
        key[q.at("id").as_int64()] = q.at("correct").as_int64();
    ASSERT_FALSE(key.empty());

    auto u = sign_up(c(), "quizzer");
    auto ask = [&](std::int64_t session) {
        auto q =
            c().get("/api/games/racing/question?session_id=" + std::to_string(session), u.auth());
        EXPECT_EQ(q.status, 200u) << q.body;
        EXPECT_FALSE(q.json().as_object().contains("correct"));
        EXPECT_EQ(q.body.find("explanation"), std::string::npos);
        return q.json().at("question_id").as_int64();
    };
    auto answer = [&](std::int64_t session, std::int64_t q, std::int64_t a) {
        return c().post_json(
            "/api/games/racing/answer",
            json::object{{"session_id", session}, {"question_id", q}, {"answer_id", a}}, u.auth());
    };

    // A wrong answer: explained, but no extra points allowed.
    auto s1 = start(u);
    auto q1 = ask(s1);
    EXPECT_EQ(ask(s1), q1);  // asked again until answered (a reload is harmless)
    std::int64_t wrong = key[q1] == 1 ? 2 : 1;
    auto other_question =
        key.begin()->first == q1 ? std::next(key.begin())->first : key.begin()->first;
    auto not_asked = answer(s1, other_question, key[other_question]);
    EXPECT_EQ(not_asked.status, 422u);  // only the question this pit stop asked can be answered
    EXPECT_EQ(not_asked.json().at("error").at("field").as_string(), "question_id");
    auto w = answer(s1, q1, wrong);
    ASSERT_EQ(w.status, 200u) << w.body;
    EXPECT_FALSE(w.json().at("correct").as_bool());
    EXPECT_EQ(w.json().at("correct_answer_id").as_int64(), key[q1]);
    EXPECT_FALSE(w.json().at("explanation").as_string().empty());
    EXPECT_EQ(answer(s1, q1, key[q1]).status, 422u);  // answered: no longer the pending question
    // The next pit stop opens 30 s into the session, not before.
    auto early = c().get("/api/games/racing/question?session_id=" + std::to_string(s1), u.auth());
    EXPECT_EQ(early.status, 422u);
    EXPECT_NE(early.json().at("error").at("message").as_string().find("next pit stop"),
              std::string::npos);
    EXPECT_EQ(submit(u, s1, 250).status, 422u);
    age_session(s1, 31);
    EXPECT_NE(ask(s1), q1);  // a different question now

    // A right answer: 250 more points are possible, even at 0 s.
    auto s2 = start(u);
    auto q2 = ask(s2);
    auto r = answer(s2, q2, key[q2]);
    EXPECT_TRUE(r.json().at("correct").as_bool());
    EXPECT_EQ(submit(u, s2, 250).status, 201u);
    EXPECT_EQ(
        c().get("/api/games/racing/question?session_id=" + std::to_string(s2), u.auth()).status,
        422u);  // scored: closed
    EXPECT_EQ(c().get("/api/games/racing/question?session_id=abc", u.auth()).status, 400u);
    EXPECT_EQ(answer(s2, 99999, 1).status, 400u);
}

TEST_F(GamesTest, AdminDeletesAScoreAndTheBoardUpdates) {
    auto cheater = sign_up(c(), "cheater");
    auto honest = sign_up(c(), "honest");
    auto r = play(cheater, 3000);
    ASSERT_EQ(r.status, 201u);
    ASSERT_EQ(play(honest, 1000).status, 201u);
    ASSERT_EQ(play(cheater, 500).status, 201u);
    auto created =
        run_binary({"create-admin", "mod", "--data-dir", server_->data_dir().string()},
                   server_->data_dir(), {{"GLUCOPLAY_ADMIN_PASSWORD", "moderator pass"}});
    ASSERT_EQ(created.exit_code, 0) << created.output;
    auto login = c().post_json("/api/auth/login",
                               json::object{{"username", "mod"}, {"password", "moderator pass"}})
                     .json();
    HeaderList admin{{"Authorization", "Bearer " + std::string(login.at("token").as_string())}};
    std::string path = "/api/scores/" + std::to_string(r.json().at("score").at("id").as_int64());
    EXPECT_EQ(c().del(path, honest.auth()).status, 403u);
    EXPECT_EQ(c().del(path).status, 401u);
    // Read (and so cached) before the moderation, which must not leave the old board behind.
    ASSERT_EQ(c().get("/api/scores?game=racing").json().at("entries").at(0).at("score").as_int64(),
              3000);
    EXPECT_EQ(c().del(path, admin).status, 204u);
    EXPECT_EQ(c().del(path, admin).status, 404u);
    auto e = c().get("/api/scores?game=racing").json().at("entries").as_array();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].at("display_name").as_string(), "honest");
    EXPECT_EQ(e[1].at("display_name").as_string(), "cheater");
    EXPECT_EQ(e[1].at("score").as_int64(), 500);  // their best is recomputed from what is left
}

TEST_F(GamesTest, StreamSendsTheBoardThenEachChange) {
    RawConnection sse(server_->api_port());
    sse.send(
        "GET /api/scores/stream?game=racing HTTP/1.1\r\nHost: x\r\nAccept: "
        "text/event-stream\r\n\r\n");
    std::string got;
    auto read_until = [&](const std::string& needle) {
        for (int i = 0; i < 50 && got.find(needle) == std::string::npos; ++i)
            got += sse.read_some(200);
        return got.find(needle) != std::string::npos;
    };
    ASSERT_TRUE(read_until("event: leaderboard")) << got;
    EXPECT_NE(got.find("Content-Type: text/event-stream"), std::string::npos);
    EXPECT_NE(got.find("\"entries\":[]"), std::string::npos);
    auto u = sign_up(c(), "streamer");
    ASSERT_EQ(play(u, 1200).status, 201u);
    ASSERT_TRUE(read_until("\"display_name\":\"streamer\"")) << got;
    ASSERT_TRUE(read_until(": heartbeat")) << got;  // 1 s heartbeats in this test server
}

TEST_F(GamesTest, ClosedStreamsAreCleanedUp) {
    {
        RawConnection sse(server_->api_port());
        sse.send("GET /api/scores/stream?game=plate HTTP/1.1\r\nHost: x\r\n\r\n");
        std::string first;
        for (int i = 0; i < 50 && first.find("event: leaderboard") == std::string::npos; ++i)
            first += sse.read_some(200);
        ASSERT_NE(first.find("event: leaderboard"), std::string::npos) << first;
    }  // the client goes away
    // The next heartbeat fails to write, and the server logs the stream's end.
    auto line = server_->wait_for_log(
        [](const std::string& l) { return l.find("stream=sse") != std::string::npos; },
        std::chrono::seconds(10));
    EXPECT_NE(line.find("path=/api/scores/stream"), std::string::npos) << server_->log_text();
}

// GET /api/scores comes from memory (the leaderboard cache, answered on the network thread), and
// every change that shows on a board is there on the very next read: a score, a display name,
// a deleted account.
TEST_F(GamesTest, RepeatedBoardReadsComeFromMemoryAndShowEveryChangeAtOnce) {
    auto ana = sign_up(c(), "ana");
    auto ben = sign_up(c(), "ben");
    ASSERT_EQ(play(ana, 900).status, 201u);
    auto names = [&](const std::string& query = "") {
        std::vector<std::string> out;
        auto board = c().get("/api/scores?game=racing" + query);
        EXPECT_EQ(board.status, 200u) << board.body;
        const json::value doc = board.json();
        for (const auto& e : doc.at("entries").as_array())
            out.push_back(std::string(e.at("display_name").as_string()) + ":" +
                          std::to_string(e.at("score").as_int64()));
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(names(), V{"ana:900"});
    const double fast_before = metric(c(), "glucoplay_fast_path_responses_total");
    const double hits_before = metric(c(), "glucoplay_leaderboard_cache_hits_total");
    ASSERT_GE(fast_before, 0);
    const auto first = c().get("/api/scores?game=racing");
    const auto again = c().get("/api/scores?game=racing");
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Content-Type"), "application/json");
    EXPECT_EQ(again.header("Cache-Control"), "no-store");
    EXPECT_GE(metric(c(), "glucoplay_fast_path_responses_total"), fast_before + 2);
    EXPECT_GE(metric(c(), "glucoplay_leaderboard_cache_hits_total"), hits_before + 2);
    // Bad parameters are refused on the fast path exactly as on the normal one.
    EXPECT_EQ(c().get("/api/scores?game=tetris").status, 400u);
    EXPECT_EQ(c().get("/api/scores?game=racing&limit=0").status, 400u);

    ASSERT_EQ(play(ben, 1200).status, 201u);
    EXPECT_EQ(names(), (V{"ben:1200", "ana:900"}));
    EXPECT_EQ(names("&limit=1"), V{"ben:1200"});
    EXPECT_EQ(names("&period=day"), (V{"ben:1200", "ana:900"}));
    ASSERT_EQ(play(ana, 1500).status, 201u);
    EXPECT_EQ(names(), (V{"ana:1500", "ben:1200"}));
    EXPECT_EQ(names("&limit=1"), V{"ana:1500"});
    EXPECT_EQ(names("&period=day"), (V{"ana:1500", "ben:1200"}));
    // A run that does not beat the player's best changes no board, so no board is dropped.
    const double invalidations = metric(c(), "glucoplay_leaderboard_cache_invalidations_total");
    ASSERT_GT(invalidations, 0);
    ASSERT_EQ(play(ben, 100).status, 201u);
    EXPECT_EQ(metric(c(), "glucoplay_leaderboard_cache_invalidations_total"), invalidations);
    EXPECT_EQ(names(), (V{"ana:1500", "ben:1200"}));
    EXPECT_EQ(names("&period=day"), (V{"ana:1500", "ben:1200"}));
    // A board read again and again is refreshed in the background past half its age (1 s), not
    // left to expire under its readers; the refreshed board is the same.
    const double refreshes = metric(c(), "glucoplay_leaderboard_cache_refreshes_total");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (metric(c(), "glucoplay_leaderboard_cache_refreshes_total") == refreshes &&
           std::chrono::steady_clock::now() < deadline)
        EXPECT_EQ(names(), (V{"ana:1500", "ben:1200"}));
    EXPECT_GT(metric(c(), "glucoplay_leaderboard_cache_refreshes_total"), refreshes);
    EXPECT_EQ(names(), (V{"ana:1500", "ben:1200"}));

    // Ben's standing names his neighbours (remembered by the server), Ana among them.
    auto around = [&] {
        std::vector<std::string> out;
        const json::value me = c().get("/api/scores/me?game=racing", ben.auth()).json();
        for (const auto& e : me.at("around").as_array())
            out.push_back(std::string(e.at("display_name").as_string()));
        return out;
    };
    EXPECT_EQ(around(), (V{"ana", "ben"}));
    auto renamed =
        c().patch_json("/api/users/me", json::object{{"display_name", "Ana B."}}, ana.auth());
    ASSERT_EQ(renamed.status, 200u) << renamed.body;
    EXPECT_EQ(names(), (V{"Ana B.:1500", "ben:1200"}));
    EXPECT_EQ(around(), (V{"Ana B.", "ben"}));

    auto deleted = c().request(
        "DELETE", "/api/users/me", json::serialize(json::object{{"password", kPassword}}),
        {{"Authorization", "Bearer " + ana.token}, {"Content-Type", "application/json"}});
    ASSERT_EQ(deleted.status, 204u) << deleted.body;
    EXPECT_EQ(names(), V{"ben:1200"});
    EXPECT_EQ(names("&period=week"), V{"ben:1200"});
    EXPECT_EQ(around(), V{"ben"});
}
