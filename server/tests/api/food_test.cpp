// The food catalog and food log over HTTP: search, CRUD with computed GI/GL, ownership,
// validation, and day summaries in the user's time zone (midnight and daylight-saving edges).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;

namespace {

class FoodLogTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerProcess::Options o;
        o.args = {"--rate-limit", "off", "--auth-rate-limit", "off"};
        server_ = std::make_unique<ServerProcess>(o);
        client_ = std::make_unique<HttpClient>(server_->api_port());
        me_ = sign_up(*client_, "eater");
    }
    HttpClient& c() { return *client_; }

    json::object first_food(const std::string& query) {
        auto r = c().get("/api/foods?q=" + query + "&limit=1");
        EXPECT_EQ(r.status, 200u) << r.body;
        auto items = r.json().at("items").as_array();
        EXPECT_FALSE(items.empty()) << query;
        return items.at(0).as_object();
    }
    HttpResponse log(const json::object& body, const TestUser* as = nullptr) {
        return c().post_json("/api/food_log", body, (as ? *as : me_).auth());
    }
    void set_time_zone(const std::string& tz) {
        auto r =
            c().patch_json("/api/users/me",
                           json::object{{"settings", json::object{{"time_zone", tz}}}}, me_.auth());
        ASSERT_EQ(r.status, 200u) << r.body;
    }

    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
    TestUser me_;
};

double round1(double v) {
    return std::round(v * 10) / 10;
}
std::string field_of(const HttpResponse& r) {
    auto e = r.json().at("error").as_object();
    return e.contains("field") ? std::string(e.at("field").as_string()) : "";
}

}  // namespace

TEST_F(FoodLogTest, CatalogSearchIsPublicRankedFilteredAndPaged) {
    auto r = c().get("/api/foods?q=APPLE");
    ASSERT_EQ(r.status, 200u);
    auto items = r.json().at("items").as_array();
    ASSERT_FALSE(items.empty());
    std::string first(items[0].at("name").as_string());
    EXPECT_EQ(first.rfind("Apple", 0), 0u) << first;  // a name starting with the query comes first
    for (const char* key : {"id", "name", "category", "plate_group", "gi", "gi_source",
                            "carbs_per_100g", "fiber_per_100g", "serving_g", "gl_per_serving"})
        EXPECT_TRUE(items[0].as_object().contains(key)) << key;

    auto fruit = c().get("/api/foods?category=Fruit&limit=500").json().at("items").as_array();
    ASSERT_GE(fruit.size(), 5u);
    for (const auto& f : fruit) EXPECT_EQ(f.at("category").as_string(), "Fruit");

    auto page1 = c().get("/api/foods?limit=3").json();
    ASSERT_EQ(page1.at("items").as_array().size(), 3u);
    std::string cursor(page1.at("next_cursor").as_string());
    auto page2 = c().get("/api/foods?limit=3&cursor=" + cursor).json();
    EXPECT_NE(page2.at("items").at(0).at("id"), page1.at("items").at(0).at("id"));

    EXPECT_EQ(c().get("/api/foods?category=Candy").status, 400u);
    EXPECT_EQ(c().get("/api/foods?plate_group=dessert").status, 400u);
    EXPECT_EQ(c().get("/api/foods?limit=0").status, 400u);
    EXPECT_EQ(c().get("/api/foods?cursor=x").status, 400u);

    auto id = items[0].at("id").as_int64();
    auto one = c().get("/api/foods/" + std::to_string(id));
    EXPECT_EQ(one.status, 200u);
    EXPECT_EQ(one.json().at("name").as_string(), first);
    EXPECT_EQ(c().get("/api/foods/999999").status, 404u);
    EXPECT_EQ(c().get("/api/foods/abc").status, 404u);
}

TEST_F(FoodLogTest, LoggingACatalogFoodComputesCarbsGlAndBands) {
    auto apple = first_food("apple");
    ASSERT_TRUE(apple.at("gi").is_int64());
    const double gi = static_cast<double>(apple.at("gi").as_int64());
    const double carbs = apple.at("carbs_per_100g").to_number<double>();
    const double fiber = apple.at("fiber_per_100g").to_number<double>();
    auto r = log({{"food_id", apple.at("id")},
                  {"grams", 150},
                  {"meal", "breakfast"},
                  {"eaten_at", "2026-11-20T08:30:00Z"}});
    ASSERT_EQ(r.status, 201u) << r.body;
    auto e = r.json().as_object();
    // The published formulas: available = (carbs - fibre) x g / 100; GL = GI x available / 100.
    const double available = (carbs - fiber) * 150 / 100;
    EXPECT_DOUBLE_EQ(e.at("carbs_g").to_number<double>(), round1(carbs * 1.5));
    EXPECT_DOUBLE_EQ(e.at("available_carbs_g").to_number<double>(), round1(available));
    EXPECT_DOUBLE_EQ(e.at("gl").to_number<double>(), round1(gi * available / 100));
    EXPECT_EQ(e.at("gi_category").as_string(), gi <= 55 ? "low" : gi < 70 ? "medium" : "high");
    EXPECT_EQ(e.at("eaten_at").as_string(), "2026-11-20T08:30:00Z");
    EXPECT_EQ(e.at("food").at("name"), apple.at("name"));
    EXPECT_EQ(e.at("meal").as_string(), "breakfast");

    // Offsets are normalised to UTC.
    auto offset = log({{"food_id", apple.at("id")},
                       {"grams", 100},
                       {"meal", "snack"},
                       {"eaten_at", "2026-11-20T00:30:00-08:00"}});
    EXPECT_EQ(offset.json().at("eaten_at").as_string(), "2026-11-20T08:30:00Z");
}

TEST_F(FoodLogTest, CustomFoodsAndValidationErrorsNameTheField) {
    auto custom = log({{"custom", json::object{{"name", "Grandma's flapjack"},
                                               {"gi", 66},
                                               {"carbs_per_100g", 60},
                                               {"fiber_per_100g", 4}}},
                       {"grams", 50},
                       {"meal", "snack"}});
    ASSERT_EQ(custom.status, 201u) << custom.body;
    // available = (60 - 4) x 50 / 100 = 28; GL = 66 x 28 / 100 = 18.48 -> 18.5 (medium)
    EXPECT_DOUBLE_EQ(custom.json().at("gl").to_number<double>(), 18.5);
    EXPECT_EQ(custom.json().at("gl_category").as_string(), "medium");
    EXPECT_EQ(custom.json().at("gi_category").as_string(), "medium");
    EXPECT_TRUE(custom.json().at("food").at("custom").as_bool());
    EXPECT_TRUE(custom.json().at("food").at("id").is_null());

    auto apple = first_food("apple");
    struct Case {
        json::object body;
        const char* field;
    };
    std::vector<Case> cases = {
        {{{"grams", 100}, {"meal", "lunch"}}, "food_id"},
        {{{"food_id", apple.at("id")},
          {"custom", json::object{{"name", "x"}, {"carbs_per_100g", 1}}},
          {"grams", 100},
          {"meal", "lunch"}},
         "food_id"},
        {{{"food_id", 999999}, {"grams", 100}, {"meal", "lunch"}}, "food_id"},
        {{{"food_id", apple.at("id")}, {"grams", 0}, {"meal", "lunch"}}, "grams"},
        {{{"food_id", apple.at("id")}, {"grams", 5001}, {"meal", "lunch"}}, "grams"},
        {{{"food_id", apple.at("id")}, {"grams", "100"}, {"meal", "lunch"}}, "grams"},
        {{{"food_id", apple.at("id")}, {"grams", 100}, {"meal", "brunch"}}, "meal"},
        {{{"food_id", apple.at("id")},
          {"grams", 100},
          {"meal", "lunch"},
          {"eaten_at", "yesterday"}},
         "eaten_at"},
        {{{"food_id", apple.at("id")},
          {"grams", 100},
          {"meal", "lunch"},
          {"eaten_at", "2099-01-01T00:00:00Z"}},
         "eaten_at"},
        {{{"custom", json::object{{"name", "x"}, {"gi", 120}, {"carbs_per_100g", 10}}},
          {"grams", 100},
          {"meal", "lunch"}},
         "custom.gi"},
        {{{"custom", json::object{{"name", "x"}, {"carbs_per_100g", 101}}},
          {"grams", 100},
          {"meal", "lunch"}},
         "custom.carbs_per_100g"},
        {{{"custom", json::object{{"name", "x"}, {"carbs_per_100g", 5}, {"fiber_per_100g", 6}}},
          {"grams", 100},
          {"meal", "lunch"}},
         "custom.fiber_per_100g"},
        {{{"custom", json::object{{"name", ""}, {"carbs_per_100g", 5}}},
          {"grams", 100},
          {"meal", "lunch"}},
         "custom.name"},
        {{{"food_id", apple.at("id")}, {"gram", 100}, {"meal", "lunch"}}, "gram"},
    };
    for (const auto& tc : cases) {
        auto r = log(tc.body);
        EXPECT_EQ(r.status, 400u) << json::serialize(tc.body) << " -> " << r.body;
        EXPECT_EQ(field_of(r), tc.field) << json::serialize(tc.body);
    }
    // Only the valid custom entry was stored.
    auto today = c().get("/api/food_log", me_.auth()).json();
    EXPECT_EQ(today.at("items").as_array().size(), 1u);
}

TEST_F(FoodLogTest, EditDeleteAndAnotherUsersEntriesAre404) {
    auto apple = first_food("apple");
    auto created = log({{"food_id", apple.at("id")},
                        {"grams", 100},
                        {"meal", "lunch"},
                        {"eaten_at", "2026-11-20T12:00:00Z"}});
    ASSERT_EQ(created.status, 201u);
    std::string path = "/api/food_log/" + std::to_string(created.json().at("id").as_int64());
    double gl100 = created.json().at("gl").to_number<double>();

    auto patched =
        c().patch_json(path, json::object{{"grams", 200}, {"meal", "dinner"}}, me_.auth());
    ASSERT_EQ(patched.status, 200u) << patched.body;
    EXPECT_NEAR(patched.json().at("gl").to_number<double>(), gl100 * 2, 0.11);
    EXPECT_EQ(patched.json().at("meal").as_string(), "dinner");
    EXPECT_EQ(c().patch_json(path, json::object{{"grams", -1}}, me_.auth()).status, 400u);
    EXPECT_EQ(c().patch_json(path, json::object{{"food_id", 1}}, me_.auth()).status, 400u);

    auto intruder = sign_up(c(), "intruder");
    EXPECT_EQ(c().get(path, intruder.auth()).status, 404u);
    EXPECT_EQ(c().patch_json(path, json::object{{"grams", 1}}, intruder.auth()).status, 404u);
    EXPECT_EQ(c().del(path, intruder.auth()).status, 404u);
    EXPECT_TRUE(c().get("/api/food_log?date=2026-11-20", intruder.auth())
                    .json()
                    .at("items")
                    .as_array()
                    .empty());
    EXPECT_EQ(c().get(path, me_.auth()).json().at("grams").to_number<double>(),
              200);  // untouched by the intruder

    EXPECT_EQ(c().get(path).status, 401u);
    EXPECT_EQ(c().del(path, me_.auth()).status, 204u);
    EXPECT_EQ(c().del(path, me_.auth()).status, 404u);
    EXPECT_EQ(c().get("/api/food_log/0", me_.auth()).status, 404u);
}

TEST_F(FoodLogTest, DaySummaryFollowsTheUsersMidnightNotUtc) {
    set_time_zone("America/Los_Angeles");
    auto apple = first_food("apple");
    // 2026-11-21T07:30:00Z is 23:30 on 20 November in Los Angeles.
    ASSERT_EQ(log({{"food_id", apple.at("id")},
                   {"grams", 100},
                   {"meal", "snack"},
                   {"eaten_at", "2026-11-21T07:30:00Z"}})
                  .status,
              201u);
    // 2026-11-21T08:30:00Z is 00:30 on 21 November there.
    ASSERT_EQ(log({{"food_id", apple.at("id")},
                   {"grams", 200},
                   {"meal", "breakfast"},
                   {"eaten_at", "2026-11-21T08:30:00Z"}})
                  .status,
              201u);

    auto d20 = c().get("/api/food_log/summary?date=2026-11-20", me_.auth()).json();
    auto d21 = c().get("/api/food_log/summary?date=2026-11-21", me_.auth()).json();
    EXPECT_EQ(d20.at("entries").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(d21.at("entries").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(d20.at("time_zone").as_string(), "America/Los_Angeles");
    EXPECT_EQ(d20.at("meals").at(3).at("entries").to_number<std::uint64_t>(), 1u);  // the snack
    EXPECT_EQ(d21.at("meals").at(0).at("entries").to_number<std::uint64_t>(), 1u);  // breakfast
    EXPECT_NEAR(d21.at("carbs_g").to_number<double>(), 2 * d20.at("carbs_g").to_number<double>(),
                0.11);
    EXPECT_EQ(
        c().get("/api/food_log?date=2026-11-20", me_.auth()).json().at("items").as_array().size(),
        1u);
}

TEST_F(FoodLogTest, DaylightSavingDayHas23HoursOfEntries) {
    set_time_zone("America/Los_Angeles");
    auto apple = first_food("apple");
    for (const char* t : {"2026-03-08T07:30:00Z",     // 23:30 PST on 7 March
                          "2026-03-08T08:30:00Z",     // 00:30 PST on 8 March
                          "2026-03-09T06:30:00Z",     // 23:30 PDT on 8 March
                          "2026-03-09T07:30:00Z"}) {  // 00:30 PDT on 9 March
        ASSERT_EQ(
            log({{"food_id", apple.at("id")}, {"grams", 100}, {"meal", "snack"}, {"eaten_at", t}})
                .status,
            201u)
            << t;
    }
    EXPECT_EQ(c().get("/api/food_log/summary?date=2026-03-07", me_.auth())
                  .json()
                  .at("entries")
                  .to_number<std::uint64_t>(),
              1u);
    EXPECT_EQ(c().get("/api/food_log/summary?date=2026-03-08", me_.auth())
                  .json()
                  .at("entries")
                  .to_number<std::uint64_t>(),
              2u);
    EXPECT_EQ(c().get("/api/food_log/summary?date=2026-03-09", me_.auth())
                  .json()
                  .at("entries")
                  .to_number<std::uint64_t>(),
              1u);
}

TEST_F(FoodLogTest, RangeSummaryHasEveryDayIncludingEmptyOnes) {
    auto apple = first_food("apple");
    log({{"food_id", apple.at("id")},
         {"grams", 100},
         {"meal", "lunch"},
         {"eaten_at", "2026-11-19T12:00:00Z"}});
    log({{"food_id", apple.at("id")},
         {"grams", 100},
         {"meal", "dinner"},
         {"eaten_at", "2026-11-21T19:00:00Z"}});
    auto r = c().get("/api/food_log/summary?from=2026-11-18&to=2026-11-22", me_.auth());
    ASSERT_EQ(r.status, 200u) << r.body;
    auto days = r.json().at("days").as_array();
    ASSERT_EQ(days.size(), 5u);
    std::vector<std::uint64_t> counts;
    for (const auto& d : days) counts.push_back(d.at("entries").to_number<std::uint64_t>());
    EXPECT_EQ(counts, (std::vector<std::uint64_t>{0, 1, 0, 1, 0}));
    EXPECT_EQ(days[0].at("date").as_string(), "2026-11-18");
    EXPECT_DOUBLE_EQ(days[0].at("gl").to_number<double>(), 0);
    EXPECT_EQ(days[0].at("gl_category").as_string(), "low");

    EXPECT_EQ(c().get("/api/food_log/summary?from=2025-01-01&to=2026-01-02", me_.auth()).status,
              400u);
    EXPECT_EQ(c().get("/api/food_log/summary?from=2026-01-01&to=2026-12-31", me_.auth()).status,
              200u);
    EXPECT_EQ(c().get("/api/food_log/summary?from=2026-11-22&to=2026-11-18", me_.auth()).status,
              400u);
    EXPECT_EQ(c().get("/api/food_log/summary?from=2026-11-18", me_.auth()).status, 400u);
    EXPECT_EQ(c().get("/api/food_log/summary?date=27-11-2026", me_.auth()).status, 400u);
    EXPECT_EQ(c().get("/api/food_log/summary?date=2026-11-20").status, 401u);
}

// The range summary walks the entries day by day with each day's bounds (issue 9); each of its
// days must be exactly what that day's own summary says, across both daylight-saving changes and
// with entries a minute either side of midnight.
TEST_F(FoodLogTest, RangeSummaryDaysEqualEachDaysOwnSummary) {
    set_time_zone("America/Los_Angeles");
    auto apple = first_food("apple");
    const char* meals[] = {"breakfast", "lunch", "dinner", "snack"};
    int k = 0;
    for (const char* t : {"2026-03-08T07:59:00Z", "2026-03-08T08:00:00Z", "2026-03-08T08:01:00Z",
                          "2026-03-09T06:59:00Z", "2026-03-09T07:00:00Z", "2026-03-09T07:01:00Z",
                          "2026-03-09T19:00:00Z", "2026-10-31T06:59:00Z", "2026-10-31T07:00:00Z",
                          "2026-11-01T06:59:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:30:00Z",
                          "2026-11-01T09:30:00Z", "2026-11-02T07:59:00Z", "2026-11-02T08:00:00Z",
                          "2026-11-02T08:00:00Z"}) {
        ASSERT_EQ(log({{"food_id", apple.at("id")},
                       {"grams", 50 + 10 * k},
                       {"meal", meals[k % 4]},
                       {"eaten_at", t}})
                      .status,
                  201u)
            << t;
        ++k;
    }
    for (auto [from, to] :
         {std::pair{"2026-03-06", "2026-03-10"}, std::pair{"2026-10-30", "2026-11-03"}}) {
        auto range =
            c().get(std::string("/api/food_log/summary?from=") + from + "&to=" + to, me_.auth());
        ASSERT_EQ(range.status, 200u) << range.body;
        std::uint64_t entries = 0;
        const json::value body = range.json();
        for (const auto& day : body.at("days").as_array()) {
            std::string date(day.at("date").as_string());
            auto own = c().get("/api/food_log/summary?date=" + date, me_.auth()).json().as_object();
            EXPECT_EQ(own.at("time_zone").as_string(), "America/Los_Angeles");
            own.erase("time_zone");
            EXPECT_EQ(json::value(own), day) << date;
            entries += day.at("entries").to_number<std::uint64_t>();
        }
        EXPECT_GT(entries, 5u) << from;
    }
}

TEST_F(FoodLogTest, ExportIncludesTheFoodLog) {
    auto apple = first_food("apple");
    log({{"food_id", apple.at("id")},
         {"grams", 100},
         {"meal", "lunch"},
         {"eaten_at", "2026-11-19T12:00:00Z"}});
    auto doc = c().get("/api/users/me/export", me_.auth()).json();
    ASSERT_TRUE(doc.as_object().contains("food_log"));
    EXPECT_EQ(doc.at("food_log").as_array().size(), 1u);
}
