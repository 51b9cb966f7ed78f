// Plate scoring on hand-worked plates, racing limits, leaderboard periods, the event hub, the quiz.
#include <gtest/gtest.h>

#include <set>

#include "events/hub.hpp"
#include "events/sse.hpp"
#include "games/repository.hpp"
#include "games/rules.hpp"
#include "games/service.hpp"

using namespace glucoplay;
using namespace glucoplay::games;

namespace {
// Synthetic foods with round numbers (name, group, GI, carbohydrate and fibre per 100 g).
const food::Food kVeg{
    1, "Veg", "Non-starchy vegetables", "vegetables", std::nullopt, "s", 5, 2, 100, "1", "u"};
const food::Food kChicken{2, "Chicken", "Protein", "protein", std::nullopt, "s",
                          0, 0,         100,       "1",       "u"};
const food::Food kRice{3,   "Rice", "Grains and starches", "carbohydrate", 70, "s", 30, 1, 100,
                       "1", "u"};
const food::Food kWater{4, "Water", "Drinks", "drink", std::nullopt, "s", 0, 0, 250, "1", "u"};
const food::Food kCola{5, "Cola", "Drinks", "drink", 63, "s", 10.6, 0, 330, "1", "u"};
const food::Food kMilk{6, "Milk", "Dairy", "drink", 39, "s", 4.8, 0, 250, "1", "u"};
const food::Food kOil{7, "Olive oil", "Fats", "fat", std::nullopt, "s", 0, 0, 14, "1", "u"};
}  // namespace

TEST(PlateScoring, ABalancedPlateWithWater) {
    // 200 g veg, 100 g chicken, 100 g rice, water: shares exactly 1/2 : 1/4 : 1/4 -> balance 400;
    // everything in its section -> placement 200; water -> drink 150;
    // GL = 70 x (30 - 1) x 100 / 100 / 100 = 20.3 -> 250 x (40 - 20.3) / 30 = 164.17 -> 164.
    auto s = score_plate({{&kVeg, 200, "vegetables"},
                          {&kChicken, 100, "protein"},
                          {&kRice, 100, "carbohydrate"},
                          {&kWater, 250, "drink"}});
    EXPECT_EQ(s.balance, 400);
    EXPECT_EQ(s.placement, 200);
    EXPECT_EQ(s.drink, 150);
    EXPECT_NEAR(s.gl, 20.3, 1e-9);
    EXPECT_EQ(s.glycemic_load, 164);
    EXPECT_EQ(s.score, 914);
    EXPECT_DOUBLE_EQ(s.vegetables_share, 0.5);
}

TEST(PlateScoring, RiceInTheVegetableSectionAndCola) {
    // 300 g rice (in the vegetables section), 100 g chicken, 330 g cola.
    // Shares: veg 0, protein 0.25, carbohydrate 0.75 -> distance (0.5 + 0 + 0.5) / 2 = 0.5 ->
    // balance 200. Placement: 100 g chicken + 330 g cola correct of 730 g -> 200 x 430 / 730 =
    // 117.8 -> 118. Cola has 10.6 g sugar per 100 g -> drink 0. GL = 70 x 87 / 100 + 63 x 34.98 /
    // 100 = 60.9 + 22.04 -> 0 points.
    auto s = score_plate(
        {{&kRice, 300, "vegetables"}, {&kChicken, 100, "protein"}, {&kCola, 330, "drink"}});
    EXPECT_EQ(s.balance, 200);
    EXPECT_EQ(s.placement, 118);
    EXPECT_EQ(s.drink, 0);
    EXPECT_NEAR(s.gl, 82.9374, 1e-9);
    EXPECT_EQ(s.glycemic_load, 0);
    EXPECT_EQ(s.score, 318);
    bool said_swap = false;
    for (const auto& f : s.feedback)
        said_swap = said_swap || f.message.find("sugary drink") != std::string::npos;
    EXPECT_TRUE(said_swap);
    bool named_rice = false;
    for (const auto& f : s.feedback)
        named_rice = named_rice || f.message == "Rice goes in the carbohydrate section.";
    EXPECT_TRUE(named_rice);
}

TEST(PlateScoring, MilkIsHalfMarksFatsAreExtrasAndEmptyPlatesShrink) {
    auto milk = score_plate({{&kVeg, 200, "vegetables"},
                             {&kChicken, 100, "protein"},
                             {&kRice, 100, "carbohydrate"},
                             {&kMilk, 250, "drink"},
                             {&kOil, 10, "vegetables"}});
    EXPECT_EQ(milk.drink, 75);
    EXPECT_EQ(milk.balance, 400);    // the oil does not count towards the shares
    EXPECT_EQ(milk.placement, 200);  // nor against placement
    // 100 g of food (under 150 g): balance and placement scaled by 100/150.
    auto tiny = score_plate(
        {{&kVeg, 50, "vegetables"}, {&kChicken, 25, "protein"}, {&kRice, 25, "carbohydrate"}});
    EXPECT_EQ(tiny.balance, 267);    // 400 x 2/3 = 266.7
    EXPECT_EQ(tiny.placement, 133);  // 200 x 2/3 = 133.3
    EXPECT_EQ(tiny.drink, 0);        // no drink
    auto empty = score_plate({});
    EXPECT_EQ(empty.score, 250);  // only the glycemic-load points (GL 0)
}

TEST(PlateScoring, TimeBonus) {
    EXPECT_EQ(plate_time_bonus(3, 90), 300);   // 30 s a plate: full
    EXPECT_EQ(plate_time_bonus(3, 180), 150);  // 60 s a plate: half
    EXPECT_EQ(plate_time_bonus(3, 270), 0);    // 90 s a plate: none
    EXPECT_EQ(plate_time_bonus(1, 10), 100);
}

TEST(RacingRules, ScoreLimitGrowsWithTimeAndQuizAnswersAndIsCapped) {
    EXPECT_EQ(racing_score_limit(0, 0), 0);
    EXPECT_EQ(racing_score_limit(10, 0), 1500);
    EXPECT_EQ(racing_score_limit(10, 2), 2000);
    EXPECT_EQ(racing_score_limit(10000, 0), 600 * 150);  // the longest run
    EXPECT_EQ(racing_score_limit(-5, 0), 0);
}

TEST(LeaderboardPeriods, WeeksStartMondayAndDaysAtMidnightUtc) {
    // 2026-11-27T08:30:00Z is a Friday; its week began Monday 2026-11-23.
    auto keys = repo::period_keys(1795768200);
    EXPECT_EQ(keys, (std::vector<std::string>{"all", "w2026-11-23", "d2026-11-27"}));
    EXPECT_EQ(repo::period_key("week", 1795392000), "w2026-11-23");  // Monday 00:00:00
    EXPECT_EQ(repo::period_key("week", 1795391999), "w2026-11-16");  // Sunday 23:59:59 before it
    EXPECT_EQ(repo::period_key("day", 1795391999), "d2026-11-22");
    EXPECT_EQ(repo::period_key("all", 0), "all");
}

TEST(EventHub, DeliversToSubscribersAndBoundsQueues) {
    events::Hub hub;
    auto a = hub.subscribe("t");
    auto b = hub.subscribe("t");
    auto other = hub.subscribe("u");
    int wakes = 0;
    a->set_waker([&] { ++wakes; });
    EXPECT_EQ(hub.publish("t", {"e", "1", std::nullopt}), 2u);
    EXPECT_EQ(wakes, 1);
    EXPECT_EQ(a->pop()->data, "1");
    EXPECT_FALSE(a->pop().has_value());
    EXPECT_FALSE(other->pop().has_value());
    for (int i = 0; i < 100; ++i) hub.publish("t", {"e", std::to_string(i), std::nullopt});
    EXPECT_EQ(b->dropped(), 100u + 1 - events::Subscription::kMaxQueued);
    EXPECT_EQ(b->pop()->data, "36");  // "1" and "0".."35" were the 37 oldest, dropped
    hub.unsubscribe("t", a);
    EXPECT_EQ(hub.subscribers("t"), 1u);
    b.reset();  // a dropped subscriber is simply skipped
    EXPECT_EQ(hub.publish("t", {"e", "x", std::nullopt}), 0u);
    hub.close_all();
    EXPECT_TRUE(other->closed());
}

TEST(EventHub, SseFraming) {
    EXPECT_EQ(events::format_sse({"leaderboard", "{\"a\":1}", std::nullopt}),
              "event: leaderboard\ndata: {\"a\":1}\n\n");
    EXPECT_EQ(events::format_sse({"n", "line1\nline2", std::string("7")}),
              "id: 7\nevent: n\ndata: line1\ndata: line2\n\n");
}

TEST(Quiz, EveryQuestionHasAnswersACorrectOneAndASource) {
    const auto& quiz = builtin_quiz();
    EXPECT_GE(quiz.size(), 15u);
    std::set<std::int64_t> ids;
    for (const auto& q : quiz) {
        EXPECT_TRUE(ids.insert(q.id).second) << q.id;
        EXPECT_GE(q.answers.size(), 2u);
        EXPECT_FALSE(q.source.empty());
        EXPECT_FALSE(q.explanation.empty());
    }
    EXPECT_THROW(
        parse_quiz(
            R"({"questions":[{"id":1,"question":"q","answers":[{"id":1,"text":"a"},{"id":2,"text":"b"}],"correct":3,"explanation":"e","source":"s"}]})"),
        std::runtime_error);
}

TEST(EventStreams, ResumableStreamSkipsWhatTheBacklogSentAndEndsWhenTheClientLags) {
    events::Hub hub;
    // A message published while the backlog is read is in both: sent once.
    auto r = events::sse_response(hub, "user:1", [&hub] {
        hub.publish("user:1", {"notification", "{\"n\":5}", "5"});
        return std::vector<events::Message>{{"notification", "{\"n\":4}", "4"},
                                            {"notification", "{\"n\":5}", "5"}};
    });
    hub.publish("user:1", {"notification", "{\"n\":6}", "6"});
    auto first = r.stream->next_chunk();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first,
              "retry: 3000\n\nid: 4\nevent: notification\ndata: {\"n\":4}\n\nid: 5\nevent: "
              "notification\ndata: {\"n\":5}\n\nid: 6\nevent: notification\ndata: {\"n\":6}\n\n");
    EXPECT_FALSE(r.stream->finished());
    // More than the queue holds arrive before the client reads: the stream sends none of them
    // and ends, so the client reconnects from id 6 and loses nothing.
    for (int i = 7; i < 7 + static_cast<int>(events::Subscription::kMaxQueued) + 1; ++i)
        hub.publish("user:1", {"notification", "{}", std::to_string(i)});
    EXPECT_FALSE(r.stream->next_chunk().has_value());
    EXPECT_TRUE(r.stream->finished());
    r.stream->on_close();
    EXPECT_EQ(hub.subscribers("user:1"), 0u);
}
