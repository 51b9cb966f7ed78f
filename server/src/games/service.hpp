#pragma once

// Game sessions, score submission (plausibility for racing, server-side scoring for plates),
// leaderboards, the pit-stop quiz, moderation, and live leaderboard events.

#include <atomic>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "events/hub.hpp"
#include "food/catalog.hpp"
#include "games/leaderboard_cache.hpp"
#include "games/rank_index.hpp"
#include "games/repository.hpp"
#include "games/rules.hpp"
#include "http/request.hpp"
#include "notifications/notifications.hpp"
#include "storage/database.hpp"
#include "storage/group_commit.hpp"
#include "util/bounded_cache.hpp"

namespace glucoplay::games {

inline const std::vector<std::string> kGames = {"racing", "plate"};
inline const std::vector<std::string> kPeriods = {"all", "week", "day"};

struct QuizQuestion {
    std::int64_t id = 0;
    std::string question;
    std::vector<std::pair<std::int64_t, std::string>> answers;
    std::int64_t correct = 0;
    std::string explanation;
    std::string source;
};
// server/data/quiz.json, compiled into the binary. Throws if malformed.
std::vector<QuizQuestion> parse_quiz(std::string_view json_text);
const std::vector<QuizQuestion>& builtin_quiz();

struct PlateInput {
    struct Item {
        std::int64_t food_id = 0;
        double grams = 0;
        std::string section;
    };
    std::vector<Item> items;
};

class GameService {
  public:
    GameService(storage::Database& db, const food::FoodCatalog& foods, events::Hub& hub,
                notifications::Notifier& notifier);

    boost::json::value start_session(std::int64_t user_id, const std::string& game);
    // A score's answer (the JSON of POST /api/scores), or the error that refused it: called once
    // its transaction has committed, on the thread that committed it (see storage::GroupCommit).
    using Answer = std::function<void(std::exception_ptr error, boost::json::value answer)>;
    // Score submissions: checked, written and answered through `answer`, committed together
    // with the other scores waiting at the time.
    // A caller whose session was not read (http::Principal::session_read false) has it read
    // first in the write's transaction (set_session_check), and a session that is not live
    // refuses the write with its 401.
    void submit_racing(const http::Principal& caller, std::int64_t session_id, std::int64_t value,
                       Answer answer);
    void submit_plate(const http::Principal& caller, std::int64_t session_id,
                      std::vector<PlateInput> plates, Answer answer);
    // Whether callers' sessions are live, read in a write's transaction (nullptr for each live
    // one, the 401 for each other): auth::Authenticator::sessions_in_write. Set before serving;
    // without it a caller whose session was not read is refused (a programming error).
    using SessionCheck = std::function<std::vector<std::exception_ptr>(
        storage::Connection&, const std::vector<const http::Principal*>&, std::int64_t now)>;
    void set_session_check(SessionCheck check) { session_check_ = std::move(check); }
    // Where score batches are committed (the server's worker pool); without it, on the
    // submitting thread.
    // The same poster reads cached leaderboards again before they expire (refresh ahead).
    void set_background(storage::GroupCommit::Poster poster) {
        writes_.set_poster(poster);
        background_ = std::move(poster);
    }
    storage::GroupCommit::Stats score_batches() const { return writes_.stats(); }
    // Rank boards read again in the background (games/rank_index.hpp).
    std::uint64_t rank_reloads() const { return ranks_.reloads(); }

    boost::json::value leaderboard(const std::string& game, const std::string& period,
                                   std::int64_t limit);
    // GET /api/scores's JSON text: from the leaderboard cache, else read and cached.
    std::shared_ptr<const std::string> leaderboard_text(const std::string& game,
                                                        const std::string& period,
                                                        std::int64_t limit);
    // The same from the cache only (nullptr when it has none): never touches the database, so
    // the network thread may call it (the route's fast path).
    // An entry past half its age is read again on a worker meanwhile (LeaderboardCache::
    // claim_refresh), so a busy board never expires under its readers.
    std::shared_ptr<const std::string> cached_leaderboard_text(const std::string& game,
                                                               const std::string& period,
                                                               std::int64_t limit);
    const LeaderboardCache& leaderboard_cache() const { return board_cache_; }
    // Boards read again ahead of their expiry (for /metrics and tests).
    std::uint64_t board_refreshes() const { return board_refreshes_.load(); }

    // A change this service does not make altered what players see of someone (a display name,
    // a deleted account): publish profile_changed(user_id) on profile_topic() after it commits.
    // Every instance (this one synchronously, in Hub::publish) then drops its cached boards and
    // that player's cached name; profile_reload() drops every name (after missed messages).
    static std::string profile_topic() { return "internal:profile"; }
    static events::Message profile_changed(std::int64_t user_id);
    static events::Message profile_reload();
    // GET /api/scores/me's answer (JSON text).
    std::string my_standing(std::int64_t user_id, const std::string& game,
                            const std::string& period);
    // The same from memory only (the rank index's loaded boards and remembered names); nullopt
    // when something would have to be read. Never touches the database: the route's fast path.
    std::optional<std::string> standing_in_memory(std::int64_t user_id, const std::string& game,
                                                  const std::string& period);

    boost::json::value next_question(std::int64_t user_id, std::int64_t session_id);
    boost::json::value answer(std::int64_t user_id, std::int64_t session_id,
                              std::int64_t question_id, std::int64_t answer_id);

    void delete_score(std::int64_t score_id);

    // The current all-time top 10 as the SSE `leaderboard` event.
    events::Message leaderboard_event(const std::string& game);
    static std::string topic(const std::string& game) { return "leaderboard:" + game; }

    boost::json::value export_data(storage::Connection& c, std::int64_t user_id) const;

  private:
    // Checks the session belongs to the user, is for this game, is live and unscored (422
    // otherwise).
    repo::Session live_session(storage::Connection& c, std::int64_t user_id,
                               std::int64_t session_id, const std::string& game, std::int64_t now);
    // The same checks of a session already read (nullopt: there is none).
    static repo::Session checked_session(std::optional<repo::Session> s, std::int64_t user_id,
                                         const std::string& game, std::int64_t now);
    // What a submission scores, worked out inside the score's transaction from its session.
    struct Scored {
        repo::Session session;
        std::int64_t value = 0;
        std::string details;
        boost::json::object extra;  // added to the answer
    };
    // A racing score on its session: checked against the plausibility limit (422).
    static Scored racing_scored(repo::Session s, std::int64_t value, std::int64_t now);
    using ScoreFn = std::function<Scored(storage::Connection&)>;
    // What a score's write works out inside the transaction, for its answer after the commit.
    struct Pending {
        std::optional<Scored> scored;
        notifications::Outbox outbox;
        boost::json::object out;
    };
    // One write of a group commit: `score` reads and checks the session (422s), then the score,
    // bests and notifications are written; `answer` gets the answer after the commit. With
    // `combine`, the write may be written together with its neighbours instead (`item` is
    // what `combine` needs; it shares `pending`).
    // Reads the sessions of the callers that did not have theirs read (set_session_check) and
    // puts each refusal in `errors` where that has none yet.
    void check_sessions(storage::Connection& c, const std::vector<const http::Principal*>& callers,
                        std::int64_t now, std::vector<std::exception_ptr>& errors) const;
    void record(const http::Principal& caller, std::int64_t now, ScoreFn score, Answer answer,
                std::shared_ptr<Pending> pending = std::make_shared<Pending>(),
                const storage::GroupCommit::Combine* combine = nullptr,
                storage::GroupCommit::Item item = nullptr);
    // A racing score as racing_together_ writes it.
    struct RacingScore {
        http::Principal caller;  // the player (caller.user_id)
        std::int64_t session_id = 0;
        std::int64_t value = 0;
        std::int64_t now = 0;
        std::shared_ptr<Pending> pending;
    };
    // Racing scores next to each other in a batch, written in a few statements for all of them
    // (the sessions read, the bests read, the sessions marked, the scores, the bests, the
    // notifications) with the same outcome as one after another. Declines (nullopt) when one
    // could enter the all-time top 10: those notify from board reads, each alone.
    std::optional<std::vector<std::exception_ptr>> write_racing_scores(
        storage::Connection& c, const std::vector<storage::GroupCommit::Item>& items);
    // POST /api/scores's answer before the commit (rank and the rest come after).
    static boost::json::object score_answer(std::int64_t score_id, const std::string& game,
                                            std::int64_t value, std::int64_t now,
                                            const std::optional<repo::Best>& previous);
    static notifications::Draft personal_best_draft(std::int64_t user_id, const std::string& game,
                                                    std::int64_t value, std::int64_t previous_best);
    // After the commit: rank index, events, notifications delivered; returns the answer.
    boost::json::value committed(std::int64_t user_id, std::int64_t now, Scored& scored,
                                 notifications::Outbox& outbox, boost::json::object out);
    // Reads the board from the database and stores it in the cache (unless it was invalidated
    // meanwhile); returns it.
    std::shared_ptr<const std::string> read_board(const LeaderboardCache::Key& key);
    // A cache lookup; on a hit whose entry is due, the board is read again in the background.
    std::shared_ptr<const std::string> cached_board(const LeaderboardCache::Key& key);
    // Publishes the all-time top 10 when it differs from what was last published.
    void publish_if_changed(const std::string& game);
    // personal_best, top10_entered and top10_lost for a score just recorded. `top_board` is the
    // all-time top 10 before it, or nullopt when the score cannot enter it.
    void notify_score(storage::Connection& c, std::int64_t user_id, const std::string& game,
                      std::int64_t value, const std::optional<repo::Best>& previous,
                      const std::optional<std::vector<repo::Entry>>& top_board, std::int64_t now,
                      notifications::Outbox& out);

    storage::Database& db_;
    const food::FoodCatalog& foods_;
    events::Hub& hub_;
    notifications::Notifier& notifier_;
    // Declared before writes_, whose queued writes point to it.
    SessionCheck session_check_;
    const storage::GroupCommit::Combine racing_together_;
    storage::GroupCommit writes_;              // score submissions
    storage::GroupCommit::Poster background_;  // the worker pool, for refresh ahead
    std::atomic<std::uint64_t> board_refreshes_{0};
    std::mutex published_mutex_;
    std::map<std::string, std::string> last_published_;
    // Ranks and player counts (GET /api/scores/me, the rank in a score's answer).
    RankIndex ranks_;
    // GET /api/scores answers (see leaderboard_cache.hpp for when entries are dropped).
    LeaderboardCache board_cache_;
    // Display names of the neighbours in GET /api/scores/me, by user id (dropped by profile
    // messages, so read only after a generation() check: see util/bounded_cache.hpp).
    static constexpr std::size_t kCachedNames = 32768;
    util::BoundedCache<std::int64_t, std::string> names_{kCachedNames};
};

}  // namespace glucoplay::games
