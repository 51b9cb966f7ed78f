// The storage interface on the database this run tests (SQLite; PostgreSQL in the `postgres`
// run): rows streamed by for_each_row read exactly what query() returns, and the readings table
// after migration 010 keeps its rules and its order.

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "cgm/day_pack.hpp"
#include "cgm/repository.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

using namespace glucoplay::testing;
using namespace glucoplay::storage;
namespace fs = std::filesystem;

namespace {

// A connection that forwards everything but for_each_row, so the interface's default (through
// query()) is what streams.
class QueryOnly final : public Connection {
  public:
    using Connection::query;
    explicit QueryOnly(Connection& c) : c_(c) {}
    Result query(std::string_view sql, std::span<const Value> params) override {
        return c_.query(sql, params);
    }
    void execute_script(std::string_view sql) override { c_.execute_script(sql); }
    void begin() override { c_.begin(); }
    void commit() override { c_.commit(); }
    void rollback() noexcept override { c_.rollback(); }
    Dialect dialect() const override { return c_.dialect(); }

  private:
    Connection& c_;
};

// Each accessor of a streamed cell gives what the same accessor of the materialised Row gives,
// or throws the same way (a NULL read as a number or text, a column past the end).
void expect_same_cell(const RowView& view, const Row& row, std::size_t i) {
    SCOPED_TRACE("column " + std::to_string(i));
    auto same = [&](auto read_view, auto read_row) {
        std::optional<decltype(read_row())> expected;
        try {
            expected = read_row();
        } catch (const std::exception&) {
        }
        if (expected)
            EXPECT_EQ(read_view(), *expected);
        else
            EXPECT_ANY_THROW(read_view());
    };
    same([&] { return view.is_null(i); }, [&] { return row.is_null(i); });
    same([&] { return view.int64(i); }, [&] { return row.int64(i); });
    same([&] { return view.real(i); }, [&] { return row.real(i); });
    same([&] { return std::string(view.text(i)); }, [&] { return row.text(i); });
    same([&] { return view.opt_int64(i); }, [&] { return row.opt_int64(i); });
    same([&] { return view.opt_real(i); }, [&] { return row.opt_real(i); });
    same(
        [&] {
            auto t = view.opt_text(i);
            return t ? std::optional<std::string>(*t) : std::nullopt;
        },
        [&] { return row.opt_text(i); });
}

void expect_streams_like_query(Connection& c) {
    const std::string sql =
        "SELECT id, n, x, s, n * 2, x + 1, COUNT(*) OVER () FROM stream_t WHERE id >= ? ORDER BY "
        "id";
    const std::vector<Value> params{std::int64_t{0}};
    Result expected = c.query(sql, params);
    ASSERT_EQ(expected.rows.size(), 4u);
    std::size_t seen = 0;
    std::size_t n = c.for_each_row(sql, params, [&](const RowView& row) {
        ASSERT_LT(seen, expected.rows.size());
        const Row& want = expected.rows[seen++];
        ASSERT_EQ(row.size(), want.size());
        for (std::size_t i = 0; i <= want.size(); ++i) expect_same_cell(row, want, i);
    });
    EXPECT_EQ(n, 4u);
    EXPECT_EQ(seen, 4u);

    // No rows: no call. A failing statement and a throwing callback both propagate, and the
    // connection (its cached statement) works normally afterwards.
    EXPECT_EQ(c.for_each_row(sql, {std::int64_t{99}}, [](const RowView&) { FAIL(); }), 0u);
    EXPECT_THROW(c.for_each_row("SELECT nope FROM stream_t", {}, [](const RowView&) {}), DbError);
    EXPECT_THROW(c.for_each_row(sql, {std::int64_t{0}},
                                [](const RowView&) { throw std::runtime_error("stop"); }),
                 std::runtime_error);
    EXPECT_THROW(c.for_each_row(sql, {}, [](const RowView&) {}), DbError);  // parameter count
    EXPECT_EQ(c.for_each_row(sql, {std::int64_t{3}}, [](const RowView&) {}), 2u);
}

using Readings = std::vector<std::pair<std::int64_t, std::int64_t>>;  // (at, mg/dL)

void add_users(Connection& c, std::initializer_list<std::int64_t> ids) {
    for (std::int64_t id : ids)
        c.query(
            "INSERT INTO users (id, username, username_key, display_name, password_hash, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 0, 0)",
            {id, "u" + std::to_string(id), "u" + std::to_string(id), "U"});
}

// A user's readings as cgm_readings holds them, and as the day packs hold them.
Readings stored(Connection& c, std::int64_t user) {
    Readings out;
    c.for_each_row("SELECT at, mg_dl FROM cgm_readings WHERE user_id = ? ORDER BY at", {user},
                   [&](const RowView& r) { out.emplace_back(r.int64(0), r.int64(1)); });
    return out;
}
Readings packed(Connection& c, std::int64_t user) {
    std::vector<glucoplay::cgm::Reading> all;
    c.for_each_row("SELECT day, readings FROM cgm_reading_days WHERE user_id = ? ORDER BY day",
                   {user}, [&](const RowView& r) {
                       const std::size_t before = all.size();
                       glucoplay::cgm::pack::decode(r.int64(0), r.text(1), all);
                       EXPECT_GT(all.size(), before) << "an empty pack for day " << r.int64(0);
                   });
    Readings out;
    for (const auto& r : all) out.emplace_back(r.at, r.mg_dl);
    return out;
}

class StorageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = make_temp_dir("glucoplay-storage");
        db_ = open_test_database(dir_);
        migrate(*db_, builtin_migrations());
    }
    void TearDown() override {
        db_.reset();
        drop_database_for(dir_);
        fs::remove_all(dir_);
    }
    fs::path dir_;
    std::unique_ptr<Database> db_;
};

}  // namespace

TEST_F(StorageTest, StreamedRowsReadWhatQueryReturns) {
    db_->with_connection([](Connection& c) {
        c.execute_script(std::string("CREATE TABLE stream_t (id BIGINT PRIMARY KEY, n BIGINT, x ") +
                         (c.dialect() == Dialect::sqlite ? "REAL" : "DOUBLE PRECISION") +
                         ", s TEXT)");
        c.query(
            "INSERT INTO stream_t (id, n, x, s) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?), "
            "(?, ?, ?, ?)",
            {std::int64_t{1}, std::int64_t{42}, 0.1, std::string("h\u00e9llo ?"), std::int64_t{2},
             nullptr, nullptr, nullptr, std::int64_t{3}, std::int64_t{-7}, 2.5, std::string(""),
             std::int64_t{4}, std::int64_t{9007199254740993}, -1e300, std::string("12")});
        expect_streams_like_query(c);
        QueryOnly through_query(c);
        expect_streams_like_query(through_query);
    });
}

TEST_F(StorageTest, ReadingsKeepOneRowPerInstantAndComeBackInKeyOrder) {
    db_->with_connection([](Connection& c) {
        add_users(c, {1, 2});
        const char* insert =
            "INSERT INTO cgm_readings (user_id, at, mg_dl, flag, source) VALUES (?, ?, ?, ?, "
            "'api') ON CONFLICT (user_id, at) DO NOTHING";
        // Out of order, across two users, with one duplicate instant.
        for (std::int64_t at : {900, 300, 600, 0, 1200})
            EXPECT_EQ(c.query(insert, {std::int64_t{2}, at, 100 + at / 300, nullptr}).affected, 1);
        for (std::int64_t at : {600, 0})
            EXPECT_EQ(c.query(insert, {std::int64_t{1}, at, std::int64_t{39}, "low"}).affected, 1);
        EXPECT_EQ(c.query(insert, {std::int64_t{2}, std::int64_t{600}, std::int64_t{300}, nullptr})
                      .affected,
                  0);
        EXPECT_THROW(
            c.query(insert, {std::int64_t{2}, std::int64_t{1500}, std::int64_t{402}, nullptr}),
            DbError);  // CHECK (mg_dl <= 401)

        std::vector<std::pair<std::int64_t, std::int64_t>> got;
        c.for_each_row(
            "SELECT at, mg_dl FROM cgm_readings WHERE user_id = ? AND at >= ? AND at < ? ORDER "
            "BY at",
            {std::int64_t{2}, std::int64_t{300}, std::int64_t{1200}},
            [&](const RowView& r) { got.emplace_back(r.int64(0), r.int64(1)); });
        EXPECT_EQ(got, (std::vector<std::pair<std::int64_t, std::int64_t>>{
                           {300, 101}, {600, 102}, {900, 103}}));
        EXPECT_EQ(c.query("SELECT flag FROM cgm_readings WHERE user_id = 1 ORDER BY at")
                      .rows.at(1)
                      .text(0),
                  "low");

        // Deleting the user takes the readings along (ON DELETE CASCADE).
        c.query("DELETE FROM users WHERE id = ?", {std::int64_t{1}});
        EXPECT_EQ(c.query("SELECT COUNT(*) FROM cgm_readings").rows.at(0).int64(0), 5);

        // The layout 010 chose: SQLite keeps the rows in the key's b-tree; PostgreSQL's key
        // index carries the reading for index-only scans.
        if (c.dialect() == Dialect::sqlite)
            EXPECT_EQ(
                c.query("SELECT wr FROM pragma_table_list('cgm_readings')").rows.at(0).int64(0), 1);
        else
            EXPECT_EQ(c.query("SELECT i.indnkeyatts, i.indnatts FROM pg_index i JOIN pg_class t "
                              "ON t.oid = i.indrelid WHERE t.relname = 'cgm_readings' AND "
                              "i.indisprimary")
                          .rows.at(0)
                          .int64(1),
                      4);
    });
}

// The day packs the trends read must always be exactly the stored readings: after batches of
// new, duplicate and out-of-order readings across day boundaries (and before 1970), from two
// sources, and after deleting one source; a range read from the packs is the same as one read
// from cgm_readings.
TEST_F(StorageTest, DayPacksAlwaysHoldExactlyTheStoredReadings) {
    std::mt19937_64 rng(20261201);
    const std::int64_t base = 1795132800;  // 2026-11-20T00:00:00Z
    db_->with_connection([](Connection& c) { add_users(c, {1, 2}); });
    for (int round = 0; round < 12; ++round) {
        const std::int64_t user = 1 + round % 2;
        std::vector<glucoplay::cgm::ParsedReading> batch;
        for (auto n = rng() % 400; n > 0; --n) {
            glucoplay::cgm::ParsedReading r;
            // Five days either side of a midnight, in 5-minute slots (so many repeat), a few
            // at odd seconds, and now and then before 1970.
            r.at = (round == 5 ? -2 * 86400 : base) +
                   static_cast<std::int64_t>(rng() % 2880) * 300 +
                   (rng() % 5 == 0 ? static_cast<std::int64_t>(rng() % 300) : 0);
            r.mg_dl = 39 + static_cast<int>(rng() % 363);
            batch.push_back(r);
        }
        const std::string source = round % 3 == 0 ? "demo" : "api";
        db_->transaction(
            [&](Connection& c) { glucoplay::cgm::repo::insert_readings(c, user, batch, source); });
        if (round == 8)
            db_->transaction([&](Connection& c) {
                EXPECT_GT(glucoplay::cgm::repo::delete_readings(c, 1, "demo"), 0u);
            });
        db_->with_connection([&](Connection& c) {
            for (std::int64_t u : {1, 2})
                ASSERT_EQ(packed(c, u), stored(c, u)) << "round " << round;
            const std::int64_t from = base + static_cast<std::int64_t>(rng() % 864000) - 86400;
            const std::int64_t to = from + static_cast<std::int64_t>(rng() % 500000);
            Readings streamed, direct;
            glucoplay::cgm::repo::for_each_reading(
                c, user, from, to, [&](std::int64_t at, int mg) { streamed.emplace_back(at, mg); });
            for (const auto& r : glucoplay::cgm::repo::readings(c, user, from, to))
                direct.emplace_back(r.at, r.mg_dl);
            EXPECT_EQ(streamed, direct) << "round " << round;
        });
    }
    db_->with_connection([](Connection& c) {
        EXPECT_GT(c.query("SELECT COUNT(*) FROM cgm_reading_days").rows.at(0).int64(0), 10);
    });
}

// Migration 012 builds the packs of readings stored before it, in either dialect's SQL.
// Migration 013's triggers: every change that can end a live session moves the session-change
// number, in SQL and whoever makes it (the remembered sessions rely on it:
// auth/authenticator.hpp), and the changes that cannot (a new session, a profile edit, the
// deletion of a session already ended) leave it alone, so they cost no re-reads.
TEST_F(StorageTest, EveryChangeThatCanEndALiveSessionMovesTheSessionChangeNumber) {
    db_->with_connection([](Connection& c) {
        add_users(c, {1, 2, 3});
        const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
        auto number = [&] {
            return c.query("SELECT n FROM session_changes WHERE id = 1").rows.at(0).int64(0);
        };
        auto session = [&](const std::string& jti, std::int64_t user, std::int64_t expires,
                           std::optional<std::int64_t> revoked = std::nullopt) {
            c.query(
                "INSERT INTO sessions (jti, user_id, created_at, expires_at, revoked_at) VALUES "
                "(?, ?, ?, ?, ?)",
                {jti, user, now - 10, expires, revoked ? Value(*revoked) : Value(nullptr)});
        };
        struct Step {
            const char* what;
            std::function<void()> change;
            bool moves;
        };
        const std::vector<Step> steps = {
            {"a new session", [&] { session("a", 1, now + 3600); }, false},
            {"another", [&] { session("b", 1, now + 3600); }, false},
            {"one ended before", [&] { session("old", 2, now - 5); }, false},
            {"one revoked before", [&] { session("gone", 2, now + 3600, now - 1); }, false},
            {"a profile edit",
             [&] { c.query("UPDATE users SET display_name = 'New', updated_at = 1 WHERE id = 1"); },
             false},
            {"a password change alone",
             [&] { c.query("UPDATE users SET password_hash = 'y' WHERE id = 1"); }, false},
            {"an ended session deleted",
             [&] { c.query("DELETE FROM sessions WHERE expires_at <= ?", {now}); }, false},
            {"a revoked session deleted",
             [&] { c.query("DELETE FROM sessions WHERE jti = 'gone'"); }, false},
            {"a logout",
             [&] { c.query("UPDATE sessions SET revoked_at = ? WHERE jti = 'a'", {now}); }, true},
            {"a session cut short",
             [&] { c.query("UPDATE sessions SET expires_at = ? WHERE jti = 'b'", {now + 1}); },
             true},
            {"a live session deleted",
             [&] {
                 session("c", 2, now + 3600);
                 c.query("DELETE FROM sessions WHERE jti = 'c'");
             },
             true},
            {"a role change", [&] { c.query("UPDATE users SET role = 'admin' WHERE id = 2"); },
             true},
            {"an account disabled", [&] { c.query("UPDATE users SET disabled = 1 WHERE id = 2"); },
             true},
            {"an account deleted", [&] { c.query("DELETE FROM users WHERE id = 3"); }, true},
        };
        for (const auto& step : steps) {
            const std::int64_t before = number();
            step.change();
            if (step.moves)
                EXPECT_GT(number(), before) << step.what;
            else
                EXPECT_EQ(number(), before) << step.what;
        }
    });
}

TEST(StorageMigration, DayPacksAreBuiltForReadingsAlreadyStored) {
    fs::path dir = make_temp_dir("glucoplay-packs");
    auto db = testing_postgres() ? open_database(create_scratch_postgres_database())
                                 : open_database("sqlite:" + (dir / "fresh.db").string());
    std::vector<Migration> before;
    for (const auto& m : builtin_migrations())
        if (m.version < 12) before.push_back(m);
    migrate(*db, before);
    db->with_connection([](Connection& c) {
        add_users(c, {1, 2});
        std::mt19937_64 rng(11);
        for (int i = 0; i < 3000; ++i)
            c.query(
                "INSERT INTO cgm_readings (user_id, at, mg_dl, source) VALUES (?, ?, ?, 'api') "
                "ON CONFLICT (user_id, at) DO NOTHING",
                {std::int64_t{1} + static_cast<std::int64_t>(rng() % 2),
                 static_cast<std::int64_t>(rng() % (20 * 86400)) - 3 * 86400,
                 std::int64_t{39} + static_cast<std::int64_t>(rng() % 363)});
    });
    const auto report = migrate(*db, builtin_migrations());
    ASSERT_FALSE(report.applied.empty());
    EXPECT_EQ(report.applied.front(), 12);
    db->with_connection([](Connection& c) {
        for (std::int64_t u : {1, 2}) {
            EXPECT_GT(stored(c, u).size(), 1000u);
            EXPECT_EQ(packed(c, u), stored(c, u)) << "user " << u;
        }
    });
    db.reset();
    fs::remove_all(dir);
}
