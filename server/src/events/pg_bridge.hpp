#pragma once

// Live events across instances on PostgreSQL (LISTEN/NOTIFY). The bridge is the hub's forwarder:
// every message published in this process is queued and sent by a sender thread as
// `SELECT pg_notify('glucoplay', payload)` (events/envelope.hpp; the hub's publishers already
// publish only after their transaction committed, so nothing is sent for a rolled-back change),
// and a PgListener delivers other processes' messages to the hub with publish_remote(), which
// never forwards them again. Its own messages come back from the server too and are recognised
// by the origin id this process drew at start.
//
// NOTIFY payloads must be shorter than 8000 bytes: a longer message is stored in the UNLOGGED
// table event_spill (migration 009) and the notification carries only its row id; receivers read
// the row. Rows older than 5 minutes are deleted when the next one is stored.
//
// The sender and spill reads share a connection of their own (a storage::Database of one), so
// live events never wait for a request's connection and requests never wait for them. With the
// listener's that makes two connections per instance beyond --db-pool-size.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "events/hub.hpp"
#include "events/pg_listener.hpp"
#include "storage/database.hpp"

namespace glucoplay::events {

struct BridgeStats {
    std::uint64_t forwarded = 0;   // sent to the other instances
    std::uint64_t statements = 0;  // the pg_notify statements that sent them
    std::uint64_t received = 0;    // from other instances, delivered here
    std::uint64_t failed = 0;      // not sent (database error, queue full) or not readable
    std::uint64_t spilled = 0;     // sent through event_spill (too big for one NOTIFY)
    std::uint64_t reconnects = 0;
    bool listening = false;
};

class PgBridge {
  public:
    static constexpr std::string_view kChannel = "glucoplay";
    static constexpr std::size_t kMaxNotifyPayload = 7999;  // PostgreSQL: shorter than 8000 bytes
    static constexpr std::size_t kMaxQueued = 10'000;
    static constexpr std::size_t kMaxBatch = 64;  // messages taken from the queue at once

    // `url` is the application's postgres:// URL. Connects at once (throws DbUnavailable).
    PgBridge(Hub& hub, const std::string& url);
    ~PgBridge();
    PgBridge(const PgBridge&) = delete;
    PgBridge& operator=(const PgBridge&) = delete;

    // Called on the listener thread whenever LISTEN is active again after the connection was
    // lost: other instances' messages may have been missed in between. Set before start().
    void on_reconnect(std::function<void()> f) { on_reconnect_ = std::move(f); }
    // Becomes the hub's forwarder and starts both threads; waits up to `wait` for LISTEN, so
    // that a client served right after start misses nothing (false when it was not ready yet).
    bool start(std::chrono::milliseconds wait = std::chrono::seconds(10));
    // Detaches from the hub and stops both threads (what is still queued is dropped and counted
    // as failed: live events are best effort, the database has every notification).
    void stop();

    BridgeStats stats() const;
    const std::string& origin() const { return origin_; }

  private:
    void enqueue(const std::string& topic, const Message& m);
    void send_loop();
    // Sends the messages of `batch` from `sent` on, in order, several to a statement; `sent`
    // counts those sent (also when a later one fails and this throws).
    void send(const std::vector<std::pair<std::string, Message>>& batch, std::size_t& sent);
    void receive(std::string_view payload);

    Hub& hub_;
    const std::string origin_;
    std::unique_ptr<storage::Database> db_;
    std::function<void()> on_reconnect_;
    PgListener listener_;

    std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<std::pair<std::string, Message>> queue_;
    bool stopping_ = false;
    std::thread sender_;

    std::atomic<std::uint64_t> forwarded_{0}, statements_{0}, received_{0}, failed_{0}, spilled_{0};
};

}  // namespace glucoplay::events
