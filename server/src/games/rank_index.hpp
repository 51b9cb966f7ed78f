#pragma once

// An in-memory order-statistics index over player_bests, one board per (game, period key), so a
// player's rank and the number of players are O(log n) instead of an index scan as long as the
// rank (issue 9: a rank deep in a 50 000-player table cost milliseconds per request).
//
// player_bests stays the truth. A board is loaded from it on first use, raised by this process's
// own score writes right after they commit (the same "only a strictly higher best replaces"
// rule as the SQL upsert), and reloaded in the background of a request once it is older than
// the refresh interval, so changes this process did not make (another instance's scores, a
// deleted account's rows going by ON DELETE CASCADE) show within that interval. Writes that
// land while a board reloads are replayed onto the new copy. Moderation, which can lower a
// best, drops the game's boards so the next request reloads them.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace glucoplay::games {

class RankIndex {
  public:
    // One player's row: leaderboard order is best descending, then achieved_at, then user_id.
    struct Entry {
        std::int64_t best = 0;
        std::int64_t achieved_at = 0;
        std::int64_t user_id = 0;
    };
    struct Standing {
        std::int64_t players = 0;
        std::optional<Entry> me;
        std::int64_t rank = 0;        // 1-based, when `me`
        std::vector<Entry> around;    // up to two neighbours on each side and `me`
        std::int64_t first_rank = 0;  // rank of around[0]
    };
    // Reads every row of one board from the database.
    using Loader =
        std::function<std::vector<Entry>(const std::string& game, const std::string& period_key)>;

    explicit RankIndex(Loader loader,
                       std::chrono::steady_clock::duration refresh = std::chrono::seconds(30));
    ~RankIndex();
    RankIndex(const RankIndex&) = delete;
    RankIndex& operator=(const RankIndex&) = delete;

    Standing standing(const std::string& game, const std::string& period_key, std::int64_t user_id);
    // The same from a board already in memory and not due a refresh; nullopt otherwise (then
    // standing() loads or refreshes it). Never reads the database, so it may run where blocking
    // is not allowed.
    std::optional<Standing> standing_in_memory(const std::string& game,
                                               const std::string& period_key, std::int64_t user_id);
    // What raise() did to the board.
    struct Raised {
        bool loaded = false;    // false: the board is not in memory, so nothing is known
        bool changed = false;   // the player is new on it or their best rose
        std::int64_t rank = 0;  // 1-based, after the raise, when `changed`
    };
    // A score committed by this process: raises the player's entry on the board if it is loaded
    // (a board not loaded yet will read it from the database). Never reads the database, so it
    // may run where blocking is not allowed.
    Raised raise(const std::string& game, const std::string& period_key, std::int64_t user_id,
                 std::int64_t value, std::int64_t at);
    // Forgets every board of the game (after a moderation lowered someone's best).
    void drop(const std::string& game);

  private:
    struct Board;
    // The board, loaded (or refreshed) first when needed. Throws what the loader throws.
    std::shared_ptr<Board> board(const std::string& game, const std::string& period_key);

    Loader loader_;
    std::chrono::steady_clock::duration refresh_;
    std::mutex mutex_;  // guards boards_ and every board's contents
    std::map<std::string, std::shared_ptr<Board>> boards_;
};

}  // namespace glucoplay::games
