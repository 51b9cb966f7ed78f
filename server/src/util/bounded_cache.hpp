#pragma once

// A thread-safe map of bounded size for values that are expensive to compute and cheap to keep:
// two generations of up to `generation_size` entries each; when the newer fills, the older is
// dropped and the newer becomes the older. An entry found in the older generation moves to the
// newer, so entries in use survive and the rest age out (an approximate LRU at O(1) per call).
//
// For values that can change underneath (e.g. a display name), erase() and clear() move a
// generation counter: read generation() before computing a value from the source, and put() it
// with that counter, so a value computed before a change is not stored after the change dropped
// it.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace glucoplay::util {

template <class Key, class Value, class Hash = std::hash<Key>>
class BoundedCache {
  public:
    explicit BoundedCache(std::size_t generation_size)
        : limit_(generation_size == 0 ? 1 : generation_size) {}

    std::optional<Value> find(const Key& key) {
        std::lock_guard lock(mutex_);
        if (auto hit = newer_.find(key); hit != newer_.end()) return hit->second;
        auto old = older_.find(key);
        if (old == older_.end()) return std::nullopt;
        Value v = std::move(old->second);
        older_.erase(old);
        insert_locked(key, v);
        return v;
    }

    std::uint64_t generation() const {
        std::lock_guard lock(mutex_);
        return generation_;
    }

    // Stores the value unless `if_generation` is given and an erase() or clear() happened since
    // it was read. Returns whether it was stored.
    bool put(const Key& key, Value value, std::optional<std::uint64_t> if_generation = {}) {
        std::lock_guard lock(mutex_);
        if (if_generation && *if_generation != generation_) return false;
        older_.erase(key);
        insert_locked(key, std::move(value));
        return true;
    }

    void erase(const Key& key) {
        std::lock_guard lock(mutex_);
        ++generation_;
        newer_.erase(key);
        older_.erase(key);
    }

    void clear() {
        std::lock_guard lock(mutex_);
        ++generation_;
        newer_.clear();
        older_.clear();
    }

    // Calls f(key, value) for every entry, under the cache's lock (so f must not call back).
    template <class F>
    void for_each(F&& f) const {
        std::lock_guard lock(mutex_);
        for (const auto& [k, v] : newer_) f(k, v);
        for (const auto& [k, v] : older_) f(k, v);
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return newer_.size() + older_.size();
    }

  private:
    void insert_locked(const Key& key, Value value) {
        if (newer_.size() >= limit_ && !newer_.contains(key)) {
            older_ = std::move(newer_);
            newer_.clear();
        }
        newer_.insert_or_assign(key, std::move(value));
    }

    const std::size_t limit_;
    mutable std::mutex mutex_;
    std::unordered_map<Key, Value, Hash> newer_;
    std::unordered_map<Key, Value, Hash> older_;
    std::uint64_t generation_ = 0;
};

}  // namespace glucoplay::util
