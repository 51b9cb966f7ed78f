#pragma once

// Helpers for tests that need signed-in users.

#include <boost/json.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "support/http_client.hpp"

namespace glucoplay::testing {

inline const std::string kPassword = "correct horse battery";

struct TestUser {
    std::int64_t id = 0;
    std::string username;
    std::string token;
    HeaderList auth() const { return {{"Authorization", "Bearer " + token}}; }
};

inline TestUser sign_up(HttpClient& client, const std::string& username,
                        const std::string& password = kPassword) {
    auto r = client.post_json("/api/auth/signup",
                              boost::json::object{{"username", username}, {"password", password}});
    if (r.status != 201)
        throw std::runtime_error("signup failed: " + std::to_string(r.status) + " " + r.body);
    auto body = r.json().as_object();
    return TestUser{body.at("user").at("id").as_int64(), username,
                    std::string(body.at("token").as_string())};
}

}  // namespace glucoplay::testing
