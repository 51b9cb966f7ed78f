#pragma once

// LISTEN on one PostgreSQL channel from a thread with its own libpq connection (the one place
// outside storage/postgres that uses libpq: the pool's connections never LISTEN). The thread
// never blocks where it cannot be stopped: connecting, LISTEN and waiting for notifications all
// poll the socket together with a stop pipe. A lost connection (server restart, network) is
// reopened with backoff (0.1 s doubling to 5 s); every time LISTEN is active again the
// `on_listening` callback says whether notifications may have been missed meanwhile.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

struct pg_conn;

namespace glucoplay::events {

class PgListener {
  public:
    struct Callbacks {
        // Each notification's payload, in the order the server sends them.
        std::function<void(std::string_view payload)> on_payload;
        // LISTEN is active; `after_loss` is false the first time, true after a reconnect.
        std::function<void(bool after_loss)> on_listening;
    };

    // `channel` must be a plain lower-case identifier (it is not quoted).
    PgListener(std::string url, std::string channel, Callbacks callbacks);
    ~PgListener();
    PgListener(const PgListener&) = delete;
    PgListener& operator=(const PgListener&) = delete;

    void start();
    // Waits until the first LISTEN is active; false when `timeout` passed first.
    bool wait_listening(std::chrono::milliseconds timeout);
    // Wakes the thread and joins it (prompt: it is never blocked on the network).
    void stop();

    bool listening() const { return listening_.load(); }
    std::uint64_t reconnects() const { return reconnects_.load(); }

  private:
    enum class Wait { ready, stopped, timed_out };
    // Polls `fd` for `events` and the stop pipe, up to `timeout` (negative: no limit).
    Wait wait_for(int fd, short events, std::chrono::milliseconds timeout);
    pg_conn* connect();
    bool listen(pg_conn* conn);
    // Reads what arrived; false when the connection is gone.
    bool consume(pg_conn* conn);
    void run();

    std::string url_;
    std::string channel_;
    Callbacks callbacks_;
    int stop_pipe_[2] = {-1, -1};
    std::thread thread_;
    std::atomic<bool> listening_{false};
    std::atomic<std::uint64_t> reconnects_{0};
    std::mutex mutex_;
    std::condition_variable first_listen_;
    bool listened_once_ = false;
};

}  // namespace glucoplay::events
