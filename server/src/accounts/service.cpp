#include "accounts/service.hpp"

#include <boost/json.hpp>

#include "accounts/repository.hpp"
#include "auth/passwords.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "util/time.hpp"

namespace glucoplay::accounts {

using http::ApiError;
namespace json = boost::json;

namespace {

const char* kBadCredentials = "wrong username or password";

template <class T>
bool one_of(const T& value, std::initializer_list<T> allowed) {
    for (const auto& a : allowed)
        if (a == value) return true;
    return false;
}

}  // namespace

void validate_username(const std::string& username, const std::string& field) {
    bool ok = username.size() >= 3 && username.size() <= 32;
    for (unsigned char c : username)
        ok = ok && (std::isalnum(c) || c == '_' || c == '.' || c == '-');
    if (!ok)
        throw ApiError::validation(
            field, field + " must be 3-32 characters of letters, digits, '_', '.' or '-'");
}

void validate_password(const std::string& password, const std::string& field) {
    std::size_t n = http::utf8_length(password);
    if (n < 8 || n > 128)
        throw ApiError::validation(field, field + " must be between 8 and 128 characters");
}

void validate_display_name(const std::string& name, const std::string& field) {
    std::size_t n = http::utf8_length(name);
    if (n < 1 || n > 40)
        throw ApiError::validation(field, field + " must be between 1 and 40 characters");
    if (name.find_first_not_of(" \t") == std::string::npos)
        throw ApiError::validation(field, field + " must not be blank");
    if (!http::is_clean_utf8(name))
        throw ApiError::validation(field,
                                   field + " must be valid UTF-8 without control characters");
}

Settings apply_settings_patch(Settings s, const SettingsPatch& p) {
    if (p.glucose_unit) {
        if (!one_of<std::string>(*p.glucose_unit, {"mg/dL", "mmol/L"}))
            throw ApiError::validation("settings.glucose_unit",
                                       "settings.glucose_unit must be \"mg/dL\" or \"mmol/L\"");
        s.glucose_unit = *p.glucose_unit;
    }
    if (p.target_low_mg_dl) s.target_low_mg_dl = *p.target_low_mg_dl;
    if (p.target_high_mg_dl) s.target_high_mg_dl = *p.target_high_mg_dl;
    for (auto [field, value] : {std::pair{"settings.target_low_mg_dl", s.target_low_mg_dl},
                                std::pair{"settings.target_high_mg_dl", s.target_high_mg_dl}}) {
        if (value < 50 || value > 300)
            throw ApiError::validation(field,
                                       std::string(field) + " must be between 50 and 300 mg/dL");
    }
    if (s.target_low_mg_dl >= s.target_high_mg_dl)
        throw ApiError::validation(
            p.target_low_mg_dl ? "settings.target_low_mg_dl" : "settings.target_high_mg_dl",
            "the target range's low end must be below its high end");
    if (p.time_zone) {
        if (!util::is_time_zone(*p.time_zone))
            throw ApiError::validation(
                "settings.time_zone",
                "settings.time_zone must be an IANA time zone name such as Europe/Paris");
        s.time_zone = *p.time_zone;
    }
    if (p.cgm_model) {
        if (!one_of<std::string>(*p.cgm_model, {"g7", "g6", "stelo"}))
            throw ApiError::validation("settings.cgm_model",
                                       "settings.cgm_model must be \"g7\", \"g6\" or \"stelo\"");
        s.cgm_model = *p.cgm_model;
    }
    if (p.age_group) {
        if (!one_of<std::string>(*p.age_group, {"adult", "teen", "child"}))
            throw ApiError::validation(
                "settings.age_group",
                "settings.age_group must be \"adult\", \"teen\" or \"child\"");
        s.age_group = *p.age_group;
    }
    return s;
}

AccountService::SignedIn AccountService::start_session(storage::Connection& c, const User& user,
                                                       std::int64_t now) {
    SignedIn out{user, "", {}};
    out.token = tokens_.issue(user.id, now, &out.claims);
    repo::purge_expired_sessions(c, user.id, now);
    repo::insert_session(c, out.claims.jti, user.id, out.claims.issued_at, out.claims.expires_at);
    return out;
}

AccountService::SignedIn AccountService::signup(const std::string& username,
                                                const std::string& password,
                                                const std::optional<std::string>& display_name) {
    validate_username(username);
    validate_password(password);
    std::string name = display_name.value_or(username);
    validate_display_name(name);
    // Hash before the transaction: it is the slow part and needs no database.
    std::string hash = auth::hash_password(password);
    const std::int64_t now = util::now_unix();
    try {
        return db_.transaction([&](storage::Connection& c) {
            std::int64_t id = repo::insert_user(c, username, name, hash, "user", now);
            return start_session(c, repo::find_by_id(c, id)->user, now);
        });
    } catch (const storage::UniqueViolation&) {
        throw ApiError::conflict("that username is taken", "username");
    }
}

AccountService::SignedIn AccountService::login(const std::string& username,
                                               const std::string& password) {
    auto stored = db_.with_connection(
        [&](storage::Connection& c) { return repo::find_by_username(c, username); });
    if (!stored) {
        auth::verify_against_dummy(password);  // same cost as a real check: no user enumeration
        throw ApiError::unauthorized(kBadCredentials);
    }
    auto verdict = auth::verify_password(stored->password_hash, password);
    if (!verdict.ok) throw ApiError::unauthorized(kBadCredentials);
    if (stored->user.disabled) throw ApiError::forbidden("this account is disabled");
    std::optional<std::string> rehash;
    if (verdict.needs_rehash) rehash = auth::hash_password(password);
    const std::int64_t now = util::now_unix();
    return db_.transaction([&](storage::Connection& c) {
        if (rehash) repo::update_password_hash(c, stored->user.id, *rehash, now);
        return start_session(c, stored->user, now);
    });
}

void AccountService::logout(const http::Principal& who) {
    db_.with_connection(
        [&](storage::Connection& c) { repo::revoke_session(c, who.session_id, util::now_unix()); });
    sessions_changed(who.user_id);
}

User AccountService::get(std::int64_t user_id) {
    auto u =
        db_.with_connection([&](storage::Connection& c) { return repo::find_by_id(c, user_id); });
    if (!u) throw ApiError::not_found("user not found");
    return u->user;
}

User AccountService::update_profile(std::int64_t user_id,
                                    const std::optional<std::string>& display_name,
                                    const SettingsPatch& patch) {
    if (display_name) validate_display_name(*display_name);
    User updated = db_.transaction([&](storage::Connection& c) {
        auto stored = repo::find_by_id(c, user_id);
        if (!stored) throw ApiError::not_found("user not found");
        User u = stored->user;
        if (display_name) u.display_name = *display_name;
        u.settings = apply_settings_patch(u.settings, patch);
        repo::update_profile(c, u, util::now_unix());
        return u;
    });
    if (display_name) public_changed(user_id);  // leaderboards show display names
    return updated;
}

void AccountService::change_password(const http::Principal& who, const std::string& current,
                                     const std::string& next) {
    validate_password(next, "new_password");
    auto stored = db_.with_connection(
        [&](storage::Connection& c) { return repo::find_by_id(c, who.user_id); });
    if (!stored) throw ApiError::not_found("user not found");
    if (!auth::verify_password(stored->password_hash, current).ok)
        throw ApiError::validation("current_password",
                                   "current_password is not your current password");
    std::string hash = auth::hash_password(next);
    db_.transaction([&](storage::Connection& c) {
        const std::int64_t now = util::now_unix();
        repo::update_password_hash(c, who.user_id, hash, now);
        repo::revoke_other_sessions(c, who.user_id, who.session_id, now);
    });
    sessions_changed(who.user_id);
}

json::value AccountService::export_data(std::int64_t user_id) {
    return db_.transaction([&](storage::Connection& c) {
        auto stored = repo::find_by_id(c, user_id);
        if (!stored) throw ApiError::not_found("user not found");
        json::object doc{{"format", "glucoplay-export"},
                         {"version", 1},
                         {"exported_at", util::now_rfc3339()},
                         {"user", to_json(stored->user)}};
        json::array sessions;
        for (const auto& row :
             c.query("SELECT created_at, expires_at, revoked_at FROM sessions WHERE user_id = ? "
                     "ORDER BY created_at",
                     {user_id})
                 .rows) {
            json::object s{{"created_at", util::format_unix(row.int64(0))},
                           {"expires_at", util::format_unix(row.int64(1))}};
            s["revoked_at"] = row.is_null(2) ? json::value(nullptr)
                                             : json::value(util::format_unix(row.int64(2)));
            sessions.push_back(std::move(s));
        }
        doc["sessions"] = std::move(sessions);
        for (const auto& [section, exporter] : exporters_) doc[section] = exporter(c, user_id);
        return json::value(std::move(doc));
    });
}

void AccountService::delete_account(std::int64_t user_id, const std::string& password) {
    auto stored =
        db_.with_connection([&](storage::Connection& c) { return repo::find_by_id(c, user_id); });
    if (!stored) throw ApiError::not_found("user not found");
    if (!auth::verify_password(stored->password_hash, password).ok)
        throw ApiError::validation("password", "password is not your current password");
    db_.transaction([&](storage::Connection& c) {
        if (stored->user.role == "admin" && !stored->user.disabled &&
            repo::count_active_admins(c) <= 1)
            throw ApiError::conflict("the last administrator cannot delete their account");
        repo::delete_user(c, user_id);
    });
    sessions_changed(user_id);  // their sessions went with the account
    public_changed(user_id);    // their scores left every leaderboard with them
}

std::vector<User> AccountService::list_users(std::int64_t after_id, std::int64_t limit) {
    return db_.with_connection(
        [&](storage::Connection& c) { return repo::list_users(c, after_id, limit); });
}

User AccountService::admin_update(std::int64_t user_id, const std::optional<std::string>& role,
                                  const std::optional<bool>& disabled) {
    if (role && *role != "user" && *role != "admin")
        throw ApiError::validation("role", "role must be \"user\" or \"admin\"");
    User updated = db_.transaction([&](storage::Connection& c) {
        auto stored = repo::find_by_id(c, user_id);
        if (!stored) throw ApiError::not_found("user not found");
        User u = stored->user;
        bool was_active_admin = u.role == "admin" && !u.disabled;
        if (role) u.role = *role;
        if (disabled) u.disabled = *disabled;
        bool is_active_admin = u.role == "admin" && !u.disabled;
        if (was_active_admin && !is_active_admin && repo::count_active_admins(c) <= 1)
            throw ApiError::conflict(
                "this is the last active administrator; promote another user first");
        repo::set_role_and_disabled(c, u.id, u.role, u.disabled, util::now_unix());
        return u;
    });
    sessions_changed(user_id);  // a disabled account's sessions stop; a role travels with them
    return updated;
}

User AccountService::create_or_promote_admin(const std::string& username,
                                             const std::optional<std::string>& password) {
    validate_username(username);
    if (password) validate_password(*password);
    std::optional<std::string> hash;
    if (password) hash = auth::hash_password(*password);
    User admin = db_.transaction([&](storage::Connection& c) {
        const std::int64_t now = util::now_unix();
        auto stored = repo::find_by_username(c, username);
        if (!stored) {
            if (!hash)
                throw ApiError::validation("password", "a password is needed to create a new user");
            std::int64_t id = repo::insert_user(c, username, username, *hash, "admin", now);
            return repo::find_by_id(c, id)->user;
        }
        if (hash) repo::update_password_hash(c, stored->user.id, *hash, now);
        repo::set_role_and_disabled(c, stored->user.id, "admin", false, now);
        return repo::find_by_id(c, stored->user.id)->user;
    });
    sessions_changed(admin.id);
    return admin;
}

}  // namespace glucoplay::accounts
