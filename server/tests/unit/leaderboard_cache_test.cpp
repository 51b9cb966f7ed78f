// games::LeaderboardCache: expiry, invalidation, and that a board read before a change cannot be
// stored after it.
#include <gtest/gtest.h>

#include "events/hub.hpp"
#include "games/leaderboard_cache.hpp"
#include "games/rank_events.hpp"
#include "games/rank_index.hpp"
#include "games/repository.hpp"

using glucoplay::games::LeaderboardCache;
namespace games = glucoplay::games;
using namespace std::chrono_literals;

namespace {

LeaderboardCache::Key key(std::string game, std::int64_t limit = 10, std::string day = "all") {
    return LeaderboardCache::Key{std::move(game), "all", std::move(day), limit};
}

std::shared_ptr<const std::string> text(std::string s) {
    return std::make_shared<const std::string>(std::move(s));
}

}  // namespace

TEST(LeaderboardCache, KeepsABoardForMaxAge) {
    LeaderboardCache cache(1s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    EXPECT_EQ(cache.find(key("racing"), t0), nullptr);
    EXPECT_TRUE(cache.store(key("racing"), cache.generation(), text("board"), t0));
    ASSERT_NE(cache.find(key("racing"), t0 + 999ms), nullptr);
    EXPECT_EQ(*cache.find(key("racing"), t0 + 999ms), "board");
    EXPECT_EQ(cache.find(key("racing"), t0 + 1s), nullptr);  // expired
    EXPECT_EQ(cache.find(key("racing", 5), t0), nullptr);    // another limit is another board
    EXPECT_EQ(cache.find(key("racing", 10, "2026-12-02"), t0), nullptr);  // and another day
    EXPECT_EQ(cache.hits(), 2u);
    EXPECT_EQ(cache.misses(), 4u);
}

TEST(LeaderboardCache, InvalidateDropsOneGameOrAll) {
    LeaderboardCache cache(10s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    cache.store(key("racing"), cache.generation(), text("r"), t0);
    cache.store(key("racing", 100), cache.generation(), text("r100"), t0);
    cache.store(key("plate"), cache.generation(), text("p"), t0);
    cache.invalidate("racing");
    EXPECT_EQ(cache.find(key("racing"), t0), nullptr);
    EXPECT_EQ(cache.find(key("racing", 100), t0), nullptr);
    ASSERT_NE(cache.find(key("plate"), t0), nullptr);
    cache.invalidate_all();
    EXPECT_EQ(cache.find(key("plate"), t0), nullptr);
}

TEST(LeaderboardCache, ABoardReadBeforeAnInvalidationIsNotStoredAfterIt) {
    LeaderboardCache cache(10s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    // A reader takes the generation, reads the database; meanwhile a score commits and
    // invalidates; the reader's (old) board must not land in the cache, whichever invalidation
    // covered it: its board, its game, everything.
    auto before = cache.generation();
    cache.invalidate("racing", "all");
    EXPECT_FALSE(cache.store(key("racing"), before, text("old"), t0));
    EXPECT_EQ(cache.find(key("racing"), t0), nullptr);
    before = cache.generation();
    cache.invalidate("racing");
    EXPECT_FALSE(cache.store(key("racing", 5), before, text("old"), t0));
    before = cache.generation();
    cache.invalidate_all();
    EXPECT_FALSE(cache.store(key("racing", 10, "2026-12-02"), before, text("old"), t0));
    EXPECT_EQ(cache.find(key("racing", 10, "2026-12-02"), t0), nullptr);
    // An invalidation of another board or game does not concern it.
    before = cache.generation();
    cache.invalidate("racing", "2026-12-02");
    cache.invalidate("plate");
    EXPECT_TRUE(cache.store(key("racing"), before, text("current"), t0));
    EXPECT_EQ(*cache.find(key("racing"), t0), "current");
    // Stored before the invalidation: dropped by it.
    cache.invalidate("racing");
    EXPECT_EQ(cache.find(key("racing"), t0), nullptr);
    EXPECT_TRUE(cache.store(key("racing"), cache.generation(), text("new"), t0));
    EXPECT_EQ(*cache.find(key("racing"), t0), "new");
    EXPECT_EQ(cache.invalidations(), 6u);
}

TEST(LeaderboardCache, ABoardsInvalidationDropsEveryLimitOfItAndNothingElse) {
    LeaderboardCache cache(10s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    const LeaderboardCache::Key today{"racing", "day", "2026-12-03", 10};
    const LeaderboardCache::Key today_100{"racing", "day", "2026-12-03", 100};
    const LeaderboardCache::Key week{"racing", "week", "2026-W49", 10};
    const LeaderboardCache::Key plate_today{"plate", "day", "2026-12-03", 10};
    for (const auto& k : {key("racing"), today, today_100, week, plate_today})
        ASSERT_TRUE(cache.store(k, cache.generation(), text(k.period_key), t0));
    cache.invalidate("racing", "2026-12-03");
    EXPECT_EQ(cache.find(today, t0), nullptr);
    EXPECT_EQ(cache.find(today_100, t0), nullptr);
    EXPECT_NE(cache.find(key("racing"), t0), nullptr);
    EXPECT_NE(cache.find(week, t0), nullptr);
    EXPECT_NE(cache.find(plate_today, t0), nullptr);
}

TEST(LeaderboardCache, OldBoardsStampsFoldIntoTheirGameAndStillRefuseOldReads) {
    LeaderboardCache cache(10s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    const auto before = cache.generation();
    cache.invalidate("racing", "day0");
    // Many more boards invalidated since (days going by): the stamp of day0 may be folded away,
    // but a read of it from before its invalidation must still be refused.
    for (int i = 1; i <= 200; ++i) cache.invalidate("racing", "day" + std::to_string(i));
    EXPECT_FALSE(cache.store(key("racing", 10, "day0"), before, text("old"), t0));
    EXPECT_FALSE(cache.store(key("racing", 10, "day200"), before, text("old"), t0));
    // A read taken after all of them is kept; the other game was never concerned.
    EXPECT_TRUE(cache.store(key("racing", 10, "day0"), cache.generation(), text("new"), t0));
    EXPECT_TRUE(cache.store(key("plate"), before, text("p"), t0));
}

TEST(LeaderboardCache, OneReaderRefreshesAnEntryPastHalfItsAgeWhileTheOthersAreAnswered) {
    LeaderboardCache cache(1s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    EXPECT_FALSE(cache.claim_refresh(key("racing"), t0));  // nothing stored
    ASSERT_TRUE(cache.store(key("racing"), cache.generation(), text("v1"), t0));
    EXPECT_FALSE(cache.claim_refresh(key("racing"), t0 + 499ms));  // young
    EXPECT_TRUE(cache.claim_refresh(key("racing"), t0 + 500ms));
    EXPECT_FALSE(cache.claim_refresh(key("racing"), t0 + 600ms));  // claimed already
    ASSERT_NE(cache.find(key("racing"), t0 + 600ms), nullptr);     // still answered meanwhile
    // The refresh lands: a new entry, due again half an age later.
    ASSERT_TRUE(cache.store(key("racing"), cache.generation(), text("v2"), t0 + 700ms));
    EXPECT_EQ(*cache.find(key("racing"), t0 + 1100ms), "v2");  // v1 would have expired
    EXPECT_FALSE(cache.claim_refresh(key("racing"), t0 + 1100ms));
    EXPECT_TRUE(cache.claim_refresh(key("racing"), t0 + 1200ms));
    // A refresh that read before an invalidation is refused, and the entry it would have
    // replaced was dropped by that invalidation anyway.
    const auto before = cache.generation();
    ASSERT_TRUE(cache.store(key("racing", 5), before, text("five"), t0 + 700ms));
    ASSERT_TRUE(cache.claim_refresh(key("racing", 5), t0 + 1200ms));
    cache.invalidate("plate", "all");  // another game: the refresh still lands
    EXPECT_TRUE(cache.store(key("racing", 5), before, text("five again"), t0 + 1250ms));
    // Past its age an entry is neither answered nor refreshed: the next reader reads it.
    EXPECT_FALSE(cache.claim_refresh(key("racing", 5), t0 + 2250ms));
    EXPECT_EQ(cache.find(key("racing", 5), t0 + 2250ms), nullptr);
}

TEST(LeaderboardCache, ARefusedRefreshLetsTheNextReaderClaimAgain) {
    LeaderboardCache cache(1s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    ASSERT_TRUE(cache.store(key("racing"), cache.generation(), text("v1"), t0));
    const auto before = cache.generation();
    ASSERT_TRUE(cache.claim_refresh(key("racing"), t0 + 600ms));
    cache.invalidate("racing", "2026-12-03");  // another board of the game: v1 stays
    cache.invalidate("racing");                // the game: v1 dropped, the read refused
    EXPECT_FALSE(cache.store(key("racing"), before, text("stale"), t0 + 650ms));
    ASSERT_TRUE(cache.store(key("racing"), cache.generation(), text("v2"), t0 + 700ms));
    EXPECT_TRUE(cache.claim_refresh(key("racing"), t0 + 1200ms));
}

TEST(LeaderboardCache, StaysBounded) {
    LeaderboardCache cache(1s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    for (std::size_t i = 0; i < LeaderboardCache::kMaxEntries; ++i)
        cache.store(key("racing", 1, "day" + std::to_string(i)), cache.generation(), text("x"), t0);
    // Full of expired boards: storing a new one evicts them and keeps the new one.
    cache.store(key("racing"), cache.generation(), text("fresh"), t0 + 2s);
    ASSERT_NE(cache.find(key("racing"), t0 + 2s), nullptr);
    EXPECT_EQ(cache.find(key("racing", 1, "day0"), t0 + 2s), nullptr);
}

// The rank events observer drops only the boards a score changes (issue 9: every score used to
// drop all of its game's boards when its player ranked within 100 anywhere, best raised or not,
// so in the mixed benchmark the all-time top 10 was read from the database again about a
// hundred times a second).
TEST(RankEvents, AScoreDropsOnlyTheBoardsItRaisesWithinTheLargestLimit) {
    const std::int64_t at = 1'764'720'000;           // 2025-12-03T00:00:00Z
    const auto keys = games::repo::period_keys(at);  // all, week, day
    ASSERT_EQ(keys.size(), 3u);
    // All time: 150 players with bests 1001..1150 (user u has 1000 + u). This week and today:
    // three players.
    games::RankIndex ranks([&](const std::string& game, const std::string& period_key) {
        std::vector<games::RankIndex::Entry> rows;
        if (game != "racing") return rows;
        const int players = period_key == "all" ? 150 : 3;
        for (int u = 1; u <= players; ++u) rows.push_back({1000 + u, at - 100, u});
        return rows;
    });
    for (const auto& k : keys) ranks.standing("racing", k, 1);  // loaded
    LeaderboardCache boards(60s);
    glucoplay::events::Hub hub;
    games::observe_rank_events(hub, ranks, boards);
    const auto now = LeaderboardCache::Clock::now();
    const std::vector<std::string> periods = {"all", "week", "day"};
    auto store_all = [&] {
        for (std::size_t i = 0; i < keys.size(); ++i)
            for (const std::string game : {"racing", "plate"})
                ASSERT_TRUE(boards.store({game, periods[i], keys[i], 10}, boards.generation(),
                                         text(game + periods[i]), now));
    };
    auto cached = [&](const std::string& game, std::size_t i) {
        return boards.find({game, periods[i], keys[i], 10}, now) != nullptr;
    };
    store_all();
    // A new player at 500: 151st of all time, 4th this week and today.
    hub.publish(games::rank_topic("racing"), games::rank_score_message(900, 500, at));
    EXPECT_TRUE(cached("racing", 0));
    EXPECT_FALSE(cached("racing", 1));
    EXPECT_FALSE(cached("racing", 2));
    EXPECT_TRUE(cached("plate", 1));
    EXPECT_EQ(ranks.standing("racing", "all", 900).rank, 151);
    // A top player's run that does not beat their best on any board (player 3: 1003 on each)
    // changes no board: nothing dropped.
    store_all();
    hub.publish(games::rank_topic("racing"), games::rank_score_message(3, 600, at));
    for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_TRUE(cached("racing", i)) << i;
    EXPECT_EQ(ranks.standing("racing", keys[2], 3).me->best, 1003);
    EXPECT_EQ(ranks.standing("racing", keys[2], 3).rank, 1);
    // Raised to 1100: 52nd of all time (the tie with player 100 goes to the earlier score), within
    // the largest limit, so that board goes too.
    store_all();
    hub.publish(games::rank_topic("racing"), games::rank_score_message(900, 1100, at));
    EXPECT_FALSE(cached("racing", 0));
    EXPECT_FALSE(cached("racing", 2));
    EXPECT_TRUE(cached("plate", 0));
    // A board not loaded (plate): where the score lands is unknown, so its boards go.
    store_all();
    hub.publish(games::rank_topic("plate"), games::rank_score_message(7, 10, at));
    for (std::size_t i = 0; i < keys.size(); ++i) {
        EXPECT_FALSE(cached("plate", i));
        EXPECT_TRUE(cached("racing", i));
    }
}

// The fast path's lookup claims the refresh in the same lookup (one lock, one search per hit).
TEST(LeaderboardCache, AFindCanClaimTheRefreshOfTheEntryItFinds) {
    LeaderboardCache cache(1s);
    const auto t0 = LeaderboardCache::Clock::time_point{} + 100s;
    bool refresh = true;
    EXPECT_EQ(cache.find(key("racing"), t0, &refresh), nullptr);
    EXPECT_FALSE(refresh);  // a miss claims nothing
    ASSERT_TRUE(cache.store(key("racing"), cache.generation(), text("v1"), t0));
    ASSERT_NE(cache.find(key("racing"), t0 + 100ms, &refresh), nullptr);
    EXPECT_FALSE(refresh);                                               // young
    ASSERT_NE(cache.find(key("racing"), t0 + 600ms, nullptr), nullptr);  // claims nothing
    ASSERT_NE(cache.find(key("racing"), t0 + 600ms, &refresh), nullptr);
    EXPECT_TRUE(refresh);
    ASSERT_NE(cache.find(key("racing"), t0 + 700ms, &refresh), nullptr);
    EXPECT_FALSE(refresh);  // claimed already
    EXPECT_FALSE(cache.claim_refresh(key("racing"), t0 + 700ms));
    EXPECT_EQ(cache.hits(), 4u);
    EXPECT_EQ(cache.misses(), 1u);
}
