#pragma once

// Racing scores for tests: a game session aged so that the score is plausible (the server caps
// points per second of play), submitted through the API.

#include <boost/json.hpp>
#include <cstdint>
#include <stdexcept>

#include "storage/database.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace glucoplay::testing {

// Moves a session's start back in time, as if the run had lasted that long.
inline void age_session(const ServerProcess& server, std::int64_t session_id, int seconds) {
    auto db = open_test_database(server.data_dir());  // SQLite or PostgreSQL, as the server
    db->with_connection([&](storage::Connection& conn) {
        conn.query(
            "UPDATE game_sessions SET started_at = started_at - ?, expires_at = expires_at - ? "
            "WHERE id = ?",
            {std::int64_t{seconds}, std::int64_t{seconds}, session_id});
    });
}

// Starts a racing session, ages it enough for `value`, and submits the score.
inline HttpResponse play_racing(HttpClient& client, const ServerProcess& server,
                                const TestUser& user, std::int64_t value) {
    auto s = client.post_json("/api/games/racing/sessions", boost::json::object{}, user.auth());
    if (s.status != 201) throw std::runtime_error("session: " + s.body);
    const std::int64_t id = s.json().at("session_id").as_int64();
    age_session(server, id, static_cast<int>(value / 150 + 1));
    return client.post_json(
        "/api/scores",
        boost::json::object{{"game", "racing"}, {"session_id", id}, {"score", value}}, user.auth());
}

}  // namespace glucoplay::testing
