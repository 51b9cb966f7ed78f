// Glucose readings, imports, trends, Nightscout entries, events and the meal response over HTTP.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "support/accounts.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;

namespace {

constexpr std::int64_t T0 = 1795192200;  // 2026-11-20T16:30:00Z

std::string iso(std::int64_t s) {
    std::time_t t = static_cast<std::time_t>(s);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

class CgmTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerProcess::Options o;
        o.args = {"--rate-limit", "off", "--auth-rate-limit", "off"};
        server_ = std::make_unique<ServerProcess>(o);
        client_ = std::make_unique<HttpClient>(server_->api_port());
        me_ = sign_up(*client_, "cgm-user");
    }
    HttpClient& c() { return *client_; }
    HttpResponse post_readings(const std::vector<std::pair<std::int64_t, int>>& rs,
                               const TestUser* as = nullptr) {
        json::array arr;
        for (auto [at, v] : rs) arr.push_back(json::object{{"at", iso(at)}, {"mg_dl", v}});
        return c().post_json("/api/pin_dexcom/readings", json::object{{"readings", arr}},
                             (as ? *as : me_).auth());
    }
    HttpResponse import(const std::string& body, const std::string& type) {
        HeaderList h = me_.auth();
        h.emplace_back("Content-Type", type);
        return c().request("POST", "/api/pin_dexcom/import", body, h);
    }
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
    TestUser me_;
};

const std::string kClarity =
    "Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device "
    "Info,Source Device ID,"
    "Glucose Value (mg/dL),Insulin Value (u),Carb Value (grams),Duration (hh:mm:ss),Glucose Rate "
    "of Change (mg/dL/min),"
    "Transmitter Time (Long Integer),Transmitter ID\r\n"
    "1,,FirstName,,Maya,,,,,,,,,\r\n"
    "2,,LastName,,Rivera,,,,,,,,,\r\n"
    "3,2026-11-20T08:30:00,EGV,,,,G7,120,,,,,,\r\n"
    "4,2026-11-20T08:35:00,EGV,,,,G7,Low,,,,,,\r\n"
    "5,2026-11-20T08:40:00,EGV,,,,G7,132,,,,,,\r\n"
    "6,2026-11-20T08:45:00,Carbs,,,,G7,,,30,,,,\r\n"
    "7,2026-11-20T08:50:00,EGV,,,,G7,oops,,,,,,\r\n";

}  // namespace

TEST_F(CgmTest, PostingReadingsCountsDuplicatesAndValidatesEveryReading) {
    auto r = post_readings({{T0, 120}, {T0 + 300, 130}, {T0 + 600, 140}});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("inserted").to_number<std::uint64_t>(), 3u);
    EXPECT_EQ(r.json().at("duplicates").to_number<std::uint64_t>(), 0u);
    auto again = post_readings({{T0 + 600, 150}, {T0 + 900, 150}});
    EXPECT_EQ(again.json().at("inserted").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(again.json().at("duplicates").to_number<std::uint64_t>(), 1u);

    for (int bad : {39, 401, -5}) {
        auto b = post_readings({{T0 + 1200, 100}, {T0 + 1500, bad}});
        EXPECT_EQ(b.status, 400u) << bad;
        EXPECT_EQ(b.json().at("error").at("field").as_string(), "readings[1].mg_dl");
    }
    auto bad_time = c().post_json(
        "/api/pin_dexcom/readings",
        json::object{{"readings", json::array{json::object{{"at", "noon"}, {"mg_dl", 100}}}}},
        me_.auth());
    EXPECT_EQ(bad_time.json().at("error").at("field").as_string(), "readings[0].at");
    json::array many;
    for (int i = 0; i < 10001; ++i)
        many.push_back(json::object{{"at", iso(T0 + i * 300)}, {"mg_dl", 100}});
    EXPECT_EQ(
        c().post_json("/api/pin_dexcom/readings", json::object{{"readings", many}}, me_.auth())
            .status,
        400u);
    EXPECT_EQ(c().post_json("/api/pin_dexcom/readings", json::object{{"readings", json::array{}}},
                            me_.auth())
                  .status,
              400u);
    // The rejected batches wrote nothing.
    auto list =
        c().get("/api/pin_dexcom/readings?from=" + iso(T0) + "&to=" + iso(T0 + 86400), me_.auth());
    EXPECT_EQ(list.json().at("items").as_array().size(), 4u);
    EXPECT_EQ(
        c().post_json("/api/pin_dexcom/readings", json::object{{"readings", json::array{}}}).status,
        401u);
}

TEST_F(CgmTest, ReadingsListIsPagedAndPrivate) {
    std::vector<std::pair<std::int64_t, int>> rs;
    for (int i = 0; i < 7; ++i) rs.push_back({T0 + i * 300, 100 + i});
    post_readings(rs);
    std::string base =
        "/api/pin_dexcom/readings?from=" + iso(T0) + "&to=" + iso(T0 + 3600) + "&limit=3";
    auto p1 = c().get(base, me_.auth()).json();
    ASSERT_EQ(p1.at("items").as_array().size(), 3u);
    EXPECT_EQ(p1.at("items").at(0).at("mg_dl").as_int64(), 100);
    EXPECT_DOUBLE_EQ(p1.at("items").at(0).at("mmol_l").to_number<double>(),
                     5.6);  // 100 / 18 = 5.55 -> 5.6
    auto p2 = c().get(base + "&cursor=" + std::string(p1.at("next_cursor").as_string()), me_.auth())
                  .json();
    EXPECT_EQ(p2.at("items").at(0).at("mg_dl").as_int64(), 103);
    auto other = sign_up(c(), "someone-else");
    EXPECT_TRUE(c().get(base, other.auth()).json().at("items").as_array().empty());
    EXPECT_EQ(c().get("/api/pin_dexcom/readings?from=tuesday", me_.auth()).status, 400u);
    EXPECT_EQ(
        c().get("/api/pin_dexcom/readings?from=" + iso(T0 + 10) + "&to=" + iso(T0), me_.auth())
            .status,
        400u);
}

TEST_F(CgmTest, ClarityImportIsIdempotentAndReportsSkippedLines) {
    auto r = import(kClarity, "text/csv");
    ASSERT_EQ(r.status, 200u) << r.body;
    auto b = r.json();
    EXPECT_EQ(b.at("inserted").to_number<std::uint64_t>(), 3u);
    EXPECT_EQ(b.at("duplicates").to_number<std::uint64_t>(), 0u);
    EXPECT_EQ(b.at("events").to_number<std::uint64_t>(), 1u);
    ASSERT_EQ(b.at("skipped").as_array().size(), 1u);
    EXPECT_EQ(b.at("skipped").at(0).at("line").to_number<std::uint64_t>(), 8u);
    EXPECT_EQ(r.body.find("Maya"), std::string::npos);

    auto again = import(kClarity, "text/csv").json();
    EXPECT_EQ(again.at("inserted").to_number<std::uint64_t>(), 0u);
    EXPECT_EQ(again.at("duplicates").to_number<std::uint64_t>(), 3u);
    EXPECT_EQ(again.at("events").to_number<std::uint64_t>(), 0u);

    // Timestamps were read in the user's zone (UTC by default): 08:30 local = 08:30Z.
    auto list =
        c().get("/api/pin_dexcom/readings?from=2026-11-20&to=2026-11-20", me_.auth()).json();
    ASSERT_EQ(list.at("items").as_array().size(), 3u);
    EXPECT_EQ(list.at("items").at(0).at("at").as_string(), "2026-11-20T08:30:00Z");
    EXPECT_EQ(list.at("items").at(1).at("mg_dl").as_int64(), 39);
    EXPECT_EQ(list.at("items").at(1).at("flag").as_string(), "low");
    // The profile rows never reach the database.
    EXPECT_EQ(c().get("/api/users/me/export", me_.auth()).body.find("Rivera"), std::string::npos);
}

TEST_F(CgmTest, NightscoutImportAndBadImports) {
    auto r = import(
        R"([{"type":"sgv","sgv":111,"date":1795192200000},{"type":"sgv","sgv":115,"date":1795192500000}])",
        "application/json");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("inserted").to_number<std::uint64_t>(), 2u);
    auto not_clarity = import("a,b\n1,2\n", "text/csv");
    EXPECT_EQ(not_clarity.status, 422u);
    EXPECT_EQ(not_clarity.error_code(), "unprocessable");
    EXPECT_EQ(import("{\"not\":\"an array\"}", "application/json").status, 422u);
    EXPECT_EQ(import("", "text/csv").status, 400u);
    EXPECT_EQ(import(kClarity, "text/plain").status, 415u);
    // Over the 20 MiB import limit: refused before the body is read.
    std::string reply =
        raw_exchange(server_->api_port(),
                     "POST /api/pin_dexcom/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                     "Authorization: Bearer " +
                         me_.token + "\r\nContent-Length: 21000000\r\n\r\nabc");
    EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos) << reply.substr(0, 200);
}

TEST_F(CgmTest, TrendsMatchHandWorkedFigures) {
    // 60, 100, 140, 200, 300 mg/dL five minutes apart, in a one-hour window.
    post_readings({{T0, 60}, {T0 + 300, 100}, {T0 + 600, 140}, {T0 + 900, 200}, {T0 + 1200, 300}});
    auto r =
        c().get("/api/pin_dexcom/trends?from=" + iso(T0) + "&to=" + iso(T0 + 3600), me_.auth());
    ASSERT_EQ(r.status, 200u) << r.body;
    auto t = r.json().as_object();
    EXPECT_EQ(t.at("readings").to_number<std::uint64_t>(), 5u);
    EXPECT_DOUBLE_EQ(t.at("mean_mg_dl").to_number<double>(), 160);
    EXPECT_DOUBLE_EQ(t.at("sd_mg_dl").to_number<double>(), 93.8);  // sqrt(35200 / 4)
    EXPECT_DOUBLE_EQ(t.at("cv_pct").to_number<double>(), 58.6);    // 93.81 / 160
    EXPECT_DOUBLE_EQ(t.at("gmi_pct").to_number<double>(), 7.1);    // 3.31 + 0.02392 x 160 = 7.1372
    EXPECT_DOUBLE_EQ(t.at("coverage_pct").to_number<double>(), 41.7);  // 5 of 12 expected
    EXPECT_DOUBLE_EQ(t.at("ranges").at("low").to_number<double>(), 20);
    EXPECT_DOUBLE_EQ(t.at("ranges").at("in_range").to_number<double>(), 40);
    EXPECT_DOUBLE_EQ(t.at("ranges").at("very_high").to_number<double>(), 20);
    EXPECT_DOUBLE_EQ(t.at("below_70_pct").to_number<double>(), 20);   // 60
    EXPECT_DOUBLE_EQ(t.at("above_180_pct").to_number<double>(), 40);  // 200 and 300
    EXPECT_DOUBLE_EQ(t.at("in_target_pct").to_number<double>(),
                     40);  // default target 70-180: 100 and 140
    EXPECT_FALSE(t.at("sufficient").as_bool());
    EXPECT_EQ(t.at("insufficient_reasons").as_array().size(), 2u);
    // Newest reading and its arrow: slope over the last 15 minutes (100, 140, 200, 300) = 13.2
    // mg/dL/min.
    EXPECT_EQ(t.at("latest").at("mg_dl").as_int64(), 300);
    EXPECT_EQ(t.at("latest").at("trend").as_string(), "DoubleUp");
    EXPECT_DOUBLE_EQ(t.at("latest").at("rate_mg_dl_per_min").to_number<double>(), 13.2);
    // AGP: 16:30-16:50 UTC falls into two 15-minute bins.
    auto agp = t.at("agp").as_array();
    ASSERT_EQ(agp.size(), 2u);
    EXPECT_EQ(agp[0].at("time").as_string(), "16:30");
    EXPECT_EQ(agp[0].at("count").to_number<std::uint64_t>(), 3u);
    EXPECT_DOUBLE_EQ(agp[0].at("p50").to_number<double>(), 100);

    auto empty = c().get("/api/pin_dexcom/trends", sign_up(c(), "no-data").auth()).json();
    EXPECT_EQ(empty.at("readings").to_number<std::uint64_t>(), 0u);
    EXPECT_TRUE(empty.at("mean_mg_dl").is_null());
    EXPECT_TRUE(empty.at("latest").is_null());
}

TEST_F(CgmTest, NightscoutEntriesNewestFirst) {
    post_readings({{T0, 100}, {T0 + 300, 103}, {T0 + 600, 106}, {T0 + 900, 109}});
    auto r = c().get("/api/v1/entries.json?count=2", me_.auth());
    ASSERT_EQ(r.status, 200u);
    auto arr = r.json().as_array();
    ASSERT_EQ(arr.size(), 2u);
    EXPECT_EQ(arr[0].at("sgv").as_int64(), 109);
    EXPECT_EQ(arr[0].at("type").as_string(), "sgv");
    EXPECT_EQ(arr[0].at("date").as_int64(), (T0 + 900) * 1000);
    EXPECT_EQ(arr[0].at("dateString").as_string(), iso(T0 + 900));
    EXPECT_EQ(arr[0].at("direction").as_string(), "Flat");  // +0.6 mg/dL/min
    EXPECT_EQ(arr[1].at("sgv").as_int64(), 106);
    EXPECT_EQ(c().get("/api/v1/entries.json?count=0", me_.auth()).status, 400u);
    EXPECT_EQ(c().get("/api/v1/entries.json").status, 401u);
}

TEST_F(CgmTest, EventsAreValidatedListedAndOwned) {
    auto e = c().post_json(
        "/api/events",
        json::object{{"type", "carbs"}, {"at", iso(T0)}, {"value", 45}, {"note", "toast"}},
        me_.auth());
    ASSERT_EQ(e.status, 201u) << e.body;
    std::int64_t id = e.json().at("id").as_int64();
    EXPECT_EQ(
        c().post_json("/api/events", json::object{{"type", "pizza"}, {"at", iso(T0)}}, me_.auth())
            .json()
            .at("error")
            .at("field")
            .as_string(),
        "type");
    EXPECT_EQ(
        c().post_json("/api/events", json::object{{"type", "insulin"}, {"at", iso(T0)}}, me_.auth())
            .json()
            .at("error")
            .at("field")
            .as_string(),
        "value");
    EXPECT_EQ(c().post_json("/api/events",
                            json::object{{"type", "insulin"}, {"at", iso(T0)}, {"value", 900}},
                            me_.auth())
                  .status,
              400u);
    EXPECT_EQ(c().post_json("/api/events", json::object{{"type", "sensor_insert"}, {"at", iso(T0)}},
                            me_.auth())
                  .status,
              201u);
    auto list =
        c().get("/api/events?from=" + iso(T0 - 60) + "&to=" + iso(T0 + 60), me_.auth()).json();
    EXPECT_EQ(list.at("items").as_array().size(), 2u);
    auto other = sign_up(c(), "event-thief");
    EXPECT_EQ(c().del("/api/events/" + std::to_string(id), other.auth()).status, 404u);
    EXPECT_EQ(c().del("/api/events/" + std::to_string(id), me_.auth()).status, 204u);
    EXPECT_EQ(c().del("/api/events/" + std::to_string(id), me_.auth()).status, 404u);
}

TEST_F(CgmTest, MealResponseFromReadingsAroundAMeal) {
    auto food = c().get("/api/foods?q=apple&limit=1").json().at("items").at(0).at("id");
    auto meal = c().post_json(
        "/api/food_log",
        json::object{{"food_id", food}, {"grams", 150}, {"meal", "lunch"}, {"eaten_at", iso(T0)}},
        me_.auth());
    ASSERT_EQ(meal.status, 201u);
    std::string path =
        "/api/food_log/" + std::to_string(meal.json().at("id").as_int64()) + "/response";
    EXPECT_EQ(c().get(path, me_.auth()).status, 404u);  // no readings yet

    // The hand-worked curve of the unit test: baseline 100 five minutes before, peak 180 at 45 min.
    std::vector<std::pair<std::int64_t, int>> rs = {
        {T0 - 300, 100},  {T0 + 900, 130},  {T0 + 1800, 160}, {T0 + 2700, 180}, {T0 + 3600, 170},
        {T0 + 4500, 150}, {T0 + 5400, 120}, {T0 + 6300, 100}, {T0 + 7200, 90}};
    post_readings(rs);
    auto r = c().get(path, me_.auth());
    ASSERT_EQ(r.status, 200u) << r.body;
    auto b = r.json();
    EXPECT_EQ(b.at("baseline_mg_dl").as_int64(), 100);
    EXPECT_EQ(b.at("peak_mg_dl").as_int64(), 180);
    EXPECT_EQ(b.at("peak_after_min").as_int64(), 45);
    EXPECT_EQ(b.at("rise_mg_dl").as_int64(), 80);
    EXPECT_DOUBLE_EQ(b.at("iauc_2h").to_number<double>(), 4706.3);
    EXPECT_EQ(c().get(path, sign_up(c(), "nosy").auth()).status, 404u);
}

TEST_F(CgmTest, ImportCgmCommandLineReadsAFileForAUser) {
    std::string path = (server_->data_dir() / "clarity.csv").string();
    std::ofstream(path) << kClarity;
    auto r = run_binary({"import-cgm", "--user", "CGM-USER", path, "--data-dir",
                         server_->data_dir().string(), "--log-level", "warn"},
                        server_->data_dir());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    auto result = json::parse(r.output.substr(r.output.rfind("{\"inserted\"")));
    EXPECT_EQ(result.at("inserted").to_number<std::uint64_t>(), 3u);
    EXPECT_EQ(result.at("skipped").as_array().size(), 1u);
    auto again = run_binary({"import-cgm", "--user", "cgm-user", path, "--data-dir",
                             server_->data_dir().string(), "--log-level", "warn"},
                            server_->data_dir());
    EXPECT_EQ(json::parse(again.output.substr(again.output.rfind("{\"inserted\"")))
                  .at("inserted")
                  .to_number<std::uint64_t>(),
              0u);
    // The readings are the user's, visible through the API.
    auto list =
        c().get("/api/pin_dexcom/readings?from=2026-11-20&to=2026-11-20", me_.auth()).json();
    EXPECT_EQ(list.at("items").as_array().size(), 3u);
    auto nobody = run_binary(
        {"import-cgm", "--user", "ghost", path, "--data-dir", server_->data_dir().string()},
        server_->data_dir());
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_NE(nobody.output.find("no user named ghost"), std::string::npos);
    auto missing = run_binary({"import-cgm", "--user", "cgm-user", "/nonexistent.csv", "--data-dir",
                               server_->data_dir().string()},
                              server_->data_dir());
    EXPECT_EQ(missing.exit_code, 1);
}

TEST_F(CgmTest, DemoReadingsCanBeRemovedAndRealOnesCannot) {
    json::array demo, real;
    for (int i = 0; i < 3; ++i)
        demo.push_back(json::object{{"at", iso(T0 + i * 300)}, {"mg_dl", 100}});
    real.push_back(json::object{{"at", iso(T0 + 3000)}, {"mg_dl", 150}});
    ASSERT_EQ(c().post_json("/api/pin_dexcom/readings",
                            json::object{{"readings", demo}, {"source", "demo"}}, me_.auth())
                  .status,
              201u);
    ASSERT_EQ(
        c().post_json("/api/pin_dexcom/readings", json::object{{"readings", real}}, me_.auth())
            .status,
        201u);
    EXPECT_EQ(c().post_json("/api/pin_dexcom/readings",
                            json::object{{"readings", real}, {"source", "clarity"}}, me_.auth())
                  .status,
              400u);
    auto other = sign_up(c(), "demo-neighbour");
    ASSERT_EQ(c().post_json("/api/pin_dexcom/readings",
                            json::object{{"readings", demo}, {"source", "demo"}}, other.auth())
                  .status,
              201u);

    EXPECT_EQ(c().del("/api/pin_dexcom/readings", me_.auth()).status, 400u);  // only ?source=demo
    auto r = c().del("/api/pin_dexcom/readings?source=demo", me_.auth());
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("deleted").to_number<std::int64_t>(), 3);
    auto left =
        c().get("/api/pin_dexcom/readings?from=" + iso(T0) + "&to=" + iso(T0 + 86400), me_.auth())
            .json();
    ASSERT_EQ(left.at("items").as_array().size(), 1u);
    EXPECT_EQ(left.at("items").at(0).at("mg_dl").as_int64(), 150);
    auto theirs =
        c().get("/api/pin_dexcom/readings?from=" + iso(T0) + "&to=" + iso(T0 + 86400), other.auth())
            .json();
    EXPECT_EQ(theirs.at("items").as_array().size(), 3u);  // another user's demo data is untouched
    EXPECT_EQ(c().del("/api/pin_dexcom/readings?source=demo").status, 401u);
}
