// glucoplay backup / restore and serve --backup-every, on the embedded SQLite database.
// (PostgreSQL deployments use pg_dump; these are registered only in the SQLite run.)

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "storage/backup.hpp"
#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

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

TEST(SqliteOnly, BackupOfAPostgresDatabaseSaysToUsePgDump) {
    fs::path dir = make_temp_dir("glucoplay-backup-pg");
    auto r = run_binary({"backup", "--to", (dir / "b").string(), "--database",
                         "postgres://nobody@127.0.0.1:1/none"},
                        dir);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("pg_dump"), std::string::npos) << r.output;
    fs::remove_all(dir);
}
