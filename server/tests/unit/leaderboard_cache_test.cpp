// games::LeaderboardCache: expiry, invalidation, and that a board read before a change cannot be
// stored after it.
#include <gtest/gtest.h>

#include "games/leaderboard_cache.hpp"

using glucoplay::games::LeaderboardCache;
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
    // invalidates; the reader's (old) board must not land in the cache.
    const auto before = cache.generation();
    cache.invalidate("plate");  // any invalidation: the reader cannot know what it read
    EXPECT_FALSE(cache.store(key("racing"), before, text("old"), t0));
    EXPECT_EQ(cache.find(key("racing"), t0), nullptr);
    // Stored before the invalidation: dropped by it.
    cache.store(key("racing"), cache.generation(), text("older"), t0);
    cache.invalidate("racing");
    EXPECT_EQ(cache.find(key("racing"), t0), nullptr);
    EXPECT_TRUE(cache.store(key("racing"), cache.generation(), text("new"), t0));
    EXPECT_EQ(*cache.find(key("racing"), t0), "new");
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
