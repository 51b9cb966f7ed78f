// Backup retention (pure) and the SQLite backup/restore functions on real files.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/backup.hpp"
#include "storage/database.hpp"

using namespace glucoplay::storage;
namespace fs = std::filesystem;

namespace {

// 2026-MM-DD hh:00 UTC as unix seconds (days_from_civil, worked for these dates only).
std::int64_t at(int month, int day, int hour) {
    // 2026-01-01 is 20454 days after the epoch.
    static const int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    std::int64_t days = 20454 + before_month[month - 1] + (day - 1);
    return days * 86400 + hour * 3600;
}

}  // namespace

TEST(BackupRetention, KeepsSevenDailyAndFourWeekly) {
    EXPECT_EQ(at(11, 23, 0), 1795392000);  // Monday 2026-11-23 00:00:00 UTC
    std::vector<std::int64_t> times;
    for (int d = 1; d <= 31; ++d) times.push_back(at(10, d, 3));
    for (int d = 1; d <= 25; ++d) times.push_back(at(11, d, 3));
    times.push_back(at(11, 25, 15));  // a second backup on the newest day
    auto keep = backup::backups_to_keep(times);
    // Daily: the newest of Nov 25 (15:00) and Nov 24..19. Weekly (Monday-Sunday): the week of
    // Nov 23 (Nov 25 15:00, already kept), Nov 16-22 (Nov 22, already kept), Nov 9-15 (Nov 15),
    // Nov 2-8 (Nov 8).
    std::set<std::int64_t> expected = {at(11, 25, 15), at(11, 24, 3), at(11, 23, 3),
                                       at(11, 22, 3),  at(11, 21, 3), at(11, 20, 3),
                                       at(11, 19, 3),  at(11, 15, 3), at(11, 8, 3)};
    EXPECT_EQ(keep, expected);
    EXPECT_TRUE(backup::backups_to_keep({}).empty());
    EXPECT_EQ(backup::backups_to_keep({at(11, 1, 1)}).size(), 1u);
}

TEST(BackupFiles, BackupPruneAndRestoreRoundTrip) {
    fs::path dir = fs::temp_directory_path() / ("gp-backup-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string db_path = (dir / "live.db").string();
    {
        auto db = open_database("sqlite:" + db_path);
        db->with_connection([](Connection& c) {
            c.execute_script(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);"
                "INSERT INTO schema_migrations VALUES (1);"
                "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2);");
        });
        // Taken while a connection is open (WAL mode), as a running server would have it.
        auto file = backup::backup_sqlite(db_path, dir / "backups", at(11, 20, 3));
        EXPECT_EQ(file.filename(), "glucoplay-20261120T030000Z.db");
        std::ifstream sum(file.string() + ".sha256");
        std::string hex, name;
        sum >> hex >> name;
        EXPECT_EQ(hex, backup::sha256_file(file));
        EXPECT_EQ(name, file.filename().string());
        db->with_connection([](Connection& c) { c.query("DELETE FROM t"); });
    }
    // Old backups beyond retention are pruned with their checksum files.
    for (int d = 1; d <= 12; ++d) backup::backup_sqlite(db_path, dir / "backups", at(10, d, 3));
    auto removed = backup::prune_backups(dir / "backups");
    EXPECT_FALSE(removed.empty());
    for (const auto& p : removed) {
        EXPECT_FALSE(fs::exists(p));
        EXPECT_FALSE(fs::exists(p.string() + ".sha256"));
    }
    EXPECT_TRUE(fs::exists(dir / "backups" / "glucoplay-20261120T030000Z.db"));

    const fs::path good = dir / "backups" / "glucoplay-20261120T030000Z.db";
    backup::restore_sqlite(good, db_path);
    auto db = open_database("sqlite:" + db_path);
    EXPECT_EQ(db->with_connection([](Connection& c) {
        return c.query("SELECT COUNT(*) FROM t").rows.at(0).int64(0);
    }),
              2);
    // A file that does not match its checksum is refused.
    fs::copy_file(good, dir / "bad.db");
    fs::copy_file(good.string() + ".sha256", dir / "bad.db.sha256");
    std::ofstream(dir / "bad.db", std::ios::app) << "tampered";
    EXPECT_THROW(backup::restore_sqlite(dir / "bad.db", db_path), DbError);
    EXPECT_THROW(backup::restore_sqlite(dir / "missing.db", db_path), DbError);
    db.reset();
    fs::remove_all(dir);
}
