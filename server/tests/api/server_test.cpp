// The real binary over HTTP: health, metrics, errors, limits, the web listener, access logs,
// graceful shutdown and startup configuration.
#include <gtest/gtest.h>
#include <signal.h>

#include <sched.h>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "storage/database.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

using namespace glucoplay::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// One server shared by the read-only tests in this file (starting one costs ~50 ms, but there is
// no reason to pay it per test).
class ServerTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new ServerProcess(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    static ServerProcess* server_;
    HttpClient api() { return HttpClient(server_->api_port()); }
    HttpClient web() { return HttpClient(server_->web_port()); }
};
ServerProcess* ServerTest::server_ = nullptr;

}  // namespace

TEST_F(ServerTest, HealthReportsOkDialectAndVersion) {
    auto r = api().get("/api/health");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    auto body = r.json().as_object();
    EXPECT_EQ(body.at("status").as_string(), "ok");
    EXPECT_EQ(body.at("database").as_string(), test_dialect_name());
    EXPECT_FALSE(body.at("version").as_string().empty());
}

TEST_F(ServerTest, UnknownRouteIs404AndWrongMethodIs405InTheErrorShape) {
    auto client = api();
    auto r = client.get("/api/does-not-exist");
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.error_code(), "not_found");
    EXPECT_FALSE(r.json().at("error").at("message").as_string().empty());

    auto m = client.request("DELETE", "/api/health");
    EXPECT_EQ(m.status, 405u);
    EXPECT_EQ(m.header("Allow"), "GET");
    EXPECT_EQ(m.error_code(), "method_not_allowed");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    RawConnection c(server_->api_port());
    c.send(
        "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/health HTTP/1.1\r\nHost: "
        "x\r\nConnection: close\r\n\r\n");
    std::string out = c.read_all();
    std::size_t first = out.find("HTTP/1.1 200");
    ASSERT_NE(first, std::string::npos);
    EXPECT_NE(out.find("HTTP/1.1 200", first + 1), std::string::npos) << out;
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
    // Declared length over 1 MiB: refused before the body is read.
    std::string reply =
        raw_exchange(server_->api_port(),
                     "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2000000\r\n\r\n{");
    EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos) << reply;
    EXPECT_NE(reply.find("payload_too_large"), std::string::npos);

    // Chunked body that grows past the limit.
    std::string chunk(600 * 1024, 'a');
    char size[32];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    std::string chunked =
        "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    chunked += std::string(size) + "\r\n" + chunk + "\r\n" + std::string(size) + "\r\n" + chunk +
               "\r\n0\r\n\r\n";
    RawConnection c(server_->api_port());
    try {
        c.send(chunked);
    } catch (...) {
        // The server may close while we are still sending; the reply is what matters.
    }
    std::string out = c.read_all();
    EXPECT_NE(out.find("HTTP/1.1 413"), std::string::npos) << out.substr(0, 200);
}

TEST_F(ServerTest, MalformedRequestsGet400) {
    std::string reply =
        raw_exchange(server_->api_port(), "GET /api/health HTTP/1.1\r\nHost x-no-colon\r\n\r\n");
    EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos) << reply;
    std::string bad_target = raw_exchange(
        server_->api_port(), "GET /api/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(bad_target.find("HTTP/1.1 400"), std::string::npos) << bad_target;
}

TEST_F(ServerTest, OversizedHeadersGet431) {
    std::string big(20000, 'a');
    std::string reply = raw_exchange(
        server_->api_port(), "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n");
    EXPECT_NE(reply.find("HTTP/1.1 431"), std::string::npos) << reply.substr(0, 200);
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
    auto client = api();
    auto given = client.get("/api/health", {{"X-Request-Id", "trace-123"}});
    EXPECT_EQ(given.header("X-Request-Id"), "trace-123");
    auto odd = client.get("/api/health", {{"X-Request-Id", "bad id with spaces"}});
    EXPECT_NE(odd.header("X-Request-Id"), "bad id with spaces");
    EXPECT_EQ(odd.header("X-Request-Id").size(), 16u);
}

// Every answer carries its request id once: set by the dispatcher on API answers (the network
// layer no longer sets it again), by the network layer on the rest (web files, a target that
// does not parse, answers from memory and from the worker pool alike).
TEST_F(ServerTest, EveryAnswerCarriesItsRequestIdExactlyOnce) {
    auto count = [](const std::string& reply) {
        std::size_t n = 0;
        for (std::size_t at = reply.find("\r\nX-Request-Id: rid-"); at != std::string::npos;
             at = reply.find("\r\nX-Request-Id: rid-", at + 1))
            ++n;
        return n;
    };
    auto ask = [](unsigned short port, const std::string& target, const std::string& id) {
        return raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + id +
                                      "\r\nConnection: close\r\n\r\n");
    };
    for (const char* target : {"/api/health", "/api/scores?game=racing", "/api/scores?game=racing",
                               "/api/scores/me?game=racing", "/api/%zz", "/api/no-such-route"}) {
        const std::string reply = ask(server_->api_port(), target, "rid-api");
        EXPECT_EQ(count(reply), 1u) << target << "\n" << reply.substr(0, 600);
        EXPECT_NE(reply.find("\r\nX-Request-Id: rid-api\r\n"), std::string::npos) << reply;
    }
    for (const char* target : {"/", "/no-such-page.html"}) {
        const std::string reply = ask(server_->web_port(), target, "rid-web");
        EXPECT_EQ(count(reply), 1u) << target << "\n" << reply.substr(0, 600);
        EXPECT_NE(reply.find("\r\nX-Request-Id: rid-web\r\n"), std::string::npos) << reply;
    }
}

TEST_F(ServerTest, AccessLogHasOneStructuredLineWithoutTokensOrQuery) {
    auto client = api();
    client.get("/api/health?token=querysecret",
               {{"Authorization", "Bearer headersecret"}, {"X-Request-Id", "log-check-1"}});
    std::string line = server_->wait_for_log(
        [](const std::string& l) { return l.find("request_id=log-check-1") != std::string::npos; });
    ASSERT_FALSE(line.empty()) << server_->log_text();
    EXPECT_NE(line.find("method=GET"), std::string::npos) << line;
    EXPECT_NE(line.find("path=/api/health "), std::string::npos) << line;
    EXPECT_NE(line.find("status=200"), std::string::npos) << line;
    // Milliseconds with three decimals, and the line starts with its UTC time and level.
    EXPECT_TRUE(std::regex_search(line, std::regex(" duration_ms=[0-9]+\\.[0-9]{3} "))) << line;
    EXPECT_TRUE(std::regex_search(
        line, std::regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
                         "level=info access listener=api ")))
        << line;
    EXPECT_EQ(server_->log_text().find("headersecret"), std::string::npos);
    EXPECT_EQ(server_->log_text().find("querysecret"), std::string::npos);
}

TEST_F(ServerTest, MetricsCountRequestsByRouteAndStatus) {
    auto client = api();
    client.get("/api/health");
    client.get("/api/nothing-here");
    auto m = client.get("/metrics");
    EXPECT_EQ(m.status, 200u);
    EXPECT_NE(m.header("Content-Type").find("text/plain"), std::string::npos);
    EXPECT_NE(
        m.body.find(
            "glucoplay_http_requests_total{method=\"GET\",route=\"/api/health\",status=\"200\"}"),
        std::string::npos)
        << m.body;
    EXPECT_NE(m.body.find("route=\"unmatched\",status=\"404\""), std::string::npos);
    EXPECT_NE(
        m.body.find(
            "glucoplay_http_request_duration_seconds_bucket{route=\"/api/health\",le=\"+Inf\"}"),
        std::string::npos);
    EXPECT_NE(m.body.find("glucoplay_db_pool_max"), std::string::npos);
    // SQLite's background checkpoints (none yet: a fresh database has a short WAL).
    EXPECT_NE(m.body.find("glucoplay_sqlite_checkpoints_total 0"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("glucoplay_sqlite_checkpoint_failures_total 0"), std::string::npos);
}

TEST_F(ServerTest, CorsDefaultsToTheUiOriginOnly) {
    auto client = api();
    std::string ui = "http://127.0.0.1:" + std::to_string(server_->web_port());
    auto ok = client.get("/api/health", {{"Origin", ui}});
    EXPECT_EQ(ok.header("Access-Control-Allow-Origin"), ui);
    EXPECT_EQ(ok.header("Access-Control-Allow-Credentials"), "true");
    auto foreign = client.get("/api/health", {{"Origin", "http://evil.example"}});
    EXPECT_FALSE(foreign.has_header("Access-Control-Allow-Origin"));
    auto pre = client.request("OPTIONS", "/api/health", "",
                              {{"Origin", ui}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(pre.status, 204u);
    EXPECT_EQ(pre.header("Access-Control-Allow-Origin"), ui);
}

TEST_F(ServerTest, WebListenerServesFilesWithTypesEtagsAndCaching) {
    auto client = web();
    auto index = client.get("/");
    EXPECT_EQ(index.status, 200u);
    EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(index.header("Cache-Control"), "no-cache");
    EXPECT_NE(index.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(index.header("Content-Security-Policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(index.header("X-Content-Type-Options"), "nosniff");

    auto js = client.get("/assets/app-abc123.js");
    EXPECT_EQ(js.status, 200u);
    EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
    auto again = client.get("/assets/app-abc123.js", {{"If-None-Match", js.header("ETag")}});
    EXPECT_EQ(again.status, 304u);
    EXPECT_TRUE(again.body.empty());

    auto head = client.request("HEAD", "/assets/app-abc123.js");
    EXPECT_EQ(head.status, 200u);
    EXPECT_EQ(head.header("Content-Length"), std::to_string(js.body.size()));

    auto spa = client.get("/food-log/2026-11-27");
    EXPECT_EQ(spa.status, 200u);
    EXPECT_EQ(spa.body, index.body);
    EXPECT_EQ(client.get("/assets/nope.js").status, 404u);
}

TEST_F(ServerTest, WebListenerRefusesPathTraversal) {
    for (const char* target : {"/../outside.txt", "/%2e%2e/outside.txt", "/%2E%2E%2Foutside.txt",
                               "/assets/..%2f..%2foutside.txt", "/..%5coutside.txt",
                               "/%252e%252e/outside.txt", "/./outside.txt"}) {
        std::string reply = raw_exchange(
            server_->web_port(),
            std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(reply.find("outside the web root"), std::string::npos) << target << "\n" << reply;
        EXPECT_NE(reply.find("HTTP/1.1 "), std::string::npos) << target;
    }
}

TEST_F(ServerTest, ConfigJsonPointsTheUiAtThisApi) {
    auto r = web().get("/config.json");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.json().at("api_base").as_string(),
              "http://127.0.0.1:" + std::to_string(server_->api_port()));
    EXPECT_NE(r.header("Content-Security-Policy").find("connect-src 'self' http://127.0.0.1:"),
              std::string::npos);
}

TEST(ServerLifecycle, SigtermFinishesTheInFlightRequestThenExitsZero) {
    ServerProcess server;
    // A request whose body is still arriving when SIGTERM comes is in flight: it must be answered.
    RawConnection c(server.api_port());
    c.send(
        "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        "2\r\n\r\n");
    // An idle keep-alive connection must not hold the shutdown up.
    RawConnection idle(server.api_port());
    idle.send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
    server.wait_for_log([](const std::string& l) {
        return l.find("path=/api/health status=200") != std::string::npos;
    });

    server.signal(SIGTERM);
    ASSERT_FALSE(server
                     .wait_for_log([](const std::string& l) {
                         return l.find("shutting down") != std::string::npos;
                     })
                     .empty());
    EXPECT_TRUE(server.running());  // still waiting for the in-flight request
    c.send("{}");
    std::string reply = c.read_all();
    EXPECT_NE(reply.find("HTTP/1.1 405"), std::string::npos)
        << reply;  // answered (POST is not allowed on health)
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
    EXPECT_EQ(server.wait_exit(), 0);
    EXPECT_NE(server.log_text().find("server stopped"), std::string::npos);
}

TEST(ServerLifecycle, ProductionRefusesToStartWithoutAStrongJwtSecret) {
    ServerProcess::Options o;
    o.env = {{"GLUCOPLAY_ENV", "production"}};
    o.expect_ready = false;
    ServerProcess missing(o);
    EXPECT_EQ(missing.wait_exit(), 2);
    EXPECT_NE(missing.log_text().find("GLUCOPLAY_JWT_SECRET is required in production"),
              std::string::npos)
        << missing.log_text();

    o.env["GLUCOPLAY_JWT_SECRET"] = "too-short";
    ServerProcess weak(o);
    EXPECT_EQ(weak.wait_exit(), 2);
    EXPECT_NE(weak.log_text().find("at least 32 bytes"), std::string::npos) << weak.log_text();

    o.env["GLUCOPLAY_JWT_SECRET"] = std::string(40, 'k');
    o.expect_ready = true;
    ServerProcess strong(o);
    EXPECT_EQ(HttpClient(strong.api_port()).get("/api/health").status, 200u);
}

TEST(ServerLifecycle, DevelopmentGeneratesAndKeepsAJwtSecretInTheDataDir) {
    ServerProcess server;
    fs::path secret = server.data_dir() / "jwt_secret";
    ASSERT_TRUE(fs::exists(secret));
    EXPECT_EQ(fs::status(secret).permissions() & fs::perms::others_read, fs::perms::none);
}

TEST(ServerLifecycle, DotenvFileIsReadButFlagsAndEnvironmentWin) {
    fs::path dir = make_temp_dir("glucoplay-dotenv");
    std::ofstream(dir / ".env") << "# settings for this test\n"
                                   "GLUCOPLAY_CORS_ORIGINS=http://from-dotenv.example\n"
                                   "GLUCOPLAY_WEB_PORT=1\n"
                                   "GLUCOPLAY_DB_POOL_SIZE=1\n";
    {
        ServerProcess::Options o;
        o.data_dir = dir;  // the server runs with the data dir as its working directory
        o.env = {{"GLUCOPLAY_DB_POOL_SIZE", "3"}};
        ServerProcess server(o);
        EXPECT_NE(server.web_port(), 1);  // --web-port 0 on the command line beats the .env
        HttpClient client(server.api_port());
        auto r = client.get("/api/health", {{"Origin", "http://from-dotenv.example"}});
        EXPECT_EQ(r.header("Access-Control-Allow-Origin"),
                  "http://from-dotenv.example");  // .env used
        auto m = client.get("/metrics");
        EXPECT_NE(m.body.find("glucoplay_db_pool_max 3"), std::string::npos)
            << m.body;  // environment beats .env
    }
    fs::remove_all(dir);
}

TEST(ServerLifecycle, InvalidConfigurationExitsWithAClearMessage) {
    fs::path dir = make_temp_dir("glucoplay-badcfg");
    auto r = run_binary({"serve", "--port", "99999", "--data-dir", dir.string()}, dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("GLUCOPLAY_PORT must be a whole number from 0 to 65535"),
              std::string::npos)
        << r.output;
    fs::remove_all(dir);
}

TEST(InitDb, MigratesAFreshDatabaseAndIsIdempotent) {
    fs::path dir = make_temp_dir("glucoplay-initdb");
    database_url_for(dir, /*empty=*/true);  // PostgreSQL: an empty database, not the template
    auto first = run_binary({"init-db", "--data-dir", dir.string()}, dir);
    EXPECT_EQ(first.exit_code, 0) << first.output;
    EXPECT_NE(first.output.find("migration(s) applied"), std::string::npos) << first.output;
    auto second = run_binary({"init-db", "--data-dir", dir.string()}, dir);
    EXPECT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(second.output.find("migration(s) applied"), std::string::npos) << second.output;

    auto db = open_test_database(dir);
    db->with_connection([](glucoplay::storage::Connection& c) {
        EXPECT_GE(c.query("SELECT COUNT(*) FROM schema_migrations").rows.at(0).int64(0), 1);
        if (c.dialect() == glucoplay::storage::Dialect::sqlite) {
            EXPECT_EQ(c.query("PRAGMA integrity_check").rows.at(0).text(0), "ok");
        }
    });
    fs::remove_all(dir);
}

TEST(InitDb, HelpDocumentsEveryServeFlag) {
    fs::path dir = make_temp_dir("glucoplay-help");
    auto r = run_binary({"serve", "--help"}, dir);
    EXPECT_EQ(r.exit_code, 0);
    for (const char* flag :
         {"--port", "--web-port", "--bind", "--data-dir", "--database", "--cors-origin",
          "--jwt-secret", "--log-level", "--web-root", "GLUCOPLAY_PORT", "GLUCOPLAY_WEB_ROOT"})
        EXPECT_NE(r.output.find(flag), std::string::npos) << flag;
    fs::remove_all(dir);
}

// The database workers run under SCHED_BATCH (no wake-up preemption of the I/O thread that hands
// them a request; issue 9), exactly as many as --db-pool-size, and the I/O thread does not.
TEST(ServerThreads, DatabaseWorkersRunAsBatchThreadsAndTheIoThreadDoesNot) {
    ServerProcess::Options o;
    o.args = {"--db-pool-size", "3", "--threads", "1"};
    ServerProcess server(o);
    ASSERT_EQ(HttpClient(server.api_port()).get("/api/health").status, 200u);
    auto policy_of = [](const std::filesystem::path& stat_file) {
        std::ifstream in(stat_file);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // Fields after "(comm) ": state is field 3 of stat(5), policy field 41.
        std::istringstream rest(text.substr(text.rfind(')') + 2));
        std::string field;
        for (int i = 3; i <= 41 && rest >> field; ++i) {
        }
        return std::stoi(field);
    };
    const std::filesystem::path tasks = "/proc/" + std::to_string(server.pid()) + "/task";
    int batch = 0;
    for (const auto& t : std::filesystem::directory_iterator(tasks))
        if (policy_of(t.path() / "stat") == SCHED_BATCH) ++batch;
    EXPECT_EQ(batch, 3);
    EXPECT_EQ(policy_of(tasks / std::to_string(server.pid()) / "stat"), SCHED_OTHER);
}
