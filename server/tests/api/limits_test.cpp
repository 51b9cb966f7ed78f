// Connection limits and timeouts against the real binary: a client dribbling its headers is cut
// off after --header-timeout while others are served, a stalled body after --body-timeout, an
// idle keep-alive connection after --idle-timeout, and one connection over --max-connections gets
// 503 with Retry-After in the error shape.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "support/http_client.hpp"
#include "support/metrics.hpp"
#include "support/server_process.hpp"

using namespace glucoplay::testing;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

ServerProcess::Options with(std::vector<std::string> args) {
    ServerProcess::Options o;
    o.args = std::move(args);
    o.args.insert(o.args.end(), {"--rate-limit", "off"});
    return o;
}

// The server counts a timeout when its connection coroutine resumes, which can be a moment after
// the client already saw the socket closed (Beast closes it when the timer fires): poll with a
// deadline.
double metric_reaching(HttpClient& c, const std::string& name, double at_least) {
    const auto deadline = Clock::now() + 5s;
    double v = metric(c, name);
    while (v < at_least && Clock::now() < deadline) v = metric(c, name);
    return v;
}

}  // namespace

TEST(ConnectionLimits, SlowHeaderClientIsCutOffAfterTheHeaderTimeoutWhileOthersAreServed) {
    ServerProcess server(with({"--header-timeout", "1s"}));
    RawConnection slow(server.api_port());
    const auto opened = Clock::now();
    slow.send("GET /api/health HTTP/1.1\r\nHost: x\r\n");

    // The slow client keeps sending a header byte at a time; it is still cut off.
    bool closed = false;
    bool others_served = false;
    while (!closed && Clock::now() - opened < 8s) {
        if (!others_served) {
            HttpClient other(server.api_port());
            EXPECT_EQ(other.get("/api/health").status, 200u);
            others_served = true;
        }
        try {
            slow.send("X");
        } catch (const std::runtime_error&) {  // the server has already closed it
            closed = true;
            break;
        }
        closed = slow.closed_by_peer(100);
    }
    const auto elapsed = Clock::now() - opened;
    EXPECT_TRUE(closed) << "a client dribbling headers was never cut off";
    EXPECT_TRUE(others_served);
    EXPECT_GE(elapsed, 900ms);  // not before the configured second
    EXPECT_LT(elapsed, 5s);

    HttpClient after(server.api_port());
    EXPECT_EQ(after.get("/api/health").status, 200u);
    EXPECT_GE(metric_reaching(after, "glucoplay_header_timeouts_total", 1), 1);
}

TEST(ConnectionLimits, StalledBodyIsCutOffAfterTheBodyTimeout) {
    ServerProcess server(with({"--body-timeout", "1s"}));
    RawConnection slow(server.api_port());
    slow.send(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n{\"user");
    const auto sent = Clock::now();
    EXPECT_TRUE(slow.closed_by_peer(6000));
    const auto elapsed = Clock::now() - sent;
    EXPECT_GE(elapsed, 900ms);
    EXPECT_LT(elapsed, 5s);
    HttpClient c(server.api_port());
    EXPECT_GE(metric_reaching(c, "glucoplay_body_timeouts_total", 1), 1);
}

TEST(ConnectionLimits, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    ServerProcess server(with({"--idle-timeout", "1s", "--header-timeout", "30s"}));
    RawConnection conn(server.api_port());
    conn.send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = conn.read_some(5000);
    EXPECT_NE(first.find("200 OK"), std::string::npos) << first;
    const auto answered = Clock::now();
    EXPECT_TRUE(conn.closed_by_peer(6000));
    const auto elapsed = Clock::now() - answered;
    EXPECT_GE(elapsed, 900ms);
    EXPECT_LT(elapsed, 5s);
}

TEST(ConnectionLimits, OneConnectionOverTheLimitGets503AndASlotFreesWhenOneCloses) {
    ServerProcess server(with({"--max-connections", "3"}));
    // Three kept-alive connections, each known to be accepted because it was answered.
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawConnection>(server.api_port()));
        held.back()->send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
        auto r = held.back()->read_some(5000);
        ASSERT_NE(r.find("200 OK"), std::string::npos) << r;
    }

    auto refused = raw_exchange(server.api_port(), "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
    auto body = boost::json::parse(refused.substr(refused.find("\r\n\r\n") + 4));
    EXPECT_EQ(body.at("error").at("code").as_string(), "unavailable");

    // The web listener shares the limit.
    auto web = raw_exchange(server.web_port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(web.find("HTTP/1.1 503"), std::string::npos) << web;

    // Closing one frees a slot (the server notices asynchronously: retry with a deadline).
    held.pop_back();
    unsigned status = 0;
    std::unique_ptr<HttpClient> c;
    const auto deadline = Clock::now() + 5s;
    while (status != 200 && Clock::now() < deadline) {
        c = std::make_unique<HttpClient>(server.api_port());
        status = c->get("/api/health").status;
    }
    ASSERT_EQ(status, 200u);
    EXPECT_GE(metric(*c, "glucoplay_connections_refused_total"), 2);  // on the same connection
}
