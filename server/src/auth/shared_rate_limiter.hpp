#pragma once

// A rate limit shared by every instance on one PostgreSQL database: each bucket is a row of the
// UNLOGGED table rate_buckets (migration 009), taken from by one atomic upsert per call outside
// any transaction (so never behind the write lock that storage transactions take).
//
// The bucket is kept in GCRA form (Generic Cell Rate Algorithm), which is the same token bucket
// as MemoryRateLimiter's, written as one number: `tat`, the time at which the bucket is full
// again. With interval = period / capacity, a request at `now` is allowed when
// max(tat, now) + interval <= now + period, and then tat becomes max(tat, now) + interval; a
// fresh key allows `capacity` requests at once and one more per interval after that. Keys are
// stored as a keyed BLAKE2b hash (keyed by the instances' shared secret), never as addresses or
// usernames. Times are the instances' wall clocks (NTP-synchronised; a skew of s seconds lets a
// key's bucket refill s seconds early or late).

#include <atomic>
#include <functional>
#include <string>

#include "auth/rate_limiter.hpp"
#include "storage/database.hpp"

namespace glucoplay::auth {

class SharedRateLimiter final : public RateLimiter {
  public:
    // Unix time in seconds, fractional; a parameter so tests can move time.
    using WallClock = std::function<double()>;

    // `name` tells this limit's rows apart ("auth", "login", "requests"); `key_secret` keys the
    // hash of every key and must be the same on every instance (the JWT signing secret is).
    SharedRateLimiter(storage::Database& db, std::string name, RateSpec spec,
                      const std::string& key_secret, WallClock clock = {});

    // Throws storage::DbError when the database cannot answer (the request fails with 503).
    std::optional<int> take(const std::string& key) override;
    void reset(const std::string& key) override;
    bool blocks() const override { return true; }

  private:
    std::string hashed(const std::string& key) const;
    // Once a minute: rows whose bucket is full again are the same as no row.
    void sweep(storage::Connection& c, double now);

    storage::Database& db_;
    std::string name_;
    RateSpec spec_;
    unsigned char hash_key_[32];
    WallClock clock_;
    std::atomic<double> last_sweep_{0};
};

}  // namespace glucoplay::auth
