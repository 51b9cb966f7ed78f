#include "events/pg_listener.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace glucoplay::events {

namespace {

constexpr std::chrono::milliseconds kConnectTimeout{10'000};
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5'000};
// With nothing to read for this long the loop wakes anyway; TCP keepalives (below) are what
// notice a silently dead server.
constexpr std::chrono::milliseconds kIdleWake{30'000};

std::string last_error(pg_conn* c) {
    std::string msg = c ? PQerrorMessage(c) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return msg;
}

void quiet_notices(void*, const char*) {}

}  // namespace

PgListener::PgListener(std::string url, std::string channel, Callbacks callbacks)
    : url_(std::move(url)), channel_(std::move(channel)), callbacks_(std::move(callbacks)) {
    if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("PgListener: pipe2 failed");
}

PgListener::~PgListener() {
    stop();
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
}

void PgListener::start() {
    thread_ = std::thread([this] { run(); });
}

bool PgListener::wait_listening(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return first_listen_.wait_for(lock, timeout, [this] { return listened_once_; });
}

void PgListener::stop() {
    if (!thread_.joinable()) return;
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(stop_pipe_[1], &byte, 1);
    thread_.join();
}

PgListener::Wait PgListener::wait_for(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {fd, events, 0}};
    const nfds_t count = fd >= 0 ? 2 : 1;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int ms = -1;
        if (timeout.count() >= 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            ms = static_cast<int>(std::max<std::int64_t>(0, left.count()));
        }
        int n = ::poll(fds, count, ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Wait::stopped;  // cannot poll at all: give up rather than spin
        if (fds[0].revents) return Wait::stopped;
        if (n == 0) return Wait::timed_out;
        return Wait::ready;  // readable, writable, or an error/hangup the caller will read
    }
}

// A non-blocking connect (PQconnectStartParams + PQconnectPoll), so stop() need not wait for a
// server that does not answer. Returns null when stopped or failed (logged).
pg_conn* PgListener::connect() {
    // Keywords before "dbname" are defaults that the URL's own settings override.
    const char* keys[] = {"application_name",
                          "keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "dbname",
                          nullptr};
    const char* values[] = {"glucoplay-listener", "1", "30", "10", "3", url_.c_str(), nullptr};
    pg_conn* c = PQconnectStartParams(keys, values, /*expand_dbname=*/1);
    if (!c || PQstatus(c) == CONNECTION_BAD) {
        spdlog::warn("events: cannot connect to PostgreSQL to listen: {}", last_error(c));
        PQfinish(c);
        return nullptr;
    }
    const auto deadline = std::chrono::steady_clock::now() + kConnectTimeout;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;  // as libpq says to start
    while (st != PGRES_POLLING_OK) {
        if (st == PGRES_POLLING_FAILED) {
            spdlog::warn("events: cannot connect to PostgreSQL to listen: {}", last_error(c));
            PQfinish(c);
            return nullptr;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        Wait w = left.count() <= 0
                     ? Wait::timed_out
                     : wait_for(PQsocket(c), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, left);
        if (w != Wait::ready) {
            if (w == Wait::timed_out) spdlog::warn("events: connecting to PostgreSQL timed out");
            PQfinish(c);
            return nullptr;
        }
        st = PQconnectPoll(c);
    }
    PQsetNoticeProcessor(c, quiet_notices, nullptr);
    if (PQsetnonblocking(c, 1) != 0) {
        PQfinish(c);
        return nullptr;
    }
    return c;
}

// Sends LISTEN and waits for its result without blocking.
bool PgListener::listen(pg_conn* c) {
    const std::string sql = "LISTEN " + channel_;
    if (!PQsendQuery(c, sql.c_str())) return false;
    while (PQflush(c) == 1)
        if (wait_for(PQsocket(c), POLLOUT, kConnectTimeout) != Wait::ready) return false;
    bool ok = false;
    for (;;) {
        while (PQisBusy(c)) {
            if (wait_for(PQsocket(c), POLLIN, kConnectTimeout) != Wait::ready) return false;
            if (!PQconsumeInput(c)) return false;
        }
        PGresult* r = PQgetResult(c);
        if (!r) break;
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) spdlog::warn("events: LISTEN failed: {}", PQresultErrorMessage(r));
        PQclear(r);
    }
    return ok;
}

bool PgListener::consume(pg_conn* c) {
    if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) return false;
    while (PGnotify* n = PQnotifies(c)) {
        std::string payload = n->extra ? n->extra : "";
        PQfreemem(n);
        try {
            if (callbacks_.on_payload) callbacks_.on_payload(payload);
        } catch (const std::exception& e) {
            spdlog::error("events: handling a notification failed: {}", e.what());
        }
    }
    return true;
}

void PgListener::run() {
    auto backoff = kFirstBackoff;
    bool lost_before = false;
    for (;;) {
        pg_conn* c = connect();
        if (c && listen(c)) {
            backoff = kFirstBackoff;
            listening_ = true;
            if (lost_before) {
                ++reconnects_;
                spdlog::info("events: listening again after the PostgreSQL connection was lost");
            }
            try {
                if (callbacks_.on_listening) callbacks_.on_listening(lost_before);
            } catch (const std::exception& e) {
                spdlog::error("events: after LISTEN: {}", e.what());
            }
            {
                std::lock_guard lock(mutex_);
                listened_once_ = true;
            }
            first_listen_.notify_all();
            // Notifications that came with the LISTEN's answer are already buffered.
            bool alive = consume(c);
            while (alive) {
                Wait w = wait_for(PQsocket(c), POLLIN, kIdleWake);
                if (w == Wait::stopped) {
                    listening_ = false;
                    PQfinish(c);
                    return;
                }
                if (w == Wait::ready) alive = consume(c);
            }
            listening_ = false;
            spdlog::warn("events: lost the PostgreSQL LISTEN connection: {}", last_error(c));
        }
        if (c) PQfinish(c);
        lost_before = true;
        if (wait_for(-1, 0, backoff) == Wait::stopped) return;
        backoff = std::min(backoff * 2, kMaxBackoff);
    }
}

}  // namespace glucoplay::events
