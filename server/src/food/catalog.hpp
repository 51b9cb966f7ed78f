#pragma once

// The food catalog: server/data/foods.csv (compiled into the binary), checked row by row, seeded
// into the foods table by init-db / serve, and searched in memory (a few hundred rows).

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace glucoplay::food {

struct Food {
    std::int64_t id = 0;
    std::string name;
    std::string category;
    std::string plate_group;  // vegetables | protein | carbohydrate | drink | fat
    std::optional<int> gi;    // glucose = 100; nullopt where carbohydrate is negligible
    std::string gi_source;
    double carbs_per_100g = 0;
    double fiber_per_100g = 0;
    double serving_g = 0;
    std::string serving_desc;
    std::string carb_source;
};

inline const std::vector<std::string> kCategories = {
    "Non-starchy vegetables", "Fruit", "Grains and starches", "Legumes", "Dairy", "Protein", "Fats",
    "Sweets and snacks",      "Drinks"};
inline const std::vector<std::string> kPlateGroups = {"vegetables", "protein", "carbohydrate",
                                                      "drink", "fat"};

// Parses foods.csv and checks every row (complete, GI 0..110 or empty, carbs 0..100 g,
// fibre <= carbs, serving > 0, known category and plate group, sources present, unique names).
// Throws std::runtime_error listing every problem with its line number.
std::vector<Food> parse_food_csv(std::string_view text);
// The catalog compiled into this binary.
const std::vector<Food>& builtin_foods();

// Inserts or updates every food by name (ids of existing foods are kept). Returns rows written.
std::size_t seed_foods(storage::Connection& c, const std::vector<Food>& foods);

// Lower-case ASCII with common Latin accents removed ("Crème Brûlée" -> "creme brulee").
std::string fold(std::string_view text);

boost::json::value to_json(const Food& f);

class FoodCatalog {
  public:
    explicit FoodCatalog(std::vector<Food> foods);
    static FoodCatalog load(storage::Connection& c);

    const Food* find(std::int64_t id) const;

    struct Query {
        std::string text;
        std::optional<std::string> category;
        std::optional<std::string> plate_group;
    };
    // Matching foods, best first: whole-name prefix, then word-prefix matches of every query word
    // (earlier words weigh more), then shorter names, then alphabetical.
    std::vector<const Food*> search(const Query& q) const;
    std::size_t size() const { return foods_.size(); }

  private:
    struct Entry {
        Food food;
        std::string folded;
        std::vector<std::string> words;
    };
    std::vector<Entry> foods_;
};

}  // namespace glucoplay::food
