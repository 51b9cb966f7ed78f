#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

using namespace glucoplay::storage;
namespace fs = std::filesystem;

namespace {

class SqliteTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gp-db-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        DatabaseOptions o;
        o.pool_size = 3;
        db_ = open_database("sqlite:" + (dir_ / "sub" / "t.db").string(), o);
        db_->with_connection([](Connection& c) {
            c.execute_script(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL)");
        });
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }
    std::int64_t count() {
        return db_->with_connection(
            [](Connection& c) { return c.query("SELECT COUNT(*) FROM t").rows.at(0).int64(0); });
    }
    fs::path dir_;
    std::unique_ptr<Database> db_;
};

}  // namespace

TEST_F(SqliteTest, CreatesDirectoryAndUsesWalAndForeignKeys) {
    EXPECT_TRUE(fs::exists(dir_ / "sub" / "t.db"));
    db_->with_connection([](Connection& c) {
        EXPECT_EQ(c.query("PRAGMA journal_mode").rows.at(0).text(0), "wal");
        EXPECT_EQ(c.query("PRAGMA foreign_keys").rows.at(0).int64(0), 1);
        EXPECT_EQ(c.query("PRAGMA synchronous").rows.at(0).int64(0), 2);  // FULL
    });
}

TEST_F(SqliteTest, SynchronousNormalWhenAsked) {
    DatabaseOptions o;
    o.synchronous = "NORMAL";  // --sqlite-synchronous normal
    auto db = open_database("sqlite:" + (dir_ / "normal.db").string(), o);
    db->with_connection([](Connection& c) {
        EXPECT_EQ(c.query("PRAGMA journal_mode").rows.at(0).text(0), "wal");
        EXPECT_EQ(c.query("PRAGMA synchronous").rows.at(0).int64(0), 1);  // NORMAL
    });
}

TEST_F(SqliteTest, ParametersRoundTripEveryType) {
    db_->with_connection([](Connection& c) {
        auto ins = c.query("INSERT INTO t (name, score) VALUES (?, ?) RETURNING id",
                           {std::string("a'; DROP TABLE t; --"), 1.5});
        ASSERT_EQ(ins.rows.size(), 1u);
        std::int64_t id = ins.rows[0].int64(0);
        auto r = c.query("SELECT id, name, score FROM t WHERE id = ?", {id});
        ASSERT_EQ(r.rows.size(), 1u);
        EXPECT_EQ(r.rows[0].text(1), "a'; DROP TABLE t; --");  // stored as text, never executed
        EXPECT_DOUBLE_EQ(r.rows[0].real(2), 1.5);
        c.query("UPDATE t SET score = ? WHERE id = ?", {nullptr, id});
        EXPECT_FALSE(
            c.query("SELECT score FROM t WHERE id = ?", {id}).rows[0].opt_real(0).has_value());
    });
}

TEST_F(SqliteTest, InsertIdIsTheNewRowsIdOrNothingWhenNoRowWasInserted) {
    db_->with_connection([](Connection& c) {
        // A trigger inserting elsewhere, with ids far above t's: SQLite's last rowid must still
        // be the statement's own row once the trigger has run.
        c.execute_script(
            "CREATE TABLE audit (id INTEGER PRIMARY KEY, name TEXT);"
            "INSERT INTO audit (id, name) VALUES (1000, 'seed');"
            "CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN "
            "INSERT INTO audit (name) VALUES (NEW.name); END;");
        const std::int64_t a =
            c.insert_row("INSERT INTO t (name, score) VALUES (?, ?)", {std::string("a"), 1.0});
        const std::int64_t b =
            c.insert_row("INSERT INTO t (name, score) VALUES (?, ?)", {std::string("b"), 2.0});
        EXPECT_EQ(a, c.query("SELECT id FROM t WHERE name = 'a'").rows.at(0).int64(0));
        EXPECT_EQ(b, c.query("SELECT id FROM t WHERE name = 'b'").rows.at(0).int64(0));
        EXPECT_NE(a, b);
        EXPECT_EQ(c.query("SELECT MAX(id) FROM audit").rows.at(0).int64(0), 1002);
        // Skipped by ON CONFLICT DO NOTHING: no id (not the previous insert's).
        const std::string dup = "INSERT INTO t (name, score) VALUES (?, ?) ON CONFLICT DO NOTHING";
        EXPECT_EQ(c.insert_id(dup, {std::string("b"), 3.0}), std::nullopt);
        EXPECT_THROW(c.insert_row(dup, {std::string("b"), 3.0}), DbError);
        auto c_id = c.insert_id(dup, {std::string("c"), 3.0});
        ASSERT_TRUE(c_id.has_value());
        EXPECT_EQ(*c_id, c.query("SELECT id FROM t WHERE name = 'c'").rows.at(0).int64(0));
        // A statement that returns rows is refused before it runs.
        EXPECT_THROW(
            c.insert_row("INSERT INTO t (name) VALUES (?) RETURNING id", {std::string("d")}),
            DbError);
        EXPECT_EQ(c.query("SELECT COUNT(*) FROM t").rows.at(0).int64(0), 3);
    });
}

TEST_F(SqliteTest, WrongParameterCountIsAnError) {
    db_->with_connection([](Connection& c) {
        EXPECT_THROW(c.query("SELECT * FROM t WHERE id = ?", {}), DbError);
        EXPECT_THROW(c.query("SELECT * FROM nope"), DbError);
    });
}

TEST_F(SqliteTest, UniqueViolationHasItsOwnType) {
    db_->with_connection(
        [](Connection& c) { c.query("INSERT INTO t (name) VALUES (?)", {std::string("x")}); });
    EXPECT_THROW(db_->with_connection([](Connection& c) {
        c.query("INSERT INTO t (name) VALUES (?)", {std::string("x")});
    }),
                 UniqueViolation);
}

TEST_F(SqliteTest, TransactionRollsBackEverythingOnError) {
    EXPECT_THROW(db_->transaction([](Connection& c) {
        c.query("INSERT INTO t (name) VALUES (?)", {std::string("first")});
        c.query("INSERT INTO t (name) VALUES (?)", {std::string("second")});
        throw std::runtime_error("validation failed halfway");
    }),
                 std::runtime_error);
    EXPECT_EQ(count(), 0);
    db_->transaction(
        [](Connection& c) { c.query("INSERT INTO t (name) VALUES (?)", {std::string("kept")}); });
    EXPECT_EQ(count(), 1);
}

TEST_F(SqliteTest, PoolIsBoundedAndReusesConnections) {
    {
        auto a = db_->acquire();
        auto b = db_->acquire();
        auto c = db_->acquire();
        EXPECT_EQ(db_->stats().size, 3u);
        EXPECT_EQ(db_->stats().idle, 0u);
        // A fourth caller waits until one is returned.
        std::thread t([&] {
            auto d = db_->acquire();
            d->query("SELECT 1");
        });
        std::this_thread::yield();
        { auto release = std::move(a); }
        t.join();
        EXPECT_LE(db_->stats().size, 3u);
    }
    EXPECT_EQ(db_->stats().idle, db_->stats().size);
}

TEST_F(SqliteTest, ConcurrentWritersAllCommit) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i)
                db_->transaction([&](Connection& c) {
                    c.query("INSERT INTO t (name) VALUES (?)",
                            {std::to_string(t) + "-" + std::to_string(i)});
                });
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(count(), 100);
}

namespace {

// Frames in the WAL of `path`, read (with a checkpoint of what it can copy) by a second
// database that never checkpoints by itself.
std::int64_t wal_frames(const fs::path& path) {
    DatabaseOptions o;
    o.checkpoint_frames = 0;
    auto probe = open_database("sqlite:" + path.string(), o);
    return probe->with_connection([](Connection& c) {
        return c.query("PRAGMA wal_checkpoint(PASSIVE)").rows.at(0).int64(1);
    });
}

// `n` commits of one row each, every row a 3 000-byte blob of its own (at least two frames a
// commit: the row's overflow page and the table page pointing at it).
void commit_rows(Database& db, int n) {
    db.with_connection([](Connection& c) {
        c.execute_script("CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, b BLOB)");
    });
    for (int i = 0; i < n; ++i)
        db.transaction(
            [](Connection& c) { c.query("INSERT INTO blobs (b) VALUES (randomblob(3000))"); });
}

// At synchronous=NORMAL (no fsync a commit), checkpointing at `frames` (0: never) and making
// the WAL start over at `restart_frames` (0: never).
std::unique_ptr<Database> open_checkpointing(const fs::path& path, std::size_t frames,
                                             std::size_t restart_frames = 0) {
    DatabaseOptions o;
    o.synchronous = "NORMAL";
    o.checkpoint_frames = frames;
    o.wal_restart_frames = restart_frames;
    return open_database("sqlite:" + path.string(), o);
}

fs::path wal_of(const fs::path& db) {
    return fs::path(db.string() + "-wal");
}

}  // namespace

// SQLite's automatic checkpoint would have run inside a commit once the WAL passed 1000 frames
// (and started it over on the next write): the pool's connections leave it to the background
// thread, so with that thread off the WAL keeps every frame.
TEST_F(SqliteTest, CommitsNeverCheckpointThemselves) {
    const fs::path path = dir_ / "no-checkpoints.db";
    auto db = open_checkpointing(path, 0);
    commit_rows(*db, 1200);
    EXPECT_GE(wal_frames(path), 2400);
    EXPECT_EQ(db->checkpoint_stats().checkpoints, 0u);
}

TEST_F(SqliteTest, TheBackgroundThreadCheckpointsOnceTheWalPassesItsThreshold) {
    auto db = open_checkpointing(dir_ / "checkpoints.db", 100);
    commit_rows(*db, 20);  // about 40 frames: not yet
    EXPECT_EQ(db->checkpoint_stats().checkpoints, 0u);
    commit_rows(*db, 200);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (db->checkpoint_stats().checkpoints == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const CheckpointStats stats = db->checkpoint_stats();
    EXPECT_GE(stats.checkpoints, 1u);
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_GE(stats.wal_frames, 100u);  // it ran on a WAL past the threshold
    EXPECT_LE(stats.frames_left, stats.wal_frames);
    // Every row is there, checkpointed or not.
    EXPECT_EQ(db->with_connection([](Connection& c) {
        return c.query("SELECT COUNT(*) FROM blobs").rows.at(0).int64(0);
    }),
              220);
}

// Commits back to back, the way a busy server writes: a PASSIVE checkpoint always finds a commit
// after its last frame, so without the restart the WAL never starts over and its file grows by
// every frame written (4 000 commits of three frames or so: with wal_restart_frames 0 this test
// fails on the file's size, 50 MB).
TEST_F(SqliteTest, TheWalStartsOverUnderSteadyWritesOnceItHoldsTheRestartThreshold) {
    constexpr std::size_t kFrameBytes = 24 + 4096;
    const fs::path path = dir_ / "restarts.db";
    auto db = open_checkpointing(path, 100, 400);
    commit_rows(*db, 4000);
    const CheckpointStats stats = db->checkpoint_stats();
    EXPECT_GE(stats.restarts, 1u);
    EXPECT_EQ(stats.failures, 0u);
    // Every restart lets the file be reused from its start (and cut back to twice the threshold,
    // journal_size_limit): far below the 12 000 or so frames written.
    EXPECT_LT(fs::file_size(wal_of(path)), 4000 * kFrameBytes);
    EXPECT_EQ(db->with_connection([](Connection& c) {
        return c.query("SELECT COUNT(*) FROM blobs").rows.at(0).int64(0);
    }),
              4000);
}

// A reader holding its snapshot keeps the WAL from starting over: the restart gives up after its
// short wait instead of holding the writers back, and runs once the reader has gone.
TEST_F(SqliteTest, AWalRestartWaitsForNoReaderAndIsPutOffWhileOneStays) {
    const fs::path path = dir_ / "reader.db";
    auto db = open_checkpointing(path, 50, 100);
    commit_rows(*db, 10);
    DatabaseOptions o;
    o.checkpoint_frames = 0;
    auto other = open_database("sqlite:" + path.string(), o);
    {
        auto reader = other->acquire();
        reader->execute_script("BEGIN");
        reader->query("SELECT COUNT(*) FROM blobs");  // the read transaction holds its snapshot
        commit_rows(*db, 400);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (db->checkpoint_stats().restarts_deferred == 0 &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        EXPECT_GE(db->checkpoint_stats().restarts_deferred, 1u);
        EXPECT_EQ(db->checkpoint_stats().restarts, 0u);
        // Writes still go through while the restart is put off.
        commit_rows(*db, 10);
        reader->execute_script("COMMIT");
    }
    // The reader gone, the next restart due runs (after the second the put-off lasts).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (db->checkpoint_stats().restarts == 0 && std::chrono::steady_clock::now() < deadline) {
        commit_rows(*db, 20);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(db->checkpoint_stats().restarts, 1u);
    EXPECT_EQ(db->checkpoint_stats().failures, 0u);
}

TEST(Migrations, ParsesNamesAndDialectVariants) {
    std::vector<EmbeddedFile> files = {
        {"001_first.sql", "CREATE TABLE a (x INTEGER);"},
        {"002_second.sqlite.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);"},
        {"002_second.postgres.sql", "CREATE TABLE b (id BIGSERIAL PRIMARY KEY);"},
    };
    auto m = parse_migrations(files);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].version, 1);
    EXPECT_EQ(m[1].name, "second");
    EXPECT_EQ(m[1].sql_for(Dialect::sqlite), "CREATE TABLE b (id INTEGER PRIMARY KEY);");
    EXPECT_EQ(m[1].sql_for(Dialect::postgres), "CREATE TABLE b (id BIGSERIAL PRIMARY KEY);");
    EXPECT_EQ(m[0].sql_for(Dialect::postgres), "CREATE TABLE a (x INTEGER);");

    EXPECT_THROW(parse_migrations({{"1_bad.sql", ""}}), DbError);
    EXPECT_THROW(parse_migrations({{"001_a.sql", ""}, {"001_b.sql", ""}}), DbError);
}

TEST_F(SqliteTest, MigrationsApplyOnceInOrderAndRefuseNewerSchemas) {
    std::vector<Migration> v1 = parse_migrations({{"001_a.sql", "CREATE TABLE a (x INTEGER);"}});
    std::vector<Migration> v2 =
        parse_migrations({{"001_a.sql", "CREATE TABLE a (x INTEGER);"},
                          {"002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);"}});
    auto r1 = migrate(*db_, v1);
    EXPECT_EQ(r1.applied, std::vector<int>{1});
    auto r2 = migrate(*db_, v2);
    EXPECT_EQ(r2.applied, std::vector<int>{2});
    EXPECT_EQ(r2.current, 2);
    auto r3 = migrate(*db_, v2);  // nothing left to do
    EXPECT_TRUE(r3.applied.empty());
    EXPECT_EQ(db_->with_connection(
                  [](Connection& c) { return c.query("SELECT COUNT(*) FROM b").rows[0].int64(0); }),
              1);
    EXPECT_THROW(migrate(*db_, v1), DbError);  // database is at 2, this build only knows 1
}

TEST_F(SqliteTest, FailedMigrationLeavesNoTrace) {
    auto bad = parse_migrations({{"001_a.sql", "CREATE TABLE a (x INTEGER); THIS IS NOT SQL;"}});
    EXPECT_THROW(migrate(*db_, bad), DbError);
    db_->with_connection([](Connection& c) {
        EXPECT_TRUE(c.query("SELECT name FROM sqlite_master WHERE name = 'a'").empty());
        EXPECT_EQ(c.query("SELECT COUNT(*) FROM schema_migrations").rows[0].int64(0), 0);
    });
}

TEST(Migrations, BuiltinMigrationsAreEmbeddedAndNumberedFromOne) {
    const auto& m = builtin_migrations();
    ASSERT_FALSE(m.empty());
    for (std::size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].version, static_cast<int>(i + 1));
}

TEST(SqlHelpers, PlaceholdersAreTheItemRepeatedWithCommas) {
    EXPECT_EQ(repeated_placeholders("?", 3), "?, ?, ?");
    EXPECT_EQ(repeated_placeholders("(?, ?)", 2), "(?, ?), (?, ?)");
    EXPECT_EQ(repeated_placeholders("?", 1), "?");
    EXPECT_EQ(repeated_placeholders("?", 0), "");
}

// A multi-row INSERT's ids in VALUES order, whatever order RETURNING gave them in; a count other
// than the rows sent is an error, not a short answer.
TEST_F(SqliteTest, IdsOfAMultiRowInsertComeInTheOrderOfItsValues) {
    db_->with_connection([](Connection& c) {
        c.execute_script("CREATE TABLE many (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        auto r = c.query(
            "INSERT INTO many (name) VALUES " + repeated_placeholders("(?)", 3) + " RETURNING id",
            {std::string("a"), std::string("b"), std::string("c")});
        const auto ids = ids_in_values_order(r, 3);
        ASSERT_EQ(ids.size(), 3u);
        for (std::size_t i = 0; i < ids.size(); ++i)
            EXPECT_EQ(c.query("SELECT name FROM many WHERE id = ?", {ids[i]}).rows.at(0).text(0),
                      std::string(1, static_cast<char>('a' + i)));
        Result reversed;
        for (auto it = r.rows.rbegin(); it != r.rows.rend(); ++it) reversed.rows.push_back(*it);
        EXPECT_EQ(ids_in_values_order(reversed, 3), ids);
        EXPECT_THROW(ids_in_values_order(r, 4), DbError);
    });
}
