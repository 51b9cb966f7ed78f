// Pin the Dexcom geometry and judging against the shipped sites file.
#include <gtest/gtest.h>

#include "pin/placement.hpp"

using namespace glucoplay::pin;

TEST(Geometry, PointInPolygonIncludingEdges) {
    Polygon square = {{0.2, 0.2}, {0.4, 0.2}, {0.4, 0.4}, {0.2, 0.4}};
    EXPECT_TRUE(inside(square, {0.3, 0.3}));
    EXPECT_TRUE(inside(square, {0.4, 0.3}));  // on the edge
    EXPECT_FALSE(inside(square, {0.41, 0.3}));
    EXPECT_FALSE(inside(square, {0.3, 0.1}));
    Polygon concave = {{0, 0}, {1, 0}, {1, 1}, {0.5, 0.2}, {0, 1}};  // a notch from the top
    EXPECT_FALSE(inside(concave, {0.5, 0.6}));
    EXPECT_TRUE(inside(concave, {0.2, 0.1}));
}

TEST(Geometry, DistancesAreAspectCorrected) {
    Polygon square = {{0.2, 0.2}, {0.4, 0.2}, {0.4, 0.4}, {0.2, 0.4}};
    // Centre (0.3, 0.3): 0.1 to the side edges; 0.1 down is 0.2 picture widths (twice as tall).
    EXPECT_NEAR(distance_to_edge(square, {0.3, 0.3}), 0.1, 1e-12);
    EXPECT_NEAR(distance_to_edge(square, {0.3, 0.25}), 0.1, 1e-12);  // 0.05 down = 0.1 widths
    EXPECT_NEAR(distance_to_edge(square, {0.5, 0.3}), 0.1, 1e-12);   // outside, 0.1 to the right
}

namespace {
const Sites& sites() {
    return builtin_sites();
}
constexpr Point kLeftArm{0.277, 0.279};  // middle of the back of the left upper arm
constexpr Point kBelly{0.42, 0.40};      // abdomen, clear of the navel (0.113 widths away)
constexpr Point kButtocks{0.5, 0.5725};  // upper buttocks, below the waistband
}  // namespace

TEST(Judge, G7GoesOnTheBackOfTheArmAtEveryAge) {
    for (const char* age : {"adult", "teen", "child"}) {
        Verdict v = judge(sites(), "g7", age, "back", kLeftArm, {});
        EXPECT_TRUE(v.correct) << age << ": " << v.reason;
        EXPECT_EQ(v.zone, "upper_arm_back_left");
        EXPECT_GE(v.score, 75) << "well inside earns more than the minimum";
        EXPECT_EQ(v.distance, 0);
    }
    Verdict g6 = judge(sites(), "g6", "adult", "back", kLeftArm, {});
    EXPECT_FALSE(g6.correct);
    EXPECT_NE(g6.reason.find("not an approved site"), std::string::npos) << g6.reason;
    EXPECT_EQ(g6.score, 0);
}

TEST(Judge, G6GoesOnTheBellyButNotTooCloseToTheNavel) {
    Verdict ok = judge(sites(), "g6", "adult", "front", kBelly, {});
    EXPECT_TRUE(ok.correct) << ok.reason;
    EXPECT_EQ(ok.zone, "abdomen");
    Verdict navel =
        judge(sites(), "g6", "adult", "front", {0.45, 0.43}, {});  // 0.054 widths: inside 3 inches
    EXPECT_FALSE(navel.correct);
    EXPECT_EQ(navel.zone, "navel");
    EXPECT_NE(navel.reason.find("3 inches"), std::string::npos);
    Verdict g7 = judge(sites(), "g7", "adult", "front", kBelly, {});
    EXPECT_FALSE(g7.correct);
    EXPECT_EQ(g7.distance, -1);  // no approved G7 site on the front view at all
}

TEST(Judge, UpperButtocksDependOnModelAndAge) {
    EXPECT_TRUE(judge(sites(), "g6", "teen", "back", kButtocks, {}).correct);
    EXPECT_TRUE(judge(sites(), "g6", "child", "back", kButtocks, {}).correct);
    EXPECT_FALSE(judge(sites(), "g6", "adult", "back", kButtocks, {}).correct);
    EXPECT_TRUE(judge(sites(), "g7", "child", "back", kButtocks, {}).correct);
    EXPECT_FALSE(judge(sites(), "g7", "teen", "back", kButtocks, {}).correct);
}

TEST(Judge, StelosAreForAdultsOnly) {
    EXPECT_TRUE(judge(sites(), "stelo", "adult", "back", kLeftArm, {}).correct);
    Verdict teen = judge(sites(), "stelo", "teen", "back", kLeftArm, {});
    EXPECT_FALSE(teen.correct);
    EXPECT_EQ(teen.distance, -1);  // no approved site at all for this age
}

TEST(Judge, AreasToAvoidAndOffTheBody) {
    Verdict waist = judge(sites(), "g6", "adult", "front", {0.5, 0.53}, {});
    EXPECT_EQ(waist.zone, "waistband");
    EXPECT_FALSE(waist.correct);
    Verdict spine = judge(sites(), "g7", "adult", "back", {0.5, 0.3}, {});
    EXPECT_EQ(spine.zone, "spine");
    Verdict off = judge(sites(), "g7", "adult", "back", {0.02, 0.02}, {});
    EXPECT_FALSE(off.correct);
    EXPECT_FALSE(off.zone.has_value());
    EXPECT_NE(off.reason.find("off the body"), std::string::npos);
}

TEST(Judge, TheRoundsPumpSiteAndTattooAreRespected) {
    Obstacle pump{
        "pump_site", "front", {0.45, 0.40}};  // 0.03 widths (1 inch) from kBelly: within 3 inches
    Verdict near_pump = judge(sites(), "g6", "adult", "front", kBelly, {pump});
    EXPECT_FALSE(near_pump.correct);
    EXPECT_EQ(near_pump.zone, "pump_site");
    Obstacle tattoo{"tattoo", "front", kBelly};
    EXPECT_EQ(judge(sites(), "g6", "adult", "front", kBelly, {tattoo}).zone, "tattoo");
    Verdict clear =
        judge(sites(), "g6", "adult", "front", {0.58, 0.40}, {tattoo});  // 0.16 widths away
    EXPECT_TRUE(clear.correct) << clear.reason;
    Obstacle other_view{"tattoo", "back", kBelly};
    EXPECT_TRUE(judge(sites(), "g6", "adult", "front", kBelly, {other_view}).correct);
}

TEST(Judge, ScoreRewardsPlacementWellInside) {
    // Just inside the abdomen's left edge (x = 0.38 at the top) versus well inside.
    Verdict edge = judge(sites(), "g6", "adult", "front", {0.382, 0.38}, {});
    Verdict deep = judge(sites(), "g6", "adult", "front", kBelly, {});
    ASSERT_TRUE(edge.correct) << edge.reason;
    EXPECT_LT(edge.score, deep.score);
    EXPECT_GE(edge.score, 50);
    EXPECT_LE(deep.score, 100);
}

TEST(Sites, EveryZoneHasASourceAndPointsInThePicture) {
    ASSERT_GE(sites().zones.size(), 4u);
    for (const auto& z : sites().zones) {
        EXPECT_FALSE(z.source.empty()) << z.id;
        EXPECT_GE(z.polygon.size(), 3u) << z.id;
    }
    for (const auto& a : sites().avoid) EXPECT_FALSE(a.source.empty()) << a.id;
    EXPECT_THROW(
        parse_sites(
            R"({"about":"","uncertainty":"","inch":0.03,"models":{},"body":{"front":[[[0,0],[2,0],[1,1]]]},"zones":[],"avoid":[],"obstacles":{}})"),
        std::runtime_error);
}
