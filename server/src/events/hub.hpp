#pragma once

// Publish/subscribe for live events (leaderboard changes, notifications) delivered over
// Server-Sent Events. Topics are strings ("leaderboard:racing", "user:42"). Each subscription
// has a bounded queue: a slow client loses its oldest messages instead of growing memory, and
// learns it lagged. Thread-safe; no Asio types here (the network layer polls with a waker).
//
// Several instances: a forwarder (events/pg_bridge.hpp on PostgreSQL) is handed every message
// published here, and messages from other instances come back in through publish_remote(), which
// delivers without forwarding again. Both end in one local delivery step, so subscribers and
// observers see local and remote messages alike.

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
    // Called (synchronously, outside the hub's lock) with every delivered message; must be cheap
    // and must not block or publish to the hub.
    using Observer = std::function<void(const std::string& topic, const Message& m)>;
    // Takes this instance's messages to the other instances; must not block (queue and return).
    using Forwarder = std::function<void(const std::string& topic, const Message& m)>;

    std::shared_ptr<Subscription> subscribe(const std::string& topic);
    void unsubscribe(const std::string& topic, const std::shared_ptr<Subscription>& s);
    // A message that happened in this process: delivered here, then handed to the forwarder.
    // Returns how many local subscribers received it.
    std::size_t publish(const std::string& topic, const Message& m);
    // A message another instance published: delivered here only (never forwarded again).
    std::size_t publish_remote(const std::string& topic, const Message& m);
    // `observer` sees every message delivered on a topic starting with `topic_prefix` ("" for
    // all), local or remote, whether or not anyone subscribes. Register before serving.
    void add_observer(std::string topic_prefix, Observer observer);
    void set_forwarder(Forwarder forwarder);
    // Closes the subscriptions of every topic starting with `topic_prefix` (their streams end
    // and clients reconnect), e.g. after remote messages may have been missed.
    void close_topics(const std::string& topic_prefix);
    // Closes every subscription (server shutdown).
    void close_all() { close_topics(""); }
    std::size_t subscribers(const std::string& topic) const;
    std::size_t total_subscribers() const;

  private:
    struct ObserverEntry {
        std::string prefix;
        Observer observer;
    };
    // The one local delivery: subscribers of the topic, then matching observers.
    std::size_t deliver(const std::string& topic, const Message& m);

    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::weak_ptr<Subscription>>> topics_;
    std::vector<std::shared_ptr<const ObserverEntry>> observers_;
    std::shared_ptr<const Forwarder> forwarder_;
};

}  // namespace glucoplay::events
