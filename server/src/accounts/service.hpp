#pragma once

// Account rules: sign-up, sign-in, sessions, profile and settings, password changes, export,
// deletion and administration. No HTTP types here beyond ApiError for rule violations.

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accounts/user.hpp"
#include "auth/tokens.hpp"
#include "http/request.hpp"
#include "storage/database.hpp"

namespace glucoplay::accounts {

// Partial settings from PATCH /api/users/me: only the fields present change.
struct SettingsPatch {
    std::optional<std::string> glucose_unit;
    std::optional<std::int64_t> target_low_mg_dl;
    std::optional<std::int64_t> target_high_mg_dl;
    std::optional<std::string> time_zone;
    std::optional<std::string> cgm_model;
    std::optional<std::string> age_group;
};

// One section of GET /api/users/me/export, contributed by the feature that owns the rows.
using Exporter = std::function<boost::json::value(storage::Connection&, std::int64_t user_id)>;

class AccountService {
  public:
    AccountService(storage::Database& db, const auth::TokenService& tokens)
        : db_(db), tokens_(tokens) {}

    struct SignedIn {
        User user;
        std::string token;
        auth::Claims claims;
    };

    // Throws ApiError 400 (field named) for invalid input, 409 when the username is taken.
    SignedIn signup(const std::string& username, const std::string& password,
                    const std::optional<std::string>& display_name);
    // Throws 401 (same message for unknown user and wrong password), 403 for a disabled account.
    SignedIn login(const std::string& username, const std::string& password);
    void logout(const http::Principal& who);

    User get(std::int64_t user_id);
    User update_profile(std::int64_t user_id, const std::optional<std::string>& display_name,
                        const SettingsPatch& patch);
    // Checks the current password (400 on mismatch), stores the new hash and revokes every other
    // session of the user.
    void change_password(const http::Principal& who, const std::string& current,
                         const std::string& next);
    boost::json::value export_data(std::int64_t user_id);
    // Deletes the user and everything they own in one transaction (400 on a wrong password).
    void delete_account(std::int64_t user_id, const std::string& password);

    std::vector<User> list_users(std::int64_t after_id, std::int64_t limit);
    User admin_update(std::int64_t user_id, const std::optional<std::string>& role,
                      const std::optional<bool>& disabled);
    // Creates the user as an admin, or promotes an existing one (replacing the password if given).
    User create_or_promote_admin(const std::string& username,
                                 const std::optional<std::string>& password);

    void add_exporter(std::string section, Exporter exporter) {
        exporters_.emplace_back(std::move(section), std::move(exporter));
    }
    // Called with the user's id after a change to what other players see of them has committed
    // (a display name, a deleted account), before it is acknowledged: e.g. to drop cached
    // leaderboards and names.
    void on_public_change(std::function<void(std::int64_t user_id)> listener) {
        public_change_listeners_.push_back(std::move(listener));
    }
    // Called with the user's id after a change to whether their sessions are valid has committed
    // (a logout, a password change, a role change or disabling, a deleted account), before it is
    // acknowledged: e.g. to forget sessions remembered as live (auth::Authenticator).
    void on_sessions_change(std::function<void(std::int64_t user_id)> listener) {
        session_change_listeners_.push_back(std::move(listener));
    }

  private:
    SignedIn start_session(storage::Connection& c, const User& user, std::int64_t now);
    void public_changed(std::int64_t user_id) const {
        for (const auto& listener : public_change_listeners_) listener(user_id);
    }
    void sessions_changed(std::int64_t user_id) const {
        for (const auto& listener : session_change_listeners_) listener(user_id);
    }

    storage::Database& db_;
    const auth::TokenService& tokens_;
    std::vector<std::pair<std::string, Exporter>> exporters_;
    std::vector<std::function<void(std::int64_t)>> public_change_listeners_;
    std::vector<std::function<void(std::int64_t)>> session_change_listeners_;
};

// Field rules, shared with the command line (create-admin). Each throws ApiError 400 naming the
// field.
void validate_username(const std::string& username, const std::string& field = "username");
void validate_password(const std::string& password, const std::string& field = "password");
void validate_display_name(const std::string& name, const std::string& field = "display_name");
Settings apply_settings_patch(Settings current, const SettingsPatch& patch);

}  // namespace glucoplay::accounts
