#include "events/sse.hpp"

namespace glucoplay::events {

namespace {

class SseStream final : public http::StreamSource {
  public:
    SseStream(Hub& hub, std::string topic, std::vector<Message> initial)
        : hub_(hub),
          topic_(std::move(topic)),
          subscription_(hub.subscribe(topic_)),
          initial_(std::move(initial)) {
        // Tell the client how long to wait before reconnecting.
        pending_ = "retry: 3000\n\n";
        for (const auto& m : initial_) pending_ += format_sse(m);
    }

    std::optional<std::string> next_chunk() override {
        std::string out = std::move(pending_);
        pending_.clear();
        while (auto m = subscription_->pop()) out += format_sse(*m);
        if (out.empty()) return std::nullopt;
        return out;
    }
    bool finished() const override { return subscription_->closed(); }
    void set_waker(std::function<void()> waker) override {
        subscription_->set_waker(std::move(waker));
    }
    void on_close() override {
        subscription_->set_waker(nullptr);
        hub_.unsubscribe(topic_, subscription_);
    }

  private:
    Hub& hub_;
    std::string topic_;
    std::shared_ptr<Subscription> subscription_;
    std::vector<Message> initial_;
    std::string pending_;
};

}  // namespace

http::Response sse_response(Hub& hub, const std::string& topic, std::vector<Message> initial) {
    http::Response r;
    r.status = 200;
    r.headers.set("Content-Type", "text/event-stream");
    r.headers.set("Cache-Control", "no-cache");
    r.headers.set("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
    r.stream = std::make_shared<SseStream>(hub, topic, std::move(initial));
    return r;
}

}  // namespace glucoplay::events
