#pragma once

// Publish/subscribe for live events (leaderboard changes, notifications) delivered over
// Server-Sent Events. Topics are strings ("leaderboard:racing", "user:42"). Each subscription
// has a bounded queue: a slow client loses its oldest messages instead of growing memory, and
// learns it lagged. Thread-safe; no Asio types here (the network layer polls with a waker).

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace glucoplay::events {

struct Message {
    std::string event;              // SSE "event:" name
    std::string data;               // one line of JSON
    std::optional<std::string> id;  // SSE "id:" (for Last-Event-ID resumption)
};

// Formats one SSE frame: "id: ..\nevent: ..\ndata: ..\n\n" (data split on newlines).
std::string format_sse(const Message& m);

class Subscription {
  public:
    static constexpr std::size_t kMaxQueued = 64;

    // Next queued message, or nullopt when the queue is empty.
    std::optional<Message> pop();
    bool closed() const;
    std::uint64_t dropped() const;
    // Called (from any thread) when a message arrives or the subscription closes; the network
    // layer sets it to wake its writer. Must be cheap and must not block.
    void set_waker(std::function<void()> waker);

  private:
    friend class Hub;
    void push(const Message& m);
    void close();

    mutable std::mutex mutex_;
    std::deque<Message> queue_;
    std::uint64_t dropped_ = 0;
    bool closed_ = false;
    std::function<void()> waker_;
};

class Hub {
  public:
    std::shared_ptr<Subscription> subscribe(const std::string& topic);
    void unsubscribe(const std::string& topic, const std::shared_ptr<Subscription>& s);
    // Delivers to every live subscriber of the topic; returns how many received it.
    std::size_t publish(const std::string& topic, const Message& m);
    // Closes every subscription (server shutdown).
    void close_all();
    std::size_t subscribers(const std::string& topic) const;
    std::size_t total_subscribers() const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::weak_ptr<Subscription>>> topics_;
};

}  // namespace glucoplay::events
