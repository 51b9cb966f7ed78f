// glucoplay backup / restore and serve --backup-every: SqliteOnly.* on the embedded database,
// PostgresOnly.* through pg_dump / pg_restore (each registered only in its own run).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "storage/backup.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

TEST(SqliteOnly, BackupWhileServingThenRestoreBringsEveryRowBack) {
    fs::path dir = make_temp_dir("glucoplay-backup");
    fs::path backups = dir / "my-backups";
    ServerProcess::Options o;
    o.data_dir = dir;
    o.args = {"--rate-limit", "off", "--auth-rate-limit", "off"};
    std::string file;
    {
        ServerProcess server(o);
        HttpClient c(server.api_port());
        TestUser before = sign_up(c, "before");
        // Taken while the server runs.
        auto r = run_binary({"backup", "--to", backups.string(), "--data-dir", dir.string()}, dir);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        auto report = json::parse(r.output.substr(r.output.find('{'))).as_object();
        file = std::string(report.at("file").as_string());
        EXPECT_TRUE(fs::exists(file));
        EXPECT_TRUE(fs::exists(file + ".sha256"));
        EXPECT_EQ(report.at("sha256").as_string(), glucoplay::storage::backup::sha256_file(file));
        sign_up(c, "after");  // written after the backup
    }
    // Restore: the account from before the backup is back, the later one is gone.
    auto r = run_binary({"restore", file, "--data-dir", dir.string()}, dir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    {
        ServerProcess server(o);
        HttpClient c(server.api_port());
        EXPECT_EQ(c.post_json("/api/auth/login",
                              json::object{{"username", "before"}, {"password", kPassword}})
                      .status,
                  200u);
        EXPECT_EQ(c.post_json("/api/auth/login",
                              json::object{{"username", "after"}, {"password", kPassword}})
                      .status,
                  401u);
    }
    // A damaged backup is refused and changes nothing.
    std::ofstream(file, std::ios::app) << "x";
    auto bad = run_binary({"restore", file, "--data-dir", dir.string()}, dir);
    EXPECT_EQ(bad.exit_code, 1) << bad.output;
    EXPECT_NE(bad.output.find("checksum"), std::string::npos) << bad.output;
    fs::remove_all(dir);
}

TEST(SqliteOnly, ServeBacksUpOnSchedule) {
    ServerProcess::Options o;
    o.args = {"--backup-every", "1s"};
    ServerProcess server(o);
    auto line = server.wait_for_log(
        [](const std::string& l) { return l.find("scheduled backup written") != l.npos; },
        std::chrono::seconds(15));
    ASSERT_FALSE(line.empty()) << server.log_text();
    EXPECT_FALSE(glucoplay::storage::backup::list_backups(server.data_dir() / "backups").empty());
}

// PostgreSQL: the same commands through pg_dump -Fc / pg_restore. A backup taken while the server
// writes, the database then wiped (every account deleted), and the restore brings every row back.
TEST(PostgresOnly, BackupWipeRestoreBringsEveryRowBack) {
    fs::path dir = make_temp_dir("glucoplay-backup-pg");
    fs::path backups = dir / "backups";
    ServerProcess::Options o;
    o.data_dir = dir;
    o.args = {"--rate-limit", "off", "--auth-rate-limit", "off"};
    std::string file;
    auto count_rows = [&] {
        auto db = open_test_database(dir);
        return db->with_connection([](glucoplay::storage::Connection& c) {
            std::int64_t n = 0;
            for (const auto& t : table_names(c))
                n += c.query("SELECT COUNT(*) FROM " + t).rows.at(0).int64(0);
            return n;
        });
    };
    std::int64_t rows_at_backup = 0;
    {
        ServerProcess server(o);
        HttpClient c(server.api_port());
        TestUser before = sign_up(c, "pg-before");
        ASSERT_EQ(c.post_json("/api/food_log",
                              json::object{{"food_id", 1}, {"grams", 120}, {"meal", "lunch"}},
                              before.auth())
                      .status,
                  201u);
        rows_at_backup = count_rows();
        auto r = run_binary({"backup", "--to", backups.string()}, dir);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        auto report = json::parse(r.output.substr(r.output.find('{'))).as_object();
        file = std::string(report.at("file").as_string());
        EXPECT_TRUE(file.ends_with(".dump")) << file;
        EXPECT_EQ(report.at("sha256").as_string(), glucoplay::storage::backup::sha256_file(file));
        // Wipe: the account and everything it owned.
        ASSERT_EQ(c.request("DELETE", "/api/users/me",
                            json::serialize(json::object{{"password", kPassword}}),
                            {{"Authorization", "Bearer " + before.token},
                             {"Content-Type", "application/json"}})
                      .status,
                  204u);
        EXPECT_LT(count_rows(), rows_at_backup);
    }
    auto r = run_binary({"restore", file}, dir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(count_rows(), rows_at_backup);
    {
        ServerProcess server(o);
        HttpClient c(server.api_port());
        auto login = c.post_json("/api/auth/login",
                                 json::object{{"username", "pg-before"}, {"password", kPassword}});
        ASSERT_EQ(login.status, 200u) << login.body;
        HeaderList auth{
            {"Authorization", "Bearer " + std::string(login.json().at("token").as_string())}};
        auto day = c.get("/api/food_log", auth).json();
        EXPECT_EQ(day.at("items").as_array().size(), 1u) << day;
    }
    // A damaged dump is refused before pg_restore runs.
    std::ofstream(file, std::ios::app) << "x";
    auto bad = run_binary({"restore", file}, dir);
    EXPECT_EQ(bad.exit_code, 1) << bad.output;
    EXPECT_NE(bad.output.find("checksum"), std::string::npos) << bad.output;
    fs::remove_all(dir);
}

TEST(SqliteOnly, BackupOfAnUnreachablePostgresDatabaseSaysWhatPgDumpSaid) {
    fs::path dir = make_temp_dir("glucoplay-backup-pg");
    auto r = run_binary({"backup", "--to", (dir / "b").string(), "--database",
                         "postgres://nobody:secret@127.0.0.1:1/none"},
                        dir);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("pg_dump failed"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("secret"), std::string::npos)
        << r.output;  // the password is not echoed
    EXPECT_TRUE(glucoplay::storage::backup::list_backups(dir / "b").empty());
    fs::remove_all(dir);
}
