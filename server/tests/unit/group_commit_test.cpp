#include "storage/group_commit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace glucoplay::storage;
namespace fs = std::filesystem;

namespace {

// Tasks posted by the GroupCommit, run when the test says (a worker pool that is busy until then).
struct ManualPool {
    std::vector<std::function<void()>> tasks;
    GroupCommit::Poster poster() {
        return [this](std::function<void()> t) { tasks.push_back(std::move(t)); };
    }
    void run_one() {
        ASSERT_FALSE(tasks.empty());
        auto t = std::move(tasks.front());
        tasks.erase(tasks.begin());
        t();
    }
};

class GroupCommitTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gp-gc-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        DatabaseOptions o;
        o.pool_size = 3;
        db_ = open_database("sqlite:" + (dir_ / "t.db").string(), o);
        db_->with_connection([](Connection& c) {
            c.execute_script(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
                "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
                "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);");
        });
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }
    std::vector<std::string> names() {
        std::vector<std::string> out;
        db_->with_connection([&](Connection& c) {
            for (const auto& r : c.query("SELECT name FROM t ORDER BY id").rows)
                out.push_back(r.text(0));
        });
        return out;
    }
    static GroupCommit::Work insert(std::string name) {
        return [name = std::move(name)](Connection& c) {
            c.query("INSERT INTO t (name) VALUES (?)", {name});
        };
    }
    // Records each write's outcome: "ok" or the error's message.
    GroupCommit::Done record(std::size_t i) {
        return [this, i](std::exception_ptr e) {
            if (outcomes_.size() <= i) outcomes_.resize(i + 1);
            if (!e) {
                outcomes_[i] = "ok";
                // Reported only after COMMIT: another connection sees the write already.
                seen_at_done_.push_back(names().size());
                return;
            }
            try {
                std::rethrow_exception(e);
            } catch (const UniqueViolation& ex) {
                outcomes_[i] = std::string("unique: ") + ex.what();
            } catch (const std::exception& ex) {
                outcomes_[i] = ex.what();
            }
        };
    }

    fs::path dir_;
    std::unique_ptr<Database> db_;
    std::vector<std::string> outcomes_;
    std::vector<std::size_t> seen_at_done_;
};

}  // namespace

TEST_F(GroupCommitTest, WritesQueuedBeforeTheDrainRunsShareOneTransaction) {
    GroupCommit gc(*db_);
    ManualPool pool;
    gc.set_poster(pool.poster());
    gc.submit(insert("a"), record(0));
    gc.submit(insert("b"), record(1));
    gc.submit(insert("c"), record(2));
    ASSERT_EQ(pool.tasks.size(), 1u);  // one drain task for the three
    EXPECT_TRUE(outcomes_.empty());    // nothing runs before it
    EXPECT_TRUE(names().empty());
    pool.run_one();
    EXPECT_EQ(outcomes_, (std::vector<std::string>{"ok", "ok", "ok"}));
    EXPECT_EQ(names(), (std::vector<std::string>{"a", "b", "c"}));
    // Every done ran after the one commit: all three rows were visible to each.
    EXPECT_EQ(seen_at_done_, (std::vector<std::size_t>{3, 3, 3}));
    EXPECT_EQ(gc.stats().batches, 1u);
    EXPECT_EQ(gc.stats().writes, 3u);
    EXPECT_TRUE(pool.tasks.empty());
}

TEST_F(GroupCommitTest, AWriteThatThrowsUndoesOnlyItsOwnChanges) {
    GroupCommit gc(*db_);
    ManualPool pool;
    gc.set_poster(pool.poster());
    gc.submit(insert("a"), record(0));
    gc.submit(
        [](Connection& c) {
            c.query("INSERT INTO t (name) VALUES ('half')");
            throw std::runtime_error("refused after its first statement");
        },
        record(1));
    gc.submit(insert("a"), record(2));  // UNIQUE: "a" is the batch's first write
    gc.submit(insert("d"), record(3));
    pool.run_one();
    ASSERT_EQ(outcomes_.size(), 4u);
    EXPECT_EQ(outcomes_[0], "ok");
    EXPECT_EQ(outcomes_[1], "refused after its first statement");
    EXPECT_EQ(outcomes_[2].rfind("unique: ", 0), 0u) << outcomes_[2];
    EXPECT_EQ(outcomes_[3], "ok");
    EXPECT_EQ(names(), (std::vector<std::string>{"a", "d"}));  // no "half"
    EXPECT_EQ(gc.stats().batches, 1u);
}

TEST_F(GroupCommitTest, EachWriteSeesTheWritesBeforeItInTheBatch) {
    GroupCommit gc(*db_);
    ManualPool pool;
    gc.set_poster(pool.poster());
    std::vector<std::int64_t> counts;
    for (int i = 0; i < 3; ++i)
        gc.submit(
            [&counts, i](Connection& c) {
                counts.push_back(c.query("SELECT COUNT(*) FROM t").rows.at(0).int64(0));
                c.query("INSERT INTO t (name) VALUES (?)", {std::to_string(i)});
            },
            record(static_cast<std::size_t>(i)));
    pool.run_one();
    EXPECT_EQ(counts, (std::vector<std::int64_t>{0, 1, 2}));
}

TEST_F(GroupCommitTest, AFailedCommitFailsEveryWriteAndWritesNothing) {
    GroupCommit gc(*db_);
    ManualPool pool;
    gc.set_poster(pool.poster());
    gc.submit(insert("a"), record(0));
    // Accepted by its statement, refused at COMMIT (a deferred foreign key with no parent).
    gc.submit([](Connection& c) { c.query("INSERT INTO child (parent_id) VALUES (42)"); },
              record(1));
    gc.submit(insert("b"), record(2));
    pool.run_one();
    ASSERT_EQ(outcomes_.size(), 3u);
    for (const auto& o : outcomes_) {
        EXPECT_NE(o, "ok");
        EXPECT_NE(o.find("FOREIGN KEY"), std::string::npos) << o;
    }
    EXPECT_TRUE(names().empty());
    db_->with_connection([](Connection& c) {
        EXPECT_EQ(c.query("SELECT COUNT(*) FROM child").rows.at(0).int64(0), 0);
    });
    // The connection went back to the pool usable: the next batch commits.
    gc.submit(insert("c"), record(3));
    pool.run_one();
    EXPECT_EQ(outcomes_[3], "ok");
    EXPECT_EQ(names(), (std::vector<std::string>{"c"}));
}

TEST_F(GroupCommitTest, ALoneWriteThatThrowsWritesNothing) {
    GroupCommit gc(*db_);
    gc.submit(
        [](Connection& c) {
            c.query("INSERT INTO t (name) VALUES ('x')");
            throw std::runtime_error("no");
        },
        record(0));
    EXPECT_EQ(outcomes_, (std::vector<std::string>{"no"}));
    EXPECT_TRUE(names().empty());
}

TEST_F(GroupCommitTest, WithoutAPoolTheSubmittingThreadCommitsAtOnce) {
    GroupCommit gc(*db_);
    gc.submit(insert("a"), record(0));
    EXPECT_EQ(outcomes_, (std::vector<std::string>{"ok"}));
    EXPECT_EQ(names(), (std::vector<std::string>{"a"}));
    EXPECT_EQ(gc.stats().batches, 1u);
}

TEST_F(GroupCommitTest, BatchesAreBoundedAndTheRestWaitsBehindOtherWork) {
    GroupCommit gc(*db_, 2);
    ManualPool pool;
    gc.set_poster(pool.poster());
    for (int i = 0; i < 5; ++i)
        gc.submit(insert(std::to_string(i)), record(static_cast<std::size_t>(i)));
    ASSERT_EQ(pool.tasks.size(), 1u);
    pool.run_one();  // 0 and 1; the drain posts itself again for the rest
    EXPECT_EQ(names().size(), 2u);
    ASSERT_EQ(pool.tasks.size(), 1u);
    gc.submit(insert("5"), record(5));  // joins the drain already posted
    EXPECT_EQ(pool.tasks.size(), 1u);
    pool.run_one();
    pool.run_one();
    EXPECT_TRUE(pool.tasks.empty());
    EXPECT_EQ(names(), (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
    EXPECT_EQ(gc.stats().batches, 3u);
    EXPECT_EQ(gc.stats().writes, 6u);
    // The next write after the queue emptied posts a new drain.
    gc.submit(insert("6"), record(6));
    EXPECT_EQ(pool.tasks.size(), 1u);
    pool.run_one();
    EXPECT_EQ(outcomes_.size(), 7u);
}

namespace {

// Names for writes that a Combine can write together: one INSERT for all of them, "bad" refused
// (its own error), "boom" failing the whole run (the Combine throws after writing the others).
struct Names {
    int calls = 0;
    std::vector<std::size_t> sizes;
    GroupCommit::Combine combine = [this](Connection& c,
                                          const std::vector<GroupCommit::Item>& items)
        -> std::optional<std::vector<std::exception_ptr>> {
        ++calls;
        sizes.push_back(items.size());
        std::vector<std::exception_ptr> errors(items.size());
        std::string sql = "INSERT INTO t (name) VALUES ";
        std::vector<Value> params;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto& name = *static_cast<const std::string*>(items[i].get());
            if (name == "bad") {
                errors[i] = std::make_exception_ptr(std::runtime_error("bad refused"));
                continue;
            }
            sql += params.empty() ? "(?)" : ", (?)";
            params.push_back(name);
        }
        if (!params.empty()) c.query(sql, params);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto& name = *static_cast<const std::string*>(items[i].get());
            if (name == "boom") throw std::runtime_error("the run failed");
            if (name == "decline") return std::nullopt;
        }
        return errors;
    };
};

}  // namespace

TEST_F(GroupCommitTest, NeighboursWithTheSameCombineAreWrittenTogetherInOrder) {
    GroupCommit gc(*db_);
    ManualPool pool;
    gc.set_poster(pool.poster());
    Names together;
    auto combined = [&](const std::string& name, std::size_t i) {
        // Its Work writes it alone: used only where the Combine is not.
        gc.submit(insert(name + "-alone"), record(i), &together.combine,
                  std::make_shared<std::string>(name));
    };
    gc.submit(insert("a"), record(0));
    combined("b", 1);
    combined("bad", 2);
    combined("c", 3);
    gc.submit(insert("d"), record(4));
    combined("e", 5);  // alone in its run: written by its Work
    pool.run_one();
    EXPECT_EQ(together.sizes, (std::vector<std::size_t>{3}));
    EXPECT_EQ(names(), (std::vector<std::string>{"a", "b", "c", "d", "e-alone"}));
    EXPECT_EQ(outcomes_, (std::vector<std::string>{"ok", "ok", "bad refused", "ok", "ok", "ok"}));
    EXPECT_EQ(gc.stats().batches, 1u);
    EXPECT_EQ(gc.stats().writes, 6u);
    EXPECT_EQ(gc.stats().combined, 3u);
}

TEST_F(GroupCommitTest, ACombineThatFailsOrDeclinesLeavesEachWriteToItsOwnWork) {
    for (const std::string last : {"boom", "decline"}) {
        SCOPED_TRACE(last);
        db_->with_connection([](Connection& c) { c.query("DELETE FROM t"); });
        outcomes_.clear();
        GroupCommit gc(*db_);
        ManualPool pool;
        gc.set_poster(pool.poster());
        Names together;
        std::size_t i = 0;
        for (const std::string& name : std::vector<std::string>{"x", "y", last})
            gc.submit(insert(name + "-alone"), record(i++), &together.combine,
                      std::make_shared<std::string>(name));
        pool.run_one();
        EXPECT_EQ(together.calls, 1);
        // What the Combine wrote before failing was rolled back: each write is there once.
        EXPECT_EQ(names(), (std::vector<std::string>{"x-alone", "y-alone", last + "-alone"}));
        EXPECT_EQ(outcomes_, (std::vector<std::string>{"ok", "ok", "ok"}));
        EXPECT_EQ(gc.stats().combined, 0u);
    }
}
