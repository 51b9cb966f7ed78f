// Racing scores written together (GameService's combined write, storage::GroupCommit's Combine)
// leave exactly what the same scores written one after another leave: the same answers, the same
// rows, the same notifications. On both databases (the API suite runs on each).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accounts/repository.hpp"
#include "auth/authenticator.hpp"
#include "auth/tokens.hpp"
#include "events/hub.hpp"
#include "food/catalog.hpp"
#include "games/repository.hpp"
#include "games/service.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "notifications/notifications.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"
#include "util/time.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace glucoplay;
using glucoplay::testing::drop_database_for;
using glucoplay::testing::make_temp_dir;
using glucoplay::testing::open_test_database;

namespace {

// Tasks posted by the service's group commit, run when the test says.
struct ManualPool {
    std::vector<std::function<void()>> tasks;
    void run_all() {
        while (!tasks.empty()) {
            auto t = std::move(tasks.front());
            tasks.erase(tasks.begin());
            t();
        }
    }
};

// A database with players and sessions, and a GameService on it.
class World {
  public:
    explicit World(const std::string& name) : dir_(make_temp_dir("glucoplay-" + name)) {
        db_ = open_test_database(dir_);
        storage::migrate(*db_, storage::builtin_migrations());
        games_ = std::make_unique<games::GameService>(*db_, foods_, hub_, notifier_);
        auth_ = std::make_unique<auth::Authenticator>(tokens_, *db_);
        games_->set_session_check(
            [this](storage::Connection& c, const std::vector<const http::Principal*>& callers,
                   std::int64_t now) { return auth_->sessions_in_write(c, callers, now); });
    }
    ~World() {
        games_.reset();
        auth_.reset();
        db_.reset();
        drop_database_for(dir_);
        fs::remove_all(dir_);
    }
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    storage::Database& db() { return *db_; }
    games::GameService& games() { return *games_; }
    const auth::Authenticator& authenticator() const { return *auth_; }
    // Score submissions queue until run_all() (one batch), instead of committing at once.
    void hold_writes() {
        games_->set_background([this](std::function<void()> t) { pool_.tasks.push_back(t); });
    }
    void run_all() { pool_.run_all(); }

    void add_player(std::int64_t u) {
        db_->with_connection([&](storage::Connection& c) {
            c.query(
                "INSERT INTO users (id, username, username_key, display_name, password_hash, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 0, 0)",
                {u, "u" + std::to_string(u), "u" + std::to_string(u), "U" + std::to_string(u)});
        });
    }
    // A live racing session of player `u`, started `age` seconds ago (lasting `ttl` from then).
    std::int64_t session(std::int64_t u, std::int64_t age, std::int64_t ttl = 900) {
        const std::int64_t now = util::now_unix();
        return db_->with_connection([&](storage::Connection& c) {
            return c.insert_row(
                "INSERT INTO game_sessions (user_id, game, seed, started_at, expires_at) VALUES "
                "(?, 'racing', 1, ?, ?)",
                {u, now - age, now - age + ttl});
        });
    }
    // A past score of `value`, `age` seconds ago, as its player's best on every board it is on.
    void past_score(std::int64_t u, std::int64_t value, std::int64_t age = 5000) {
        const std::int64_t at = util::now_unix() - age;
        db_->transaction([&](storage::Connection& c) {
            const std::int64_t sid = c.insert_row(
                "INSERT INTO game_sessions (user_id, game, seed, started_at, expires_at, "
                "scored_at) VALUES (?, 'racing', 1, ?, ?, ?)",
                {u, at - 100, at + 800, at});
            const std::int64_t id = games::repo::insert_score(c, u, "racing", sid, value, at, "");
            games::repo::update_bests(c, "racing", u, id, value, at);
        });
    }
    // A sign-in of player `u` (its token's jti), live or revoked.
    void sign_in(std::int64_t u, const std::string& jti, bool revoked = false) {
        const std::int64_t now = util::now_unix();
        db_->with_connection([&](storage::Connection& c) {
            c.query(
                "INSERT INTO sessions (jti, user_id, created_at, expires_at, revoked_at) VALUES "
                "(?, ?, ?, ?, ?)",
                {jti, u, now - 60, now + 3600,
                 revoked ? storage::Value(now - 1) : storage::Value(nullptr)});
        });
    }
    void disable(std::int64_t u) {
        db_->with_connection([&](storage::Connection& c) {
            c.query("UPDATE users SET disabled = 1 WHERE id = ?", {u});
        });
    }
    void switch_off(std::int64_t u, const std::string& kind) {
        db_->with_connection([&](storage::Connection& c) {
            notifications::repo::set_preference(c, u, kind, false);
        });
    }

    // What is stored, without the instants (the two worlds may write in different seconds).
    std::vector<std::string> dump() {
        std::vector<std::string> out;
        db_->with_connection([&](storage::Connection& c) {
            auto rows = [&](const std::string& label, const std::string& sql) {
                for (const auto& r : c.query(sql).rows) {
                    std::string line = label;
                    for (std::size_t i = 0; i < r.size(); ++i)
                        line += " " + (r.is_null(i) ? std::string("NULL") : r.text(i));
                    out.push_back(line);
                }
            };
            rows("score", "SELECT id, user_id, session_id, value, details FROM scores ORDER BY id");
            rows("session",
                 "SELECT id, CASE WHEN scored_at IS NULL THEN 'open' ELSE 'scored' END FROM "
                 "game_sessions ORDER BY id");
            // Every board's row (the week and day keys by their letter: the worlds may write
            // in different seconds, never on different boards but for a midnight between them).
            rows("best",
                 "SELECT substr(period, 1, 1), user_id, best, score_id FROM player_bests ORDER BY "
                 "substr(period, 1, 1), user_id, period");
            rows("bests",
                 "SELECT user_id, COUNT(*) FROM player_bests GROUP BY user_id ORDER BY "
                 "user_id");
            rows("note", "SELECT id, user_id, kind, message, data FROM notifications ORDER BY id");
        });
        return out;
    }

  private:
    fs::path dir_;
    std::unique_ptr<storage::Database> db_;
    food::FoodCatalog foods_{food::builtin_foods()};
    events::Hub hub_;
    notifications::Notifier notifier_{hub_};
    std::unique_ptr<games::GameService> games_;
    auth::TokenService tokens_{std::string(32, 'k')};
    std::unique_ptr<auth::Authenticator> auth_;
    ManualPool pool_;
};

// An answer as text: the JSON without its instants, or the error's status and message.
std::string describe(std::exception_ptr error, const json::value& answer) {
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const http::ApiError& e) {
            return std::to_string(e.status()) + " " + e.what();
        } catch (const std::exception& e) {
            return std::string("error ") + e.what();
        }
    }
    json::value a = answer;
    a.as_object().at("score").as_object().erase("created_at");
    return http::to_json_text(a);
}

struct Submission {
    std::int64_t user;
    std::int64_t session;  // an index into the world's sessions, or -1 for one that never was
    std::int64_t value;
    // The caller's token's jti, its session read in the write; empty: read before (as a caller
    // of the service that read it already).
    std::string jti = "";
};

// The same players, boards and sessions in each world.
std::vector<std::int64_t> set_up(World& w) {
    for (std::int64_t u = 1; u <= 14; ++u) w.add_player(u);
    for (std::int64_t u = 1; u <= 10; ++u) w.past_score(u, 5000 + u);  // the top 10: 5001-5010
    w.past_score(11, 100);
    w.past_score(13, 2000);
    w.past_score(14, 100);
    w.switch_off(14, "personal_best");
    // The rank boards loaded now: a board first read after a batch's commit would hold the later
    // scores of the batch already when the first one's rank is answered.
    for (const std::string period : {"all", "week", "day"})
        w.games().my_standing(11, "racing", period);
    return {
        w.session(11, 30),      // 0
        w.session(12, 30),      // 1
        w.session(11, 30),      // 2
        w.session(13, 30),      // 3
        w.session(14, 30),      // 4
        w.session(12, 30),      // 5
        w.session(11, 30),      // 6: p11's, submitted by p13
        w.session(13, 10),      // 7: 10 s in, at most 1500 points
        w.session(12, 30, 20),  // 8: expired 10 s ago
        w.session(11, 30),      // 9
        w.session(12, 30),      // 10
    };
}

// Submits in order and returns each answer, once every one has been answered.
std::vector<std::string> submit_all(World& w, const std::vector<std::int64_t>& sessions,
                                    const std::vector<Submission>& all, bool together) {
    std::vector<std::string> answers(all.size());
    if (together) w.hold_writes();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::int64_t session = all[i].session < 0 ? 999999 : sessions.at(all[i].session);
        const http::Principal caller{all[i].user, false, all[i].jti, all[i].jti.empty()};
        w.games().submit_racing(
            caller, session, all[i].value,
            [&answers, i](std::exception_ptr e, json::value a) { answers[i] = describe(e, a); });
    }
    if (together) w.run_all();
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_FALSE(answers[i].empty()) << i;
    return answers;
}

}  // namespace

TEST(ScoreBatch, RacingScoresWrittenTogetherLeaveWhatTheyLeaveOneAfterAnother) {
    // Below the 10th best (5001), so the run is written together.
    const std::vector<Submission> all = {
        {11, 0, 500},   // a new best over 100: notified
        {12, 1, 300},   // a first score: a best, not a "new" one
        {11, 2, 400},   // below the 500 just written
        {11, 0, 600},   // session 0 again: scored by the first submission
        {13, 3, 1500},  // below 2000
        {14, 4, 900},   // a new best, with the notification switched off
        {12, 5, 300},   // equal to the 300 just written: the earlier one stays the best
        {13, 6, 700},   // someone else's session
        {13, 7, 1600},  // impossible 10 s in
        {12, 8, 200},   // expired
        {13, -1, 100},  // no such session
        {11, 9, 800},   // a new best over the run's own 500: notified as over 500
        {15, 11, 900},  // below 3000 of 8 days ago: this week's and today's best, not all-time
    };
    World one("batch-one"), together("batch-together");
    auto sessions_one = set_up(one);
    auto sessions_together = set_up(together);
    for (World* w : {&one, &together}) {
        w->add_player(15);
        w->past_score(15, 3000, 8 * 86400);
    }
    sessions_one.push_back(one.session(15, 30));
    sessions_together.push_back(together.session(15, 30));
    ASSERT_EQ(one.dump(), together.dump());

    const auto answers_one = submit_all(one, sessions_one, all, false);
    const auto answers_together = submit_all(together, sessions_together, all, true);
    EXPECT_EQ(answers_one, answers_together);
    EXPECT_EQ(one.dump(), together.dump());
    // Written together indeed: one batch, every score through the combined write.
    EXPECT_EQ(together.games().score_batches().batches, 1u);
    EXPECT_EQ(together.games().score_batches().combined, all.size());
    EXPECT_EQ(one.games().score_batches().combined, 0u);

    // What the answers say, worked out by hand.
    EXPECT_NE(answers_one[0].find("\"best\":500,\"personal_best\":true"), std::string::npos)
        << answers_one[0];
    EXPECT_NE(answers_one[2].find("\"best\":500,\"personal_best\":false"), std::string::npos)
        << answers_one[2];
    EXPECT_EQ(answers_one[3], "422 this session already has a score; start a new game");
    EXPECT_NE(answers_one[6].find("\"best\":300,\"personal_best\":false"), std::string::npos)
        << answers_one[6];
    EXPECT_EQ(answers_one[7], "422 no such game session for you");
    EXPECT_EQ(answers_one[8].rfind("422 a score of 1600 is impossible 10 s into the session", 0),
              0u)
        << answers_one[8];
    EXPECT_EQ(answers_one[9], "422 this session expired; start a new game");
    EXPECT_EQ(answers_one[10], "422 no such game session for you");
    EXPECT_NE(answers_one[11].find("\"best\":800,\"personal_best\":true"), std::string::npos)
        << answers_one[11];
    EXPECT_NE(answers_one[12].find("\"best\":3000,\"personal_best\":false"), std::string::npos)
        << answers_one[12];
    // p15's week and day boards get the 900 (the 3000 is on older ones), the all-time one not.
    std::vector<std::string> p15;
    for (const auto& line : together.dump())
        if (line.rfind("best ", 0) == 0 && line.find(" 15 ") != std::string::npos)
            p15.push_back(line.substr(0, line.rfind(' ')));
    const std::vector<std::string> p15_boards = {
        "best a 15 3000", "best d 15 3000", "best d 15 900", "best w 15 3000", "best w 15 900"};
    EXPECT_EQ(p15, p15_boards);
    std::vector<std::string> notes;
    for (const auto& line : together.dump())
        if (line.rfind("note ", 0) == 0) notes.push_back(line);
    ASSERT_EQ(notes.size(), 2u);  // p11's two new bests; p14's is switched off
    EXPECT_NE(notes[0].find("(your best was 100)"), std::string::npos) << notes[0];
    EXPECT_NE(notes[1].find("(your best was 500)"), std::string::npos) << notes[1];
}

TEST(ScoreBatch, ARunWithAScoreThatCanEnterTheTopTenIsWrittenOneByOne) {
    // 6000 beats the 10th best: top10_entered and top10_lost come from reads of the board, so
    // the run is written score by score (the same outcome, nothing combined).
    const std::vector<Submission> all = {{11, 0, 4400}, {12, 1, 300}, {11, 2, 400}};
    World one("batch-top-one"), together("batch-top-together");
    const auto sessions_one = set_up(one);
    const auto sessions_together = set_up(together);
    // The top 10 lowered to 4001-4010, so that 4400 enters it (pushing out player 1's 4001).
    for (World* w : {&one, &together})
        w->db().with_connection([](storage::Connection& c) {
            c.query("UPDATE player_bests SET best = best - 1000 WHERE user_id <= 10");
        });
    const auto answers_one = submit_all(one, sessions_one, all, false);
    const auto answers_together = submit_all(together, sessions_together, all, true);
    EXPECT_EQ(answers_one, answers_together);
    EXPECT_EQ(one.dump(), together.dump());
    EXPECT_EQ(together.games().score_batches().batches, 1u);
    EXPECT_EQ(together.games().score_batches().combined, 0u);
    std::size_t entered = 0, lost = 0;
    for (const auto& line : together.dump()) {
        entered += line.find(" top10_entered ") != std::string::npos;
        lost += line.find(" top10_lost ") != std::string::npos;
    }
    EXPECT_EQ(entered, 1u);
    EXPECT_EQ(lost, 1u);
}

// Callers whose sessions the request did not read have them read in the write, for a whole run
// in one query: one whose session ended (revoked, someone else's, unknown, a disabled account)
// gets its 401 whatever its score, and leaves nothing, one score after another or together.
TEST(ScoreBatch, CallersSessionsAreReadInTheWriteAndOneThatEndedRefusesItsScoreAlone) {
    const std::vector<Submission> all = {
        {11, 0, 500, "a11"},   // live: a new best
        {13, 3, 1500, "r13"},  // revoked: 401, session 3 left open
        {13, 3, 1400, "a13"},  // live: scores session 3
        {14, 4, 900, "a14"},   // a disabled account
        {11, 2, 400, "a12"},   // player 12's sign-in presented for player 11
        {12, 1, 300, "a12"},   // live: a first score
        {13, 0, 600, "r13"},   // revoked, and a session scored already: the 401, not the 422
        {11, 9, 800},          // read before: not read again
        {12, 5, 100, "nope"},  // no such sign-in
    };
    World one("signin-one"), together("signin-together");
    std::vector<std::int64_t> sessions[2];
    int k = 0;
    for (World* w : {&one, &together}) {
        sessions[k++] = set_up(*w);
        w->sign_in(11, "a11");
        w->sign_in(12, "a12");
        w->sign_in(13, "a13");
        w->sign_in(13, "r13", true);
        w->sign_in(14, "a14");
        w->disable(14);
    }
    ASSERT_EQ(one.dump(), together.dump());
    const auto answers_one = submit_all(one, sessions[0], all, false);
    const auto answers_together = submit_all(together, sessions[1], all, true);
    EXPECT_EQ(answers_one, answers_together);
    EXPECT_EQ(one.dump(), together.dump());
    EXPECT_EQ(together.games().score_batches().combined, all.size());

    const std::string ended = "401 session ended; sign in again";
    EXPECT_NE(answers_one[0].find("\"best\":500,\"personal_best\":true"), std::string::npos)
        << answers_one[0];
    EXPECT_EQ(answers_one[1], ended);
    EXPECT_NE(answers_one[2].find("\"value\":1400"), std::string::npos) << answers_one[2];
    EXPECT_EQ(answers_one[3], "401 this account is disabled");
    EXPECT_EQ(answers_one[4], ended);
    EXPECT_NE(answers_one[5].find("\"value\":300"), std::string::npos) << answers_one[5];
    EXPECT_EQ(answers_one[6], ended);
    EXPECT_NE(answers_one[7].find("\"best\":800,\"personal_best\":true"), std::string::npos)
        << answers_one[7];
    EXPECT_EQ(answers_one[8], ended);
    // Four scores stored (a11, a13, a12, the one read before), and session 4 (disabled) open.
    std::size_t scores = 0;
    for (const auto& line : together.dump()) scores += line.rfind("score ", 0) == 0 ? 1 : 0;
    EXPECT_EQ(scores, 4u + 13u);  // 13 past scores from set_up
    // Every session read in the writes (each once), none before them.
    for (World* w : {&one, &together}) {
        EXPECT_EQ(w->authenticator().sessions_read_in_writes(), all.size() - 1);
        EXPECT_EQ(w->authenticator().session_reads(), 0u);
    }
}

// The sessions of a batch's callers are read in chunks of a power of two: every jti asked is
// answered once, whatever the count, repeats and the chunk edges (256, then 64 for the rest).
TEST(ScoreBatch, LiveSessionsAnswersEveryJtiAskedAcrossChunksAndRepeats) {
    World w("live-sessions");
    constexpr std::int64_t kPlayers = 300;
    for (std::int64_t u = 1; u <= kPlayers; ++u) {
        w.add_player(u);
        w.sign_in(u, "j" + std::to_string(u), /*revoked=*/u % 7 == 0);
    }
    w.disable(kPlayers);
    std::vector<std::string> asked{"unknown"};
    for (std::int64_t u = kPlayers; u >= 1; --u) asked.push_back("j" + std::to_string(u));
    for (std::int64_t u = 1; u <= 20; ++u) asked.push_back("j" + std::to_string(u));  // repeats
    const auto live = w.db().with_connection([&](storage::Connection& c) {
        return accounts::repo::live_sessions(c, asked, util::now_unix());
    });
    std::size_t expected = 0;
    for (std::int64_t u = 1; u <= kPlayers; ++u) {
        auto it = live.find("j" + std::to_string(u));
        if (u % 7 == 0) {
            EXPECT_EQ(it, live.end()) << "revoked session of player " << u;
            continue;
        }
        ++expected;
        ASSERT_NE(it, live.end()) << "live session of player " << u;
        EXPECT_EQ(it->second.user_id, u);
        EXPECT_EQ(it->second.state.disabled, u == kPlayers);
    }
    EXPECT_EQ(live.size(), expected);  // and nothing for "unknown"
    // Fewer than a chunk, with the same jti asked twice.
    const auto two = w.db().with_connection([&](storage::Connection& c) {
        return accounts::repo::live_sessions(c, {"j3", "j3", "j5"}, util::now_unix());
    });
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two.at("j3").user_id, 3);
    EXPECT_EQ(two.at("j5").user_id, 5);
}
