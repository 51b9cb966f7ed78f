#include "games/repository.hpp"

#include "util/time.hpp"

namespace glucoplay::games::repo {

namespace {

constexpr std::int64_t kDay = 86400;

// `prefix` and the UTC day of instant `t` ("d2026-12-04"). Appended rather than written as
// `"d" + std::string`, on which GCC 12 at -O3 (the Release build) warns -Wrestrict, a false
// positive inside std::string's insert.
std::string prefixed_day(char prefix, std::int64_t t) {
    std::string key(1, prefix);
    key += util::format_day(util::utc_day_of(t));
    return key;
}

std::string day_key(std::int64_t t) {
    return prefixed_day('d', t);
}

// Weeks start on Monday 00:00 UTC. 1970-01-01 was a Thursday, so day 4 (1970-01-05) is a Monday.
std::string week_key(std::int64_t t) {
    std::int64_t days = (t >= 0 ? t / kDay : (t - kDay + 1) / kDay);
    std::int64_t monday = days - (((days - 4) % 7) + 7) % 7;
    return prefixed_day('w', monday * kDay);
}

constexpr const char* kSessionColumns =
    "id, user_id, game, seed, started_at, expires_at, scored_at, quiz_correct, pending_question, "
    "questions_served";

Session to_session(const storage::Row& r) {
    return Session{r.int64(0), r.int64(1),     r.text(2),  r.int64(3),     r.int64(4),
                   r.int64(5), r.opt_int64(6), r.int64(7), r.opt_int64(8), r.int64(9)};
}

}  // namespace

std::vector<std::string> period_keys(std::int64_t t) {
    return {"all", week_key(t), day_key(t)};
}

std::string period_key(const std::string& period, std::int64_t now) {
    if (period == "week") return week_key(now);
    if (period == "day") return day_key(now);
    return "all";
}

Session insert_session(storage::Connection& c, std::int64_t user_id, const std::string& game,
                       std::int64_t seed, std::int64_t now, std::int64_t ttl) {
    const std::int64_t id = c.insert_row(
        "INSERT INTO game_sessions (user_id, game, seed, started_at, expires_at) VALUES (?, ?, ?, "
        "?, ?)",
        {user_id, game, seed, now, now + ttl});
    return Session{id, user_id, game, seed, now, now + ttl, std::nullopt, 0, std::nullopt, 0};
}

std::optional<Session> find_session(storage::Connection& c, std::int64_t id) {
    auto r = c.query(std::string("SELECT ") + kSessionColumns + " FROM game_sessions WHERE id = ?",
                     {id});
    if (r.rows.empty()) return std::nullopt;
    return to_session(r.rows.front());
}

std::map<std::int64_t, Session> find_sessions(storage::Connection& c,
                                              const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, Session> out;
    if (ids.empty()) return out;
    const std::vector<storage::Value> params(ids.begin(), ids.end());
    for (const auto& r :
         c.query(std::string("SELECT ") + kSessionColumns + " FROM game_sessions WHERE id IN (" +
                     storage::repeated_placeholders("?", ids.size()) + ")",
                 params)
             .rows) {
        Session s = to_session(r);
        out.emplace(s.id, std::move(s));
    }
    return out;
}

std::int64_t mark_all_scored(storage::Connection& c, const std::vector<std::int64_t>& session_ids,
                             std::int64_t now) {
    if (session_ids.empty()) return 0;
    std::vector<storage::Value> params{now};
    params.insert(params.end(), session_ids.begin(), session_ids.end());
    return c
        .query("UPDATE game_sessions SET scored_at = ? WHERE scored_at IS NULL AND id IN (" +
                   storage::repeated_placeholders("?", session_ids.size()) + ")",
               params)
        .affected;
}

bool mark_scored(storage::Connection& c, std::int64_t session_id, std::int64_t now) {
    return c.query("UPDATE game_sessions SET scored_at = ? WHERE id = ? AND scored_at IS NULL",
                   {now, session_id})
               .affected == 1;
}

void set_pending_question(storage::Connection& c, std::int64_t session_id,
                          std::optional<std::int64_t> question_id, bool count_as_served) {
    c.query(
        "UPDATE game_sessions SET pending_question = ?, questions_served = questions_served + ? "
        "WHERE id = ?",
        {question_id ? storage::Value(*question_id) : storage::Value(nullptr),
         std::int64_t{count_as_served ? 1 : 0}, session_id});
}

std::vector<std::int64_t> answered_questions(storage::Connection& c, std::int64_t session_id) {
    std::vector<std::int64_t> out;
    for (const auto& r :
         c.query("SELECT question_id FROM quiz_answers WHERE session_id = ?", {session_id}).rows)
        out.push_back(r.int64(0));
    return out;
}

bool record_answer(storage::Connection& c, std::int64_t session_id, std::int64_t question_id,
                   bool correct) {
    auto r = c.query(
        "INSERT INTO quiz_answers (session_id, question_id, correct) VALUES (?, ?, ?) "
        "ON CONFLICT (session_id, question_id) DO NOTHING",
        {session_id, question_id, std::int64_t{correct ? 1 : 0}});
    if (r.affected == 0) return false;
    if (correct)
        c.query("UPDATE game_sessions SET quiz_correct = quiz_correct + 1 WHERE id = ?",
                {session_id});
    return true;
}

std::int64_t insert_score(storage::Connection& c, std::int64_t user_id, const std::string& game,
                          std::int64_t session_id, std::int64_t value, std::int64_t now,
                          const std::string& details) {
    return c.insert_row(
        "INSERT INTO scores (user_id, game, session_id, value, created_at, details) VALUES (?, ?, "
        "?, ?, ?, ?)",
        {user_id, game, session_id, value, now, details});
}

std::vector<std::int64_t> insert_scores(storage::Connection& c, const std::string& game,
                                        const std::vector<NewScore>& scores) {
    if (scores.empty()) return {};
    std::vector<storage::Value> params;
    params.reserve(6 * scores.size());
    for (const auto& s : scores)
        params.insert(params.end(),
                      {s.user_id, game, s.session_id, s.value, s.created_at, s.details});
    auto r = c.query(
        "INSERT INTO scores (user_id, game, session_id, value, created_at, details) "
        "VALUES " +
            storage::repeated_placeholders("(?, ?, ?, ?, ?, ?)", scores.size()) + " RETURNING id",
        params);
    return storage::ids_in_values_order(r, scores.size());
}

void update_bests(storage::Connection& c, const std::string& game, std::int64_t user_id,
                  std::int64_t score_id, std::int64_t value, std::int64_t at) {
    // Every period's row in one statement (a row each, so none is touched twice): one statement
    // of the score's transaction instead of three.
    std::vector<BestRaise> raises;
    for (auto& key : period_keys(at))
        raises.push_back(BestRaise{std::move(key), user_id, value, at, score_id});
    raise_bests(c, game, raises);
}

void raise_bests(storage::Connection& c, const std::string& game,
                 const std::vector<BestRaise>& raises) {
    if (raises.empty()) return;
    std::vector<storage::Value> params;
    params.reserve(6 * raises.size());
    for (const auto& r : raises)
        params.insert(params.end(),
                      {game, r.period_key, r.user_id, r.best, r.achieved_at, r.score_id});
    c.query(
        "INSERT INTO player_bests (game, period, user_id, best, achieved_at, score_id) "
        "VALUES " +
            storage::repeated_placeholders("(?, ?, ?, ?, ?, ?)", raises.size()) +
            " ON CONFLICT (game, period, user_id) DO UPDATE SET best = excluded.best, "
            "achieved_at = excluded.achieved_at, score_id = excluded.score_id "
            "WHERE excluded.best > player_bests.best",
        params);
}

std::optional<Best> best(storage::Connection& c, const std::string& game,
                         const std::string& period_key, std::int64_t user_id) {
    auto r = c.query(
        "SELECT best, achieved_at FROM player_bests WHERE game = ? AND period = ? AND user_id = ?",
        {game, period_key, user_id});
    if (r.rows.empty()) return std::nullopt;
    return Best{r.rows[0].int64(0), r.rows[0].int64(1)};
}

std::map<BestKey, Best> bests(storage::Connection& c, const std::string& game,
                              const std::vector<BestKey>& keys) {
    std::map<BestKey, Best> out;
    // The pairs joined as rows, so that each is looked up by the primary key: with `user_id IN
    // (...)` SQLite walked the whole board through the covering player_bests_rank index instead
    // (EXPLAIN QUERY PLAN; C on SQLite went from 170 to 400 us a score). In chunks of a power of
    // two pairs (the last repeated to fill one), so a connection prepares a few statements, not
    // one per count.
    constexpr std::size_t kChunk = 256;
    for (std::size_t start = 0; start < keys.size();) {
        const std::size_t take = std::min(kChunk, keys.size() - start);
        std::size_t size = 4;
        while (size < take) size *= 2;
        std::vector<storage::Value> params;
        params.reserve(2 * size + 1);
        for (std::size_t i = 0; i < size; ++i) {
            const BestKey& k = keys[start + std::min(i, take - 1)];
            params.emplace_back(k.second);
            params.emplace_back(k.first);
        }
        params.emplace_back(game);
        for (const auto& r :
             c.query("SELECT pb.period, pb.user_id, pb.best, pb.achieved_at FROM (VALUES " +
                         storage::repeated_placeholders("(?, ?)", size) +
                         ") AS v JOIN player_bests pb ON pb.user_id = v.column1 AND pb.period = "
                         "v.column2 AND pb.game = ?",
                     params)
                 .rows)
            out.insert_or_assign(BestKey{r.text(0), r.int64(1)}, Best{r.int64(2), r.int64(3)});
        start += take;
    }
    return out;
}

std::vector<Entry> top(storage::Connection& c, const std::string& game,
                       const std::string& period_key, std::int64_t limit, std::int64_t offset) {
    std::vector<Entry> out;
    std::int64_t rank = offset;
    for (const auto& r :
         c.query("SELECT pb.user_id, u.display_name, pb.best, pb.achieved_at FROM player_bests pb "
                 "JOIN users u ON u.id = pb.user_id WHERE pb.game = ? AND pb.period = ? "
                 "ORDER BY pb.best DESC, pb.achieved_at, pb.user_id LIMIT ? OFFSET ?",
                 {game, period_key, limit, offset})
             .rows)
        out.push_back(Entry{++rank, r.int64(0), r.text(1), r.int64(2), r.int64(3)});
    return out;
}

std::optional<std::int64_t> tenth_best(storage::Connection& c, const std::string& game,
                                       const std::string& period_key) {
    // The offset is part of the statement, not a parameter: with OFFSET ? PostgreSQL found its
    // generic plan dearer than a custom one and planned the statement on every score (57 us a
    // score, pg_stat_statements, docs/performance.md).
    auto r = c.query(
        "SELECT best FROM player_bests WHERE game = ? AND period = ? "
        "ORDER BY best DESC, achieved_at, user_id LIMIT 1 OFFSET 9",
        {game, period_key});
    if (r.rows.empty()) return std::nullopt;
    return r.rows[0].int64(0);
}

std::int64_t rank_of(storage::Connection& c, const std::string& game, const std::string& period_key,
                     std::int64_t user_id, const Best& b) {
    return 1 + c.query(
                    "SELECT COUNT(*) FROM player_bests WHERE game = ? AND period = ? AND "
                    "(best > ? OR (best = ? AND (achieved_at < ? OR (achieved_at = ? AND user_id < "
                    "?))))",
                    {game, period_key, b.best, b.best, b.achieved_at, b.achieved_at, user_id})
                   .rows.at(0)
                   .int64(0);
}

std::int64_t players(storage::Connection& c, const std::string& game,
                     const std::string& period_key) {
    return c
        .query("SELECT COUNT(*) FROM player_bests WHERE game = ? AND period = ?",
               {game, period_key})
        .rows.at(0)
        .int64(0);
}

std::vector<PlayerBest> all_bests(storage::Connection& c, const std::string& game,
                                  const std::string& period_key) {
    std::vector<PlayerBest> out;
    auto r =
        c.query("SELECT user_id, best, achieved_at FROM player_bests WHERE game = ? AND period = ?",
                {game, period_key});
    out.reserve(r.rows.size());
    for (const auto& row : r.rows) out.push_back({row.int64(0), row.int64(1), row.int64(2)});
    return out;
}

std::map<std::int64_t, std::string> display_names(storage::Connection& c,
                                                  const std::vector<std::int64_t>& user_ids) {
    std::map<std::int64_t, std::string> out;
    if (user_ids.empty()) return out;
    // One statement for the handful of ids.
    const std::vector<storage::Value> params(user_ids.begin(), user_ids.end());
    for (const auto& r : c.query("SELECT id, display_name FROM users WHERE id IN (" +
                                     storage::repeated_placeholders("?", user_ids.size()) + ")",
                                 params)
                             .rows)
        out.emplace(r.int64(0), r.text(1));
    return out;
}

std::optional<ScoreRow> find_score(storage::Connection& c, std::int64_t id) {
    auto r = c.query("SELECT id, user_id, value, created_at, game FROM scores WHERE id = ?", {id});
    if (r.rows.empty()) return std::nullopt;
    const auto& row = r.rows[0];
    return ScoreRow{row.int64(0), row.int64(1), row.int64(2), row.int64(3), row.text(4)};
}

void delete_score(storage::Connection& c, std::int64_t id) {
    c.query("DELETE FROM scores WHERE id = ?", {id});
}

void rebuild_bests(storage::Connection& c, const std::string& game, std::int64_t user_id) {
    c.query("DELETE FROM player_bests WHERE game = ? AND user_id = ?", {game, user_id});
    // Oldest first, so among equal values the first to reach it keeps achieved_at.
    for (const auto& r :
         c.query("SELECT id, value, created_at FROM scores WHERE game = ? AND user_id = ? "
                 "ORDER BY created_at, id",
                 {game, user_id})
             .rows)
        update_bests(c, game, user_id, r.int64(0), r.int64(1), r.int64(2));
}

}  // namespace glucoplay::games::repo
