// glucoplay-bench-seed: writes the benchmark data set straight into a GlucoPlay SQLite database
// that `glucoplay init-db` has just created (schema and food catalog from server/migrations), so a
// million scores load in seconds instead of through a million HTTP requests.
//
//   glucoplay-bench-seed seed --database DB --out DIR [--players N --scores N ...]
//       users, racing scores with their game sessions and the player_bests rows the server would
//       have written for them, food-log entries, 90 days of 5-minute CGM readings (with their
//       per-day packs), and bearer tokens (sessions rows + JWTs signed with GLUCOPLAY_JWT_SECRET,
//       exactly what a login issues) for a pool of users. Writes DIR/tokens.txt and
//       DIR/expected.json (best, rank and player count of a few players, computed here in memory,
//       for the runner to check against GET /api/scores/me).
//   glucoplay-bench-seed sessions --database DB --out DIR --count N
//       N fresh, unscored racing sessions for the token users (session id = first + i, owned by
//       token user i % users), for the write benchmark; writes DIR/sessions.txt ("first users").
//
// This is a benchmark tool: it is not part of the server and not reachable over HTTP. It signs
// tokens with the secret the benchmark's own server is started with, as any operator could.

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "auth/passwords.hpp"
#include "auth/tokens.hpp"
#include "cgm/day_pack.hpp"
#include "games/repository.hpp"
#include "games/rules.hpp"
#include "util/time.hpp"

namespace {

using glucoplay::games::RacingRules;

// ---- a thin RAII layer over the SQLite C API (raw prepared statements: this tool inserts
// millions of rows, and the server's pool and Row types would only slow it down) ----------------

struct Db {
    sqlite3* db = nullptr;
    explicit Db(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db));
        sqlite3_busy_timeout(db, 10000);
    }
    ~Db() { sqlite3_close(db); }
    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error(sql.substr(0, 60) + ": " + msg);
        }
    }
};

struct Stmt {
    sqlite3* db;
    sqlite3_stmt* s = nullptr;
    Stmt(Db& d, const std::string& sql) : db(d.db) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error("prepare " + sql.substr(0, 60) + ": " + sqlite3_errmsg(db));
    }
    ~Stmt() { sqlite3_finalize(s); }
    Stmt& i(int k, std::int64_t v) {
        sqlite3_bind_int64(s, k, v);
        return *this;
    }
    Stmt& d(int k, double v) {
        sqlite3_bind_double(s, k, v);
        return *this;
    }
    Stmt& t(int k, const std::string& v) {
        sqlite3_bind_text(s, k, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& null(int k) {
        sqlite3_bind_null(s, k);
        return *this;
    }
    void run() {
        int rc = sqlite3_step(s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            throw std::runtime_error(std::string("insert failed: ") + sqlite3_errmsg(db));
        sqlite3_reset(s);
    }
    bool row() {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
        return false;
    }
};

// Drops the secondary indexes of `tables` for the bulk insert and recreates them from the exact
// SQL the migrations wrote (read back from sqlite_master), which is much faster than keeping
// them up to date row by row.
struct IndexesOff {
    Db& db;
    std::vector<std::pair<std::string, std::string>> saved;  // name, sql
    IndexesOff(Db& d, const std::vector<std::string>& tables) : db(d) {
        for (const auto& table : tables) {
            Stmt q(db,
                   "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                   "AND tbl_name = ?");
            q.t(1, table);
            while (q.row())
                saved.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0)),
                                   reinterpret_cast<const char*>(sqlite3_column_text(q.s, 1)));
        }
        for (const auto& [name, _] : saved) db.exec("DROP INDEX \"" + name + "\"");
    }
    void restore() {
        for (const auto& [_, sql] : saved) db.exec(sql);
        saved.clear();
    }
};

// ---- options ----------------------------------------------------------------------------------

struct Options {
    std::string command, database, out;
    std::int64_t players = 50000, scores = 1000000, food_entries = 50000, cgm_users = 100,
                 cgm_days = 90, token_users = 2000, count = 0, score_days = 60;
};

std::int64_t number(const std::string& flag, const char* text) {
    std::int64_t v = 0;
    std::string s(text);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0)
        throw std::invalid_argument(flag + " needs a whole number, got " + s);
    return v;
}

Options parse(int argc, char** argv) {
    Options o;
    if (argc < 2) throw std::invalid_argument("usage: glucoplay-bench-seed seed|sessions ...");
    o.command = argv[1];
    std::map<std::string, std::int64_t*> numbers = {{"--players", &o.players},
                                                    {"--scores", &o.scores},
                                                    {"--food-entries", &o.food_entries},
                                                    {"--cgm-users", &o.cgm_users},
                                                    {"--cgm-days", &o.cgm_days},
                                                    {"--token-users", &o.token_users},
                                                    {"--count", &o.count},
                                                    {"--score-days", &o.score_days}};
    for (int k = 2; k < argc; ++k) {
        std::string a = argv[k];
        if (k + 1 >= argc) throw std::invalid_argument(a + " needs a value");
        if (a == "--database")
            o.database = argv[++k];
        else if (a == "--out")
            o.out = argv[++k];
        else if (auto it = numbers.find(a); it != numbers.end())
            *it->second = number(a, argv[++k]);
        else
            throw std::invalid_argument("unknown option " + a);
    }
    if (o.database.empty() || o.out.empty())
        throw std::invalid_argument("--database and --out are required");
    if (o.players < 1 || o.token_users < 1 || o.token_users > o.players ||
        o.cgm_users > o.players || o.scores < o.players)
        throw std::invalid_argument(
            "need players >= 1, 1 <= token-users <= players, cgm-users <= players, "
            "scores >= players");
    return o;
}

std::string secret() {
    const char* s = std::getenv("GLUCOPLAY_JWT_SECRET");
    if (!s || std::string(s).size() < 32)
        throw std::invalid_argument("GLUCOPLAY_JWT_SECRET (32+ bytes) must be set");
    return s;
}

std::string username(std::int64_t id) {
    return "player" + std::to_string(id);
}

// ---- the data set -----------------------------------------------------------------------------

struct Score {
    std::int64_t user, value, at, started;
};

struct BestRow {
    std::int64_t best = -1, achieved_at = 0, score_id = 0;
};

void seed_users(Db& db, const Options& o, std::int64_t now) {
    // One real Argon2id hash shared by every seeded account ("bench password 1"): logins work, and
    // seeding does not spend 50 000 Argon2 runs.
    const std::string hash = glucoplay::auth::hash_password("bench password 1");
    static const char* zones[] = {"UTC", "America/New_York", "America/Los_Angeles", "Europe/Berlin",
                                  "Asia/Tokyo"};
    Stmt ins(db,
             "INSERT INTO users (id, username, username_key, display_name, password_hash, "
             "time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::int64_t id = 1; id <= o.players; ++id) {
        std::string name = username(id);
        // The CGM / food-log users (the first cgm_users) live in a few time zones, so the
        // trends and summaries do the local-day arithmetic real users make them do.
        std::string tz = id <= o.cgm_users ? zones[id % 5] : "UTC";
        ins.i(1, id)
            .t(2, name)
            .t(3, name)
            .t(4, "Player " + std::to_string(id))
            .t(5, hash)
            .t(6, tz)
            .i(7, now - 200 * 86400)
            .i(8, now - 200 * 86400)
            .run();
    }
}

// Scores over the last score_days days, every player at least one, more for some (a skewed
// distribution: a few keen players play a lot). Each player has a skill, so bests differ.
std::vector<Score> make_scores(const Options& o, std::int64_t now, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<double> skill(static_cast<std::size_t>(o.players + 1));
    for (auto& s : skill) s = 20 + 100 * std::pow(u(rng), 1.5);  // points per second
    std::vector<Score> out;
    out.reserve(static_cast<std::size_t>(o.scores));
    const std::int64_t span = o.score_days * 86400;
    for (std::int64_t k = 0; k < o.scores; ++k) {
        std::int64_t user = k < o.players
                                ? k + 1
                                : 1 + static_cast<std::int64_t>(std::pow(u(rng), 2.0) * o.players);
        user = std::min(user, o.players);
        std::int64_t at = now - 60 - static_cast<std::int64_t>(u(rng) * static_cast<double>(span));
        std::int64_t run = 60 + static_cast<std::int64_t>(u(rng) * 540);  // 1 to 10 minutes
        double pps = skill[static_cast<std::size_t>(user)] * (0.6 + 0.4 * u(rng));
        std::int64_t value = std::min<std::int64_t>(static_cast<std::int64_t>(pps * run),
                                                    glucoplay::games::racing_score_limit(run, 0));
        out.push_back(Score{user, value, at, at - run - 5});
    }
    // Score ids grow with time, as they would had the server received them.
    std::sort(out.begin(), out.end(), [](const Score& a, const Score& b) {
        return std::tie(a.at, a.user) < std::tie(b.at, b.user);
    });
    return out;
}

struct Standing {
    std::int64_t best = 0, rank = 0;
};

// rank: 1 + the players ahead (higher best; equal best reached earlier; then lower user id).
std::map<std::int64_t, Standing> standings(const std::unordered_map<std::int64_t, BestRow>& bests,
                                           const std::vector<std::int64_t>& wanted) {
    std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> order;
    order.reserve(bests.size());
    for (const auto& [user, b] : bests) order.emplace_back(-b.best, b.achieved_at, user);
    std::sort(order.begin(), order.end());
    std::map<std::int64_t, Standing> out;
    for (std::size_t r = 0; r < order.size(); ++r) {
        std::int64_t user = std::get<2>(order[r]);
        if (std::find(wanted.begin(), wanted.end(), user) != wanted.end())
            out[user] = Standing{-std::get<0>(order[r]), static_cast<std::int64_t>(r + 1)};
    }
    return out;
}

void seed_scores(Db& db, const Options& o, std::int64_t now, std::mt19937_64& rng,
                 std::ofstream& expected, const std::vector<std::int64_t>& sample) {
    auto scores = make_scores(o, now, rng);
    // player_bests exactly as games::repo::update_bests writes them, score by score in id order:
    // one row per (period key, player), raised only by a strictly greater value.
    std::unordered_map<std::int64_t, std::vector<std::string>> keys_of_day;  // UTC day -> keys
    std::map<std::string, std::unordered_map<std::int64_t, BestRow>> bests;
    {
        IndexesOff off(db, {"game_sessions", "scores"});
        Stmt session(db,
                     "INSERT INTO game_sessions (id, user_id, game, seed, started_at, expires_at, "
                     "scored_at) VALUES (?, ?, 'racing', ?, ?, ?, ?)");
        Stmt score(db,
                   "INSERT INTO scores (id, user_id, game, session_id, value, created_at, details) "
                   "VALUES (?, ?, 'racing', ?, ?, ?, '')");
        std::int64_t id = 0;
        for (const auto& s : scores) {
            ++id;
            session.i(1, id)
                .i(2, s.user)
                .i(3, static_cast<std::int64_t>(rng() % 2147483647U))
                .i(4, s.started)
                .i(5, s.started + RacingRules::session_ttl_seconds)
                .i(6, s.at)
                .run();
            score.i(1, id).i(2, s.user).i(3, id).i(4, s.value).i(5, s.at).run();
            std::int64_t day = s.at / 86400;
            auto it = keys_of_day.find(day);
            if (it == keys_of_day.end())
                it = keys_of_day.emplace(day, glucoplay::games::repo::period_keys(s.at)).first;
            for (const auto& key : it->second) {
                BestRow& b = bests[key][s.user];
                if (s.value > b.best) b = BestRow{s.value, s.at, id};
            }
        }
        off.restore();
    }
    {
        IndexesOff off(db, {"player_bests"});
        Stmt ins(db,
                 "INSERT INTO player_bests (game, period, user_id, best, achieved_at, score_id) "
                 "VALUES ('racing', ?, ?, ?, ?, ?)");
        for (const auto& [key, rows] : bests) {
            std::vector<std::int64_t> users;
            users.reserve(rows.size());
            for (const auto& [user, _] : rows) users.push_back(user);
            std::sort(users.begin(), users.end());
            for (std::int64_t user : users) {
                const BestRow& b = rows.at(user);
                ins.t(1, key).i(2, user).i(3, b.best).i(4, b.achieved_at).i(5, b.score_id).run();
            }
        }
        off.restore();
    }
    // What GET /api/scores/me must answer for a few players, all-time and this week.
    expected << "{\"players\":[";
    const auto keys = glucoplay::games::repo::period_keys(now);
    bool first = true;
    for (const char* period : {"all", "week"}) {
        const std::string key = std::string(period) == "all" ? keys[0] : keys[1];
        const auto& rows = bests[key];
        auto st = standings(rows, sample);
        for (std::int64_t user : sample) {
            expected << (first ? "" : ",") << "{\"token_index\":" << (user - 1)
                     << ",\"user_id\":" << user << ",\"period\":\"" << period
                     << "\",\"players\":" << rows.size();
            if (auto it = st.find(user); it != st.end())
                expected << ",\"best\":" << it->second.best << ",\"rank\":" << it->second.rank;
            else
                expected << ",\"best\":null,\"rank\":null";
            expected << "}";
            first = false;
        }
    }
    expected << "],\"scores\":" << scores.size() << "}\n";
}

void seed_food_log(Db& db, const Options& o, std::int64_t now, std::mt19937_64& rng) {
    if (o.food_entries == 0 || o.cgm_users == 0) return;
    struct Food {
        std::int64_t id;
        std::string name;
        std::optional<std::int64_t> gi;
        double carbs, fiber, serving;
    };
    std::vector<Food> foods;
    Stmt q(db, "SELECT id, name, gi, carbs_per_100g, fiber_per_100g, serving_g FROM foods");
    while (q.row())
        foods.push_back(Food{sqlite3_column_int64(q.s, 0),
                             reinterpret_cast<const char*>(sqlite3_column_text(q.s, 1)),
                             sqlite3_column_type(q.s, 2) == SQLITE_NULL
                                 ? std::nullopt
                                 : std::optional<std::int64_t>(sqlite3_column_int64(q.s, 2)),
                             sqlite3_column_double(q.s, 3), sqlite3_column_double(q.s, 4),
                             sqlite3_column_double(q.s, 5)});
    if (foods.empty()) throw std::runtime_error("the foods table is empty: run init-db first");
    IndexesOff off(db, {"food_log"});
    Stmt ins(db,
             "INSERT INTO food_log (user_id, food_id, food_name, custom, gi, carbs_per_100g, "
             "fiber_per_100g, grams, meal, eaten_at, created_at, updated_at) "
             "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)");
    static const char* meals[] = {"breakfast", "lunch", "dinner", "snack"};
    static const int meal_hour[] = {7, 12, 19, 16};
    std::uniform_real_distribution<double> u(0, 1);
    // Spread over the last 365 days for the CGM users (a year-long summary has them all).
    for (std::int64_t k = 0; k < o.food_entries; ++k) {
        std::int64_t user = 1 + k % o.cgm_users;
        const Food& f = foods[rng() % foods.size()];
        int meal = static_cast<int>(rng() % 4);
        std::int64_t day = now / 86400 - static_cast<std::int64_t>(rng() % 365);
        std::int64_t at =
            day * 86400 + meal_hour[meal] * 3600 + static_cast<std::int64_t>(rng() % 3600);
        double grams = std::clamp(std::round(f.serving * (0.5 + u(rng))), 1.0, 5000.0);
        ins.i(1, user).i(2, f.id).t(3, f.name);
        if (f.gi)
            ins.i(4, *f.gi);
        else
            ins.null(4);
        ins.d(5, f.carbs)
            .d(6, f.fiber)
            .d(7, grams)
            .t(8, meals[meal])
            .i(9, at)
            .i(10, at)
            .i(11, at)
            .run();
    }
    off.restore();
}

void seed_cgm(Db& db, const Options& o, std::int64_t now, std::mt19937_64& rng) {
    Stmt ins(db,
             "INSERT INTO cgm_readings (user_id, at, mg_dl, flag, source) VALUES (?, ?, ?, NULL, "
             "'clarity')");
    // The per-day packs the server reads for the trends, as cgm::repo writes them (when the
    // schema has them: an older server's, measured for comparison, does not).
    bool packs = false;
    {
        Stmt q(db,
               "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cgm_reading_days'");
        packs = q.row();
    }
    std::optional<Stmt> pack;
    if (packs)
        pack.emplace(db, "INSERT INTO cgm_reading_days (user_id, day, readings) VALUES (?, ?, ?)");
    std::normal_distribution<double> noise(0, 10);
    const std::int64_t n = o.cgm_days * 288;
    const std::int64_t start = (now / 300) * 300 - n * 300;
    for (std::int64_t user = 1; user <= o.cgm_users; ++user) {
        double phase = static_cast<double>(user % 24);
        std::vector<glucoplay::cgm::Reading> day;
        auto flush = [&] {
            if (!day.empty() && pack) {
                const std::int64_t d = glucoplay::cgm::pack::day_of(day.front().at);
                pack->i(1, user).i(2, d).t(3, glucoplay::cgm::pack::encode(d, day)).run();
            }
            day.clear();
        };
        for (std::int64_t k = 0; k < n; ++k) {
            std::int64_t at = start + k * 300;
            double g =
                140 +
                45 * std::sin((static_cast<double>(k) / 288 + phase / 24) * 2 * std::numbers::pi) +
                noise(rng);
            std::int64_t mg = std::clamp<std::int64_t>(std::llround(g), 40, 400);
            ins.i(1, user).i(2, at).i(3, mg).run();
            if (!day.empty() &&
                glucoplay::cgm::pack::day_of(at) != glucoplay::cgm::pack::day_of(day.front().at))
                flush();
            day.push_back({at, static_cast<int>(mg)});
        }
        flush();
    }
}

// A bearer token per user 1..token_users: a sessions row and a signed JWT, as a login makes.
void seed_tokens(Db& db, const Options& o, std::int64_t now, std::ofstream& tokens) {
    glucoplay::auth::TokenService issuer(secret());
    Stmt ins(db, "INSERT INTO sessions (jti, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
    for (std::int64_t user = 1; user <= o.token_users; ++user) {
        glucoplay::auth::Claims c;
        std::string token = issuer.issue(user, now, &c);
        ins.t(1, c.jti).i(2, user).i(3, c.issued_at).i(4, c.expires_at).run();
        tokens << token << "\n";
    }
}

void run_seed(const Options& o) {
    const std::int64_t now = glucoplay::util::now_unix();
    std::mt19937_64 rng(20261127);
    Db db(o.database);
    db.exec("PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;");
    std::ofstream tokens(o.out + "/tokens.txt"), expected(o.out + "/expected.json");
    if (!tokens || !expected) throw std::runtime_error("cannot write to " + o.out);
    // A sample of token users (whose tokens the runner has) spread over the id range.
    std::vector<std::int64_t> sample;
    for (std::int64_t k = 0; k < 8; ++k) sample.push_back(1 + k * (o.token_users - 1) / 7);

    db.exec("BEGIN");
    seed_users(db, o, now);
    seed_scores(db, o, now, rng, expected, sample);
    seed_food_log(db, o, now, rng);
    seed_cgm(db, o, now, rng);
    seed_tokens(db, o, now, tokens);
    db.exec("COMMIT");
    db.exec("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);");
}

// Fresh racing sessions, started 60 s ago so a few thousand points are already plausible.
void run_sessions(const Options& o) {
    const std::int64_t now = glucoplay::util::now_unix();
    std::mt19937_64 rng(static_cast<std::uint64_t>(now));
    Db db(o.database);
    db.exec("PRAGMA synchronous=OFF;");
    db.exec("BEGIN IMMEDIATE");
    std::int64_t first = 1;
    {
        Stmt q(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM game_sessions");
        if (q.row()) first = sqlite3_column_int64(q.s, 0);
    }
    Stmt ins(db,
             "INSERT INTO game_sessions (id, user_id, game, seed, started_at, expires_at) VALUES "
             "(?, ?, 'racing', ?, ?, ?)");
    const std::int64_t started = now - 60;
    for (std::int64_t k = 0; k < o.count; ++k)
        ins.i(1, first + k)
            .i(2, 1 + k % o.token_users)
            .i(3, static_cast<std::int64_t>(rng() % 2147483647U))
            .i(4, started)
            .i(5, started + RacingRules::session_ttl_seconds)
            .run();
    db.exec("COMMIT");
    std::ofstream out(o.out + "/sessions.txt");
    out << first << " " << o.token_users << " " << o.count << "\n";
    if (!out) throw std::runtime_error("cannot write " + o.out + "/sessions.txt");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options o = parse(argc, argv);
        if (o.command == "seed")
            run_seed(o);
        else if (o.command == "sessions")
            run_sessions(o);
        else
            throw std::invalid_argument("unknown command " + o.command + " (seed or sessions)");
        return 0;
    } catch (const std::invalid_argument& e) {
        std::cerr << "glucoplay-bench-seed: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "glucoplay-bench-seed: " << e.what() << "\n";
        return 1;
    }
}
