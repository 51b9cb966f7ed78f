#pragma once

// An in-memory order-statistics index over player_bests, one board per (game, period key), so a
// player's rank and the number of players are O(log n) instead of an index scan as long as the
// rank (issue 9: a rank deep in a 50 000-player table cost milliseconds per request).
//
// player_bests stays the truth. A board is loaded from it on first use, raised by this process's
// own score writes right after they commit (the same "only a strictly higher best replaces"
// rule as the SQL upsert), and reloaded once it is older than the refresh interval, so changes
// this process did not make (another instance's scores, a deleted account's rows going by ON
// DELETE CASCADE) show within that interval. Writes that land while a board reloads are
// replayed onto the new copy. Moderation, which can lower a best, drops the game's boards so the
// next request reloads them.
//
// Only a board's first load makes a request wait. A reload runs on the index's own thread, at a
// lower CPU priority, while requests go on being answered from the copy it replaces: reading
// the 50 000-row all-time board takes about 190 M instructions (tens of milliseconds), and it
// used to run inside whichever request found the board due, which was often the score writer
// after a commit, so every score queued behind it waited too (docs/performance.md). A reload
// that fails leaves the old copy in use and is tried again a second later.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

    // Loads the board first if it was never loaded (or was dropped); a board due a reload is
    // answered from its current copy while the reload runs in the background.
    Standing standing(const std::string& game, const std::string& period_key, std::int64_t user_id);
    // The same from a board already in memory (queueing its reload when due); nullopt when it is
    // not loaded (then standing() loads it). Never reads the database, so it may run where
    // blocking is not allowed.
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

    // Waits until no background reload is queued or running (tests, and anyone who needs the
    // reloads asked for so far to have landed).
    void await_reloads();
    // Background reloads finished, successful or not (for tests and /metrics).
    std::uint64_t reloads() const;

  private:
    using Clock = std::chrono::steady_clock;
    struct Board;
    struct Reload {
        std::string game, period_key;
        std::shared_ptr<Board> board;
    };
    // The board, loaded first when it has no copy yet. Throws what the loader throws. Under
    // `lock` (held on return).
    std::shared_ptr<Board> board(std::unique_lock<std::mutex>& lock, const std::string& game,
                                 const std::string& period_key);
    // Queues the board's reload when it is due and none is under way. Under mutex_.
    void reload_if_due(const std::string& game, const std::string& period_key,
                       const std::shared_ptr<Board>& b, Clock::time_point now);
    void reloader();

    Loader loader_;
    Clock::duration refresh_;
    mutable std::mutex mutex_;  // guards everything below and every board's contents
    std::map<std::string, std::shared_ptr<Board>> boards_;
    std::deque<Reload> reloads_queued_;
    bool reload_running_ = false;
    bool stopping_ = false;
    std::uint64_t reloads_done_ = 0;
    std::condition_variable reload_wake_;  // a reload queued, or stopping_
    std::condition_variable reload_idle_;  // the queue emptied and nothing is running
    std::thread reload_thread_;            // started with the first reload
};

}  // namespace glucoplay::games
