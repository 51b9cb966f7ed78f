// Pin the Dexcom over HTTP: the sites per model and age, judged attempts, history and streaks.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;

namespace {
class PinTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerProcess::Options o;
        o.args = {"--rate-limit", "off", "--auth-rate-limit", "off"};
        server_ = std::make_unique<ServerProcess>(o);
        client_ = std::make_unique<HttpClient>(server_->api_port());
    }
    HttpClient& c() { return *client_; }
    HttpResponse attempt(const TestUser& u, json::object body) {
        return c().post_json("/api/pin_dexcom/attempts", body, u.auth());
    }
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
};
}  // namespace

TEST_F(PinTest, SitesSayWhatIsApprovedForTheModelAndAge) {
    auto g7 = c().get("/api/pin_dexcom/sites?model=g7&age_group=adult");
    ASSERT_EQ(g7.status, 200u);
    std::map<std::string, bool> approved;
    auto g7_body = g7.json();
    for (const auto& z : g7_body.at("zones").as_array()) {
        approved[std::string(z.at("id").as_string())] = z.at("approved").as_bool();
        EXPECT_FALSE(z.at("source").as_string().empty());
        EXPECT_GE(z.at("polygon").as_array().size(), 3u);
    }
    EXPECT_TRUE(approved["upper_arm_back_left"]);
    EXPECT_FALSE(approved["abdomen"]);
    EXPECT_FALSE(approved["upper_buttocks"]);
    auto g6 = c().get("/api/pin_dexcom/sites?model=g6&age_group=teen").json();
    for (const auto& z : g6.at("zones").as_array())
        if (z.at("id").as_string() == "upper_buttocks") {
            EXPECT_TRUE(z.at("approved").as_bool());
        }
    EXPECT_FALSE(g6.at("avoid").as_array().empty());
    EXPECT_FALSE(g6.at("body").as_array().empty());
    EXPECT_DOUBLE_EQ(g6.at("inch").to_number<double>(), 0.03);
    EXPECT_EQ(c().get("/api/pin_dexcom/sites?model=libre").status, 400u);
    EXPECT_EQ(c().get("/api/pin_dexcom/sites?model=g7&age_group=baby").status, 400u);
}

TEST_F(PinTest, AttemptsAreJudgedByTheServer) {
    auto u = sign_up(c(), "pinner");
    auto right = attempt(
        u, {{"model", "g7"}, {"age_group", "adult"}, {"view", "back"}, {"x", 0.277}, {"y", 0.279}});
    ASSERT_EQ(right.status, 201u) << right.body;
    EXPECT_TRUE(right.json().at("correct").as_bool());
    EXPECT_EQ(right.json().at("zone").as_string(), "upper_arm_back_left");
    EXPECT_GE(right.json().at("score").as_int64(), 50);
    auto wrong = attempt(
        u, {{"model", "g7"}, {"age_group", "adult"}, {"view", "front"}, {"x", 0.42}, {"y", 0.40}});
    EXPECT_FALSE(wrong.json().at("correct").as_bool());
    EXPECT_EQ(wrong.json().at("zone").as_string(), "abdomen");
    EXPECT_NE(wrong.json().at("reason").as_string().find("not an approved site"),
              std::string::npos);
    EXPECT_EQ(wrong.json().at("score").as_int64(), 0);
    auto pump = attempt(
        u,
        {{"model", "g6"},
         {"age_group", "adult"},
         {"view", "front"},
         {"x", 0.42},
         {"y", 0.40},
         {"obstacles", json::array{json::object{
                           {"kind", "pump_site"}, {"view", "front"}, {"x", 0.45}, {"y", 0.40}}}}});
    EXPECT_FALSE(pump.json().at("correct").as_bool());
    EXPECT_EQ(pump.json().at("zone").as_string(), "pump_site");

    struct Case {
        json::object body;
        const char* field;
    };
    std::vector<Case> bad = {
        {{{"model", "g8"}, {"age_group", "adult"}, {"view", "back"}, {"x", 0.5}, {"y", 0.5}},
         "model"},
        {{{"model", "g7"}, {"age_group", "adult"}, {"view", "side"}, {"x", 0.5}, {"y", 0.5}},
         "view"},
        {{{"model", "g7"}, {"age_group", "adult"}, {"view", "back"}, {"x", 1.5}, {"y", 0.5}}, "x"},
        {{{"model", "g7"}, {"age_group", "adult"}, {"view", "back"}, {"x", 0.5}}, "y"},
        {{{"model", "g7"},
          {"age_group", "adult"},
          {"view", "back"},
          {"x", 0.5},
          {"y", 0.5},
          {"correct", true}},
         "correct"},
        {{{"model", "g7"},
          {"age_group", "adult"},
          {"view", "back"},
          {"x", 0.5},
          {"y", 0.5},
          {"obstacles",
           json::array{json::object{{"kind", "mole"}, {"view", "back"}, {"x", 0.5}, {"y", 0.5}}}}},
         "obstacles[0].kind"},
    };
    for (const auto& tc : bad) {
        auto r = attempt(u, tc.body);
        EXPECT_EQ(r.status, 400u) << json::serialize(tc.body);
        EXPECT_EQ(r.json().at("error").at("field").as_string(), tc.field);
    }
    EXPECT_EQ(c().post_json("/api/pin_dexcom/attempts", json::object{{"model", "g7"}}).status,
              401u);
}

TEST_F(PinTest, HistoryAccuracyAndStreakArePerUser) {
    auto u = sign_up(c(), "streaker");
    json::object good{
        {"model", "g7"}, {"age_group", "teen"}, {"view", "back"}, {"x", 0.277}, {"y", 0.279}};
    json::object bad{
        {"model", "g7"}, {"age_group", "teen"}, {"view", "front"}, {"x", 0.42}, {"y", 0.40}};
    for (const auto& b : {good, bad, good, good}) ASSERT_EQ(attempt(u, b).status, 201u);
    auto h = c().get("/api/pin_dexcom/attempts", u.auth()).json();
    EXPECT_EQ(h.at("attempts").as_int64(), 4);
    EXPECT_EQ(h.at("correct").as_int64(), 3);
    EXPECT_DOUBLE_EQ(h.at("accuracy_pct").to_number<double>(), 75);
    EXPECT_EQ(h.at("streak").as_int64(), 2);
    EXPECT_EQ(h.at("items").as_array().size(), 4u);
    EXPECT_TRUE(h.at("items").at(0).at("correct").as_bool());  // newest first
    auto other = c().get("/api/pin_dexcom/attempts", sign_up(c(), "fresh-eyes").auth()).json();
    EXPECT_EQ(other.at("attempts").as_int64(), 0);
    EXPECT_DOUBLE_EQ(other.at("accuracy_pct").to_number<double>(), 0);
    EXPECT_EQ(c().get("/api/pin_dexcom/attempts").status, 401u);
}
