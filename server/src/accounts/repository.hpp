#pragma once

// SQL for users and sessions. Every function takes the connection (so callers decide the
// transaction) and uses parameters only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/user.hpp"
#include "storage/database.hpp"

namespace glucoplay::accounts::repo {

struct StoredUser {
    User user;
    std::string password_hash;
};

std::optional<StoredUser> find_by_username(storage::Connection& c, const std::string& username);
std::optional<StoredUser> find_by_id(storage::Connection& c, std::int64_t id);
// Throws storage::UniqueViolation when the username is taken (in any letter case).
std::int64_t insert_user(storage::Connection& c, const std::string& username,
                         const std::string& display_name, const std::string& password_hash,
                         const std::string& role, std::int64_t now);
void update_profile(storage::Connection& c, const User& u, std::int64_t now);
void update_password_hash(storage::Connection& c, std::int64_t user_id, const std::string& hash,
                          std::int64_t now);
void set_role_and_disabled(storage::Connection& c, std::int64_t user_id, const std::string& role,
                           bool disabled, std::int64_t now);
std::int64_t count_active_admins(storage::Connection& c);
// Users with id > after_id, in id order.
std::vector<User> list_users(storage::Connection& c, std::int64_t after_id, std::int64_t limit);
// Removes the user; every owned row goes with it (ON DELETE CASCADE). Returns rows deleted.
std::int64_t delete_user(storage::Connection& c, std::int64_t user_id);

void insert_session(storage::Connection& c, const std::string& jti, std::int64_t user_id,
                    std::int64_t created_at, std::int64_t expires_at);
void revoke_session(storage::Connection& c, const std::string& jti, std::int64_t now);
// Revokes every live session of the user except `keep_jti`.
void revoke_other_sessions(storage::Connection& c, std::int64_t user_id,
                           const std::string& keep_jti, std::int64_t now);
void purge_expired_sessions(storage::Connection& c, std::int64_t user_id, std::int64_t now);

struct SessionState {
    std::string role;
    bool disabled = false;
};
// The user and their role and state for each given jti whose session is live (exists, not
// revoked, not expired), in one query per up to 256; a jti missing from the answer is not live.
struct LiveSessionRow {
    std::int64_t user_id = 0;
    SessionState state;
};
std::map<std::string, LiveSessionRow> live_sessions(storage::Connection& c,
                                                    const std::vector<std::string>& jtis,
                                                    std::int64_t now);
// The number every change able to end a live session moves (migration 013: triggers on
// sessions and users); nullopt when its row is missing, which says nothing.
std::optional<std::int64_t> session_changes(storage::Connection& c);

std::string username_key(const std::string& username);  // case-folded for uniqueness
// The user's IANA time zone from their settings ("UTC" when the user is gone).
std::string time_zone(storage::Connection& c, std::int64_t user_id);

}  // namespace glucoplay::accounts::repo
