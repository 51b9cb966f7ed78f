// glucoplay-bench-seed: writes the benchmark data set straight into a GlucoPlay database that
// `glucoplay init-db` has just created (schema and food catalog from server/migrations), SQLite or
// PostgreSQL, so a million scores load in seconds instead of through a million HTTP requests. The
// rows are generated here once and written through bench/seed_store.hpp (SQLite: prepared
// INSERTs; PostgreSQL: COPY), so both databases get the same data set.
//
//   glucoplay-bench-seed seed --database DB --out DIR [--players N --scores N ...]
//       users, racing scores with their game sessions and the player_bests rows the server would
//       have written for them, food-log entries, 90 days of 5-minute CGM readings (with their
//       per-day packs), and bearer tokens (sessions rows + JWTs signed with GLUCOPLAY_JWT_SECRET,
//       exactly what a login issues) for a pool of users. Writes DIR/tokens.txt and
//       DIR/expected.json (best, rank and player count of a few players, computed here in memory,
//       for the runner to check against GET /api/scores/me). On PostgreSQL it then resets the
//       identity sequences past the largest ids and runs VACUUM (ANALYZE) on the tables it filled.
//   glucoplay-bench-seed sessions --database DB --out DIR --count N
//       N fresh, unscored racing sessions for the token users (session id = first + i, owned by
//       token user i % users), for the write benchmark; writes DIR/sessions.txt ("first users").
//       Waits for the server's write lock (SQLite BEGIN IMMEDIATE, PostgreSQL the advisory lock
//       of its begin()) and leaves the id sequence past the new sessions.
//
// DB is a SQLite path (or sqlite:PATH) or a postgres:// URL.
//
// This is a benchmark tool: it is not part of the server and not reachable over HTTP. It signs
// tokens with the secret the benchmark's own server is started with, as any operator could.

#include <algorithm>
#include <charconv>
#include <chrono>
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

#include "seed_store.hpp"

#include "auth/passwords.hpp"
#include "auth/tokens.hpp"
#include "cgm/day_pack.hpp"
#include "games/repository.hpp"
#include "games/rules.hpp"
#include "util/time.hpp"

namespace {

using glucoplay::games::RacingRules;

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

void seed_users(bench::Store& db, const Options& o, std::int64_t now) {
    // One real Argon2id hash shared by every seeded account ("bench password 1"): logins work, and
    // seeding does not spend 50 000 Argon2 runs.
    const std::string hash = glucoplay::auth::hash_password("bench password 1");
    static const char* zones[] = {"UTC", "America/New_York", "America/Los_Angeles", "Europe/Berlin",
                                  "Asia/Tokyo"};
    auto ins = db.rows("users", {"id", "username", "username_key", "display_name", "password_hash",
                                 "time_zone", "created_at", "updated_at"});
    for (std::int64_t id = 1; id <= o.players; ++id) {
        std::string name = username(id);
        // The CGM / food-log users (the first cgm_users) live in a few time zones, so the
        // trends and summaries do the local-day arithmetic real users make them do.
        std::string tz = id <= o.cgm_users ? zones[id % 5] : "UTC";
        ins->i(id)
            .t(name)
            .t(name)
            .t("Player " + std::to_string(id))
            .t(hash)
            .t(tz)
            .i(now - 200 * 86400)
            .i(now - 200 * 86400)
            .end_row();
    }
    ins->finish();
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

void seed_scores(bench::Store& db, const Options& o, std::int64_t now, std::mt19937_64& rng,
                 std::ofstream& expected, const std::vector<std::int64_t>& sample) {
    auto scores = make_scores(o, now, rng);
    // player_bests exactly as games::repo::update_bests writes them, score by score in id order:
    // one row per (period key, player), raised only by a strictly greater value.
    std::unordered_map<std::int64_t, std::vector<std::string>> keys_of_day;  // UTC day -> keys
    std::map<std::string, std::unordered_map<std::int64_t, BestRow>> bests;
    {
        db.drop_indexes({"game_sessions", "scores"});
        auto session = db.rows("game_sessions", {"id", "user_id", "game", "seed", "started_at",
                                                 "expires_at", "scored_at"});
        auto score = db.rows(
            "scores", {"id", "user_id", "game", "session_id", "value", "created_at", "details"});
        std::int64_t id = 0;
        for (const auto& s : scores) {
            ++id;
            session->i(id)
                .i(s.user)
                .t("racing")
                .i(static_cast<std::int64_t>(rng() % 2147483647U))
                .i(s.started)
                .i(s.started + RacingRules::session_ttl_seconds)
                .i(s.at)
                .end_row();
            score->i(id).i(s.user).t("racing").i(id).i(s.value).i(s.at).t("").end_row();
            std::int64_t day = s.at / 86400;
            auto it = keys_of_day.find(day);
            if (it == keys_of_day.end())
                it = keys_of_day.emplace(day, glucoplay::games::repo::period_keys(s.at)).first;
            for (const auto& key : it->second) {
                BestRow& b = bests[key][s.user];
                if (s.value > b.best) b = BestRow{s.value, s.at, id};
            }
        }
        session->finish();
        score->finish();
        db.restore_indexes();
    }
    {
        db.drop_indexes({"player_bests"});
        auto ins = db.rows("player_bests",
                           {"game", "period", "user_id", "best", "achieved_at", "score_id"});
        for (const auto& [key, rows] : bests) {
            std::vector<std::int64_t> users;
            users.reserve(rows.size());
            for (const auto& [user, _] : rows) users.push_back(user);
            std::sort(users.begin(), users.end());
            for (std::int64_t user : users) {
                const BestRow& b = rows.at(user);
                ins->t("racing").t(key).i(user).i(b.best).i(b.achieved_at).i(b.score_id).end_row();
            }
        }
        ins->finish();
        db.restore_indexes();
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

void seed_food_log(bench::Store& db, const Options& o, std::int64_t now, std::mt19937_64& rng) {
    if (o.food_entries == 0 || o.cgm_users == 0) return;
    const std::vector<bench::FoodRow> foods = db.foods();
    if (foods.empty()) throw std::runtime_error("the foods table is empty: run init-db first");
    db.drop_indexes({"food_log"});
    auto ins = db.rows("food_log",
                       {"user_id", "food_id", "food_name", "custom", "gi", "carbs_per_100g",
                        "fiber_per_100g", "grams", "meal", "eaten_at", "created_at", "updated_at"});
    static const char* meals[] = {"breakfast", "lunch", "dinner", "snack"};
    static const int meal_hour[] = {7, 12, 19, 16};
    std::uniform_real_distribution<double> u(0, 1);
    // Spread over the last 365 days for the CGM users (a year-long summary has them all).
    for (std::int64_t k = 0; k < o.food_entries; ++k) {
        std::int64_t user = 1 + k % o.cgm_users;
        const bench::FoodRow& f = foods[rng() % foods.size()];
        int meal = static_cast<int>(rng() % 4);
        std::int64_t day = now / 86400 - static_cast<std::int64_t>(rng() % 365);
        std::int64_t at =
            day * 86400 + meal_hour[meal] * 3600 + static_cast<std::int64_t>(rng() % 3600);
        double grams = std::clamp(std::round(f.serving * (0.5 + u(rng))), 1.0, 5000.0);
        ins->i(user).i(f.id).t(f.name).i(0);
        if (f.gi)
            ins->i(*f.gi);
        else
            ins->null();
        ins->d(f.carbs).d(f.fiber).d(grams).t(meals[meal]).i(at).i(at).i(at).end_row();
    }
    ins->finish();
    db.restore_indexes();
}

void seed_cgm(bench::Store& db, const Options& o, std::int64_t now, std::mt19937_64& rng) {
    auto ins = db.rows("cgm_readings", {"user_id", "at", "mg_dl", "flag", "source"});
    // The per-day packs the server reads for the trends, as cgm::repo writes them; kept until the
    // readings are written (one COPY at a time on a PostgreSQL connection).
    struct Pack {
        std::int64_t user, day;
        std::string text;
    };
    std::vector<Pack> packs;
    std::normal_distribution<double> noise(0, 10);
    const std::int64_t n = o.cgm_days * 288;
    const std::int64_t start = (now / 300) * 300 - n * 300;
    for (std::int64_t user = 1; user <= o.cgm_users; ++user) {
        double phase = static_cast<double>(user % 24);
        std::vector<glucoplay::cgm::Reading> day;
        auto flush = [&] {
            if (day.empty()) return;
            const std::int64_t d = glucoplay::cgm::pack::day_of(day.front().at);
            packs.push_back(Pack{user, d, glucoplay::cgm::pack::encode(d, day)});
            day.clear();
        };
        for (std::int64_t k = 0; k < n; ++k) {
            std::int64_t at = start + k * 300;
            double g =
                140 +
                45 * std::sin((static_cast<double>(k) / 288 + phase / 24) * 2 * std::numbers::pi) +
                noise(rng);
            std::int64_t mg = std::clamp<std::int64_t>(std::llround(g), 40, 400);
            ins->i(user).i(at).i(mg).null().t("clarity").end_row();
            if (!day.empty() &&
                glucoplay::cgm::pack::day_of(at) != glucoplay::cgm::pack::day_of(day.front().at))
                flush();
            day.push_back({at, static_cast<int>(mg)});
        }
        flush();
    }
    ins->finish();
    auto days = db.rows("cgm_reading_days", {"user_id", "day", "readings"});
    for (const Pack& p : packs) days->i(p.user).i(p.day).t(p.text).end_row();
    days->finish();
}

// A bearer token per user 1..token_users: a sessions row and a signed JWT, as a login makes.
void seed_tokens(bench::Store& db, const Options& o, std::int64_t now, std::ofstream& tokens) {
    glucoplay::auth::TokenService issuer(secret());
    auto ins = db.rows("sessions", {"jti", "user_id", "created_at", "expires_at"});
    for (std::int64_t user = 1; user <= o.token_users; ++user) {
        glucoplay::auth::Claims c;
        std::string token = issuer.issue(user, now, &c);
        ins->t(c.jti).i(user).i(c.issued_at).i(c.expires_at).end_row();
        tokens << token << "\n";
    }
    ins->finish();
}

std::int64_t ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 t0)
        .count();
}

void run_seed(const Options& o) {
    const std::int64_t now = glucoplay::util::now_unix();
    std::mt19937_64 rng(20261127);
    auto db = bench::open_store(o.database, /*load=*/true);
    std::ofstream tokens(o.out + "/tokens.txt"), expected(o.out + "/expected.json");
    if (!tokens || !expected) throw std::runtime_error("cannot write to " + o.out);
    // A sample of token users (whose tokens the runner has) spread over the id range.
    std::vector<std::int64_t> sample;
    for (std::int64_t k = 0; k < 8; ++k) sample.push_back(1 + k * (o.token_users - 1) / 7);

    const auto t0 = std::chrono::steady_clock::now();
    db->begin();
    seed_users(*db, o, now);
    seed_scores(*db, o, now, rng, expected, sample);
    seed_food_log(*db, o, now, rng);
    seed_cgm(*db, o, now, rng);
    seed_tokens(*db, o, now, tokens);
    db->commit();
    const std::int64_t rows_ms = ms_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    db->after_load({"users", "game_sessions", "scores", "player_bests", "food_log", "cgm_readings",
                    "cgm_reading_days", "sessions"});
    std::cerr << "glucoplay-bench-seed: " << db->describe() << ": rows and indexes in " << rows_ms
              << " ms, then " << ms_since(t1) << " ms to finish (" << db->after_load_what()
              << ")\n";
}

// Fresh racing sessions, started 60 s ago so a few thousand points are already plausible.
void run_sessions(const Options& o) {
    const std::int64_t now = glucoplay::util::now_unix();
    std::mt19937_64 rng(static_cast<std::uint64_t>(now));
    auto db = bench::open_store(o.database, /*load=*/false);
    db->begin();
    db->lock_like_the_server();
    const std::int64_t first = db->next_id("game_sessions");
    auto ins =
        db->rows("game_sessions", {"id", "user_id", "game", "seed", "started_at", "expires_at"});
    const std::int64_t started = now - 60;
    for (std::int64_t k = 0; k < o.count; ++k)
        ins->i(first + k)
            .i(1 + k % o.token_users)
            .t("racing")
            .i(static_cast<std::int64_t>(rng() % 2147483647U))
            .i(started)
            .i(started + RacingRules::session_ttl_seconds)
            .end_row();
    ins->finish();
    db->reset_sequences({"game_sessions"});
    db->commit();
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
