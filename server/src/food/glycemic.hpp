#pragma once

// Glycemic index and glycemic load arithmetic. Pure functions; the published rule each one
// applies is cited beside it.

#include <optional>
#include <string>
#include <vector>

namespace glucoplay::food {

enum class Band { low, medium, high };
std::string to_string(Band b);

// Available carbohydrate (g) = (carbohydrate - fibre) per 100 g x grams / 100.
// (Glycemic load counts available carbohydrate: Atkinson, Foster-Powell & Brand-Miller,
// Diabetes Care 2008;31:2281-2283, "GL = GI x available carbohydrate / 100".)
double available_carbs(double carbs_per_100g, double fiber_per_100g, double grams);
// Total carbohydrate (g) in the portion.
double total_carbs(double carbs_per_100g, double grams);
// GL = GI x available carbohydrate (g) / 100 (Atkinson 2008, as above).
double glycemic_load(double gi, double available_carbs_g);

// GI bands: low <= 55, medium 56-69, high >= 70 (Atkinson 2008; University of Sydney).
Band gi_band(double gi);
// GL per serving: low <= 10, medium 11-19, high >= 20 (Atkinson 2008). The bands are stated on
// whole numbers, so a GL is rounded to the nearest whole number before banding (10.4 -> low).
Band gl_band(double gl);
// Daily GL: low < 80, medium 80-120, high > 120 (University of Sydney, glycemicindex.com,
// "About glycemic load").
Band daily_gl_band(double gl);

// One food in a meal for the meal-GI calculation.
struct MealPart {
    std::optional<double> gi;  // nullopt: negligible carbohydrate / unknown
    double available_carbs_g = 0;
};
// Meal GI = carbohydrate-weighted mean of the foods' GI (Wolever & Jenkins, Am J Clin Nutr
// 1986;43:167-172): sum(GI_i x carb_i) / sum(carb_i). Foods without a GI contribute no
// carbohydrate to it. nullopt when no food in the meal has both a GI and carbohydrate.
std::optional<double> meal_gi(const std::vector<MealPart>& parts);

}  // namespace glucoplay::food
