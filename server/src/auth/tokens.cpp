#include "auth/tokens.hpp"

#include <jwt.h>
#include <sodium.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace glucoplay::auth {
namespace {

struct JwtDeleter {
    void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

const unsigned char* key_bytes(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string random_token_id() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return hex;
}

TokenService::TokenService(std::string secret, std::chrono::seconds ttl, std::size_t cache_size)
    : secret_(std::move(secret)), ttl_(ttl), verified_(cache_size) {
    if (secret_.empty()) throw std::invalid_argument("JWT secret must not be empty");
}

std::string TokenService::issue(std::int64_t user_id, std::int64_t now, Claims* claims_out) const {
    Claims c{user_id, now, now + ttl_.count(), random_token_id()};
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
    JwtPtr jwt(raw);
    std::string sub = std::to_string(user_id);
    if (jwt_add_grant(jwt.get(), "sub", sub.c_str()) != 0 ||
        jwt_add_grant_int(jwt.get(), "iat", c.issued_at) != 0 ||
        jwt_add_grant_int(jwt.get(), "exp", c.expires_at) != 0 ||
        jwt_add_grant(jwt.get(), "jti", c.jti.c_str()) != 0 ||
        jwt_set_alg(jwt.get(), JWT_ALG_HS256, key_bytes(secret_),
                    static_cast<int>(secret_.size())) != 0)
        throw std::runtime_error("building the token failed");
    char* encoded = jwt_encode_str(jwt.get());
    if (!encoded) throw std::runtime_error("encoding the token failed");
    std::string out(encoded);
    std::free(encoded);  // libjwt 1.10 allocates with malloc
    if (claims_out) *claims_out = c;
    return out;
}

std::optional<Claims> TokenService::verify(const std::string& token, std::int64_t now) const {
    if (token.empty() || token.size() > 4096) return std::nullopt;
    if (auto known = verified_.find(token)) return in_time(*known, now);
    std::optional<Claims> c = decode(token);
    if (!c) return std::nullopt;  // only tokens we signed are kept
    verified_.put(token, *c);
    return in_time(*c, now);
}

std::optional<Claims> TokenService::verify_remembered(const std::string& token,
                                                      std::int64_t now) const {
    if (auto known = verified_.find(token)) return in_time(*known, now);
    return std::nullopt;
}

std::size_t TokenService::cached_tokens() const {
    return verified_.size();
}

std::optional<Claims> TokenService::in_time(const Claims& c, std::int64_t now) {
    if (c.expires_at <= now) return std::nullopt;  // expired
    if (c.issued_at > now + 300)
        return std::nullopt;  // issued in the future (clock skew allowance 5 min)
    return c;
}

std::optional<Claims> TokenService::decode(const std::string& token) const {
    jwt_t* raw = nullptr;
    // jwt_decode checks the signature with our key; the algorithm is then pinned to HS256 so a
    // token claiming "none" (or any other algorithm) can never pass.
    if (jwt_decode(&raw, token.c_str(), key_bytes(secret_), static_cast<int>(secret_.size())) !=
            0 ||
        !raw)
        return std::nullopt;
    JwtPtr jwt(raw);
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return std::nullopt;

    const char* sub = jwt_get_grant(jwt.get(), "sub");
    const char* jti = jwt_get_grant(jwt.get(), "jti");
    errno = 0;
    long iat = jwt_get_grant_int(jwt.get(), "iat");
    bool iat_ok = errno == 0;
    errno = 0;
    long exp = jwt_get_grant_int(jwt.get(), "exp");
    bool exp_ok = errno == 0;
    if (!sub || !jti || !iat_ok || !exp_ok || std::string_view(jti).empty()) return std::nullopt;

    Claims c;
    std::string_view s(sub);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), c.user_id);
    if (ec != std::errc() || p != s.data() + s.size() || c.user_id <= 0) return std::nullopt;
    c.issued_at = iat;
    c.expires_at = exp;
    c.jti = jti;
    return c;
}

}  // namespace glucoplay::auth
