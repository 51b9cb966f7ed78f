#include "auth/shared_rate_limiter.hpp"

#include <sodium.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace glucoplay::auth {

namespace {

double wall_clock_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

SharedRateLimiter::SharedRateLimiter(storage::Database& db, std::string name, RateSpec spec,
                                     const std::string& key_secret, WallClock clock)
    : db_(db),
      name_(std::move(name)),
      spec_(spec),
      clock_(clock ? std::move(clock) : wall_clock_now) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    // The secret may be any length; its 32-byte digest is the hash key.
    crypto_generichash(hash_key_, sizeof hash_key_,
                       reinterpret_cast<const unsigned char*>(key_secret.data()), key_secret.size(),
                       nullptr, 0);
}

std::string SharedRateLimiter::hashed(const std::string& key) const {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(key.data()),
                       key.size(), hash_key_, sizeof hash_key_);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::optional<int> SharedRateLimiter::take(const std::string& key) {
    if (!spec_.enabled()) return std::nullopt;
    const double now = clock_();
    const double period = spec_.period_seconds;
    const double interval = period / spec_.capacity;  // seconds per token
    const std::string k = hashed(key);
    return db_.with_connection([&](storage::Connection& c) -> std::optional<int> {
        // One statement: a new key's row starts one interval in; an existing row moves on by an
        // interval only when that stays within a period of now (the row is locked meanwhile, so
        // concurrent instances queue here, not on the write lock).
        auto r = c.query(
            "INSERT INTO rate_buckets AS b (name, key, tat) VALUES (?, ?, ?) "
            "ON CONFLICT (name, key) DO UPDATE SET tat = GREATEST(b.tat, ?) + ? "
            "WHERE GREATEST(b.tat, ?) + ? <= ? RETURNING tat",
            {name_, k, now + interval, now, interval, now, interval, now + period});
        sweep(c, now);
        if (!r.empty()) return std::nullopt;
        // Refused (no row was written): wait until one interval's worth has drained.
        auto t = c.query("SELECT tat FROM rate_buckets WHERE name = ? AND key = ?", {name_, k});
        const double tat = t.empty() ? now : t.rows[0].real(0);
        return std::max(1, static_cast<int>(std::ceil(tat + interval - period - now)));
    });
}

void SharedRateLimiter::reset(const std::string& key) {
    if (!spec_.enabled()) return;
    db_.with_connection([&](storage::Connection& c) {
        c.query("DELETE FROM rate_buckets WHERE name = ? AND key = ?", {name_, hashed(key)});
    });
}

void SharedRateLimiter::sweep(storage::Connection& c, double now) {
    double last = last_sweep_.load();
    if (now - last < 60 || !last_sweep_.compare_exchange_strong(last, now)) return;
    c.query("DELETE FROM rate_buckets WHERE name = ? AND tat < ?", {name_, now});
}

}  // namespace glucoplay::auth
