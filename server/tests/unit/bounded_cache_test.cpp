// util::BoundedCache: bounded by two generations, entries in use survive, and a value computed
// before an erase/clear is not stored after it.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "util/bounded_cache.hpp"

using glucoplay::util::BoundedCache;

TEST(BoundedCache, KeepsAtMostTwoGenerationsAndEntriesInUseSurvive) {
    BoundedCache<int, std::string> cache(3);
    for (int i = 0; i < 3; ++i) cache.put(i, "v" + std::to_string(i));
    EXPECT_EQ(cache.size(), 3u);
    cache.put(3, "v3");  // the newer generation was full: 0..2 become the older one
    EXPECT_EQ(cache.size(), 4u);
    EXPECT_EQ(cache.find(0), "v0");  // used: moves to the newer generation
    cache.put(4, "v4");
    cache.put(5, "v5");  // newer full again (3, 0, 4): older becomes {3, 0, 4}, 1 and 2 gone
    EXPECT_EQ(cache.find(1), std::nullopt);
    EXPECT_EQ(cache.find(2), std::nullopt);
    EXPECT_EQ(cache.find(0), "v0");
    EXPECT_EQ(cache.find(5), "v5");
    for (int i = 10; i < 100; ++i) cache.put(i, "x");
    EXPECT_LE(cache.size(), 6u);
}

TEST(BoundedCache, AValueReadBeforeAChangeIsNotStoredAfterIt) {
    BoundedCache<int, std::string> cache(10);
    cache.put(1, "old name");
    const auto before = cache.generation();
    cache.erase(1);  // the name changed while a reader was fetching it
    EXPECT_FALSE(cache.put(1, "old name", before));
    EXPECT_EQ(cache.find(1), std::nullopt);
    const auto now = cache.generation();
    EXPECT_TRUE(cache.put(1, "new name", now));
    EXPECT_EQ(cache.find(1), "new name");
    cache.clear();
    EXPECT_FALSE(cache.put(2, "x", now));
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_TRUE(cache.put(2, "x"));  // no generation given: always stored
}

TEST(BoundedCache, ForEachVisitsEveryEntryOfBothGenerationsOnce) {
    BoundedCache<int, std::string> cache(2);
    for (int i = 0; i < 3; ++i) cache.put(i, "v" + std::to_string(i));  // {0, 1} older, {2}
    cache.put(0, "again");  // moved to the newer generation, not kept twice
    std::map<int, std::string> seen;
    int visits = 0;
    cache.for_each([&](int k, const std::string& v) {
        seen[k] = v;
        ++visits;
    });
    EXPECT_EQ(visits, 3);
    EXPECT_EQ(seen, (std::map<int, std::string>{{0, "again"}, {1, "v1"}, {2, "v2"}}));
}
