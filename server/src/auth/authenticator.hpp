#pragma once

// Who is calling: the bearer token or session cookie, checked as a JWT and against the sessions
// table (so logout, password changes and disabled accounts take effect at once), and the client
// address behind trusted proxies.

#include <optional>
#include <string>
#include <vector>

#include "auth/tokens.hpp"
#include "http/request.hpp"
#include "storage/database.hpp"

namespace glucoplay::auth {

inline constexpr const char* kSessionCookie = "glucoplay_session";

// The token from "Authorization: Bearer <jwt>" or, failing that, the glucoplay_session cookie.
std::optional<std::string> extract_token(const http::Request& req);

// The address to rate-limit on: the socket peer, unless the peer is a trusted proxy, in which case
// the right-most X-Forwarded-For entry that is not itself a trusted proxy.
std::string client_address(const http::Request& req,
                           const std::vector<std::string>& trusted_proxies);
// True when the request reached us over HTTPS: X-Forwarded-Proto: https from a trusted proxy.
bool forwarded_https(const http::Request& req, const std::vector<std::string>& trusted_proxies);

class Authenticator {
  public:
    Authenticator(const TokenService& tokens, storage::Database& db) : tokens_(tokens), db_(db) {}

    // nullopt when the request carries no credentials. Throws ApiError 401 when it carries a token
    // that is malformed, tampered, expired, revoked, or belongs to a disabled or deleted account.
    std::optional<http::Principal> authenticate(const http::Request& req) const;

  private:
    const TokenService& tokens_;
    storage::Database& db_;
};

}  // namespace glucoplay::auth
