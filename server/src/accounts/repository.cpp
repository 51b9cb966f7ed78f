#include "accounts/repository.hpp"

#include <algorithm>
#include <cctype>

namespace glucoplay::accounts::repo {

using storage::Row;

namespace {

constexpr const char* kUserColumns =
    "id, username, display_name, role, disabled, created_at, glucose_unit, target_low_mg_dl, "
    "target_high_mg_dl, time_zone, cgm_model, age_group, password_hash";

StoredUser to_stored(const Row& r) {
    StoredUser s;
    User& u = s.user;
    u.id = r.int64(0);
    u.username = r.text(1);
    u.display_name = r.text(2);
    u.role = r.text(3);
    u.disabled = r.int64(4) != 0;
    u.created_at = r.int64(5);
    u.settings.glucose_unit = r.text(6);
    u.settings.target_low_mg_dl = r.int64(7);
    u.settings.target_high_mg_dl = r.int64(8);
    u.settings.time_zone = r.text(9);
    u.settings.cgm_model = r.text(10);
    u.settings.age_group = r.text(11);
    s.password_hash = r.text(12);
    return s;
}

std::optional<StoredUser> first(const storage::Result& r) {
    if (r.rows.empty()) return std::nullopt;
    return to_stored(r.rows.front());
}

}  // namespace

std::string username_key(const std::string& username) {
    std::string key = username;
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return key;
}

std::optional<StoredUser> find_by_username(storage::Connection& c, const std::string& username) {
    return first(
        c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username_key = ?",
                {username_key(username)}));
}

std::optional<StoredUser> find_by_id(storage::Connection& c, std::int64_t id) {
    return first(c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id}));
}

std::int64_t insert_user(storage::Connection& c, const std::string& username,
                         const std::string& display_name, const std::string& password_hash,
                         const std::string& role, std::int64_t now) {
    return c.insert_row(
        "INSERT INTO users (username, username_key, display_name, password_hash, role, created_at, "
        "updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {username, username_key(username), display_name, password_hash, role, now, now});
}

void update_profile(storage::Connection& c, const User& u, std::int64_t now) {
    const Settings& s = u.settings;
    c.query(
        "UPDATE users SET display_name = ?, glucose_unit = ?, target_low_mg_dl = ?, "
        "target_high_mg_dl = ?, "
        "time_zone = ?, cgm_model = ?, age_group = ?, updated_at = ? WHERE id = ?",
        {u.display_name, s.glucose_unit, s.target_low_mg_dl, s.target_high_mg_dl, s.time_zone,
         s.cgm_model, s.age_group, now, u.id});
}

void update_password_hash(storage::Connection& c, std::int64_t user_id, const std::string& hash,
                          std::int64_t now) {
    c.query("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
            {hash, now, user_id});
}

void set_role_and_disabled(storage::Connection& c, std::int64_t user_id, const std::string& role,
                           bool disabled, std::int64_t now) {
    c.query("UPDATE users SET role = ?, disabled = ?, updated_at = ? WHERE id = ?",
            {role, std::int64_t{disabled ? 1 : 0}, now, user_id});
}

std::int64_t count_active_admins(storage::Connection& c) {
    return c.query("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0")
        .rows.at(0)
        .int64(0);
}

std::vector<User> list_users(storage::Connection& c, std::int64_t after_id, std::int64_t limit) {
    auto r = c.query(
        std::string("SELECT ") + kUserColumns + " FROM users WHERE id > ? ORDER BY id LIMIT ?",
        {after_id, limit});
    std::vector<User> out;
    for (const auto& row : r.rows) out.push_back(to_stored(row).user);
    return out;
}

std::int64_t delete_user(storage::Connection& c, std::int64_t user_id) {
    return c.query("DELETE FROM users WHERE id = ?", {user_id}).affected;
}

void insert_session(storage::Connection& c, const std::string& jti, std::int64_t user_id,
                    std::int64_t created_at, std::int64_t expires_at) {
    c.query("INSERT INTO sessions (jti, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            {jti, user_id, created_at, expires_at});
}

void revoke_session(storage::Connection& c, const std::string& jti, std::int64_t now) {
    c.query("UPDATE sessions SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL", {now, jti});
}

void revoke_other_sessions(storage::Connection& c, std::int64_t user_id,
                           const std::string& keep_jti, std::int64_t now) {
    c.query(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND jti <> ? AND revoked_at IS NULL",
        {now, user_id, keep_jti});
}

void purge_expired_sessions(storage::Connection& c, std::int64_t user_id, std::int64_t now) {
    c.query("DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", {user_id, now});
}

std::map<std::string, LiveSessionRow> live_sessions(storage::Connection& c,
                                                    const std::vector<std::string>& asked,
                                                    std::int64_t now) {
    std::map<std::string, LiveSessionRow> out;
    // Each jti once (a batch may carry several scores of one session).
    std::vector<std::string_view> jtis(asked.begin(), asked.end());
    std::sort(jtis.begin(), jtis.end());
    jtis.erase(std::unique(jtis.begin(), jtis.end()), jtis.end());
    // In chunks of a power of two up to 256 (the last jti repeated to fill one), so a
    // connection prepares at most nine statements, and a chunk looks up fewer than twice the
    // sessions asked for: with sizes 1, 8, 64 and 256, a batch of 12 scores looked up 64.
    constexpr std::size_t kChunk = 256;
    for (std::size_t start = 0; start < jtis.size();) {
        const std::size_t take = std::min(kChunk, jtis.size() - start);
        std::size_t size = 1;
        while (size < take) size *= 2;
        const std::string sql =
            "SELECT s.jti, s.user_id, u.role, u.disabled FROM sessions s JOIN users u ON u.id = "
            "s.user_id WHERE s.revoked_at IS NULL AND s.expires_at > ? AND s.jti IN (" +
            storage::repeated_placeholders("?", size) + ")";
        std::vector<storage::Value> params{now};
        params.reserve(size + 1);
        for (std::size_t i = 0; i < size; ++i)
            params.emplace_back(std::string(jtis[start + std::min(i, take - 1)]));
        for (const auto& r : c.query(sql, params).rows)
            out.insert_or_assign(
                r.text(0), LiveSessionRow{r.int64(1), SessionState{r.text(2), r.int64(3) != 0}});
        start += take;
    }
    return out;
}

std::optional<std::int64_t> session_changes(storage::Connection& c) {
    auto r = c.query("SELECT n FROM session_changes WHERE id = 1");
    if (r.rows.empty()) return std::nullopt;
    return r.rows[0].int64(0);
}

std::string time_zone(storage::Connection& c, std::int64_t user_id) {
    auto r = c.query("SELECT time_zone FROM users WHERE id = ?", {user_id});
    return r.rows.empty() ? "UTC" : r.rows[0].text(0);
}

}  // namespace glucoplay::accounts::repo
