#include "games/leaderboard_cache.hpp"

#include <algorithm>

namespace glucoplay::games {

std::shared_ptr<const std::string> LeaderboardCache::find(const Key& key,
                                                          Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || now - it->second.stored_at >= max_age_) {
        ++misses_;
        return nullptr;
    }
    ++hits_;
    return it->second.body;
}

std::shared_ptr<const std::string> LeaderboardCache::find(const Key& key, Clock::time_point now,
                                                          bool* refresh) {
    std::lock_guard lock(mutex_);
    if (refresh) *refresh = false;
    auto it = entries_.find(key);
    if (it == entries_.end() || now - it->second.stored_at >= max_age_) {
        ++misses_;
        return nullptr;
    }
    ++hits_;
    if (refresh) *refresh = claim_locked(it->second, now);
    return it->second.body;
}

bool LeaderboardCache::claim_refresh(const Key& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    return it != entries_.end() && claim_locked(it->second, now);
}

bool LeaderboardCache::claim_locked(Entry& e, Clock::time_point now) const {
    const auto age = now - e.stored_at;
    if (e.refresh_claimed || age < max_age_ / 2 || age >= max_age_) return false;
    e.refresh_claimed = true;
    return true;
}

std::uint64_t LeaderboardCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

bool LeaderboardCache::invalidated_since(const Key& key, std::uint64_t generation) const {
    if (all_invalidated_at_ > generation) return true;
    if (auto g = game_invalidated_at_.find(key.game);
        g != game_invalidated_at_.end() && g->second > generation)
        return true;
    auto b = board_invalidated_at_.find({key.game, key.period_key});
    return b != board_invalidated_at_.end() && b->second > generation;
}

bool LeaderboardCache::store(const Key& key, std::uint64_t generation,
                             std::shared_ptr<const std::string> body, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    // (A refused refresh leaves no claim behind: the invalidation that refuses it dropped the
    // entry it was claimed on.)
    if (invalidated_since(key, generation)) return false;
    if (entries_.size() >= kMaxEntries && !entries_.contains(key)) {
        // Old periods' keys and expired boards go first; if everything is current, start over.
        std::erase_if(entries_,
                      [&](const auto& e) { return now - e.second.stored_at >= max_age_; });
        if (entries_.size() >= kMaxEntries) entries_.clear();
    }
    entries_[key] = Entry{std::move(body), now, false};
    return true;
}

void LeaderboardCache::invalidate(const std::string& game, const std::string& period_key) {
    std::lock_guard lock(mutex_);
    ++generation_;
    ++invalidations_;
    if (board_invalidated_at_.size() >= kMaxBoardStamps &&
        !board_invalidated_at_.contains({game, period_key})) {
        // Past days and weeks: their stamps become their games' (a store of any of the game's
        // boards read before them is then refused too, which is safe).
        for (const auto& [board, at] : board_invalidated_at_) {
            auto& g = game_invalidated_at_[board.first];
            g = std::max(g, at);
        }
        board_invalidated_at_.clear();
    }
    board_invalidated_at_[{game, period_key}] = generation_;
    std::erase_if(entries_, [&](const auto& e) {
        return e.first.game == game && e.first.period_key == period_key;
    });
}

void LeaderboardCache::invalidate(const std::string& game) {
    std::lock_guard lock(mutex_);
    ++generation_;
    ++invalidations_;
    game_invalidated_at_[game] = generation_;
    auto first = entries_.lower_bound(Key{game, "", "", 0});
    auto last = first;
    while (last != entries_.end() && last->first.game == game) ++last;
    entries_.erase(first, last);
}

void LeaderboardCache::invalidate_all() {
    std::lock_guard lock(mutex_);
    ++generation_;
    ++invalidations_;
    all_invalidated_at_ = generation_;
    entries_.clear();
}

std::uint64_t LeaderboardCache::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

std::uint64_t LeaderboardCache::misses() const {
    std::lock_guard lock(mutex_);
    return misses_;
}

std::uint64_t LeaderboardCache::invalidations() const {
    std::lock_guard lock(mutex_);
    return invalidations_;
}

}  // namespace glucoplay::games
