#include "games/rules.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "food/glycemic.hpp"

namespace glucoplay::games {

namespace json = boost::json;

std::int64_t racing_score_limit(std::int64_t elapsed_seconds, std::int64_t correct_answers) {
    std::int64_t seconds =
        std::clamp<std::int64_t>(elapsed_seconds, 0, RacingRules::max_run_seconds);
    return seconds * RacingRules::max_points_per_second +
           correct_answers * RacingRules::quiz_bonus_points;
}

namespace {

std::string pct(double share) {
    return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

}  // namespace

PlateScore score_plate(const std::vector<PlateItem>& items) {
    PlateScore s;
    double food_g = 0, veg_g = 0, protein_g = 0, carb_g = 0, fat_g = 0;
    double placed_g = 0, correctly_placed_g = 0;
    std::vector<std::string> misplaced;
    bool has_drink = false, sugary_drink = false, low_sugar_drink = false;
    for (const auto& it : items) {
        const food::Food& f = *it.food;
        if (f.gi)
            s.gl += food::glycemic_load(
                *f.gi, food::available_carbs(f.carbs_per_100g, f.fiber_per_100g, it.grams));
        if (f.plate_group == "fat") {
            fat_g += it.grams;
            continue;
        }
        placed_g += it.grams;
        if (f.plate_group == it.section)
            correctly_placed_g += it.grams;
        else
            misplaced.push_back(f.name + " goes in the " + f.plate_group + " section");
        if (it.section == "drink") {
            has_drink = true;
            if (f.plate_group != "drink" || f.carbs_per_100g > 5)
                sugary_drink = true;
            else if (f.carbs_per_100g > 0.5)
                low_sugar_drink = true;
            continue;
        }
        food_g += it.grams;
        if (f.plate_group == "vegetables")
            veg_g += it.grams;
        else if (f.plate_group == "protein")
            protein_g += it.grams;
        else if (f.plate_group == "carbohydrate")
            carb_g += it.grams;
    }

    // Balance: total variation distance from 1/2 : 1/4 : 1/4 (anything else on the plate, such as a
    // drink put in a food section, is an "other" share whose target is 0).
    if (food_g > 0) {
        s.vegetables_share = veg_g / food_g;
        s.protein_share = protein_g / food_g;
        s.carbohydrate_share = carb_g / food_g;
        double other =
            std::max(0.0, 1 - s.vegetables_share - s.protein_share - s.carbohydrate_share);
        double tvd = (std::fabs(s.vegetables_share - 0.5) + std::fabs(s.protein_share - 0.25) +
                      std::fabs(s.carbohydrate_share - 0.25) + other) /
                     2;
        double balance = 400 * (1 - tvd);
        double placement = placed_g > 0 ? 200 * correctly_placed_g / placed_g : 0;
        if (food_g < 150) {
            balance *= food_g / 150;
            placement *= food_g / 150;
            s.feedback.push_back(
                {"tip", "The plate is nearly empty: a real meal fills a 9-inch plate."});
        } else if (food_g > 900) {
            balance *= 0.8;
            placement *= 0.8;
            s.feedback.push_back(
                {"tip", "That is more than a 9-inch plate holds: try smaller portions."});
        }
        s.balance = static_cast<int>(std::lround(balance));
        s.placement = static_cast<int>(std::lround(placement));
    } else {
        s.feedback.push_back(
            {"tip", "Put some food on the plate: vegetables, protein and a carbohydrate food."});
    }

    if (food_g > 0) {
        if (s.vegetables_share >= 0.45)
            s.feedback.push_back(
                {"good", "Great: about half the plate is non-starchy vegetables."});
        else
            s.feedback.push_back({"tip", "Non-starchy vegetables are " + pct(s.vegetables_share) +
                                             " of the plate; aim for half."});
        if (s.protein_share < 0.15)
            s.feedback.push_back({"tip", "Add lean protein to fill about a quarter of the plate."});
        if (s.carbohydrate_share > 0.35)
            s.feedback.push_back({"tip", "Carbohydrate foods are " + pct(s.carbohydrate_share) +
                                             " of the plate; a quarter is enough."});
        for (const auto& m : misplaced) s.feedback.push_back({"tip", m + "."});
    }
    if (fat_g > 30)
        s.feedback.push_back({"tip", "Go easy on fats: a small amount of healthy fat is plenty."});

    if (!has_drink) {
        s.feedback.push_back({"tip", "Add a drink: water or a zero-calorie drink."});
    } else if (sugary_drink) {
        s.feedback.push_back(
            {"tip",
             "Swap the sugary drink for water: it adds carbohydrate without filling you up."});
    } else if (low_sugar_drink) {
        s.drink = 75;
        s.feedback.push_back({"tip", "Water or a zero-calorie drink would be even better."});
    } else {
        s.drink = 150;
        s.feedback.push_back({"good", "Water or a zero-calorie drink: perfect."});
    }

    s.glycemic_load = static_cast<int>(std::lround(250 * std::clamp((40 - s.gl) / 30, 0.0, 1.0)));
    if (s.gl <= 10)
        s.feedback.push_back({"good", "Low glycemic load: this meal should raise glucose gently."});
    else if (s.gl >= 20)
        s.feedback.push_back(
            {"tip", "High glycemic load: choose lower-GI carbohydrates or a smaller portion."});

    s.score = s.balance + s.placement + s.drink + s.glycemic_load;
    return s;
}

int plate_time_bonus(int plates, std::int64_t elapsed_seconds) {
    if (plates <= 0) return 0;
    double per_plate = static_cast<double>(elapsed_seconds) / plates;
    double fraction = std::clamp(1 - (per_plate - 30) / 60, 0.0, 1.0);
    return static_cast<int>(std::lround(100 * plates * fraction));
}

json::value to_json(const PlateScore& s) {
    json::array feedback;
    for (const auto& f : s.feedback)
        feedback.push_back(json::object{{"kind", f.kind}, {"message", f.message}});
    return json::object{
        {"score", s.score},
        {"components", json::object{{"balance", s.balance},
                                    {"placement", s.placement},
                                    {"drink", s.drink},
                                    {"glycemic_load", s.glycemic_load}}},
        {"gl", std::round(s.gl * 10) / 10},
        {"shares", json::object{{"vegetables", std::round(s.vegetables_share * 100) / 100},
                                {"protein", std::round(s.protein_share * 100) / 100},
                                {"carbohydrate", std::round(s.carbohydrate_share * 100) / 100}}},
        {"feedback", std::move(feedback)}};
}

json::value games_json() {
    json::array items;
    items.push_back(json::object{
        {"id", "racing"},
        {"name", "Glucose Grand Prix"},
        {"description",
         "Steer to collect healthy foods and water, dodge sugary snacks, keep your glucose gauge "
         "in range, "
         "and answer pit-stop questions to win back a life."},
        {"rules", json::object{{"max_points_per_second", RacingRules::max_points_per_second},
                               {"max_run_seconds", RacingRules::max_run_seconds},
                               {"quiz_bonus_points", RacingRules::quiz_bonus_points},
                               {"session_ttl_seconds", RacingRules::session_ttl_seconds},
                               {"seconds_per_pit_stop", RacingRules::seconds_per_pit_stop},
                               {"target_low_mg_dl", 70},
                               {"target_high_mg_dl", 180}}}});
    items.push_back(json::object{
        {"id", "plate"},
        {"name", "Perfect Plate"},
        {"description",
         "Build balanced plates by the Diabetes Plate Method: half non-starchy vegetables, a "
         "quarter "
         "lean protein, a quarter carbohydrate foods, and water."},
        {"rules",
         json::object{
             {"max_plates", PlateRules::max_plates},
             {"max_items_per_plate", PlateRules::max_items_per_plate},
             {"min_seconds_per_plate", PlateRules::min_seconds_per_plate},
             {"session_ttl_seconds", PlateRules::session_ttl_seconds},
             {"max_plate_score", PlateRules::max_plate_score},
             {"component_max",
              json::object{
                  {"balance", 400}, {"placement", 200}, {"drink", 150}, {"glycemic_load", 250}}},
             {"time_bonus_per_plate", 100},
             {"sections", json::array{"vegetables", "protein", "carbohydrate", "drink"}},
             {"source", "American Diabetes Association, Diabetes Plate Method"}}}});
    return json::object{{"items", std::move(items)}};
}

}  // namespace glucoplay::games
