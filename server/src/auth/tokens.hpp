#pragma once

// JSON Web Tokens (HS256 only) via libjwt. The algorithm is pinned: a token whose header names
// any other algorithm, including "none", is refused, as are tampered, expired and malformed ones.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "util/bounded_cache.hpp"

namespace glucoplay::auth {

struct Claims {
    std::int64_t user_id = 0;     // "sub"
    std::int64_t issued_at = 0;   // "iat", unix seconds
    std::int64_t expires_at = 0;  // "exp", unix seconds
    std::string jti;              // token id: one row in the sessions table
};

class TokenService {
  public:
    // Tokens whose signature and claims were checked are kept so a client's next requests skip
    // the decode and HMAC (libjwt via OpenSSL: most of an authenticated GET's CPU, issue 9). The
    // time checks still run against each request's `now`; revocation is the sessions table's
    // business (auth::Authenticator), not this cache's. Bounded: two generations of up to
    // `cache_size` each, the older dropped when the newer fills.
    static constexpr std::size_t kCachedTokens = 8192;

    explicit TokenService(std::string secret, std::chrono::seconds ttl = std::chrono::hours(24 * 7),
                          std::size_t cache_size = kCachedTokens);

    // A new token for the user, valid from `now` for the configured lifetime, with a random jti.
    std::string issue(std::int64_t user_id, std::int64_t now, Claims* claims_out = nullptr) const;
    // The claims when the token is well-formed, HS256, correctly signed and not expired at `now`.
    std::optional<Claims> verify(const std::string& token, std::int64_t now) const;
    // The same for a token verified before and still remembered; nullopt otherwise (also for a
    // token never seen, which verify() would decode). Never decodes: cheap enough for the
    // network thread.
    std::optional<Claims> verify_remembered(const std::string& token, std::int64_t now) const;
    std::chrono::seconds ttl() const { return ttl_; }

    std::size_t cached_tokens() const;  // for tests

  private:
    std::optional<Claims> decode(const std::string& token) const;
    static std::optional<Claims> in_time(const Claims& c, std::int64_t now);

    std::string secret_;
    std::chrono::seconds ttl_;
    mutable util::BoundedCache<std::string, Claims> verified_;
};

std::string random_token_id();  // 128 random bits, hex

}  // namespace glucoplay::auth
