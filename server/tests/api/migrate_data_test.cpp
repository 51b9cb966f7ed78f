// glucoplay migrate-data: a populated SQLite deployment moved into PostgreSQL, every row checked.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "storage/data_copy.hpp"
#include "storage/database.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"
#include "util/time.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;
namespace fs = std::filesystem;
using glucoplay::storage::Connection;
using glucoplay::storage::Value;

namespace {

// One cell with its type: "i:42", "d:0.1" (shortest round-trip form), "t:text", "null".
std::string cell(const Value& v) {
    if (std::holds_alternative<std::nullptr_t>(v)) return "null";
    if (auto i = std::get_if<std::int64_t>(&v)) return "i:" + std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
        return "d:" + std::string(buf, end);
    }
    return "t:" + std::get<std::string>(v);
}

// Every row of every table, keyed by table, rows sorted, so two databases can be compared cell
// by cell, types included.
std::map<std::string, std::vector<std::vector<std::string>>> dump(
    glucoplay::storage::Database& db) {
    std::map<std::string, std::vector<std::vector<std::string>>> out;
    db.with_connection([&](Connection& c) {
        for (const auto& table : glucoplay::storage::list_tables(c)) {
            if (table == "schema_migrations") continue;
            std::string cols;
            for (const auto& col : column_names(c, table)) cols += (cols.empty() ? "" : ", ") + col;
            auto& rows = out[table];
            for (const auto& r : c.query("SELECT " + cols + " FROM " + table).rows) {
                std::vector<std::string> v;
                for (std::size_t i = 0; i < r.size(); ++i) v.push_back(cell(r.value(i)));
                rows.push_back(std::move(v));
            }
            std::sort(rows.begin(), rows.end());
        }
    });
    return out;
}

}  // namespace

TEST(PostgresOnly, MigrateDataMovesEverySqliteRowIntoPostgres) {
    fs::path dir = make_temp_dir("glucoplay-migrate");
    const std::string sqlite_url = "sqlite:" + (dir / "glucoplay.db").string();
    ServerProcess::Options o;
    o.data_dir = dir;
    o.args = {"--rate-limit", "off", "--auth-rate-limit", "off"};
    o.env = {{"GLUCOPLAY_DATABASE", sqlite_url}};  // the embedded default, not the test database
    std::int64_t first_user_id = 0;
    {
        ServerProcess server(o);
        HttpClient c(server.api_port());
        ASSERT_EQ(c.get("/api/health").json().at("database").as_string(), "sqlite");
        std::vector<TestUser> users;
        for (const char* name : {"ana", "ben", "chloe"}) users.push_back(sign_up(c, name));
        first_user_id = users[0].id;
        auto food_id = c.get("/api/foods?limit=1").json().at("items").at(0).at("id");
        for (const auto& u : users) {
            ASSERT_EQ(
                c.post_json("/api/food_log",
                            json::object{{"food_id", food_id}, {"grams", 123.4}, {"meal", "lunch"}},
                            u.auth())
                    .status,
                201u);
            ASSERT_EQ(
                c.post_json(
                     "/api/food_log",
                     json::object{
                         {"custom", json::object{{"name", "Grandma's flapjack \u2014 cr\u00e8me"},
                                                 {"gi", 55},
                                                 {"carbs_per_100g", 61.3}}},
                         {"grams", 40},
                         {"meal", "snack"}},
                     u.auth())
                    .status,
                201u);
            // 400 readings each from 2026-11-20T00:00Z, 5 minutes apart: 1 200 in all, more than
            // one copy batch (1 000), so batches continue after a (user_id, at) key.
            json::array readings;
            for (int i = 0; i < 400; ++i)
                readings.push_back(json::object{
                    {"at", glucoplay::util::format_unix(1795132800 + std::int64_t{i} * 300)},
                    {"mg_dl", 80 + i % 300}});
            ASSERT_EQ(c.post_json("/api/pin_dexcom/readings", json::object{{"readings", readings}},
                                  u.auth())
                          .status,
                      201u);
            ASSERT_EQ(c.post_json("/api/events",
                                  json::object{{"type", "insulin"},
                                               {"at", "2026-11-20T08:00:00Z"},
                                               {"value", 2.5},
                                               {"note", "before breakfast"}},
                                  u.auth())
                          .status,
                      201u);
            ASSERT_EQ(c.post_json("/api/pin_dexcom/attempts",
                                  json::object{{"model", "g7"},
                                               {"age_group", "adult"},
                                               {"view", "back"},
                                               {"x", 0.277},
                                               {"y", 0.279}},
                                  u.auth())
                          .status,
                      201u);
            ASSERT_EQ(c.post_json("/api/games/racing/sessions", json::object{}, u.auth()).status,
                      201u);
        }
    }

    const std::string pg_url = create_scratch_postgres_database();
    auto run = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"migrate-data", "--from",      sqlite_url, "--to",
                                         pg_url,         "--log-level", "warn"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_binary(args, dir, {{"GLUCOPLAY_DATABASE", sqlite_url}});
    };
    auto r = run({});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    auto report = json::parse(r.output).at("tables").as_array();
    std::map<std::string, std::int64_t> copied;
    for (const auto& t : report) {
        EXPECT_EQ(t.at("source_rows"), t.at("target_rows"));
        copied[std::string(t.at("table").as_string())] = t.at("target_rows").as_int64();
    }
    EXPECT_EQ(copied["users"], 3);
    EXPECT_EQ(copied["food_log"], 6);
    EXPECT_EQ(copied["cgm_readings"], 1200);
    EXPECT_EQ(copied["events"], 3);
    EXPECT_EQ(copied["pin_attempts"], 3);
    EXPECT_EQ(copied["game_sessions"], 3);
    EXPECT_GE(copied["foods"], 100);
    // Parents before children.
    std::vector<std::string> order;
    for (const auto& t : report) order.emplace_back(t.at("table").as_string());
    auto pos = [&](const std::string& t) { return std::find(order.begin(), order.end(), t); };
    EXPECT_LT(pos("users"), pos("sessions"));
    EXPECT_LT(pos("foods"), pos("food_log"));
    EXPECT_LT(pos("game_sessions"), pos("scores"));

    // Every cell arrived unchanged (text, integers, doubles bit for bit, NULLs).
    {
        auto source = glucoplay::storage::open_database(sqlite_url);
        auto target = glucoplay::storage::open_database(pg_url);
        auto a = dump(*source), b = dump(*target);
        EXPECT_EQ(a.size(), b.size());
        for (const auto& [table, rows] : a) {
            ASSERT_TRUE(b.count(table)) << table;
            EXPECT_EQ(rows, b.at(table)) << table;
        }
    }

    // A second run refuses the now non-empty target; --force replaces it.
    auto again = run({});
    EXPECT_EQ(again.exit_code, 1) << again.output;
    EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
    EXPECT_EQ(run({"--force"}).exit_code, 0);

    // The server runs on the copy: old accounts sign in, new rows get fresh ids.
    ServerProcess::Options p = o;
    p.env = {{"GLUCOPLAY_DATABASE", pg_url}};
    ServerProcess server(p);
    HttpClient c(server.api_port());
    EXPECT_EQ(c.get("/api/health").json().at("database").as_string(), "postgres");
    auto login = c.post_json("/api/auth/login",
                             json::object{{"username", "chloe"}, {"password", kPassword}});
    ASSERT_EQ(login.status, 200u) << login.body;
    std::string token(login.json().at("token").as_string());
    auto log = c.get("/api/food_log", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(log.status, 200u) << log.body;
    EXPECT_NE(log.body.find("Grandma's flapjack \u2014 cr\u00e8me"), std::string::npos) << log.body;
    auto newcomer = sign_up(c, "newcomer");
    EXPECT_EQ(newcomer.id, first_user_id + 3);  // the identity sequence continues after the copy
    fs::remove_all(dir);
}

TEST(PostgresOnly, MigrateDataRefusesWrongUrls) {
    fs::path dir = make_temp_dir("glucoplay-migrate-args");
    auto r =
        run_binary({"migrate-data", "--from", "postgres://x/y", "--to", "postgres://x/z"}, dir);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run_binary({"migrate-data", "--from", "sqlite:" + (dir / "a.db").string(), "--to",
                    "sqlite:" + (dir / "b.db").string()},
                   dir);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    fs::remove_all(dir);
}
