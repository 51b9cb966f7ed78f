#pragma once

// The public leaderboards (GET /api/scores) as ready JSON text, so the most-read page in the
// product is answered from memory on the network thread (issue 9, scenario A) instead of a
// database query on the worker pool.
//
// Correctness rules:
// - Each entry is keyed by game, period, the period's key at the time (so a new UTC day or week
//   is a new entry, never yesterday's board) and the limit.
// - This process's changes invalidate before they are acknowledged: a score that can reach a
//   cached board (its rank within kMaxLimit), moderation, a display-name change and an account
//   deletion. A reader that computed a board from before an invalidation cannot store it
//   afterwards (a generation counter checked under the lock), so no stale board outlives the
//   change that made it stale.
// - Changes this process cannot see (another instance on the same database, a restore) show
//   after at most `max_age`.
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

    // Read before computing a board from the database; pass to store().
    std::uint64_t generation() const;
    // Keeps `body` unless an invalidation happened since `generation` was read (the body may
    // predate that change). Returns whether it was kept.
    bool store(const Key& key, std::uint64_t generation, std::shared_ptr<const std::string> body,
               Clock::time_point now);

    // Drops every board of one game / of all games. Call after the change has committed and
    // before it is acknowledged.
    void invalidate(const std::string& game);
    void invalidate_all();

    // For /metrics and tests.
    std::uint64_t hits() const;
    std::uint64_t misses() const;

  private:
    struct Entry {
        std::shared_ptr<const std::string> body;
        Clock::time_point stored_at;
    };

    Clock::duration max_age_;
    mutable std::mutex mutex_;
    std::map<Key, Entry> entries_;
    std::uint64_t generation_ = 0;
    mutable std::uint64_t hits_ = 0;
    mutable std::uint64_t misses_ = 0;
};

}  // namespace glucoplay::games
