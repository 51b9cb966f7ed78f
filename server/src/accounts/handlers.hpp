#pragma once

// HTTP <-> DTO for accounts: /api/auth/*, /api/users/me*, /api/admin/users*.

#include <string>
#include <vector>

#include "accounts/service.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/tokens.hpp"
#include "http/router.hpp"

namespace glucoplay::accounts {

struct RouteDeps {
    AccountService& service;
    const auth::TokenService& tokens;
    auth::RateLimiter& auth_per_address;  // sign-in + sign-up attempts per client address
    auth::RateLimiter& login_per_user;    // sign-in (and password check) attempts per username
    std::vector<std::string> trusted_proxies;
};

void register_routes(http::Router& router, RouteDeps deps);

}  // namespace glucoplay::accounts
