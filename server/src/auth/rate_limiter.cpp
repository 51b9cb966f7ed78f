#include "auth/rate_limiter.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace glucoplay::auth {

RateSpec parse_rate_spec(std::string_view text) {
    if (text == "off" || text == "0") return RateSpec{0, 1};
    auto fail = [&] {
        throw std::invalid_argument(
            "rate limit must look like 20/60s, 5/15m or 1000/1h (or off), got '" +
            std::string(text) + "'");
    };
    auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 2 > text.size()) fail();
    unsigned count = 0, amount = 0;
    auto [p1, e1] = std::from_chars(text.data(), text.data() + slash, count);
    if (e1 != std::errc() || p1 != text.data() + slash || count == 0) fail();
    std::string_view period = text.substr(slash + 1);
    char unit = period.back();
    std::string_view number = period.substr(0, period.size() - 1);
    if (number.empty()) fail();
    auto [p2, e2] = std::from_chars(number.data(), number.data() + number.size(), amount);
    if (e2 != std::errc() || p2 != number.data() + number.size() || amount == 0) fail();
    double seconds = amount;
    if (unit == 'm')
        seconds *= 60;
    else if (unit == 'h')
        seconds *= 3600;
    else if (unit != 's')
        fail();
    return RateSpec{static_cast<double>(count), seconds};
}

std::optional<int> MemoryRateLimiter::check(const std::string& key, Clock::time_point now,
                                            bool consume) {
    if (!spec_.enabled()) return std::nullopt;
    std::lock_guard lock(mutex_);
    sweep(now);
    const double rate = spec_.capacity / spec_.period_seconds;  // tokens per second
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{spec_.capacity, now});
    Bucket& b = it->second;
    if (!inserted) {
        double elapsed = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min(spec_.capacity, b.tokens + elapsed * rate);
        b.updated = now;
    }
    if (b.tokens >= 1.0) {
        if (consume) b.tokens -= 1.0;
        return std::nullopt;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate)));
}

std::optional<int> MemoryRateLimiter::take(const std::string& key, Clock::time_point now) {
    return check(key, now, true);
}
std::optional<int> MemoryRateLimiter::peek(const std::string& key, Clock::time_point now) {
    return check(key, now, false);
}

void MemoryRateLimiter::reset(const std::string& key) {
    std::lock_guard lock(mutex_);
    buckets_.erase(key);
}

// Every minute, drop buckets that have been full long enough to be indistinguishable from new.
void MemoryRateLimiter::sweep(Clock::time_point now) {
    if (now - last_sweep_ < std::chrono::minutes(1)) return;
    last_sweep_ = now;
    const double rate = spec_.capacity / spec_.period_seconds;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
        if (it->second.tokens + elapsed * rate >= spec_.capacity)
            it = buckets_.erase(it);
        else
            ++it;
    }
}

}  // namespace glucoplay::auth
