// Bad input, table-driven over every registered route (the route table is built in-process to
// enumerate it; the requests go to the real binary): malformed JSON, non-objects, invalid UTF-8,
// duplicate keys, bodies over the limit, wrong content types, and, for routes with a JSON body,
// per-field wrong types, missing and extra fields, huge/negative/NaN-like numbers, very long
// strings and SQL, HTML/script and path-traversal payloads. Each answer must be the right 4xx in
// the API.md error shape, and the database must be byte-for-byte unchanged afterwards. Free text
// (display name, custom food name, event note) must come back exactly as sent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "app/app.hpp"
#include "http/json.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace glucoplay;
using namespace glucoplay::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// How a body field is validated, which decides what each payload must get.
enum class Kind {
    free_text,  // any string of allowed length is accepted (display names, passwords at signup)
    choice,     // a constrained string (enum, time, username): payloads are refused
    integer,
    number,
    boolean,
    array,
    object,
};

struct Field {
    std::string name;
    Kind kind;
    bool required;
};

// A valid body for the route and its fields. The valid body itself is never sent (some routes
// are destructive); only mutations of it that must be refused.
struct BodySpec {
    json::object valid;
    std::vector<Field> fields;
};

// Next to the route table: one entry per route that takes a JSON body. The test below fails when
// a route registered with a JSON body has no entry here.
std::map<std::string, BodySpec> body_specs() {
    using K = Kind;
    return {
        {"POST /api/auth/signup",
         {{{"username", "newname"}, {"password", kPassword}, {"display_name", "New"}},
          {{"username", K::choice, true},
           {"password", K::free_text, true},
           {"display_name", K::free_text, false}}}},
        {"POST /api/auth/login",
         {{{"username", "owner"}, {"password", "not the password"}},
          {{"username", K::free_text, true}, {"password", K::free_text, true}}}},
        {"PATCH /api/users/me",
         {{{"display_name", "Owner"}, {"settings", json::object{{"time_zone", "UTC"}}}},
          {{"display_name", K::free_text, false}, {"settings", K::object, false}}}},
        {"POST /api/users/me/password",
         {{{"current_password", "wrong password!"}, {"new_password", "another password"}},
          {{"current_password", K::choice, true}, {"new_password", K::free_text, true}}}},
        {"DELETE /api/users/me",
         {{{"password", "wrong password!"}}, {{"password", K::choice, true}}}},
        {"PATCH /api/admin/users/{id}",
         {{{"role", "user"}, {"disabled", false}},
          {{"role", K::choice, false}, {"disabled", K::boolean, false}}}},
        {"POST /api/pin_dexcom/readings",
         {{{"readings", json::array{json::object{{"at", "2026-11-01T08:00:00Z"}, {"mg_dl", 120}}}},
           {"source", "api"}},
          {{"readings", K::array, true}, {"source", K::choice, false}}}},
        {"POST /api/pin_dexcom/import", {{}, {}}},  // a file (array or CSV); generic cases only
        {"POST /api/events",
         {{{"type", "note"}, {"at", "2026-11-01T08:00:00Z"}, {"value", 1}, {"note", "n"}},
          {{"type", K::choice, true},
           {"at", K::choice, true},
           {"value", K::number, false},
           {"note", K::free_text, false}}}},
        {"POST /api/food_log",
         {{{"food_id", 1}, {"grams", 100}, {"meal", "lunch"}, {"eaten_at", "2026-11-01T08:00:00Z"}},
          {{"food_id", K::integer, false},
           {"grams", K::number, true},
           {"meal", K::choice, true},
           {"eaten_at", K::choice, false}}}},
        {"PATCH /api/food_log/{id}",
         {{{"grams", 100}, {"meal", "lunch"}, {"eaten_at", "2026-11-01T08:00:00Z"}},
          {{"grams", K::number, false},
           {"meal", K::choice, false},
           {"eaten_at", K::choice, false}}}},
        {"POST /api/games/{game}/sessions", {{}, {}}},
        {"POST /api/scores",
         {{{"game", "racing"}, {"session_id", 1}, {"score", 10}},
          {{"game", K::choice, true},
           {"session_id", K::integer, true},
           {"score", K::integer, true}}}},
        {"POST /api/games/racing/answer",
         {{{"session_id", 1}, {"question_id", 1}, {"answer_id", 1}},
          {{"session_id", K::integer, true},
           {"question_id", K::integer, true},
           {"answer_id", K::integer, true}}}},
        {"PATCH /api/notifications/preferences",
         {{{"personal_best", true}, {"low_glucose", true}},
          {{"personal_best", K::boolean, false}, {"low_glucose", K::boolean, false}}}},
        {"POST /api/pin_dexcom/attempts",
         {{{"model", "g7"}, {"age_group", "adult"}, {"view", "front"}, {"x", 0.5}, {"y", 0.5}},
          {{"model", K::choice, false},
           {"age_group", K::choice, false},
           {"view", K::choice, false},
           {"x", K::number, true},
           {"y", K::number, true}}}},
    };
}

// expect_refused: 0 = a 4xx other than 401/403/405 (semantic refusals differ by route);
// kAny4xx = any 4xx (sign-in answers a 100k-character username with its usual 401).
constexpr unsigned kAny4xx = 1;

const std::string kSql = "'; DROP TABLE users; --";
const std::string kHtml = "<script>window.__xss=1</script><img src=x onerror=\"alert(1)\">";
const std::string kTraversal = "../../../../etc/passwd";

std::string route_name(const http::Route& r) {
    return std::string(http::to_string(r.method)) + " " + r.pattern;
}

// The route table, built in-process against a throwaway database only to enumerate it.
std::vector<http::Route> registered_routes() {
    auto dir = fs::temp_directory_path() / ("gp-badinput-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    app::Config cfg;
    cfg.data_dir = dir;
    cfg.database = "sqlite:" + (dir / "t.db").string();
    std::vector<http::Route> routes;
    {
        auto ctx = app::make_context(cfg);
        routes = app::build_router(*ctx).routes();
    }
    fs::remove_all(dir);
    return routes;
}

class BadInput : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerProcess::Options o;
        o.args = {"--rate-limit", "off", "--auth-rate-limit", "off", "--login-rate-limit", "off"};
        o.env = {{"GLUCOPLAY_ADMIN_PASSWORD", "boss password 1"}};
        server_ = std::make_unique<ServerProcess>(o);
        client_ = std::make_unique<HttpClient>(server_->api_port());
        owner_ = sign_up(*client_, "owner");
        // Records the {id} captures point at, so DELETE/PATCH on them would have something to
        // destroy if a bad request got through.
        auto f = client_->post_json("/api/food_log",
                                    json::object{{"food_id", 1}, {"grams", 50}, {"meal", "lunch"}},
                                    owner_.auth());
        ASSERT_EQ(f.status, 201u) << f.body;
        food_log_id_ = f.json().at("id").as_int64();
        auto e = client_->post_json("/api/events",
                                    json::object{{"type", "note"}, {"at", "2026-11-01T08:00:00Z"}},
                                    owner_.auth());
        ASSERT_EQ(e.status, 201u) << e.body;
        event_id_ = e.json().at("id").as_int64();
        auto admin =
            run_binary({"create-admin", "boss", "--data-dir", server_->data_dir().string()},
                       server_->data_dir(), {{"GLUCOPLAY_ADMIN_PASSWORD", "boss password 1"}});
        ASSERT_EQ(admin.exit_code, 0) << admin.output;
        auto login = client_->post_json(
            "/api/auth/login", json::object{{"username", "boss"}, {"password", "boss password 1"}});
        ASSERT_EQ(login.status, 200u) << login.body;
        admin_token_ = std::string(login.json().at("token").as_string());
    }

    storage::Database& db() {
        if (!db_) db_ = storage::open_database((server_->data_dir() / "glucoplay.db").string());
        return *db_;
    }

    // Every row of every table, as text: compared before and after each refused request.
    std::string snapshot() {
        return db().with_connection([](storage::Connection& c) {
            std::string out;
            auto tables = c.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name");
            for (const auto& t : tables.rows) {
                const std::string name = t.text(0);
                out += "[" + name + "]\n";
                std::vector<std::string> lines;
                for (const auto& row : c.query("SELECT * FROM \"" + name + "\"").rows) {
                    std::string line;
                    for (std::size_t i = 0; i < row.size(); ++i)
                        line += (row.is_null(i) ? std::string("NULL") : row.text(i)) + "|";
                    lines.push_back(std::move(line));
                }
                std::sort(lines.begin(), lines.end());
                for (auto& l : lines) out += l + "\n";
            }
            return out;
        });
    }

    std::string target_for(const http::Route& r, const std::string& id_override = "") {
        std::string target;
        for (const auto& seg : r.segments) {
            target += "/";
            if (seg == "{game}")
                target += id_override.empty() ? "racing" : id_override;
            else if (seg == "{id}") {
                if (!id_override.empty())
                    target += id_override;
                else if (r.pattern.starts_with("/api/food_log"))
                    target += std::to_string(food_log_id_);
                else if (r.pattern.starts_with("/api/events"))
                    target += std::to_string(event_id_);
                else if (r.pattern.starts_with("/api/admin/users"))
                    target += std::to_string(owner_.id);
                else
                    target += "1";
            } else {
                target += seg;
            }
        }
        if (r.pattern == "/api/scores" || r.pattern == "/api/scores/stream")
            target += "?game=racing";
        return target;
    }

    HeaderList auth_for(const http::Route& r) const {
        if (r.access == http::Access::admin) return {{"Authorization", "Bearer " + admin_token_}};
        return owner_.auth();
    }

    // Sends one bad request and checks the status, the error shape and that nothing changed.
    // `expected` 0 means "some 4xx other than 401/403/405" (semantic refusals differ by route).
    void expect_refused(const http::Route& r, const std::string& what, unsigned expected,
                        const std::string& body,
                        const std::string& content_type = "application/json",
                        const std::string& target_override = "") {
        const std::string before = snapshot();
        HeaderList headers = auth_for(r);
        headers.emplace_back("Content-Type", content_type);
        const std::string target = target_override.empty() ? target_for(r) : target_override;
        HttpClient c(server_->api_port());
        auto res = c.request(std::string(http::to_string(r.method)), target, body, headers);
        const std::string label = route_name(r) + " [" + what + "] -> " +
                                  std::to_string(res.status) + " " + res.body.substr(0, 300);
        if (expected == kAny4xx)
            EXPECT_TRUE(res.status >= 400 && res.status < 500) << label;
        else if (expected)
            EXPECT_EQ(res.status, expected) << label;
        else
            EXPECT_TRUE(res.status >= 400 && res.status < 500 && res.status != 401 &&
                        res.status != 403 && res.status != 405)
                << label;
        if (res.status >= 400) {
            json::value v;
            ASSERT_NO_THROW(v = res.json()) << label;
            ASSERT_TRUE(v.is_object() && v.as_object().contains("error")) << label;
            const auto& e = v.at("error");
            EXPECT_TRUE(e.at("code").is_string()) << label;
            EXPECT_FALSE(e.at("message").as_string().empty()) << label;
        }
        EXPECT_EQ(snapshot(), before) << label << ": the database changed";
        ++sent_;
    }

    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
    std::unique_ptr<storage::Database> db_;
    TestUser owner_;
    std::string admin_token_;
    std::int64_t food_log_id_ = 0, event_id_ = 0;
    std::size_t sent_ = 0;
};

std::string with_field(json::object o, const std::string& name, json::value v) {
    o[name] = std::move(v);
    return json::serialize(o);
}

}  // namespace

TEST_F(BadInput, EveryJsonBodyRouteHasASpecAndEverySpecARoute) {
    auto specs = body_specs();
    std::set<std::string> seen;
    for (const auto& r : registered_routes()) {
        if (r.body == http::BodyKind::none) continue;
        EXPECT_TRUE(specs.contains(route_name(r)))
            << route_name(r) << " takes a JSON body but has no entry in body_specs()";
        seen.insert(route_name(r));
    }
    for (const auto& [name, _] : specs) EXPECT_TRUE(seen.contains(name)) << name << " is stale";
}

TEST_F(BadInput, EveryRouteRefusesBrokenBodiesAndWritesNothing) {
    auto routes = registered_routes();
    ASSERT_GE(routes.size(), 40u);
    for (const auto& r : routes) {
        if (r.pattern == "/api/scores/stream") continue;  // an event stream: checked below
        const bool takes_file = r.body == http::BodyKind::json_or_csv;
        // An import is a file: content it cannot read is 422 (unprocessable), like a CSV
        // without the Clarity columns; every other route answers broken JSON with 400.
        const unsigned broken = takes_file ? 422 : 400;
        expect_refused(r, "malformed JSON", broken, "{\"a\":");
        expect_refused(r, "truncated string", broken, "{\"a\":\"abc");
        expect_refused(r, "bare NaN", broken, "{\"a\":NaN}");
        expect_refused(r, "number overflowing a double", 400, "[{\"a\":1e999}]");
        if (!takes_file) expect_refused(r, "number overflowing a double", 400, "{\"a\":1e999}");
        if (!takes_file) expect_refused(r, "JSON array", 400, "[1,2]");
        expect_refused(r, "JSON string", broken, "\"text\"");
        expect_refused(r, "invalid UTF-8", broken, "{\"a\":\"\xff\xfe\xc3\"}");
        expect_refused(r, "overlong UTF-8 slash", broken, "{\"a\":\"\xc0\xaf\"}");
        expect_refused(r, "lone surrogate escape", broken, "{\"a\":\"\\ud800\"}");
        expect_refused(r, "trailing garbage", broken, "{} x");
        if (takes_file)
            expect_refused(r, "duplicate key", 400, "[{\"type\":\"sgv\",\"type\":\"sgv\"}]");
        else
            expect_refused(r, "duplicate key", 400, "{\"a\":1,\"a\":2}");
        expect_refused(r, "text/plain body", 415, "{}", "text/plain");
        expect_refused(r, "form body", 415, "a=1", "application/x-www-form-urlencoded");

        // A body over the route's limit: 413 from the declared length, before any of it is read.
        const std::size_t limit = takes_file ? 20u * 1024 * 1024 : 1024u * 1024;
        const std::string before = snapshot();
        std::string raw =
            std::string(http::to_string(r.method)) + " " + target_for(r) +
            " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            (r.access == http::Access::admin ? admin_token_ : owner_.token) +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(limit + 1) +
            "\r\n\r\n{\"a\":\"";
        auto answer = raw_exchange(server_->api_port(), raw);
        EXPECT_NE(answer.find("HTTP/1.1 413"), std::string::npos) << route_name(r) << answer;
        EXPECT_NE(answer.find("\"payload_too_large\""), std::string::npos) << answer;
        EXPECT_EQ(snapshot(), before) << route_name(r);

        // Captures: path traversal, negative, zero, huge, non-numeric ids all name no record.
        if (r.pattern.find('{') != std::string::npos) {
            for (std::string bad : {"..%2F..%2Fetc%2Fpasswd", "-1", "0", "99999999999999999999",
                                    "1e3", "NaN", "%00", "1%20OR%201=1", "%3Cscript%3E"}) {
                std::string body = r.body == http::BodyKind::none ? "" : "{}";
                expect_refused(r, "id " + bad, 404, body, "application/json", target_for(r, bad));
            }
        }
    }
    std::cout << "bad input: " << sent_ << " refused requests checked\n";
}

TEST_F(BadInput, JsonBodyFieldsRefuseWrongTypesMissingExtraHugeAndHostileValues) {
    auto specs = body_specs();
    for (const auto& r : registered_routes()) {
        auto it = specs.find(route_name(r));
        if (it == specs.end()) continue;
        const BodySpec& spec = it->second;
        if (r.body == http::BodyKind::json_or_csv) continue;  // files: generic cases only
        expect_refused(r, "extra field", 400, with_field(spec.valid, "unexpected_field", 1));
        expect_refused(r, "extra field with SQL name", 400, with_field(spec.valid, kSql, 1));
        for (const Field& f : spec.fields) {
            const std::string name = f.name;
            auto mutate = [&](json::value v) { return with_field(spec.valid, name, std::move(v)); };
            if (f.required) {
                json::object without = spec.valid;
                without.erase(name);
                expect_refused(r, name + " missing", 400, json::serialize(without));
            }
            // Duplicate of a real field, with the valid value first.
            std::string dup = json::serialize(spec.valid);
            dup.pop_back();
            dup += ",\"" + name + "\":" + json::serialize(spec.valid.at(name)) + "}";
            expect_refused(r, name + " duplicated", 400, dup);
            switch (f.kind) {
                case Kind::free_text:
                case Kind::choice:
                    expect_refused(r, name + " as number", 400, mutate(123));
                    expect_refused(r, name + " as array", 400, mutate(json::array{"a"}));
                    expect_refused(r, name + " as object", 400, mutate(json::object{}));
                    expect_refused(r, name + " as bool", 400, mutate(true));
                    expect_refused(r, name + " 100k characters", kAny4xx,
                                   mutate(json::string(std::string(100000, 'a'))));
                    expect_refused(r, name + " with NUL", 400,
                                   mutate(json::string(std::string("a\0b", 3))));
                    expect_refused(r, name + " with control character", 400,
                                   mutate("a\x01"
                                          "b"));
                    if (f.kind == Kind::choice) {
                        expect_refused(r, name + " SQL", 0, mutate(json::string(kSql)));
                        expect_refused(r, name + " HTML", 0, mutate(json::string(kHtml)));
                        expect_refused(r, name + " traversal", 0, mutate(json::string(kTraversal)));
                        expect_refused(r, name + " empty", 0, mutate(""));
                    }
                    break;
                case Kind::integer:
                case Kind::number:
                    expect_refused(r, name + " as string", 400, mutate("12"));
                    expect_refused(r, name + " as \"NaN\"", 400, mutate("NaN"));
                    expect_refused(r, name + " as \"Infinity\"", 400, mutate("Infinity"));
                    expect_refused(r, name + " as bool", 400, mutate(true));
                    expect_refused(r, name + " as array", 400, mutate(json::array{1}));
                    expect_refused(r, name + " huge", 0, mutate(1e308));
                    expect_refused(r, name + " above int64", 0,
                                   mutate(json::value(std::uint64_t{18446744073709551615u})));
                    expect_refused(r, name + " very negative", 0, mutate(-1e300));
                    expect_refused(r, name + " negative", 0, mutate(-1));
                    if (f.kind == Kind::integer)
                        expect_refused(r, name + " fractional", 0, mutate(1.5));
                    break;
                case Kind::boolean:
                    expect_refused(r, name + " as string", 400, mutate("true"));
                    expect_refused(r, name + " as number", 400, mutate(1));
                    break;
                case Kind::array:
                    expect_refused(r, name + " as object", 400, mutate(json::object{}));
                    expect_refused(r, name + " as string", 400, mutate("[]"));
                    expect_refused(r, name + " with a wrong element", 400,
                                   mutate(json::array{"not an object"}));
                    break;
                case Kind::object:
                    expect_refused(r, name + " as string", 400, mutate("{}"));
                    expect_refused(r, name + " as array", 400, mutate(json::array{}));
                    expect_refused(r, name + " with an unknown key", 400,
                                   mutate(json::object{{"unknown", 1}}));
                    break;
            }
        }
    }
    std::cout << "bad input: " << sent_ << " refused field mutations checked\n";
}

TEST_F(BadInput, StoredTextComesBackExactlyAsSent) {
    const std::vector<std::string> texts = {kSql,
                                            kHtml,
                                            kTraversal,
                                            "Ünïcødé 血糖 🍎",
                                            "a\tb",
                                            "\"quoted\" \\back\\slash",
                                            std::string(40, 'x')};
    HttpClient& c = *client_;
    for (const auto& t : texts) {
        const std::string short_text = t.size() > 40 ? t.substr(0, 40) : t;
        // Display name (1-40 characters): profile and leaderboard.
        std::string name = t;
        if (http::utf8_length(name) > 40) name = kSql;  // the HTML payload is longer than 40
        auto p = c.patch_json("/api/users/me", json::object{{"display_name", name}}, owner_.auth());
        ASSERT_EQ(p.status, 200u) << p.body;
        EXPECT_EQ(c.get("/api/users/me", owner_.auth()).json().at("display_name").as_string(),
                  name);

        // Custom food name in the food log.
        auto f = c.post_json("/api/food_log",
                             json::object{{"custom", json::object{{"name", t.substr(0, 80)},
                                                                  {"gi", 50},
                                                                  {"carbs_per_100g", 20}}},
                                          {"grams", 100},
                                          {"meal", "snack"}},
                             owner_.auth());
        ASSERT_EQ(f.status, 201u) << f.body;
        auto id = f.json().at("id").as_int64();
        auto back = c.get("/api/food_log/" + std::to_string(id), owner_.auth()).json();
        EXPECT_EQ(back.at("food").at("name").as_string(), t.substr(0, 80));

        // Event note.
        auto e =
            c.post_json("/api/events",
                        json::object{{"type", "note"}, {"at", "2026-11-02T08:00:00Z"}, {"note", t}},
                        owner_.auth());
        ASSERT_EQ(e.status, 201u) << e.body;
        auto eid = e.json().at("id").as_int64();
        auto list =
            c.get("/api/events?from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z", owner_.auth())
                .json();
        bool found = false;
        for (const auto& item : list.at("items").as_array())
            if (item.at("id").as_int64() == eid) {
                found = true;
                EXPECT_EQ(item.at("note").as_string(), t);
            }
        EXPECT_TRUE(found) << t;
    }
    // The display name with markup, on the public leaderboard, is the same string (the UI
    // renders it as text: web/e2e/xss.test.ts).
    auto p = c.patch_json("/api/users/me", json::object{{"display_name", "<b>x</b>&amp;"}},
                          owner_.auth());
    ASSERT_EQ(p.status, 200u);
    auto s = c.post_json("/api/games/racing/sessions", json::object{}, owner_.auth());
    ASSERT_EQ(s.status, 201u);
    auto sc = c.post_json(
        "/api/scores",
        json::object{{"game", "racing"}, {"session_id", s.json().at("session_id")}, {"score", 0}},
        owner_.auth());
    ASSERT_EQ(sc.status, 201u) << sc.body;
    auto board = c.get("/api/scores?game=racing&period=all").json();
    ASSERT_FALSE(board.at("entries").as_array().empty());
    EXPECT_EQ(board.at("entries").at(0).at("display_name").as_string(), "<b>x</b>&amp;");
}
