#include "games/leaderboard_cache.hpp"

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

std::uint64_t LeaderboardCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

bool LeaderboardCache::store(const Key& key, std::uint64_t generation,
                             std::shared_ptr<const std::string> body, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return false;
    if (entries_.size() >= kMaxEntries && !entries_.contains(key)) {
        // Old periods' keys and expired boards go first; if everything is current, start over.
        std::erase_if(entries_,
                      [&](const auto& e) { return now - e.second.stored_at >= max_age_; });
        if (entries_.size() >= kMaxEntries) entries_.clear();
    }
    entries_[key] = Entry{std::move(body), now};
    return true;
}

void LeaderboardCache::invalidate(const std::string& game) {
    std::lock_guard lock(mutex_);
    ++generation_;
    auto first = entries_.lower_bound(Key{game, "", "", 0});
    auto last = first;
    while (last != entries_.end() && last->first.game == game) ++last;
    entries_.erase(first, last);
}

void LeaderboardCache::invalidate_all() {
    std::lock_guard lock(mutex_);
    ++generation_;
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

}  // namespace glucoplay::games
