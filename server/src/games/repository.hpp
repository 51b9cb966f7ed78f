#pragma once

// SQL for game sessions, quiz answers, scores and leaderboards.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace glucoplay::games::repo {

struct Session {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string game;
    std::int64_t seed = 0;
    std::int64_t started_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> scored_at;
    std::int64_t quiz_correct = 0;
    std::optional<std::int64_t> pending_question;  // the pit-stop question awaiting an answer
    std::int64_t questions_served = 0;
};

struct Entry {
    std::int64_t rank = 0;
    std::int64_t user_id = 0;
    std::string display_name;
    std::int64_t score = 0;
    std::int64_t achieved_at = 0;
};

struct Best {
    std::int64_t best = 0;
    std::int64_t achieved_at = 0;
};

// Period keys for an instant: "all", "w<Monday>", "d<day>" (UTC).
std::vector<std::string> period_keys(std::int64_t t);
// The key of `period` ("all" | "week" | "day") at instant `now`.
std::string period_key(const std::string& period, std::int64_t now);

Session insert_session(storage::Connection& c, std::int64_t user_id, const std::string& game,
                       std::int64_t seed, std::int64_t now, std::int64_t ttl);
std::optional<Session> find_session(storage::Connection& c, std::int64_t id);
// Marks the session scored unless it already was; false when someone got there first.
bool mark_scored(storage::Connection& c, std::int64_t session_id, std::int64_t now);
// The sessions of these ids that exist, by id (one statement; for scores written together).
std::map<std::int64_t, Session> find_sessions(storage::Connection& c,
                                              const std::vector<std::int64_t>& ids);
// mark_scored for several sessions at once (distinct ids, one statement): the number marked,
// fewer than given when some were scored already.
std::int64_t mark_all_scored(storage::Connection& c, const std::vector<std::int64_t>& session_ids,
                             std::int64_t now);

// Serves a question: it becomes the only one that can be answered.
void set_pending_question(storage::Connection& c, std::int64_t session_id,
                          std::optional<std::int64_t> question_id, bool count_as_served);
std::vector<std::int64_t> answered_questions(storage::Connection& c, std::int64_t session_id);
// Records an answer; false when this question was already answered in the session.
bool record_answer(storage::Connection& c, std::int64_t session_id, std::int64_t question_id,
                   bool correct);

std::int64_t insert_score(storage::Connection& c, std::int64_t user_id, const std::string& game,
                          std::int64_t session_id, std::int64_t value, std::int64_t now,
                          const std::string& details);
struct NewScore {
    std::int64_t user_id = 0;
    std::int64_t session_id = 0;
    std::int64_t value = 0;
    std::int64_t created_at = 0;
    std::string details;
};
// insert_score for several scores of one game (one statement): their ids, in the order given.
std::vector<std::int64_t> insert_scores(storage::Connection& c, const std::string& game,
                                        const std::vector<NewScore>& scores);
// Raises the player's best for every period the score falls in.
void update_bests(storage::Connection& c, const std::string& game, std::int64_t user_id,
                  std::int64_t score_id, std::int64_t value, std::int64_t at);
struct BestRaise {
    std::string period_key;
    std::int64_t user_id = 0;
    std::int64_t best = 0;
    std::int64_t achieved_at = 0;
    std::int64_t score_id = 0;
};
// Each row's best raised to the given one when that is strictly higher (a new row otherwise), in
// one statement; no (period, player) twice.
void raise_bests(storage::Connection& c, const std::string& game,
                 const std::vector<BestRaise>& raises);
std::optional<Best> best(storage::Connection& c, const std::string& game,
                         const std::string& period_key, std::int64_t user_id);
// best() for several (period key, player) pairs, in one statement per up to 256: those that
// have one.
using BestKey = std::pair<std::string, std::int64_t>;
std::map<BestKey, Best> bests(storage::Connection& c, const std::string& game,
                              const std::vector<BestKey>& keys);

std::vector<Entry> top(storage::Connection& c, const std::string& game,
                       const std::string& period_key, std::int64_t limit, std::int64_t offset = 0);
// The 10th best of a board, the last of its top 10 (nullopt when it has fewer players): one
// entry of the rank index read, no join.
std::optional<std::int64_t> tenth_best(storage::Connection& c, const std::string& game,
                                       const std::string& period_key);
// 1-based rank of the player (ties broken by who reached the score first, then user id).
std::int64_t rank_of(storage::Connection& c, const std::string& game, const std::string& period_key,
                     std::int64_t user_id, const Best& b);
// Every player's best on one board (the rank index loads boards with this).
struct PlayerBest {
    std::int64_t user_id = 0;
    std::int64_t best = 0;
    std::int64_t achieved_at = 0;
};
std::vector<PlayerBest> all_bests(storage::Connection& c, const std::string& game,
                                  const std::string& period_key);
// A user's display name, or nothing when the account is gone.
// Display names of those of `user_ids` that still have an account.
std::map<std::int64_t, std::string> display_names(storage::Connection& c,
                                                  const std::vector<std::int64_t>& user_ids);
std::int64_t players(storage::Connection& c, const std::string& game,
                     const std::string& period_key);

struct ScoreRow {
    std::int64_t id = 0, user_id = 0, value = 0, created_at = 0;
    std::string game;
};
std::optional<ScoreRow> find_score(storage::Connection& c, std::int64_t id);
void delete_score(storage::Connection& c, std::int64_t id);
// Recomputes a player's bests for a game from their remaining scores.
void rebuild_bests(storage::Connection& c, const std::string& game, std::int64_t user_id);

}  // namespace glucoplay::games::repo
