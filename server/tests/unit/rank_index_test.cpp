// The in-memory rank index (games/rank_index.*) against the SQL it stands in for: random boards
// with ties, raises after load, raises during a background reload, a failed reload, and
// moderation's drop.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <random>
#include <thread>

#include "games/ordered_entries.hpp"
#include "games/rank_index.hpp"
#include "games/repository.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

using namespace glucoplay;
using games::RankIndex;

namespace {

using Rows = std::vector<RankIndex::Entry>;

// The order the SQL leaderboard uses, computed by brute force.
std::int64_t brute_rank(const Rows& rows, std::int64_t user) {
    auto me =
        std::find_if(rows.begin(), rows.end(), [&](const auto& e) { return e.user_id == user; });
    std::int64_t ahead = 0;
    for (const auto& e : rows)
        if (e.best > me->best ||
            (e.best == me->best && (e.achieved_at < me->achieved_at ||
                                    (e.achieved_at == me->achieved_at && e.user_id < me->user_id))))
            ++ahead;
    return ahead + 1;
}

// A user row for player `u` (what the scores' foreign keys need).
void insert_player(storage::Connection& c, std::int64_t u) {
    c.query(
        "INSERT INTO users (id, username, username_key, display_name, password_hash, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 0, 0)",
        {u, "u" + std::to_string(u), "u" + std::to_string(u), "U" + std::to_string(u)});
}

// A racing session of player `u` scored `value` at `at`; returns the score's id.
std::int64_t insert_score(storage::Connection& c, std::int64_t u, std::int64_t value,
                          std::int64_t at) {
    auto sid = c.query(
                    "INSERT INTO game_sessions (user_id, game, seed, started_at, "
                    "expires_at, scored_at) VALUES (?, 'racing', 1, ?, ?, ?) RETURNING id",
                    {u, at - 100, at + 800, at})
                   .rows.at(0)
                   .int64(0);
    return c
        .query(
            "INSERT INTO scores (user_id, game, session_id, value, created_at) "
            "VALUES (?, 'racing', ?, ?, ?) RETURNING id",
            {u, sid, value, at})
        .rows.at(0)
        .int64(0);
}

}  // namespace

TEST(RankIndex, RanksPlayersCountsAndNeighboursLikeTheLeaderboardOrder) {
    Rows rows;
    std::mt19937_64 rng(7);
    for (std::int64_t u = 1; u <= 500; ++u)  // few distinct values and times: many ties
        rows.push_back(
            {static_cast<std::int64_t>(rng() % 40), static_cast<std::int64_t>(rng() % 5), u});
    int loads = 0;
    RankIndex index([&](const std::string& game, const std::string& period) {
        EXPECT_EQ(game, "racing");
        EXPECT_EQ(period, "all");
        ++loads;
        return rows;
    });
    for (std::int64_t u = 1; u <= 500; ++u) {
        auto s = index.standing("racing", "all", u);
        ASSERT_TRUE(s.me);
        EXPECT_EQ(s.players, 500);
        EXPECT_EQ(s.rank, brute_rank(rows, u)) << u;
        // Neighbours: ranks rank-2 .. rank+2, me among them at my rank.
        EXPECT_EQ(s.first_rank, std::max<std::int64_t>(1, s.rank - 2));
        ASSERT_LT(static_cast<std::size_t>(s.rank - s.first_rank), s.around.size());
        EXPECT_EQ(s.around[static_cast<std::size_t>(s.rank - s.first_rank)].user_id, u);
        for (std::size_t i = 0; i < s.around.size(); ++i)
            EXPECT_EQ(brute_rank(rows, s.around[i].user_id),
                      s.first_rank + static_cast<std::int64_t>(i));
    }
    EXPECT_EQ(loads, 1);  // loaded once, then answered from memory
    EXPECT_FALSE(index.standing("racing", "all", 9999).me);
}

TEST(RankIndex, RaisesFollowTheUpsertRuleAndDropReloads) {
    Rows rows = {{100, 10, 1}, {90, 5, 2}, {90, 7, 3}};
    int loads = 0;
    RankIndex index([&](const std::string&, const std::string&) {
        ++loads;
        return rows;
    });
    // Not loaded yet: ignored (the load reads the DB), and nothing is known.
    auto r = index.raise("racing", "all", 3, 500, 20);
    EXPECT_FALSE(r.loaded);
    EXPECT_FALSE(r.changed);
    EXPECT_EQ(index.standing("racing", "all", 3).rank, 3);
    r = index.raise("racing", "all", 3, 90, 1);  // not higher: the earlier time is not taken
    EXPECT_TRUE(r.loaded);
    EXPECT_FALSE(r.changed);
    EXPECT_EQ(index.standing("racing", "all", 3).rank, 3);
    r = index.raise("racing", "all", 3, 100, 9);  // ties user 1's 100 but reached it first
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(r.rank, 1);
    EXPECT_EQ(index.standing("racing", "all", 3).rank, 1);
    EXPECT_EQ(index.standing("racing", "all", 1).rank, 2);
    r = index.raise("racing", "all", 4, 1, 50);  // a new player
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(r.rank, 4);
    EXPECT_EQ(index.standing("racing", "all", 4).players, 4);
    EXPECT_EQ(index.standing("racing", "all", 4).rank, 4);
    EXPECT_EQ(loads, 1);
    index.drop("racing");  // moderation: read again from the (unchanged) rows
    EXPECT_EQ(index.standing("racing", "all", 3).rank, 3);
    EXPECT_EQ(index.standing("racing", "all", 4).players, 3);
    EXPECT_EQ(loads, 2);
    index.standing("plate", "all", 1);
    EXPECT_EQ(loads, 3);  // boards are per game and period
}

// A board due a reload is answered from its copy while the reload runs on the index's thread,
// and the scores committed while it reads are replayed onto the new copy.
TEST(RankIndex, AReloadRunsBehindTheAnswersAndKeepsTheScoresCommittedMeanwhile) {
    std::atomic<bool> in_load{false}, release{false};
    Rows rows = {{10, 1, 1}, {20, 1, 2}};
    std::atomic<int> loads{0};
    RankIndex index(
        [&](const std::string&, const std::string&) {
            if (++loads == 2) {  // the reload: read the snapshot, then wait for a write
                Rows snapshot = rows;
                in_load = true;
                while (!release) std::this_thread::yield();
                return snapshot;
            }
            return rows;
        },
        std::chrono::seconds(0));                           // due again as soon as it is loaded
    EXPECT_EQ(index.standing("racing", "all", 1).rank, 2);  // the first load, in the request
    EXPECT_EQ(loads, 1);
    // Due at once: answered from the copy in memory while the reload reads. (Reloading inside
    // the request would block it in the loader until `release`.)
    auto answered =
        std::async(std::launch::async, [&] { return index.standing("racing", "all", 2).rank; });
    while (!in_load) std::this_thread::yield();
    const bool waited = answered.wait_for(std::chrono::seconds(20)) != std::future_status::ready;
    if (waited) release = true;
    ASSERT_FALSE(waited) << "the request waited for the reload";
    EXPECT_EQ(answered.get(), 1);
    rows.push_back({30, 2, 1});              // committed after the reload's snapshot...
    index.raise("racing", "all", 1, 30, 2);  // ...and raised after its commit
    release = true;
    index.await_reloads();
    EXPECT_GE(index.reloads(), 1u);
    // The reloaded board was read before the write, and has the raise replayed onto it: user
    // 1's 30 is now ahead of user 2's 20. (This answer is worked out under the index's lock
    // from the copy the reload installed, before any reload it queues can run.)
    EXPECT_EQ(index.standing("racing", "all", 2).rank, 2);
    EXPECT_EQ(index.standing("racing", "all", 1).rank, 1);
}

// A reload that fails keeps the copy in use (the answers do not fail with it), and a later
// reload replaces it; a first load that fails fails its request, and the next one loads.
TEST(RankIndex, AFailedReloadKeepsTheLastCopyAndAFailedFirstLoadIsTriedAgain) {
    std::atomic<int> loads{0};
    RankIndex index(
        [&](const std::string&, const std::string&) {
            const int n = ++loads;
            if (n == 1 || n == 3) throw std::runtime_error("database is locked");
            return n == 2 ? Rows{{10, 1, 1}, {20, 1, 2}} : Rows{{50, 1, 1}, {20, 1, 2}};
        },
        std::chrono::seconds(0));
    EXPECT_THROW(index.standing("racing", "all", 1), std::runtime_error);
    EXPECT_EQ(index.standing("racing", "all", 1).rank, 2);  // load 2: the first copy
    index.await_reloads();                                  // load 3, queued by that answer: fails
    EXPECT_GE(loads, 3);
    EXPECT_EQ(index.standing("racing", "all", 1).rank, 2);  // still the first copy
    index.await_reloads();  // load 4, queued by that answer: succeeds
    EXPECT_EQ(index.standing("racing", "all", 1).rank, 1);  // the reloaded copy
    EXPECT_EQ(index.standing("racing", "all", 1).me->best, 50);
}

TEST(RankIndex, AgreesWithTheSqlRankOnARealDatabase) {
    auto dir =
        std::filesystem::temp_directory_path() / ("rank-index-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto db = storage::open_database("sqlite:" + (dir / "t.db").string());
    storage::migrate(*db, storage::builtin_migrations());
    std::mt19937_64 rng(11);
    db->transaction([&](storage::Connection& c) {
        for (std::int64_t u = 1; u <= 300; ++u) {
            insert_player(c, u);
            for (int k = 0; k < 3; ++k) {
                std::int64_t at = 1795768200 + static_cast<std::int64_t>(rng() % 50);
                std::int64_t value = static_cast<std::int64_t>(rng() % 60);
                auto id = insert_score(c, u, value, at);
                games::repo::update_bests(c, "racing", u, id, value, at);
            }
        }
    });
    RankIndex index([&](const std::string& game, const std::string& period) {
        return db->with_connection([&](storage::Connection& c) {
            Rows out;
            for (const auto& b : games::repo::all_bests(c, game, period))
                out.push_back({b.best, b.achieved_at, b.user_id});
            return out;
        });
    });
    db->with_connection([&](storage::Connection& c) {
        for (std::int64_t u = 1; u <= 300; ++u) {
            auto b = games::repo::best(c, "racing", "all", u);
            ASSERT_TRUE(b);
            auto s = index.standing("racing", "all", u);
            EXPECT_EQ(s.rank, games::repo::rank_of(c, "racing", "all", u, *b)) << u;
            EXPECT_EQ(s.me->best, b->best);
            EXPECT_EQ(s.players, games::repo::players(c, "racing", "all"));
        }
    });
    db.reset();
    std::filesystem::remove_all(dir);
}

// The 10th best decides whether a score can change the top 10 (GameService's score path).
TEST(RankIndex, TenthBestIsTheLastOfTheTopTenAndNoneOnAShorterBoard) {
    auto dir =
        std::filesystem::temp_directory_path() / ("tenth-best-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto db = storage::open_database("sqlite:" + (dir / "t.db").string());
    storage::migrate(*db, storage::builtin_migrations());
    db->transaction([&](storage::Connection& c) {
        // Player u scores 10 * u on "all" (u = 1..12) and on a day board only players 1..9.
        for (std::int64_t u = 1; u <= 12; ++u) {
            insert_player(c, u);
            auto id = insert_score(c, u, 10 * u, 10);
            c.query(
                "INSERT INTO player_bests (game, period, user_id, best, achieved_at, score_id) "
                "VALUES ('racing', 'all', ?, ?, 10, ?)",
                {u, 10 * u, id});
            if (u <= 9)
                c.query(
                    "INSERT INTO player_bests (game, period, user_id, best, achieved_at, "
                    "score_id) VALUES ('racing', 'day:2026-12-07', ?, ?, 10, ?)",
                    {u, 10 * u, id});
        }
    });
    db->with_connection([&](storage::Connection& c) {
        // 120, 110, ..., 30: the 10th is 30.
        EXPECT_EQ(games::repo::tenth_best(c, "racing", "all"), 30);
        EXPECT_EQ(games::repo::tenth_best(c, "racing", "day:2026-12-07"), std::nullopt);
    });
    db.reset();
    std::filesystem::remove_all(dir);
}

// The fast path's read (GET /api/scores/me on the network thread): a board already loaded and
// not due a refresh answers as standing() does; otherwise nothing, and standing() loads it.
TEST(RankIndex, StandingInMemoryNeverLoadsAndAnswersLikeStanding) {
    int loads = 0;
    Rows rows = {{500, 10, 1}, {400, 11, 2}, {300, 12, 3}};
    RankIndex index(
        [&](const std::string&, const std::string&) {
            ++loads;
            return rows;
        },
        std::chrono::hours(1));
    EXPECT_FALSE(index.standing_in_memory("racing", "all", 2));
    EXPECT_EQ(loads, 0);
    const auto loaded = index.standing("racing", "all", 2);
    EXPECT_EQ(loads, 1);
    auto mem = index.standing_in_memory("racing", "all", 2);
    ASSERT_TRUE(mem);
    EXPECT_EQ(mem->rank, loaded.rank);
    EXPECT_EQ(mem->players, 3);
    ASSERT_EQ(mem->around.size(), 3u);
    EXPECT_EQ(mem->first_rank, 1);
    EXPECT_FALSE(mem->me == std::nullopt);
    index.raise("racing", "all", 3, 600, 13);
    EXPECT_EQ(index.standing_in_memory("racing", "all", 3)->rank, 1);
    auto stranger = index.standing_in_memory("racing", "all", 99);
    ASSERT_TRUE(stranger);  // a loaded board without the player: no rank, the count
    EXPECT_FALSE(stranger->me);
    EXPECT_EQ(stranger->players, 3);
    EXPECT_FALSE(index.standing_in_memory("racing", "week:2026-W49", 2));  // another board
    EXPECT_EQ(loads, 1);

    // Due a reload (interval 0): the memory-only read answers from the copy it has and queues
    // the reload, which runs on the index's thread.
    std::atomic<int> stale_loads{0};
    RankIndex stale(
        [&](const std::string&, const std::string&) {
            ++stale_loads;
            return rows;
        },
        std::chrono::seconds(0));
    stale.standing("racing", "all", 1);
    EXPECT_EQ(stale_loads, 1);
    const auto answer = stale.standing_in_memory("racing", "all", 1);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->rank, 1);
    stale.await_reloads();
    EXPECT_GE(stale_loads, 2);
    EXPECT_GE(stale.reloads(), 1u);
}

// The rank index's sorted blocks (games/ordered_entries.hpp) against a sorted std::vector under
// random inserts and erases, with blocks small enough that splits, emptied blocks and every
// boundary happen many times.
TEST(OrderedEntries, RanksAndPositionsMatchASortedVectorThroughSplitsAndEmptiedBlocks) {
    for (std::size_t max_block : {2u, 3u, 4u, 8u, 512u}) {
        games::OrderedEntries<int, std::less<int>> ordered(max_block);
        std::vector<int> truth;
        std::mt19937 rng(static_cast<unsigned>(max_block));
        auto check = [&] {
            ASSERT_EQ(ordered.size(), truth.size());
            for (std::size_t k = 0; k < truth.size(); ++k) {
                ASSERT_EQ(ordered.at(k), truth[k]) << "max_block " << max_block << " k " << k;
                ASSERT_EQ(ordered.order_of(truth[k]), k);
            }
            // A value not present: the number of entries before where it would go.
            for (int probe : {-1, 500, 1001, 2001}) {
                const auto want = static_cast<std::size_t>(
                    std::lower_bound(truth.begin(), truth.end(), probe) - truth.begin());
                ASSERT_EQ(ordered.order_of(probe), want);
            }
            std::vector<int> seen;
            const std::size_t first = truth.empty() ? 0 : rng() % truth.size();
            ordered.visit(first, 5, [&](int v) { seen.push_back(v); });
            const std::size_t n = std::min<std::size_t>(5, truth.size() - first);
            ASSERT_EQ(seen,
                      std::vector<int>(truth.begin() + static_cast<std::ptrdiff_t>(first),
                                       truth.begin() + static_cast<std::ptrdiff_t>(first + n)));
        };
        for (int step = 0; step < 3000; ++step) {
            const int v = static_cast<int>(rng() % 2000);
            auto it = std::lower_bound(truth.begin(), truth.end(), v);
            const bool present = it != truth.end() && *it == v;
            // Grow for the first half, then shrink to empty: blocks split, then empty out.
            if (!present && (step < 1500 || rng() % 4 == 0)) {
                ordered.insert(v);
                truth.insert(it, v);
            } else {
                EXPECT_EQ(ordered.erase(v), present);
                if (present) truth.erase(it);
            }
            if (step % 97 == 0) check();
        }
        while (!truth.empty()) {
            EXPECT_TRUE(ordered.erase(truth.back()));
            truth.pop_back();
        }
        check();
        EXPECT_FALSE(ordered.erase(7));
        // Loaded at once, in any order, then changed: the same answers.
        std::vector<int> values;
        for (int i = 0; i < 1000; ++i) values.push_back((i * 7919) % 1000);
        ordered.assign(values);
        truth = values;
        std::sort(truth.begin(), truth.end());
        check();
        ordered.insert(1500);
        truth.push_back(1500);
        EXPECT_TRUE(ordered.erase(0));
        truth.erase(truth.begin());
        check();
    }
}
