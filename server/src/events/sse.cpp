#include "events/sse.hpp"

#include <algorithm>
#include <charconv>

namespace glucoplay::events {

namespace {

class SseStream final : public http::StreamSource {
  public:
    SseStream(Hub& hub, std::string topic, const std::function<std::vector<Message>()>& initial,
              bool resumable)
        : hub_(hub),
          topic_(std::move(topic)),
          subscription_(hub.subscribe(topic_)),
          resumable_(resumable) {
        // Tell the client how long to wait before reconnecting.
        pending_ = "retry: 3000\n\n";
        for (const auto& m : initial()) {
            pending_ += format_sse(m);
            if (auto id = numeric_id(m)) sent_up_to_ = std::max(sent_up_to_.value_or(0), *id);
        }
    }

    std::optional<std::string> next_chunk() override {
        // A resumable client too slow for its queue lost messages: send nothing more and end the
        // stream, so it reconnects with the last id it has and gets the rest from the database.
        if (resumable_ && subscription_->dropped() > 0) {
            overflowed_ = true;
            return std::nullopt;
        }
        std::string out = std::move(pending_);
        pending_.clear();
        while (auto m = subscription_->pop()) {
            auto id = numeric_id(*m);
            if (sent_up_to_ && id && *id <= *sent_up_to_) continue;  // in the backlog already
            out += format_sse(*m);
        }
        if (out.empty()) return std::nullopt;
        return out;
    }
    bool finished() const override { return overflowed_ || subscription_->closed(); }
    void set_waker(std::function<void()> waker) override {
        subscription_->set_waker(std::move(waker));
    }
    void on_close() override {
        subscription_->set_waker(nullptr);
        hub_.unsubscribe(topic_, subscription_);
    }

  private:
    static std::optional<std::int64_t> numeric_id(const Message& m) {
        if (!m.id) return std::nullopt;
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(m.id->data(), m.id->data() + m.id->size(), v);
        if (ec != std::errc() || end != m.id->data() + m.id->size()) return std::nullopt;
        return v;
    }

    Hub& hub_;
    std::string topic_;
    std::shared_ptr<Subscription> subscription_;
    std::optional<std::int64_t> sent_up_to_;
    std::string pending_;
    bool resumable_ = false;
    bool overflowed_ = false;
};

http::Response stream_response(Hub& hub, const std::string& topic,
                               const std::function<std::vector<Message>()>& initial,
                               bool resumable) {
    http::Response r;
    r.status = 200;
    r.headers.set("Content-Type", "text/event-stream");
    r.headers.set("Cache-Control", "no-cache");
    r.headers.set("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
    r.stream = std::make_shared<SseStream>(hub, topic, initial, resumable);
    return r;
}

}  // namespace

http::Response sse_response(Hub& hub, const std::string& topic, std::vector<Message> initial) {
    return stream_response(
        hub, topic, [&initial] { return std::move(initial); }, false);
}

http::Response sse_response(Hub& hub, const std::string& topic,
                            std::function<std::vector<Message>()> backlog) {
    return stream_response(hub, topic, backlog, true);
}

}  // namespace glucoplay::events
