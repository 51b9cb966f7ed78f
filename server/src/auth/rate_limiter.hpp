#pragma once

// Token-bucket rate limiting keyed by a string (client address, "user:<name>", ...).
// RateLimiter is the interface handlers use; MemoryRateLimiter keeps buckets in this process
// (SQLite, and limits deliberately per instance), auth/shared_rate_limiter.hpp keeps them in
// PostgreSQL so that every instance draws from the same bucket.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace glucoplay::auth {

// "N/Ts" style limit: a bucket of `capacity` tokens refilled at capacity/period.
struct RateSpec {
    double capacity = 0;  // 0 disables the limit
    double period_seconds = 1;
    bool enabled() const { return capacity > 0; }
};

// Parses "20/60s", "5/15m", "1000/1h", or "off". Throws std::invalid_argument with a message.
RateSpec parse_rate_spec(std::string_view text);

class RateLimiter {
  public:
    virtual ~RateLimiter() = default;
    // Takes one token for `key`. nullopt when allowed; otherwise the whole seconds to wait.
    virtual std::optional<int> take(const std::string& key) = 0;
    // Forget a key (e.g. a successful login resets its failure bucket).
    virtual void reset(const std::string& key) = 0;
    // Whether take() may wait on the database (then it must not run on a network thread).
    virtual bool blocks() const { return false; }
};

// In memory, per process; thread-safe. Idle buckets are dropped so memory stays bounded.
class MemoryRateLimiter final : public RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    explicit MemoryRateLimiter(RateSpec spec) : spec_(spec) {}

    std::optional<int> take(const std::string& key) override { return take(key, Clock::now()); }
    std::optional<int> take(const std::string& key, Clock::time_point now);
    // Same check without consuming.
    std::optional<int> peek(const std::string& key, Clock::time_point now = Clock::now());
    void reset(const std::string& key) override;
    const RateSpec& spec() const { return spec_; }

  private:
    struct Bucket {
        double tokens;
        Clock::time_point updated;
    };
    std::optional<int> check(const std::string& key, Clock::time_point now, bool consume);
    void sweep(Clock::time_point now);

    RateSpec spec_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
    Clock::time_point last_sweep_{};
};

}  // namespace glucoplay::auth
