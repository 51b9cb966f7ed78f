#pragma once

// The public leaderboards (GET /api/scores) as ready JSON text, so the most-read page in the
// product is answered from memory on the network thread (issue 9, scenario A) instead of a
// database query on the worker pool.
//
// Correctness rules:
// - Each entry is keyed by game, period, the period's key at the time (so a new UTC day or week
//   is a new entry, never yesterday's board) and the limit.
// - This process's changes invalidate before they are acknowledged: a score drops the boards it
//   changes (one game and period key, where it raised its player's best to a rank within
//   kMaxLimit, or whose ranks are not in memory: games/rank_events.cpp), moderation drops
//   the game's, a display-name change and an account deletion every board. A reader that
//   computed a board from before an invalidation of that board cannot store it afterwards (a
//   generation counter, and the generation at which each board, game or everything was last
//   invalidated, checked under the lock), so no stale board outlives the change that made it
//   stale; an invalidation of another board does not stop it.
// - Changes this process cannot see (another instance on the same database, a restore) show
//   after at most `max_age`. So that a busy board does not fall out of the cache once a
//   `max_age` (every reader then missing until one of them has read it again), claim_refresh()
//   lets one reader of an entry past half its age read it again in the background while the
//   others are still answered from it.
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

namespace glucoplay::games {

class LeaderboardCache {
  public:
    using Clock = std::chrono::steady_clock;
    // The largest `limit` GET /api/scores accepts: a score ranked below it changes no board.
    static constexpr std::int64_t kMaxLimit = 100;
    // Entries kept at most (2 games x 3 periods x 100 limits is 600 in one period).
    static constexpr std::size_t kMaxEntries = 1024;

    struct Key {
        std::string game;
        std::string period;      // "all", "week", "day": part of the answer's text
        std::string period_key;  // games::repo::period_key at the time of the request
        std::int64_t limit = 10;
        auto tie() const { return std::tie(game, period, period_key, limit); }
        bool operator<(const Key& o) const { return tie() < o.tie(); }
    };

    explicit LeaderboardCache(Clock::duration max_age = std::chrono::seconds(1))
        : max_age_(max_age) {}

    // The stored text, or nullptr when there is none younger than max_age.
    std::shared_ptr<const std::string> find(const Key& key, Clock::time_point now) const;
    // The same, and in the same lookup claim_refresh() for a hit: `*refresh` says whether this
    // caller should read the board again (nothing is claimed when `refresh` is null).
    std::shared_ptr<const std::string> find(const Key& key, Clock::time_point now, bool* refresh);
    // True for exactly one caller once the stored entry is at least max_age / 2 old (and still
    // younger than max_age): that caller should read the board again and store() it, so the
    // entry is replaced before it expires. False when there is no such entry, it is younger, or
    // another caller has claimed it.
    bool claim_refresh(const Key& key, Clock::time_point now);

    // Read before computing a board from the database; pass to store().
    std::uint64_t generation() const;
    // Keeps `body` unless an invalidation happened since `generation` was read (the body may
    // predate that change). Returns whether it was kept.
    bool store(const Key& key, std::uint64_t generation, std::shared_ptr<const std::string> body,
               Clock::time_point now);

    // Drops the boards of one game and period key (every period name and limit), of one game,
    // or of all games. Call after the change has committed and before it is acknowledged.
    void invalidate(const std::string& game, const std::string& period_key);
    void invalidate(const std::string& game);
    void invalidate_all();

    // For /metrics and tests.
    std::uint64_t hits() const;
    std::uint64_t misses() const;
    std::uint64_t invalidations() const;

  private:
    struct Entry {
        std::shared_ptr<const std::string> body;
        Clock::time_point stored_at;
        bool refresh_claimed = false;
    };
    // Boards remembered by their last invalidation at most (older period keys are folded into
    // their game's stamp, which only makes a store refused that might have been kept).
    static constexpr std::size_t kMaxBoardStamps = 64;

    // claim_refresh() on an entry found. Under mutex_.
    bool claim_locked(Entry& e, Clock::time_point now) const;
    // Whether an invalidation that covers `key` happened after `generation`. Under mutex_.
    bool invalidated_since(const Key& key, std::uint64_t generation) const;

    Clock::duration max_age_;
    mutable std::mutex mutex_;
    std::map<Key, Entry> entries_;
    std::uint64_t generation_ = 0;  // moved by every invalidation
    // The generation each invalidation left behind: of everything, of a game, of a game's
    // period key.
    std::uint64_t all_invalidated_at_ = 0;
    std::map<std::string, std::uint64_t> game_invalidated_at_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> board_invalidated_at_;
    mutable std::uint64_t hits_ = 0;
    mutable std::uint64_t misses_ = 0;
    std::uint64_t invalidations_ = 0;
};

}  // namespace glucoplay::games
