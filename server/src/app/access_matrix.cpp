#include "app/access_matrix.hpp"

namespace glucoplay::app {

// Another user's record is not found (404), never forbidden: no existence oracle (API.md). A game
// session that is not the caller's is 422 like an expired one. Routes on the caller's own
// account ("me") answer the other user about their own account. The owner's answers are what
// the authorisation test's fixture requests get (e.g. a meal response without readings is 404).
const std::vector<AccessExpectation>& access_matrix() {
    using M = http::Method;
    static const std::vector<AccessExpectation> table = {
        // Operations
        {M::get, "/api/health", 200, 200, 200},
        {M::get, "/metrics", 200, 200, 200},
        // Accounts
        {M::post, "/api/auth/signup", 201, 201, 201},
        {M::post, "/api/auth/login", 200, 200, 200},
        {M::post, "/api/auth/logout", 401, 204, 204},
        {M::get, "/api/users/me", 401, 200, 200},
        {M::patch, "/api/users/me", 401, 200, 200},
        {M::post, "/api/users/me/password", 401, 400,
         204},  // the owner's password: wrong for others
        {M::get, "/api/users/me/export", 401, 200, 200},
        {M::delete_, "/api/users/me", 401, 400, 204},
        {M::get, "/api/admin/users", 401, 403, 200},
        {M::patch, "/api/admin/users/{id}", 401, 403, 200},
        // Food
        {M::get, "/api/foods", 200, 200, 200},
        {M::get, "/api/foods/{id}", 200, 200, 200},
        {M::post, "/api/food_log", 401, 201, 201},
        {M::get, "/api/food_log", 401, 200, 200},
        {M::get, "/api/food_log/summary", 401, 200, 200},
        {M::get, "/api/food_log/{id}", 401, 404, 200},
        {M::patch, "/api/food_log/{id}", 401, 404, 200},
        {M::delete_, "/api/food_log/{id}", 401, 404, 204},
        // Glucose
        {M::post, "/api/pin_dexcom/readings", 401, 201, 201},
        {M::delete_, "/api/pin_dexcom/readings", 401, 200, 200},
        {M::get, "/api/pin_dexcom/readings", 401, 200, 200},
        {M::post, "/api/pin_dexcom/import", 401, 200, 200},
        {M::get, "/api/pin_dexcom/trends", 401, 200, 200},
        {M::get, "/api/v1/entries.json", 401, 200, 200},
        {M::post, "/api/events", 401, 201, 201},
        {M::get, "/api/events", 401, 200, 200},
        {M::delete_, "/api/events/{id}", 401, 404, 204},
        {M::get, "/api/food_log/{id}/response", 401, 404, 404},  // (the fixture has no readings)
        // Games
        {M::get, "/api/games", 200, 200, 200},
        {M::post, "/api/games/{game}/sessions", 401, 201, 201},
        {M::post, "/api/scores", 401, 422, 201},
        {M::get, "/api/scores", 200, 200, 200},
        {M::get, "/api/scores/me", 401, 200, 200},
        {M::get, "/api/scores/stream", 200, 200, 200},
        {M::delete_, "/api/scores/{id}", 401, 403, 204},
        {M::get, "/api/games/racing/question", 401, 422, 200},
        {M::post, "/api/games/racing/answer", 401, 422, 200},
        // Pin the Dexcom
        {M::get, "/api/pin_dexcom/sites", 200, 200, 200},
        {M::post, "/api/pin_dexcom/attempts", 401, 201, 201},
        {M::get, "/api/pin_dexcom/attempts", 401, 200, 200},
        // Notifications: another user's notification answers 404, like a missing one
        {M::get, "/api/notifications", 401, 200, 200},
        {M::post, "/api/notifications/{id}/read", 401, 404, 200},
        {M::post, "/api/notifications/read_all", 401, 200, 200},
        {M::delete_, "/api/notifications/{id}", 401, 404, 204},
        {M::get, "/api/notifications/preferences", 401, 200, 200},
        {M::patch, "/api/notifications/preferences", 401, 200, 200},
        {M::get, "/api/notifications/stream", 401, 200, 200},
    };
    return table;
}

}  // namespace glucoplay::app
