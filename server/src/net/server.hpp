#pragma once

// The two HTTP listeners (API and web UI) on one io_context run by N threads. Beast types stay in
// server.cpp; callers see plain Request/Response handlers.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/request.hpp"

namespace glucoplay::net {

struct ServerOptions {
    std::string bind = "127.0.0.1";
    unsigned short api_port = 8520;  // 0: pick a free port
    unsigned short web_port = 4887;
    unsigned io_threads = 1;
    unsigned worker_threads = 4;  // API handlers (and so all database work) run here
    // Run the workers under SCHED_BATCH (see Server::Impl::mark_workers_batch).
    bool batch_workers = true;
    std::size_t body_limit = 1024 * 1024;
    std::size_t large_body_limit = 20 * 1024 * 1024;
    std::vector<std::string> large_body_paths = {"/api/pin_dexcom/import"};
    std::size_t header_limit = 16 * 1024;
    // Open connections (API and web listeners together). One more is answered 503 with
    // Retry-After and closed at once, so a flood of idle or slow sockets cannot exhaust
    // descriptors or starve the clients already connected.
    std::size_t max_connections = 1024;
    // The request line and headers must arrive within this, counted from the connection's
    // accept or, on a keep-alive connection, from the first byte of the next request
    // (slowloris: headers dribbled in a byte at a time are cut off here).
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds body_timeout{30};  // the whole body must arrive within this
    std::chrono::seconds idle_timeout{60};  // keep-alive connection waiting for its next request
    std::chrono::seconds write_timeout{30};
    std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long on SIGTERM
    std::chrono::seconds sse_heartbeat{15};   // comment line on idle event streams
};

using Handler = std::function<http::Response(http::Request&)>;
// Tried on the I/O thread before `api` (see http::ApiDispatcher::try_fast): answers from memory,
// never blocks; nullopt sends the request to the worker pool as usual.
using FastHandler = std::function<std::optional<http::Response>(http::Request&)>;

struct ServerStats {
    std::size_t open_connections = 0;
    std::uint64_t refused_connections = 0;  // over max_connections
    std::uint64_t header_timeouts = 0;      // closed for not sending headers in time
    std::uint64_t body_timeouts = 0;
    std::uint64_t fast_responses = 0;  // answered by the fast path on the I/O thread
};

class Server {
  public:
    // `api` runs on the worker pool (it may block on the database); `web` runs on the I/O thread
    // and must not block.
    Server(ServerOptions options, Handler api, Handler web, http::Metrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Optional; set before run().
    void set_api_fast_path(FastHandler fast);
    // Runs `task` on the worker pool, like an API handler (it may block on the database). Tasks
    // posted once the pool has stopped are dropped.
    void post_work(std::function<void()> task);

    // Binds both listeners (throws std::runtime_error naming the address on failure).
    void start();
    unsigned short api_port() const;
    unsigned short web_port() const;

    // Serves until SIGINT/SIGTERM or stop(); then stops accepting, lets in-flight requests finish
    // (up to shutdown_grace), closes idle connections and returns.
    void run();
    void stop();
    // Called once when shutdown begins (e.g. to close event streams). Set before run().
    void on_shutdown(std::function<void()> callback);
    // Connection counters (thread-safe), for the metrics endpoint.
    ServerStats stats() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace glucoplay::net
