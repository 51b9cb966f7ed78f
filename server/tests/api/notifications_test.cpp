// Notifications over HTTP (issue 7): each kind's trigger, ownership, read marks, preferences,
// the scheduler (sensor change due, once, across a restart), and the live stream with resumption.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <thread>

#include "support/accounts.hpp"
#include "support/event_stream.hpp"
#include "support/games.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "util/time.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;
using glucoplay::util::format_unix;
using glucoplay::util::now_unix;

namespace {

constexpr std::int64_t kDay = 86400;

class NotificationsTest : public ::testing::Test {
  protected:
    void SetUp() override { start_server(); }
    void start_server(std::filesystem::path data_dir = {}) {
        client_.reset();
        server_.reset();
        ServerProcess::Options o;
        o.args = {"--rate-limit",    "off", "--auth-rate-limit",    "off",
                  "--sse-heartbeat", "1s",  "--scheduler-interval", "1s"};
        o.data_dir = std::move(data_dir);
        server_ = std::make_unique<ServerProcess>(o);
        client_ = std::make_unique<HttpClient>(server_->api_port());
    }
    HttpClient& c() { return *client_; }

    json::array list(const TestUser& u, const std::string& query = "") {
        auto r = c().get("/api/notifications" + query, u.auth());
        EXPECT_EQ(r.status, 200u) << r.body;
        return r.json().at("items").as_array();
    }
    std::vector<json::object> of_kind(const TestUser& u, const std::string& kind) {
        std::vector<json::object> out;
        for (const auto& n : list(u, "?limit=500"))
            if (n.at("kind").as_string() == kind) out.push_back(n.as_object());
        return out;
    }
    HttpResponse score(const TestUser& u, std::int64_t value) {
        return play_racing(c(), *server_, u, value);
    }
    HttpResponse log_custom_food(const TestUser& u, double grams) {
        // GI 100 and 100 g of available carbohydrate per 100 g: GL = grams exactly.
        return c().post_json("/api/food_log",
                             json::object{{"custom", json::object{{"name", "glucose tablets"},
                                                                  {"gi", 100},
                                                                  {"carbs_per_100g", 100}}},
                                          {"grams", grams},
                                          {"meal", "snack"}},
                             u.auth());
    }
    HttpResponse post_readings(const TestUser& u,
                               const std::vector<std::pair<std::int64_t, int>>& rs,
                               const std::string& source = "api") {
        json::array arr;
        for (auto [at, v] : rs) arr.push_back(json::object{{"at", format_unix(at)}, {"mg_dl", v}});
        return c().post_json("/api/pin_dexcom/readings",
                             json::object{{"readings", arr}, {"source", source}}, u.auth());
    }
    HttpResponse sensor_inserted(const TestUser& u, std::int64_t at) {
        return c().post_json("/api/events",
                             json::object{{"type", "sensor_insert"}, {"at", format_unix(at)}},
                             u.auth());
    }
    static double scheduler_runs(HttpClient& client) {
        return metric(client, "glucoplay_scheduler_runs_total");
    }
    // Waits (up to 15 s) until the scheduler has completed `rounds` more rounds.
    void wait_for_scheduler_rounds(int rounds) { wait_for_scheduler_rounds(c(), rounds); }
    static void wait_for_scheduler_rounds(HttpClient& client, int rounds) {
        const double start = scheduler_runs(client);
        ASSERT_GE(start, 0) << "no scheduler metric";
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (scheduler_runs(client) < start + rounds) {
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "scheduler did not run";
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
};

// The notification stream of one user.
EventStream notification_stream(unsigned short port, const TestUser& u,
                                std::optional<std::string> last_id = {}) {
    return EventStream(port, "/api/notifications/stream", u.token, std::move(last_id));
}

}  // namespace

TEST_F(NotificationsTest, AScoreThatEntersTheTopTenNotifiesTheOnePushedOut) {
    std::vector<TestUser> players;
    for (int i = 0; i < 10; ++i) {
        players.push_back(sign_up(c(), "racer" + std::to_string(i)));
        ASSERT_EQ(score(players.back(), 1000 + 100 * i).status, 201u);  // 1000 .. 1900
    }
    // Each entered the (not yet full) top 10 with a first score; a first score is no "new best".
    EXPECT_EQ(of_kind(players[0], "top10_entered").size(), 1u);
    EXPECT_TRUE(of_kind(players[0], "personal_best").empty());

    auto ace = sign_up(c(), "ace");
    ASSERT_EQ(score(ace, 5000).status, 201u);
    auto entered = of_kind(ace, "top10_entered");
    ASSERT_EQ(entered.size(), 1u);
    EXPECT_EQ(entered[0].at("data").at("rank").as_int64(), 1);
    EXPECT_EQ(entered[0].at("data").at("link").as_string(), "/leaderboards.html?game=racing");

    // racer0 (1000) was 10th and is pushed to 11th; nobody else lost a place in the top 10.
    auto lost = of_kind(players[0], "top10_lost");
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_EQ(lost[0].at("data").at("rank").as_int64(), 11);
    EXPECT_EQ(lost[0].at("data").at("by_display_name").as_string(), "ace");
    EXPECT_NE(
        lost[0].at("message").as_string().find("ace pushed you out of the Glucose Grand Prix"),
        std::string::npos);
    for (int i = 1; i < 10; ++i) EXPECT_TRUE(of_kind(players[i], "top10_lost").empty()) << i;

    // racer0 beats their best (1000 -> 1150): a personal best, back in the top 10, and racer1
    // (1100, now 11th) is the one pushed out this time.
    ASSERT_EQ(score(players[0], 1150).status, 201u);
    auto pb = of_kind(players[0], "personal_best");
    ASSERT_EQ(pb.size(), 1u);
    EXPECT_EQ(pb[0].at("data").at("score").as_int64(), 1150);
    EXPECT_EQ(pb[0].at("data").at("previous_best").as_int64(), 1000);
    EXPECT_EQ(of_kind(players[0], "top10_entered").size(), 2u);
    EXPECT_EQ(of_kind(players[1], "top10_lost").size(), 1u);
    // A score below one's best is not news.
    ASSERT_EQ(score(ace, 10).status, 201u);
    EXPECT_TRUE(of_kind(ace, "personal_best").empty());
}

TEST_F(NotificationsTest, ListReadMarksDeleteAndOwnership) {
    auto ana = sign_up(c(), "ana");
    auto ben = sign_up(c(), "ben");
    ASSERT_EQ(log_custom_food(ana, 130).status, 201u);  // GL 130: high for the day
    ASSERT_EQ(score(ana, 500).status, 201u);            // top10_entered
    auto r = c().get("/api/notifications", ana.auth());
    ASSERT_EQ(r.status, 200u);
    auto body = r.json().as_object();
    ASSERT_EQ(body.at("items").as_array().size(), 2u);
    EXPECT_EQ(body.at("unread").as_int64(), 2);
    // Newest first, with the contract's fields.
    auto newest = body.at("items").as_array()[0].as_object();
    EXPECT_EQ(newest.at("kind").as_string(), "top10_entered");
    for (const char* f : {"id", "kind", "message", "data", "created_at", "read_at"})
        EXPECT_TRUE(newest.contains(f)) << f;
    EXPECT_TRUE(newest.at("read_at").is_null());
    const std::int64_t id = newest.at("id").as_int64();

    // Paging: one per page, the cursor leads to the other one, then the end.
    auto p1 = c().get("/api/notifications?limit=1", ana.auth()).json();
    ASSERT_EQ(p1.at("items").as_array().size(), 1u);
    ASSERT_TRUE(p1.at("next_cursor").is_string());
    auto p2 = c().get("/api/notifications?limit=1&cursor=" +
                          std::string(p1.at("next_cursor").as_string()),
                      ana.auth())
                  .json();
    ASSERT_EQ(p2.at("items").as_array().size(), 1u);
    EXPECT_EQ(p2.at("items").as_array()[0].at("kind").as_string(), "high_daily_gl");
    EXPECT_TRUE(p2.at("next_cursor").is_null());
    EXPECT_EQ(c().get("/api/notifications?cursor=x", ana.auth()).status, 400u);
    EXPECT_EQ(c().get("/api/notifications?unread=maybe", ana.auth()).status, 400u);

    // Ben sees none of Ana's and cannot touch them: 404, exactly like a missing one.
    EXPECT_TRUE(list(ben).empty());
    const std::string path = "/api/notifications/" + std::to_string(id);
    EXPECT_EQ(c().post_json(path + "/read", json::object{}, ben.auth()).status, 404u);
    EXPECT_EQ(c().del(path, ben.auth()).status, 404u);
    EXPECT_EQ(c().get("/api/notifications").status, 401u);
    EXPECT_EQ(list(ana).size(), 2u);
    EXPECT_TRUE(list(ana)[0].at("read_at").is_null());

    auto read = c().post_json(path + "/read", json::object{}, ana.auth());
    ASSERT_EQ(read.status, 200u) << read.body;
    EXPECT_EQ(read.json().at("unread").as_int64(), 1);
    EXPECT_EQ(list(ana, "?unread=true").size(), 1u);
    EXPECT_TRUE(list(ana)[0].at("read_at").is_string());
    auto all = c().post_json("/api/notifications/read_all", json::object{}, ana.auth());
    ASSERT_EQ(all.status, 200u);
    EXPECT_EQ(all.json().at("marked").as_int64(), 1);
    EXPECT_TRUE(list(ana, "?unread=true").empty());

    EXPECT_EQ(c().del(path, ana.auth()).status, 204u);
    EXPECT_EQ(c().del(path, ana.auth()).status, 404u);
    EXPECT_EQ(list(ana).size(), 1u);
    EXPECT_EQ(c().post_json("/api/notifications/0/read", json::object{}, ana.auth()).status, 404u);
}

TEST_F(NotificationsTest, HighDailyGlycemicLoadOncePerDay) {
    auto u = sign_up(c(), "gl-user");
    ASSERT_EQ(log_custom_food(u, 100).status, 201u);  // GL 100: medium (80-120)
    EXPECT_TRUE(of_kind(u, "high_daily_gl").empty());
    ASSERT_EQ(log_custom_food(u, 30).status, 201u);  // GL 130 > 120: high
    auto n = of_kind(u, "high_daily_gl");
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("data").at("gl").to_number<double>(), 130.0);
    const std::string today =
        glucoplay::util::format_day(glucoplay::util::local_day_of(now_unix(), "UTC"));
    EXPECT_EQ(n[0].at("data").at("date").as_string(), today);
    EXPECT_EQ(n[0].at("data").at("link").as_string(), "/food-log.html?date=" + today);
    EXPECT_NE(n[0].at("message").as_string().find("reached 130, above the high daily level of 120"),
              std::string::npos)
        << n[0].at("message");
    ASSERT_EQ(log_custom_food(u, 10).status, 201u);  // still high: no second notification
    EXPECT_EQ(of_kind(u, "high_daily_gl").size(), 1u);
}

TEST_F(NotificationsTest, LowGlucoseOncePerEpisode) {
    auto u = sign_up(c(), "low-user");
    const std::int64_t t = (now_unix() / 300) * 300 - kDay;
    // Episode 1: 50, 48, 52 (below 54), back up for 15 minutes; episode 2 an hour later.
    std::vector<std::pair<std::int64_t, int>> rs;
    int values[] = {90, 70, 50, 48, 52, 60, 75, 80, 85, 90};
    for (int i = 0; i < 10; ++i) rs.emplace_back(t + i * 300, values[i]);
    rs.emplace_back(t + 3600, 45);
    rs.emplace_back(t + 3900, 70);
    ASSERT_EQ(post_readings(u, rs).status, 201u);
    auto lows = of_kind(u, "low_glucose");
    ASSERT_EQ(lows.size(), 2u);
    // Newest first: the second episode (45 mg/dL), then the first (lowest 48 at t + 15 min).
    EXPECT_EQ(lows[0].at("data").at("lowest_mg_dl").as_int64(), 45);
    EXPECT_EQ(lows[1].at("data").at("lowest_mg_dl").as_int64(), 48);
    EXPECT_EQ(lows[1].at("data").at("episode_start").as_string(), format_unix(t + 600));
    EXPECT_EQ(lows[1].at("data").at("lowest_at").as_string(), format_unix(t + 900));
    EXPECT_NE(lows[1].at("message").as_string().find("lowest 48 mg/dL (below 54 mg/dL)"),
              std::string::npos);

    // The same readings again, and a later reading continuing episode 2: nothing new.
    ASSERT_EQ(post_readings(u, rs).status, 201u);
    ASSERT_EQ(post_readings(u, {{t + 3650, 47}}).status, 201u);
    EXPECT_EQ(of_kind(u, "low_glucose").size(), 2u);

    // Demo data warns nobody.
    auto d = sign_up(c(), "demo-user");
    ASSERT_EQ(post_readings(d, {{t, 40}, {t + 300, 42}}, "demo").status, 201u);
    EXPECT_TRUE(of_kind(d, "low_glucose").empty());
}

TEST_F(NotificationsTest, SensorChangeDueOnceEvenAcrossARestart) {
    auto u = sign_up(c(), "sensor-user");
    auto g6 = sign_up(c(), "g6-user");
    ASSERT_EQ(c().patch_json("/api/users/me", json::object{{"settings", {{"cgm_model", "g6"}}}},
                             g6.auth())
                  .status,
              200u);
    const std::int64_t now = now_unix();
    // An older sensor that was replaced, and one long expired: never reminded about.
    ASSERT_EQ(sensor_inserted(u, now - 30 * kDay).status, 201u);
    // A G7 (the default) inserted 9 days ago: its 10-day session ends in 24 h, so it is due now.
    auto e = sensor_inserted(u, now - 9 * kDay - 60);
    ASSERT_EQ(e.status, 201u);
    auto due = of_kind(u, "sensor_change_due");
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].at("data").at("event_id").as_int64(), e.json().at("id").as_int64());
    EXPECT_EQ(due[0].at("data").at("model").as_string(), "g7");
    EXPECT_EQ(due[0].at("data").at("session_ends_at").as_string(), format_unix(now - 60 + kDay));
    EXPECT_EQ(due[0].at("data").at("grace_ends_at").as_string(),
              format_unix(now - 60 + kDay + 12 * 3600));
    EXPECT_NE(due[0].at("message").as_string().find("Dexcom G7"), std::string::npos);

    // The scheduler produces one when the time comes: a G6 sensor due three seconds from now.
    ASSERT_EQ(sensor_inserted(g6, now - 9 * kDay + 3).status, 201u);
    EXPECT_TRUE(of_kind(g6, "sensor_change_due").empty());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (of_kind(g6, "sensor_change_due").empty()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << server_->log_text();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_NE(of_kind(g6, "sensor_change_due")[0].at("message").as_string().find(
                  "Have a new sensor ready."),
              std::string::npos);

    // Restart on the same database: the scheduler runs again and makes no duplicates.
    auto dir = server_->data_dir();
    auto keep = std::move(server_);
    keep->signal(SIGTERM);
    ASSERT_EQ(keep->wait_exit(), 0);
    start_server(dir);
    wait_for_scheduler_rounds(2);
    EXPECT_EQ(of_kind(u, "sensor_change_due").size(), 1u);
    EXPECT_EQ(of_kind(g6, "sensor_change_due").size(), 1u);
    keep.reset();
}

TEST_F(NotificationsTest, PreferencesSwitchKindsOff) {
    auto u = sign_up(c(), "prefs-user");
    auto prefs = c().get("/api/notifications/preferences", u.auth());
    ASSERT_EQ(prefs.status, 200u);
    EXPECT_EQ(prefs.json().as_object().size(), 6u);
    EXPECT_TRUE(prefs.json().at("high_daily_gl").as_bool());
    auto off = c().patch_json("/api/notifications/preferences",
                              json::object{{"high_daily_gl", false}}, u.auth());
    ASSERT_EQ(off.status, 200u) << off.body;
    EXPECT_FALSE(off.json().at("high_daily_gl").as_bool());
    EXPECT_TRUE(off.json().at("low_glucose").as_bool());
    ASSERT_EQ(log_custom_food(u, 150).status, 201u);
    EXPECT_TRUE(of_kind(u, "high_daily_gl").empty());

    auto bad =
        c().patch_json("/api/notifications/preferences", json::object{{"spam", true}}, u.auth());
    EXPECT_EQ(bad.status, 400u);
    EXPECT_NE(bad.body.find("unknown notification kind 'spam'"), std::string::npos);
    EXPECT_EQ(c().patch_json("/api/notifications/preferences", json::object{{"low_glucose", "no"}},
                             u.auth())
                  .status,
              400u);
    EXPECT_EQ(c().patch_json("/api/notifications/preferences",
                             json::object{{"low_glucose", nullptr}}, u.auth())
                  .status,
              400u);
    EXPECT_EQ(c().patch_json("/api/notifications/preferences", json::object{}, u.auth()).status,
              400u);
    // Nothing half-applied by the rejected bodies.
    EXPECT_TRUE(
        c().get("/api/notifications/preferences", u.auth()).json().at("low_glucose").as_bool());
}

TEST_F(NotificationsTest, StreamDeliversLiveAndResumesWithLastEventId) {
    auto u = sign_up(c(), "streamer");
    auto other = sign_up(c(), "other");
    EventStream tab1 = notification_stream(server_->api_port(), u);
    EventStream tab2 = notification_stream(server_->api_port(), u);
    EventStream theirs = notification_stream(server_->api_port(), other);
    ASSERT_TRUE(tab1.wait_for("retry:")) << tab1.text();
    ASSERT_TRUE(tab2.wait_for("retry:"));
    ASSERT_TRUE(theirs.wait_for("retry:"));
    ASSERT_EQ(log_custom_food(u, 121).status, 201u);
    auto first = of_kind(u, "high_daily_gl");
    ASSERT_EQ(first.size(), 1u);
    const std::string id = std::to_string(first[0].at("id").as_int64());
    // Every open tab of the user gets it, with its id for resumption.
    for (auto* tab : {&tab1, &tab2}) {
        ASSERT_TRUE(tab->wait_for("id: " + id + "\nevent: notification\ndata: ")) << tab->text();
        EXPECT_NE(tab->text().find("\"kind\":\"high_daily_gl\""), std::string::npos);
    }
    // Another user's stream gets nothing of it (heartbeats only).
    ASSERT_TRUE(theirs.wait_for(": heartbeat"));
    EXPECT_EQ(theirs.text().find("event: notification"), std::string::npos);

    // Two more while no tab is open; a reconnect with Last-Event-ID gets exactly those, in order.
    ASSERT_EQ(score(u, 700).status, 201u);  // top10_entered
    ASSERT_EQ(score(u, 900).status, 201u);  // personal_best
    EventStream again = notification_stream(server_->api_port(), u, id);
    ASSERT_TRUE(again.wait_for("\"kind\":\"personal_best\"")) << again.text();
    const auto& t = again.text();
    EXPECT_EQ(t.find("high_daily_gl"), std::string::npos);
    auto entered = t.find("\"kind\":\"top10_entered\"");
    ASSERT_NE(entered, std::string::npos);
    EXPECT_LT(entered, t.find("\"kind\":\"personal_best\""));
    // Live ones keep coming on the resumed stream.
    ASSERT_EQ(score(u, 1000).status, 201u);
    ASSERT_TRUE(again.wait_for("\"score\":1000")) << again.text();

    EXPECT_EQ(c().get("/api/notifications/stream?last_event_id=abc", u.auth()).status, 400u);
}

// Two instances on one database both run the scheduler: the reminder is still made once.
TEST_F(NotificationsTest, TwoInstancesProduceEachScheduledNotificationOnce) {
    auto u = sign_up(c(), "two-instances");
    ServerProcess::Options o;
    o.args = {"--rate-limit", "off", "--scheduler-interval", "1s"};
    o.data_dir = server_->data_dir();
    ServerProcess second(o);
    HttpClient c2(second.api_port());
    // Due two seconds from now: whichever instance's scheduler runs first makes it.
    ASSERT_EQ(sensor_inserted(u, now_unix() - 9 * kDay + 2).status, 201u);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (of_kind(u, "sensor_change_due").empty()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    // Both schedulers have run again since (the metric is per instance).
    wait_for_scheduler_rounds(c(), 2);
    wait_for_scheduler_rounds(c2, 2);
    EXPECT_EQ(of_kind(u, "sensor_change_due").size(), 1u);
    auto via_second = c2.get("/api/notifications", u.auth()).json().at("items").as_array();
    EXPECT_EQ(via_second.size(), 1u);
}
