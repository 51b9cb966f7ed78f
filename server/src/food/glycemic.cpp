#include "food/glycemic.hpp"

#include <algorithm>
#include <cmath>

namespace glucoplay::food {

std::string to_string(Band b) {
    switch (b) {
        case Band::low:
            return "low";
        case Band::medium:
            return "medium";
        case Band::high:
            return "high";
    }
    return "?";
}

double available_carbs(double carbs_per_100g, double fiber_per_100g, double grams) {
    return std::max(0.0, carbs_per_100g - fiber_per_100g) * grams / 100.0;
}

double total_carbs(double carbs_per_100g, double grams) {
    return carbs_per_100g * grams / 100.0;
}

double glycemic_load(double gi, double available_carbs_g) {
    return gi * available_carbs_g / 100.0;
}

Band gi_band(double gi) {
    // GI values are published as whole numbers; a custom value is rounded the same way.
    double g = std::round(gi);
    if (g <= 55) return Band::low;
    if (g < 70) return Band::medium;
    return Band::high;
}

Band gl_band(double gl) {
    double g = std::round(gl);
    if (g <= 10) return Band::low;
    if (g < 20) return Band::medium;
    return Band::high;
}

Band daily_gl_band(double gl) {
    if (gl < 80) return Band::low;
    if (gl > 120) return Band::high;
    return Band::medium;
}

std::optional<double> meal_gi(const std::vector<MealPart>& parts) {
    double weighted = 0, carbs = 0;
    for (const auto& p : parts) {
        if (!p.gi || p.available_carbs_g <= 0) continue;
        weighted += *p.gi * p.available_carbs_g;
        carbs += p.available_carbs_g;
    }
    if (carbs <= 0) return std::nullopt;
    return weighted / carbs;
}

}  // namespace glucoplay::food
