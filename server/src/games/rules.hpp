#pragma once

// The two games' rules: what the server accepts as a score. GET /api/games publishes these
// numbers, and the web games read them from there, so the limits and the game change together.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "food/catalog.hpp"

namespace glucoplay::games {

// ---- Glucose Grand Prix (racing) ------------------------------------------------------------
// Scoring in the game: 10 points per second of driving, x2 while the glucose gauge is in range
// (70-180 mg/dL); +25 per healthy food collected (at most a few per second). 150 points per
// second is therefore above anything a real run can reach, and a quiz answer at a pit stop adds
// at most 250. A run lasts at most 10 minutes; a session expires 15 minutes after it starts.
struct RacingRules {
    static constexpr std::int64_t max_points_per_second = 150;
    static constexpr std::int64_t max_run_seconds = 600;
    static constexpr std::int64_t quiz_bonus_points = 250;
    static constexpr std::int64_t session_ttl_seconds = 900;
    // Pit stops: one question at a time (only the one served can be answered), and at most one
    // per 30 s of session time after the first, so quiz bonuses cannot be farmed.
    static constexpr std::int64_t seconds_per_pit_stop = 30;
};

// The most a racing session can have scored `elapsed_seconds` after it started with
// `correct_answers` pit-stop answers right.
std::int64_t racing_score_limit(std::int64_t elapsed_seconds, std::int64_t correct_answers);

// ---- Perfect Plate -----------------------------------------------------------------------------
// The Diabetes Plate Method (American Diabetes Association): on a 9-inch plate, half non-starchy
// vegetables, a quarter lean protein, a quarter carbohydrate foods, and water or a zero-calorie
// drink. Each plate scores up to 1000:
//   balance        400 x (1 - total variation distance between the plate's shares by weight and
//                  the method's 1/2 : 1/4 : 1/4) -- foods count by their catalog plate group;
//   placement      200 x share of grams put in the section their plate group belongs to;
//   drink          150 for water or a zero-calorie drink (<= 0.5 g carbohydrate per 100 g),
//                  75 for a low-sugar drink (<= 5 g per 100 g, e.g. milk), 0 for a sugary drink
//                  or none;
//   glycemic load  250 x clamp((40 - plate GL) / 30, 0, 1): full marks up to GL 10 (a low GL
//                  per Atkinson 2008), nothing from GL 40.
// Fats (oil, butter, nuts) are extras: they neither count towards the shares nor cost points,
// but more than 30 g gets a tip. Under 150 g of food the balance and placement points shrink in
// proportion; over 900 g (more than a 9-inch plate holds) they are cut by a fifth.
// A session of N plates adds a time bonus of up to 100 per plate: full when the plates took
// at most 30 s each, nothing at 90 s each. Faster than 5 s per plate is not a real game.
struct PlateRules {
    static constexpr int max_plates = 3;
    static constexpr int max_items_per_plate = 12;
    static constexpr std::int64_t min_seconds_per_plate = 5;
    static constexpr std::int64_t session_ttl_seconds = 1800;
    static constexpr int max_plate_score = 1000;
};

inline const std::vector<std::string> kSections = {"vegetables", "protein", "carbohydrate",
                                                   "drink"};

struct PlateItem {
    const food::Food* food = nullptr;
    double grams = 0;
    std::string section;
};

struct Feedback {
    std::string kind;  // "good" | "tip"
    std::string message;
};

struct PlateScore {
    int score = 0;
    int balance = 0, placement = 0, drink = 0, glycemic_load = 0;
    double gl = 0;
    double vegetables_share = 0, protein_share = 0, carbohydrate_share = 0;
    std::vector<Feedback> feedback;
};

PlateScore score_plate(const std::vector<PlateItem>& items);
// Time bonus for `plates` plates finished `elapsed_seconds` after the session started.
int plate_time_bonus(int plates, std::int64_t elapsed_seconds);

boost::json::value to_json(const PlateScore& s);
boost::json::value games_json();  // GET /api/games

}  // namespace glucoplay::games
