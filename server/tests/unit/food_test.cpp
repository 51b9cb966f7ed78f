// Glycemic index / load arithmetic with hand-worked values, the CSV reader, the catalog checks,
// search, and calendar days across daylight-saving changes.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "food/catalog.hpp"
#include "food/glycemic.hpp"
#include "food/service.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

using namespace glucoplay;
using namespace glucoplay::food;
namespace json = boost::json;

TEST(Glycemic, AvailableCarbsAndLoadForAnApple) {
    // Apple, raw: 13.81 g carbohydrate and 2.4 g fibre per 100 g; 182 g; GI 36.
    // Available = (13.81 - 2.4) x 182 / 100 = 11.41 x 1.82 = 20.7662 g; GL = 36 x 20.7662 / 100
    // = 7.475832.
    EXPECT_NEAR(available_carbs(13.81, 2.4, 182), 20.7662, 1e-9);
    EXPECT_NEAR(glycemic_load(36, 20.7662), 7.475832, 1e-9);
    EXPECT_NEAR(total_carbs(13.81, 182), 25.1342, 1e-9);
    EXPECT_EQ(gl_band(7.475832), Band::low);
}

TEST(Glycemic, AvailableCarbsAndLoadForBoiledRice) {
    // White rice, boiled: 28.17 g carbohydrate, 0.4 g fibre; 158 g; GI 73.
    // Available = 27.77 x 1.58 = 43.8766 g; GL = 73 x 43.8766 / 100 = 32.029918 (high).
    EXPECT_NEAR(available_carbs(28.17, 0.4, 158), 43.8766, 1e-9);
    EXPECT_NEAR(glycemic_load(73, 43.8766), 32.029918, 1e-9);
    EXPECT_EQ(gl_band(32.029918), Band::high);
    EXPECT_EQ(gi_band(73), Band::high);
}

TEST(Glycemic, FibreAboveCarbsNeverGoesNegative) {
    EXPECT_EQ(available_carbs(2, 3, 100), 0);
}

TEST(Glycemic, GiBandEdges) {
    EXPECT_EQ(gi_band(0), Band::low);
    EXPECT_EQ(gi_band(55), Band::low);
    EXPECT_EQ(gi_band(56), Band::medium);
    EXPECT_EQ(gi_band(69), Band::medium);
    EXPECT_EQ(gi_band(70), Band::high);
    EXPECT_EQ(gi_band(110), Band::high);
}

TEST(Glycemic, GlPerServingBandEdges) {
    EXPECT_EQ(gl_band(10), Band::low);
    EXPECT_EQ(gl_band(10.4), Band::low);  // rounds to 10
    EXPECT_EQ(gl_band(10.5), Band::medium);
    EXPECT_EQ(gl_band(11), Band::medium);
    EXPECT_EQ(gl_band(19), Band::medium);
    EXPECT_EQ(gl_band(19.4), Band::medium);
    EXPECT_EQ(gl_band(20), Band::high);
}

TEST(Glycemic, DailyGlBandEdges) {
    EXPECT_EQ(daily_gl_band(79.9), Band::low);
    EXPECT_EQ(daily_gl_band(80), Band::medium);
    EXPECT_EQ(daily_gl_band(120), Band::medium);
    EXPECT_EQ(daily_gl_band(120.1), Band::high);
}

TEST(Glycemic, MealGiIsCarbWeightedAndIgnoresFoodsWithoutGi) {
    // (70 x 30 + 40 x 10) / (30 + 10) = 2500 / 40 = 62.5; the 5 g with no GI does not count.
    auto gi = meal_gi({{70.0, 30}, {40.0, 10}, {std::nullopt, 5}});
    ASSERT_TRUE(gi.has_value());
    EXPECT_DOUBLE_EQ(*gi, 62.5);
    EXPECT_FALSE(meal_gi({{std::nullopt, 20}, {50.0, 0}}).has_value());
    EXPECT_FALSE(meal_gi({}).has_value());
}

TEST(DaySummary, TotalsMealsAndBands) {
    // Breakfast: 182 g apple (GI 36) as above; lunch: 158 g rice (GI 73); snack: 30 g cheese (no
    // GI).
    std::vector<LogEntry> entries = {
        {1, 1, 10, "Apple, raw", false, 36, 13.81, 2.4, 182, "breakfast", 0},
        {2, 1, 11, "White rice, boiled", false, 73, 28.17, 0.4, 158, "lunch", 0},
        {3, 1, 12, "Cheddar cheese", false, std::nullopt, 1.3, 0, 30, "snack", 0},
    };
    auto s = boost::json::parse(day_summary_text(util::Day{2026, 11, 27}, entries)).as_object();
    EXPECT_EQ(s.at("date").as_string(), "2026-11-27");
    EXPECT_EQ(s.at("entries").to_number<std::uint64_t>(), 3u);
    // GL 7.475832 + 32.029918 = 39.50575 -> 39.5; carbs 25.1342 + 44.5086 + 0.39 = 70.0328 -> 70.0
    EXPECT_DOUBLE_EQ(s.at("gl").to_number<double>(), 39.5);
    EXPECT_DOUBLE_EQ(s.at("carbs_g").to_number<double>(), 70.0);
    EXPECT_EQ(s.at("gl_category").as_string(), "low");
    // Day GI = (36 x 20.7662 + 73 x 43.8766) / (20.7662 + 43.8766) = 3950.575 / 64.6428 = 61.11...
    // -> 61.1
    EXPECT_DOUBLE_EQ(s.at("gi").to_number<double>(), 61.1);
    auto meals = s.at("meals").as_array();
    ASSERT_EQ(meals.size(), 4u);
    EXPECT_EQ(meals[0].at("meal").as_string(), "breakfast");
    EXPECT_DOUBLE_EQ(meals[0].at("gi").to_number<double>(), 36);
    EXPECT_EQ(meals[2].at("meal").as_string(), "dinner");
    EXPECT_EQ(meals[2].at("entries").to_number<std::uint64_t>(), 0u);
    EXPECT_TRUE(meals[2].at("gi").is_null());
    EXPECT_TRUE(meals[3].at("gi").is_null());  // snack has carbohydrate but no GI
}

TEST(Csv, QuotesCrlfBomAndLineNumbers) {
    util::CsvReader r(
        "\xEF\xBB\xBF"
        "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\r\n\"multi\nline\",,\n");
    auto h = r.next();
    EXPECT_EQ(h->fields, (std::vector<std::string>{"a", "b", "c"}));
    auto row = r.next();
    EXPECT_EQ(row->line, 2u);
    EXPECT_EQ(row->fields, (std::vector<std::string>{"x, y", "say \"hi\"", "3"}));
    auto multi = r.next();
    EXPECT_EQ(multi->line, 3u);
    EXPECT_EQ(multi->fields, (std::vector<std::string>{"multi\nline", "", ""}));
    EXPECT_FALSE(r.next().has_value());
    util::CsvReader broken("a,\"open\n");
    broken.next();
    EXPECT_FALSE(broken.error().empty());
}

namespace {
const std::string kHeader =
    "name,category,plate_group,gi,gi_source,carbs_per_100g,fiber_per_100g,serving_g,serving_desc,"
    "carb_source\n";
}

TEST(Catalog, ParsesAndRejectsBadRowsWithLineNumbers) {
    auto ok = parse_food_csv(kHeader +
                             "\"Apple, raw\",Fruit,carbohydrate,36,Atkinson 2008 Table "
                             "1,13.81,2.4,182,1 medium,USDA SR24 NDB 09003\n"
                             "Chicken breast,Protein,protein,,n/a: negligible "
                             "carbohydrate,0,0,85,3 oz,USDA SR24 NDB 05064\n");
    ASSERT_EQ(ok.size(), 2u);
    EXPECT_EQ(ok[0].name, "Apple, raw");
    EXPECT_EQ(ok[0].gi, 36);
    EXPECT_FALSE(ok[1].gi.has_value());

    auto expect_problem = [](const std::string& rows, const std::string& fragment,
                             const std::string& line = "line 2") {
        try {
            parse_food_csv(kHeader + rows);
            FAIL() << "accepted: " << rows;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(line + ":"), std::string::npos) << e.what();
        }
    };
    expect_problem("X,Fruit,carbohydrate,111,src,10,1,100,1 cup,usda\n", "gi");
    expect_problem("X,Fruit,carbohydrate,50,src,101,1,100,1 cup,usda\n", "carbs_per_100g");
    expect_problem("X,Fruit,carbohydrate,50,src,10,11,100,1 cup,usda\n", "fiber_per_100g exceeds");
    expect_problem("X,Fruit,carbohydrate,50,,10,1,100,1 cup,usda\n", "gi_source is empty");
    expect_problem("X,Fruit,carbohydrate,50,src,10,1,100,1 cup,\n", "carb_source is empty");
    expect_problem("X,Candy,carbohydrate,50,src,10,1,100,1 cup,usda\n", "unknown category");
    expect_problem("X,Fruit,dessert,50,src,10,1,100,1 cup,usda\n", "unknown plate_group");
    expect_problem("X,Fruit,carbohydrate,50,src,10,1,0,1 cup,usda\n", "serving_g");
    expect_problem("X,Fruit,carbohydrate,50,src,10\n", "expected 10 fields");
    expect_problem(
        "Pear,Fruit,carbohydrate,38,src,15,3,100,1,usda\nPEAR,Fruit,carbohydrate,38,src,15,3,100,1,"
        "usda\n",
        "duplicate name", "line 3");
    EXPECT_THROW(parse_food_csv("wrong,header\n"), std::runtime_error);
}

TEST(Catalog, TheShippedFoodsCsvMeetsEveryRule) {
    const auto& foods = builtin_foods();  // throws with every problem listed if a row is bad
    EXPECT_GE(foods.size(), 150u);
    std::map<std::string, int> per_category;
    for (const auto& f : foods) {
        ++per_category[f.category];
        EXPECT_FALSE(f.gi_source.empty()) << f.name;
        EXPECT_FALSE(f.carb_source.empty()) << f.name;
        EXPECT_NE(f.carb_source.find("USDA"), std::string::npos)
            << f.name << ": carbohydrate must cite USDA data";
        if (f.gi) {
            EXPECT_GE(*f.gi, 0) << f.name;
            EXPECT_LE(*f.gi, 110) << f.name;
            bool cited = f.gi_source.find("Atkinson") != std::string::npos ||
                         f.gi_source.find("Sydney") != std::string::npos;
            EXPECT_TRUE(cited) << f.name << ": " << f.gi_source;
        }
        EXPECT_LE(f.fiber_per_100g, f.carbs_per_100g) << f.name;
    }
    for (const auto& c : kCategories) EXPECT_GE(per_category[c], 5) << c << " has too few foods";
}

TEST(Catalog, FoldAndSearch) {
    EXPECT_EQ(fold("Crème Brûlée"), "creme brulee");
    EXPECT_EQ(fold("JALAPEÑO"), "jalapeno");
    FoodCatalog cat({
        {1, "Apple, raw", "Fruit", "carbohydrate", 36, "s", 13.8, 2.4, 182, "1", "u"},
        {2, "Apple juice, unsweetened", "Drinks", "drink", 41, "s", 11.3, 0.2, 248, "1 cup", "u"},
        {3, "Pineapple, raw", "Fruit", "carbohydrate", 59, "s", 13.1, 1.4, 165, "1 cup", "u"},
        {4, "Crème fraîche", "Dairy", "fat", std::nullopt, "s", 2.9, 0, 30, "2 tbsp", "u"},
        {5, "Bread, white wheat", "Grains and starches", "carbohydrate", 75, "s", 49, 2.7, 30,
         "1 slice", "u"},
    });
    auto names = [](const std::vector<const Food*>& v) {
        std::vector<std::string> out;
        for (auto* f : v) out.push_back(f->name);
        return out;
    };
    // Whole-name prefix first, then shorter names; "pineapple" does not match the prefix "apple".
    EXPECT_EQ(names(cat.search({"apple", {}, {}})),
              (std::vector<std::string>{"Apple, raw", "Apple juice, unsweetened"}));
    EXPECT_EQ(names(cat.search({"APP JUI", {}, {}})),
              (std::vector<std::string>{"Apple juice, unsweetened"}));
    EXPECT_EQ(names(cat.search({"creme", {}, {}})), (std::vector<std::string>{"Crème fraîche"}));
    EXPECT_EQ(names(cat.search({"white bread", {}, {}})),
              (std::vector<std::string>{"Bread, white wheat"}));
    EXPECT_EQ(names(cat.search({"apple", std::string("Drinks"), {}})),
              (std::vector<std::string>{"Apple juice, unsweetened"}));
    EXPECT_EQ(cat.search({"", {}, std::string("carbohydrate")}).size(), 3u);
    EXPECT_TRUE(cat.search({"zzz", {}, {}}).empty());
    EXPECT_EQ(cat.find(3)->name, "Pineapple, raw");
    EXPECT_EQ(cat.find(99), nullptr);
}

TEST(LocalDays, DaylightSavingDaysAre23And25HoursLong) {
    // Los Angeles, 2026: clocks go forward on 8 March and back on 1 November.
    auto spring = util::local_day_bounds({2026, 3, 8}, "America/Los_Angeles");
    EXPECT_EQ(spring.first, 1772956800);   // 2026-03-08T08:00:00Z (PST midnight)
    EXPECT_EQ(spring.second, 1773039600);  // 2026-03-09T07:00:00Z (PDT midnight): 23 h
    auto autumn = util::local_day_bounds({2026, 11, 1}, "America/Los_Angeles");
    EXPECT_EQ(autumn.second - autumn.first, 25 * 3600);
    auto plain = util::local_day_bounds({2026, 11, 27}, "America/Los_Angeles");
    EXPECT_EQ(plain.first, 1795766400);
    EXPECT_EQ(plain.second - plain.first, 24 * 3600);
    // 2026-11-28T07:30:00Z is still the 27th in Los Angeles (23:30 PST) but the 28th in UTC.
    EXPECT_EQ(util::local_day_of(1795851000, "America/Los_Angeles"), (util::Day{2026, 11, 27}));
    EXPECT_EQ(util::local_day_of(1795851000, "UTC"), (util::Day{2026, 11, 28}));
}

TEST(LocalDays, ParseFormatAndCount) {
    EXPECT_EQ(util::parse_day("2026-02-28").value(), (util::Day{2026, 2, 28}));
    EXPECT_FALSE(util::parse_day("2026-02-29").has_value());
    EXPECT_FALSE(util::parse_day("2026-2-28").has_value());
    EXPECT_FALSE(util::parse_day("28/02/2026").has_value());
    EXPECT_EQ(util::format_day(util::next_day({2026, 12, 31})), "2027-01-01");
    EXPECT_EQ(util::days_between({2026, 1, 1}, {2026, 12, 31}), 364);
}
