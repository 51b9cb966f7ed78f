// Accounts over HTTP: sign-up, sign-in, tokens, profile, password, export, deletion, roles,
// rate limits, CORS and cookies. Each rule has its negative case.
#include <gtest/gtest.h>
#include <jwt.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "storage/database.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;

namespace {

// Servers for these tests run with the rate limits off unless a test turns them on.
ServerProcess::Options unlimited(std::vector<std::string> extra = {}) {
    ServerProcess::Options o;
    o.args = {"--rate-limit", "off", "--auth-rate-limit", "off", "--login-rate-limit", "off"};
    o.args.insert(o.args.end(), extra.begin(), extra.end());
    return o;
}

std::string read_secret(const ServerProcess& s) {
    std::ifstream in(s.data_dir() / "jwt_secret");
    std::string secret;
    std::getline(in, secret);
    return secret;
}

std::string b64url(const std::string& raw) {
    std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string unb64url(const std::string& text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.c_str(),
                      text.size(), nullptr, &len, nullptr,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(len);
    return out;
}

// A token made with libjwt directly: any algorithm, any claims.
std::string forge(jwt_alg_t alg, const std::string& key, const std::string& sub, long iat, long exp,
                  const std::string& jti) {
    jwt_t* j = nullptr;
    jwt_new(&j);
    jwt_add_grant(j, "sub", sub.c_str());
    jwt_add_grant_int(j, "iat", iat);
    jwt_add_grant_int(j, "exp", exp);
    jwt_add_grant(j, "jti", jti.c_str());
    jwt_set_alg(j, alg,
                alg == JWT_ALG_NONE ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                alg == JWT_ALG_NONE ? 0 : static_cast<int>(key.size()));
    char* s = jwt_encode_str(j);
    std::string out = s ? s : "";
    std::free(s);
    jwt_free(j);
    return out;
}

long now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

HeaderList bearer(const std::string& t) {
    return {{"Authorization", "Bearer " + t}};
}

std::string field_of(const HttpResponse& r) {
    auto e = r.json().at("error").as_object();
    return e.contains("field") ? std::string(e.at("field").as_string()) : "";
}

}  // namespace

TEST(Accounts, SignupReturnsUserTokenAndSessionCookie) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto r = c.post_json("/api/auth/signup",
                         json::object{{"username", "Maya_R"}, {"password", kPassword}});
    ASSERT_EQ(r.status, 201u) << r.body;
    auto user = r.json().at("user").as_object();
    EXPECT_GT(user.at("id").as_int64(), 0);
    EXPECT_EQ(user.at("username").as_string(), "Maya_R");
    EXPECT_EQ(user.at("display_name").as_string(), "Maya_R");  // defaults to the username
    EXPECT_EQ(user.at("role").as_string(), "user");
    EXPECT_EQ(user.at("settings").at("time_zone").as_string(), "UTC");
    EXPECT_EQ(user.at("settings").at("target_low_mg_dl").as_int64(), 70);
    EXPECT_EQ(user.at("settings").at("target_high_mg_dl").as_int64(), 180);
    EXPECT_FALSE(user.contains("password_hash"));
    std::string token(r.json().at("token").as_string());
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);

    std::string cookie = r.header("Set-Cookie");
    EXPECT_EQ(cookie.rfind("glucoplay_session=" + token + ";", 0), 0u) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP, no trusted proxy

    // The token works as a bearer token and as the cookie.
    EXPECT_EQ(c.get("/api/users/me", bearer(token)).json().at("username").as_string(), "Maya_R");
    EXPECT_EQ(c.get("/api/users/me", {{"Cookie", "theme=dark; glucoplay_session=" + token}}).status,
              200u);
    EXPECT_EQ(c.get("/api/users/me").status, 401u);
}

TEST(Accounts, SignupValidatesEveryField) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    struct Case {
        json::object body;
        const char* field;
    };
    std::vector<Case> cases = {
        {{{"username", "ab"}, {"password", kPassword}}, "username"},
        {{{"username", std::string(33, 'a')}, {"password", kPassword}}, "username"},
        {{{"username", "has space"}, {"password", kPassword}}, "username"},
        {{{"username", "émile"}, {"password", kPassword}}, "username"},
        {{{"username", "<script>"}, {"password", kPassword}}, "username"},
        {{{"username", "okname"}, {"password", "short7!"}}, "password"},
        {{{"username", "okname"}, {"password", std::string(129, 'p')}}, "password"},
        {{{"username", "okname"}, {"password", kPassword}, {"display_name", std::string(41, 'd')}},
         "display_name"},
        {{{"username", "okname"}, {"password", kPassword}, {"display_name", "   "}},
         "display_name"},
        {{{"username", "okname"}, {"password", 12345678}}, "password"},
        {{{"password", kPassword}}, "username"},
        {{{"username", "okname"}, {"password", kPassword}, {"role", "admin"}},
         "role"},  // no mass assignment
    };
    for (const auto& tc : cases) {
        auto r = c.post_json("/api/auth/signup", tc.body);
        EXPECT_EQ(r.status, 400u) << json::serialize(tc.body) << " -> " << r.body;
        EXPECT_EQ(r.error_code(), "validation_failed");
        EXPECT_EQ(field_of(r), tc.field) << json::serialize(tc.body);
    }
    // Exactly at the limits is fine; a display name may hold any text, shown back verbatim.
    auto ok = c.post_json("/api/auth/signup", json::object{{"username", "abc"},
                                                           {"password", std::string(8, 'x')},
                                                           {"display_name", "<b>Zoë</b> 🍎"}});
    ASSERT_EQ(ok.status, 201u) << ok.body;
    EXPECT_EQ(ok.json().at("user").at("display_name").as_string(), "<b>Zoë</b> 🍎");
    EXPECT_EQ(c.post_json("/api/auth/signup", json::object{{"username", std::string(32, 'z')},
                                                           {"password", std::string(128, 'p')}})
                  .status,
              201u);
    // The body must be JSON.
    EXPECT_EQ(c.request("POST", "/api/auth/signup", "username=a&password=b",
                        {{"Content-Type", "application/x-www-form-urlencoded"}})
                  .status,
              415u);
    EXPECT_EQ(c.request("POST", "/api/auth/signup",
                        "{\"username\":", {{"Content-Type", "application/json"}})
                  .status,
              400u);
}

TEST(Accounts, UsernamesAreUniqueIgnoringCase) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    sign_up(c, "Jordan");
    auto r = c.post_json("/api/auth/signup",
                         json::object{{"username", "jORDAN"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 409u);
    EXPECT_EQ(r.error_code(), "conflict");
    EXPECT_EQ(field_of(r), "username");
    // And sign-in ignores case too.
    EXPECT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "JORDAN"}, {"password", kPassword}})
                  .status,
              200u);
}

TEST(Accounts, WrongPasswordAndUnknownUserLookTheSame) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    sign_up(c, "sam");
    auto wrong = c.post_json("/api/auth/login",
                             json::object{{"username", "sam"}, {"password", "not the password"}});
    auto unknown = c.post_json(
        "/api/auth/login", json::object{{"username", "nobody"}, {"password", "not the password"}});
    EXPECT_EQ(wrong.status, 401u);
    EXPECT_EQ(unknown.status, 401u);
    EXPECT_EQ(wrong.body, unknown.body);
    EXPECT_FALSE(wrong.has_header("Set-Cookie"));

    // Same cost: an unknown user still pays for one Argon2 verification, exactly like a wrong
    // password (counted by the server, so the check does not depend on timing).
    auto verifications = [&] {
        auto m = c.get("/metrics").body;
        const std::string name = "\nglucoplay_password_verifications_total ";
        auto pos = m.find(name);
        EXPECT_NE(pos, std::string::npos) << m;
        return std::stoll(m.substr(pos + name.size()));
    };
    auto before = verifications();
    c.post_json("/api/auth/login",
                json::object{{"username", "nobody"}, {"password", "not the password"}});
    auto after_unknown = verifications();
    c.post_json("/api/auth/login",
                json::object{{"username", "sam"}, {"password", "not the password"}});
    auto after_wrong = verifications();
    EXPECT_EQ(after_unknown - before, 1);
    EXPECT_EQ(after_wrong - after_unknown, 1);
}

TEST(Accounts, LogoutRevokesThatTokenAtOnce) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto u = sign_up(c, "lee");
    auto second =
        c.post_json("/api/auth/login", json::object{{"username", "lee"}, {"password", kPassword}});
    std::string other(second.json().at("token").as_string());

    auto out =
        c.request("POST", "/api/auth/logout", "{}",
                  {{"Authorization", "Bearer " + u.token}, {"Content-Type", "application/json"}});
    EXPECT_EQ(out.status, 204u);
    EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
    auto after = c.get("/api/users/me", u.auth());
    EXPECT_EQ(after.status, 401u);
    EXPECT_EQ(after.error_code(), "unauthorized");
    EXPECT_EQ(c.get("/api/users/me", bearer(other)).status,
              200u);  // the other session is untouched
    EXPECT_EQ(
        c.request("POST", "/api/auth/logout", "{}", {{"Content-Type", "application/json"}}).status,
        401u);
}

TEST(Accounts, ForgedExpiredTamperedAndMalformedTokensAre401) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto alice = sign_up(c, "alice");
    auto bob = sign_up(c, "bob");
    const std::string secret = read_secret(server);
    ASSERT_GE(secret.size(), 32u);

    // The session id of alice's real token, so only the property under test differs.
    std::string payload = unb64url(alice.token.substr(
        alice.token.find('.') + 1, alice.token.rfind('.') - alice.token.find('.') - 1));
    std::string jti(json::parse(payload).at("jti").as_string());
    std::string sub = std::to_string(alice.id);

    // Control: a correctly made token for the live session works.
    EXPECT_EQ(c.get("/api/users/me",
                    bearer(forge(JWT_ALG_HS256, secret, sub, now_s(), now_s() + 600, jti)))
                  .status,
              200u);

    std::vector<std::pair<std::string, std::string>> bad = {
        {"expired", forge(JWT_ALG_HS256, secret, sub, now_s() - 7200, now_s() - 3600, jti)},
        {"alg none", forge(JWT_ALG_NONE, "", sub, now_s(), now_s() + 600, jti)},
        {"HS512 with the right secret",
         forge(JWT_ALG_HS512, secret, sub, now_s(), now_s() + 600, jti)},
        {"wrong secret",
         forge(JWT_ALG_HS256, std::string(40, 'w'), sub, now_s(), now_s() + 600, jti)},
        {"signature changed",
         alice.token.substr(0, alice.token.size() - 2) + (alice.token.back() == 'A' ? "BB" : "AA")},
        {"garbage", "not-a-jwt"},
        {"empty", ""},
        {"two parts", alice.token.substr(0, alice.token.rfind('.'))},
    };
    // Payload swapped to bob's id, signature kept.
    std::string swapped = payload;
    swapped.replace(swapped.find("\"sub\":\"" + sub + "\""), sub.size() + 8,
                    "\"sub\":\"" + std::to_string(bob.id) + "\"");
    bad.emplace_back("payload tampered", alice.token.substr(0, alice.token.find('.') + 1) +
                                             b64url(swapped) +
                                             alice.token.substr(alice.token.rfind('.')));
    // Another user's id with alice's session id, properly signed: the session does not match.
    bad.emplace_back("session of another user", forge(JWT_ALG_HS256, secret, std::to_string(bob.id),
                                                      now_s(), now_s() + 600, jti));

    for (const auto& [what, token] : bad) {
        auto r = c.get("/api/users/me", bearer(token));
        EXPECT_EQ(r.status, 401u) << what;
        if (r.status == 200u) {
            EXPECT_NE(r.json().at("id").as_int64(), bob.id) << what;
        }
    }
    EXPECT_EQ(c.get("/api/users/me", {{"Authorization", "Basic YWxpY2U6cGFzcw=="}}).status, 401u);
}

TEST(Accounts, ProfileSettingsAreValidatedAndSaved) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto u = sign_up(c, "casey");
    auto ok =
        c.patch_json("/api/users/me",
                     json::object{{"display_name", "Casey 🚲"},
                                  {"settings", json::object{{"glucose_unit", "mmol/L"},
                                                            {"target_low_mg_dl", 80},
                                                            {"target_high_mg_dl", 160},
                                                            {"time_zone", "America/Los_Angeles"},
                                                            {"cgm_model", "stelo"},
                                                            {"age_group", "teen"}}}},
                     u.auth());
    ASSERT_EQ(ok.status, 200u) << ok.body;
    auto me = c.get("/api/users/me", u.auth()).json();
    EXPECT_EQ(me.at("display_name").as_string(), "Casey 🚲");
    EXPECT_EQ(me.at("settings").at("glucose_unit").as_string(), "mmol/L");
    EXPECT_EQ(me.at("settings").at("target_low_mg_dl").as_int64(), 80);
    EXPECT_EQ(me.at("settings").at("time_zone").as_string(), "America/Los_Angeles");
    EXPECT_EQ(me.at("settings").at("cgm_model").as_string(), "stelo");

    // Only the fields sent change.
    c.patch_json("/api/users/me", json::object{{"settings", json::object{{"age_group", "adult"}}}},
                 u.auth());
    me = c.get("/api/users/me", u.auth()).json();
    EXPECT_EQ(me.at("settings").at("age_group").as_string(), "adult");
    EXPECT_EQ(me.at("settings").at("cgm_model").as_string(), "stelo");

    struct Case {
        json::object body;
        const char* field;
    };
    std::vector<Case> cases = {
        {{{"settings", json::object{{"time_zone", "Mars/Olympus_Mons"}}}}, "settings.time_zone"},
        {{{"settings", json::object{{"time_zone", "../../etc/passwd"}}}}, "settings.time_zone"},
        {{{"settings", json::object{{"target_low_mg_dl", 49}}}}, "settings.target_low_mg_dl"},
        {{{"settings", json::object{{"target_high_mg_dl", 301}}}}, "settings.target_high_mg_dl"},
        {{{"settings", json::object{{"target_low_mg_dl", 170}, {"target_high_mg_dl", 170}}}},
         "settings.target_low_mg_dl"},
        {{{"settings", json::object{{"target_high_mg_dl", 75}}}},
         "settings.target_high_mg_dl"},  // below stored low 80
        {{{"settings", json::object{{"cgm_model", "libre3"}}}}, "settings.cgm_model"},
        {{{"settings", json::object{{"glucose_unit", "mg/dl "}}}}, "settings.glucose_unit"},
        {{{"settings", json::object{{"age_group", "senior"}}}}, "settings.age_group"},
        {{{"settings", json::object{{"colour", "blue"}}}}, "settings.colour"},
        {{{"settings", "mmol/L"}}, "settings"},
        {{{"display_name", ""}}, "display_name"},
        {{{"display_name", 5}}, "display_name"},
        {{{"role", "admin"}}, "role"},
    };
    for (const auto& tc : cases) {
        auto r = c.patch_json("/api/users/me", tc.body, u.auth());
        EXPECT_EQ(r.status, 400u) << json::serialize(tc.body) << " -> " << r.body;
        EXPECT_EQ(field_of(r), tc.field) << json::serialize(tc.body);
    }
    // Nothing from the rejected requests was written.
    auto after = c.get("/api/users/me", u.auth()).json();
    EXPECT_EQ(after.at("settings").at("target_low_mg_dl").as_int64(), 80);
    EXPECT_EQ(after.at("role").as_string(), "user");
    EXPECT_EQ(c.patch_json("/api/users/me", json::object{{"display_name", "x"}}).status, 401u);
}

TEST(Accounts, PasswordChangeRevokesOtherSessionsOnly) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto u = sign_up(c, "robin");
    auto other = c.post_json("/api/auth/login",
                             json::object{{"username", "robin"}, {"password", kPassword}});
    std::string other_token(other.json().at("token").as_string());

    auto wrong = c.post_json(
        "/api/users/me/password",
        json::object{{"current_password", "nope nope"}, {"new_password", "a brand new secret"}},
        u.auth());
    EXPECT_EQ(wrong.status, 400u);
    EXPECT_EQ(field_of(wrong), "current_password");
    auto weak = c.post_json(
        "/api/users/me/password",
        json::object{{"current_password", kPassword}, {"new_password", "short"}}, u.auth());
    EXPECT_EQ(weak.status, 400u);
    EXPECT_EQ(field_of(weak), "new_password");
    EXPECT_EQ(c.get("/api/users/me", bearer(other_token)).status, 200u);  // nothing changed yet

    auto ok = c.post_json(
        "/api/users/me/password",
        json::object{{"current_password", kPassword}, {"new_password", "a brand new secret"}},
        u.auth());
    EXPECT_EQ(ok.status, 204u) << ok.body;
    EXPECT_EQ(c.get("/api/users/me", u.auth()).status, 200u);  // this session stays
    EXPECT_EQ(c.get("/api/users/me", bearer(other_token)).status,
              401u);  // every other one is revoked
    EXPECT_EQ(
        c.post_json("/api/auth/login", json::object{{"username", "robin"}, {"password", kPassword}})
            .status,
        401u);
    EXPECT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "robin"}, {"password", "a brand new secret"}})
                  .status,
              200u);
}

TEST(Accounts, ExportHasTheUsersRecordsAndNoSecrets) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto u = sign_up(c, "ezra");
    auto r = c.get("/api/users/me/export", u.auth());
    ASSERT_EQ(r.status, 200u);
    EXPECT_NE(r.header("Content-Disposition").find("attachment"), std::string::npos);
    auto doc = r.json().as_object();
    EXPECT_EQ(doc.at("format").as_string(), "glucoplay-export");
    EXPECT_EQ(doc.at("user").at("username").as_string(), "ezra");
    EXPECT_EQ(doc.at("sessions").as_array().size(), 1u);
    EXPECT_EQ(r.body.find("argon2"), std::string::npos);
    EXPECT_EQ(r.body.find(u.token), std::string::npos);
    EXPECT_EQ(c.get("/api/users/me/export").status, 401u);
}

TEST(Accounts, DeletingAnAccountLeavesNoRowBehind) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto gone = sign_up(c, "leaving");
    auto stays = sign_up(c, "staying");
    c.post_json("/api/auth/login", json::object{{"username", "leaving"},
                                                {"password", kPassword}});  // a second session
    // Records in other features too.
    auto food_id = c.get("/api/foods?limit=1").json().at("items").at(0).at("id");
    for (const auto& who : {gone, stays})
        ASSERT_EQ(c.post_json("/api/food_log",
                              json::object{{"food_id", food_id}, {"grams", 100}, {"meal", "lunch"}},
                              who.auth())
                      .status,
                  201u);
    for (const auto& who : {gone, stays})
        ASSERT_EQ(
            c.post_json("/api/events",
                        json::object{{"type", "note"}, {"at", "2026-11-20T10:00:00Z"}}, who.auth())
                .status,
            201u);

    auto wrong = c.request(
        "DELETE", "/api/users/me", json::serialize(json::object{{"password", "not it at all"}}),
        {{"Authorization", "Bearer " + gone.token}, {"Content-Type", "application/json"}});
    EXPECT_EQ(wrong.status, 400u);
    EXPECT_EQ(field_of(wrong), "password");
    EXPECT_EQ(c.get("/api/users/me", gone.auth()).status, 200u);

    auto del = c.request(
        "DELETE", "/api/users/me", json::serialize(json::object{{"password", kPassword}}),
        {{"Authorization", "Bearer " + gone.token}, {"Content-Type", "application/json"}});
    EXPECT_EQ(del.status, 204u) << del.body;
    EXPECT_EQ(c.get("/api/users/me", gone.auth()).status, 401u);
    EXPECT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "leaving"}, {"password", kPassword}})
                  .status,
              401u);
    EXPECT_EQ(c.get("/api/users/me", stays.auth()).status, 200u);

    // Every table with a user_id column, and users itself, has nothing left for that id.
    auto db = open_test_database(server.data_dir());
    db->with_connection([&](glucoplay::storage::Connection& conn) {
        EXPECT_TRUE(conn.query("SELECT 1 FROM users WHERE id = ?", {gone.id}).empty());
        int tables_checked = 0;
        for (const std::string& table : table_names(conn)) {
            bool has_user_id = false;
            for (const auto& col : column_names(conn, table))
                has_user_id = has_user_id || col == "user_id";
            if (!has_user_id) continue;
            ++tables_checked;
            // Table names come from the database's catalog, not from input.
            auto n =
                conn.query("SELECT COUNT(*) FROM \"" + table + "\" WHERE user_id = ?", {gone.id})
                    .rows.at(0)
                    .int64(0);
            EXPECT_EQ(n, 0) << table;
            auto others =
                conn.query("SELECT COUNT(*) FROM \"" + table + "\" WHERE user_id = ?", {stays.id})
                    .rows.at(0)
                    .int64(0);
            if (table == "sessions" || table == "food_log" || table == "events") {
                EXPECT_EQ(others, 1) << table;
            }
        }
        EXPECT_GE(tables_checked, 4);
    });
}

TEST(Accounts, AdminRolesDisablingAndCreateAdminFromTheCommandLine) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    auto user = sign_up(c, "regular");

    // create-admin: the password comes from the environment or stdin, never argv.
    auto created =
        run_binary({"create-admin", "boss", "--data-dir", server.data_dir().string()},
                   server.data_dir(), {{"GLUCOPLAY_ADMIN_PASSWORD", "admin password 1"}});
    ASSERT_EQ(created.exit_code, 0) << created.output;
    auto via_stdin =
        run_binary({"create-admin", "deputy", "--data-dir", server.data_dir().string()},
                   server.data_dir(), {}, "deputy password 1\n");
    ASSERT_EQ(via_stdin.exit_code, 0) << via_stdin.output;
    auto no_password =
        run_binary({"create-admin", "ghost", "--data-dir", server.data_dir().string()},
                   server.data_dir(), {}, "");
    EXPECT_NE(no_password.exit_code, 0);
    EXPECT_NE(no_password.output.find("password"), std::string::npos) << no_password.output;

    auto login = c.post_json("/api/auth/login",
                             json::object{{"username", "boss"}, {"password", "admin password 1"}});
    ASSERT_EQ(login.status, 200u) << login.body;
    EXPECT_EQ(login.json().at("user").at("role").as_string(), "admin");
    HeaderList admin = bearer(std::string(login.json().at("token").as_string()));
    EXPECT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "deputy"}, {"password", "deputy password 1"}})
                  .status,
              200u);

    // Admin routes: 401 anonymous, 403 for a user, 200 for an admin.
    EXPECT_EQ(c.get("/api/admin/users").status, 401u);
    EXPECT_EQ(c.get("/api/admin/users", user.auth()).status, 403u);
    auto page1 = c.get("/api/admin/users?limit=2", admin);
    ASSERT_EQ(page1.status, 200u);
    EXPECT_EQ(page1.json().at("items").as_array().size(), 2u);
    std::string cursor(page1.json().at("next_cursor").as_string());
    auto page2 = c.get("/api/admin/users?limit=2&cursor=" + cursor, admin);
    EXPECT_EQ(page2.json().at("items").as_array().size(), 1u);
    EXPECT_TRUE(page2.json().at("next_cursor").is_null());
    EXPECT_EQ(c.get("/api/admin/users?limit=0", admin).status, 400u);
    EXPECT_EQ(c.get("/api/admin/users?limit=501", admin).status, 400u);
    EXPECT_EQ(c.get("/api/admin/users?cursor=abc", admin).status, 400u);

    // Disabling: the user's token stops working at once, and they cannot sign in.
    std::string target = "/api/admin/users/" + std::to_string(user.id);
    EXPECT_EQ(c.patch_json(target, json::object{{"disabled", true}}, user.auth()).status, 403u);
    auto dis = c.patch_json(target, json::object{{"disabled", true}}, admin);
    ASSERT_EQ(dis.status, 200u) << dis.body;
    EXPECT_TRUE(dis.json().at("disabled").as_bool());
    EXPECT_EQ(c.get("/api/users/me", user.auth()).status, 401u);
    auto blocked = c.post_json("/api/auth/login",
                               json::object{{"username", "regular"}, {"password", kPassword}});
    EXPECT_EQ(blocked.status, 403u);
    c.patch_json(target, json::object{{"disabled", false}}, admin);
    EXPECT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "regular"}, {"password", kPassword}})
                  .status,
              200u);

    EXPECT_EQ(c.patch_json(target, json::object{{"role", "owner"}}, admin).status, 400u);
    EXPECT_EQ(
        c.patch_json("/api/admin/users/999999", json::object{{"role", "admin"}}, admin).status,
        404u);
    EXPECT_EQ(c.patch_json("/api/admin/users/abc", json::object{{"role", "admin"}}, admin).status,
              404u);

    // The last active admin cannot be removed.
    auto deputy_id = [&] {
        auto listing = c.get("/api/admin/users", admin).json();
        for (const auto& u : listing.at("items").as_array())
            if (u.at("username").as_string() == "deputy") return u.at("id").as_int64();
        return std::int64_t{0};
    }();
    auto boss_id = login.json().at("user").at("id").as_int64();
    EXPECT_EQ(c.patch_json("/api/admin/users/" + std::to_string(deputy_id),
                           json::object{{"role", "user"}}, admin)
                  .status,
              200u);
    auto last = c.patch_json("/api/admin/users/" + std::to_string(boss_id),
                             json::object{{"role", "user"}}, admin);
    EXPECT_EQ(last.status, 409u);
    EXPECT_EQ(last.error_code(), "conflict");
}

TEST(Accounts, SignInIsRateLimitedPerAddressAndRecovers) {
    // One attempt per 2 s: the second attempt comes long before a refill, however slow the machine.
    ServerProcess server(ServerProcess::Options{
        {"--auth-rate-limit", "1/2s", "--login-rate-limit", "off"}, {}, {}, true});
    HttpClient c(server.api_port());
    json::object creds{{"username", "nobody"}, {"password", "whatever pw"}};
    EXPECT_EQ(c.post_json("/api/auth/login", creds).status, 401u);
    auto limited = c.post_json("/api/auth/login", creds);
    ASSERT_EQ(limited.status, 429u);
    EXPECT_EQ(limited.error_code(), "rate_limited");
    int retry = std::stoi(limited.header("Retry-After"));
    EXPECT_GE(retry, 1);
    EXPECT_LE(retry, 2);
    // Recovery: after the advertised wait the bucket has refilled.
    std::this_thread::sleep_for(std::chrono::seconds(retry));
    EXPECT_EQ(c.post_json("/api/auth/login", creds).status, 401u);
}

TEST(Accounts, SignInIsRateLimitedPerUsernameAcrossAddresses) {
    ServerProcess server(ServerProcess::Options{{"--auth-rate-limit", "off", "--login-rate-limit",
                                                 "2/1h", "--trusted-proxies", "127.0.0.1"},
                                                {},
                                                {},
                                                true});
    HttpClient c(server.api_port());
    sign_up(c, "target");
    json::object wrong{{"username", "TARGET"}, {"password", "guess guess"}};
    EXPECT_EQ(c.post_json("/api/auth/login", wrong, {{"X-Forwarded-For", "198.51.100.1"}}).status,
              401u);
    EXPECT_EQ(c.post_json("/api/auth/login", wrong, {{"X-Forwarded-For", "198.51.100.2"}}).status,
              401u);
    auto r = c.post_json("/api/auth/login",
                         json::object{{"username", "target"}, {"password", kPassword}},
                         {{"X-Forwarded-For", "198.51.100.3"}});
    EXPECT_EQ(r.status, 429u);  // even the right password waits: the username is under attack
    EXPECT_GT(std::stoi(r.header("Retry-After")), 60);
}

TEST(Accounts, ForwardedForIsBelievedOnlyFromTrustedProxies) {
    // Not trusted: X-Forwarded-For is ignored, every request is 127.0.0.1.
    {
        ServerProcess server(ServerProcess::Options{{"--auth-rate-limit", "2/1h"}, {}, {}, true});
        HttpClient c(server.api_port());
        json::object creds{{"username", "x-nobody"}, {"password", "whatever pw"}};
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "203.0.113.1"}}).status,
            401u);
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "203.0.113.2"}}).status,
            401u);
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "203.0.113.3"}}).status,
            429u);
    }
    // Trusted proxy: each forwarded client has its own bucket, and spoofed hops to the left are
    // ignored.
    {
        ServerProcess server(ServerProcess::Options{
            {"--auth-rate-limit", "2/1h", "--trusted-proxies", "127.0.0.1"}, {}, {}, true});
        HttpClient c(server.api_port());
        json::object creds{{"username", "x-nobody"}, {"password", "whatever pw"}};
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "203.0.113.1"}}).status,
            401u);
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "203.0.113.1"}}).status,
            401u);
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "9.9.9.9, 203.0.113.1"}})
                .status,
            429u);
        EXPECT_EQ(
            c.post_json("/api/auth/login", creds, {{"X-Forwarded-For", "203.0.113.2"}}).status,
            401u);
        // HTTPS at the proxy makes the cookie Secure.
        auto s = c.post_json("/api/auth/signup",
                             json::object{{"username", "secure1"}, {"password", kPassword}},
                             {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-For", "203.0.113.9"}});
        ASSERT_EQ(s.status, 201u) << s.body;
        EXPECT_NE(s.header("Set-Cookie").find("; Secure"), std::string::npos);
    }
}

TEST(Accounts, GeneralPerAddressLimitCoversEveryRoute) {
    ServerProcess server(ServerProcess::Options{{"--rate-limit", "5/1h"}, {}, {}, true});
    HttpClient c(server.api_port());
    for (int i = 0; i < 5; ++i) EXPECT_EQ(c.get("/api/health").status, 200u);
    auto r = c.get("/api/users/me");
    EXPECT_EQ(r.status, 429u);
    EXPECT_FALSE(r.header("Retry-After").empty());
}

TEST(Accounts, CorsPreflightAndCredentialsForTheUiOriginOnly) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    std::string ui = "http://localhost:" + std::to_string(server.web_port());
    auto pre = c.request("OPTIONS", "/api/auth/login", "",
                         {{"Origin", ui},
                          {"Access-Control-Request-Method", "POST"},
                          {"Access-Control-Request-Headers", "content-type"}});
    EXPECT_EQ(pre.status, 204u);
    EXPECT_EQ(pre.header("Access-Control-Allow-Origin"), ui);
    EXPECT_EQ(pre.header("Access-Control-Allow-Credentials"), "true");
    auto foreign =
        c.request("OPTIONS", "/api/auth/login", "",
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(foreign.status, 403u);
    EXPECT_FALSE(foreign.has_header("Access-Control-Allow-Origin"));
    auto signup = c.post_json("/api/auth/signup",
                              json::object{{"username", "corsy"}, {"password", kPassword}},
                              {{"Origin", "https://evil.example"}});
    EXPECT_FALSE(signup.has_header(
        "Access-Control-Allow-Origin"));  // the browser will not let that page read it
}

TEST(Accounts, LoginUpgradesAHashMadeWithOlderLimits) {
    ServerProcess server(unlimited());
    HttpClient c(server.api_port());
    sign_up(c, "oldtimer");
    auto db = open_test_database(server.data_dir());
    char weak[crypto_pwhash_STRBYTES];
    ASSERT_EQ(crypto_pwhash_str(weak, kPassword.c_str(), kPassword.size(),
                                crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN),
              0);
    db->with_connection([&](glucoplay::storage::Connection& conn) {
        conn.query("UPDATE users SET password_hash = ? WHERE username = 'oldtimer'",
                   {std::string(weak)});
    });
    ASSERT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "oldtimer"}, {"password", kPassword}})
                  .status,
              200u);
    std::string now = db->with_connection([](glucoplay::storage::Connection& conn) {
        return conn.query("SELECT password_hash FROM users WHERE username = 'oldtimer'")
            .rows.at(0)
            .text(0);
    });
    EXPECT_NE(now, std::string(weak));
    EXPECT_NE(now.find("m=65536"), std::string::npos) << now;  // interactive limits: 64 MiB
    EXPECT_EQ(c.post_json("/api/auth/login",
                          json::object{{"username", "oldtimer"}, {"password", kPassword}})
                  .status,
              200u);
}
