#include "events/hub.hpp"

#include <algorithm>

namespace glucoplay::events {

std::string format_sse(const Message& m) {
    std::string out;
    if (m.id) out += "id: " + *m.id + "\n";
    out += "event: " + m.event + "\n";
    std::size_t start = 0;
    while (true) {
        std::size_t nl = m.data.find('\n', start);
        out += "data: " +
               m.data.substr(start, nl == std::string::npos ? std::string::npos : nl - start) +
               "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    out += "\n";
    return out;
}

std::optional<Message> Subscription::pop() {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return std::nullopt;
    Message m = std::move(queue_.front());
    queue_.pop_front();
    return m;
}

bool Subscription::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

std::uint64_t Subscription::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

void Subscription::set_waker(std::function<void()> waker) {
    std::lock_guard lock(mutex_);
    waker_ = std::move(waker);
}

void Subscription::push(const Message& m) {
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        if (queue_.size() >= kMaxQueued) {
            queue_.pop_front();
            ++dropped_;
        }
        queue_.push_back(m);
        wake = waker_;
    }
    if (wake) wake();
}

void Subscription::close() {
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        wake = waker_;
    }
    if (wake) wake();
}

std::shared_ptr<Subscription> Hub::subscribe(const std::string& topic) {
    auto s = std::make_shared<Subscription>();
    std::lock_guard lock(mutex_);
    topics_[topic].push_back(s);
    return s;
}

void Hub::unsubscribe(const std::string& topic, const std::shared_ptr<Subscription>& s) {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return;
    std::erase_if(it->second, [&](const std::weak_ptr<Subscription>& w) {
        auto p = w.lock();
        return !p || p == s;
    });
    if (it->second.empty()) topics_.erase(it);
}

std::size_t Hub::publish(const std::string& topic, const Message& m) {
    const std::size_t delivered = deliver(topic, m);
    std::shared_ptr<const Forwarder> forward;
    {
        std::lock_guard lock(mutex_);
        forward = forwarder_;
    }
    if (forward) (*forward)(topic, m);
    return delivered;
}

std::size_t Hub::publish_remote(const std::string& topic, const Message& m) {
    return deliver(topic, m);
}

std::size_t Hub::deliver(const std::string& topic, const Message& m) {
    std::vector<std::shared_ptr<Subscription>> targets;
    std::vector<std::shared_ptr<const ObserverEntry>> watching;
    {
        std::lock_guard lock(mutex_);
        if (auto it = topics_.find(topic); it != topics_.end())
            for (auto& w : it->second)
                if (auto p = w.lock()) targets.push_back(std::move(p));
        for (const auto& o : observers_)
            if (topic.starts_with(o->prefix)) watching.push_back(o);
    }
    // Outside the hub lock: wakers post to other threads, observers may take their own locks.
    for (auto& s : targets) s->push(m);
    for (const auto& o : watching) o->observer(topic, m);
    return targets.size();
}

void Hub::add_observer(std::string topic_prefix, Observer observer) {
    auto entry = std::make_shared<const ObserverEntry>(
        ObserverEntry{std::move(topic_prefix), std::move(observer)});
    std::lock_guard lock(mutex_);
    observers_.push_back(std::move(entry));
}

void Hub::set_forwarder(Forwarder forwarder) {
    auto f = forwarder ? std::make_shared<const Forwarder>(std::move(forwarder)) : nullptr;
    std::lock_guard lock(mutex_);
    forwarder_ = std::move(f);
}

void Hub::close_topics(const std::string& topic_prefix) {
    std::vector<std::shared_ptr<Subscription>> matching;
    {
        std::lock_guard lock(mutex_);
        for (auto& [topic, subs] : topics_)
            if (topic.starts_with(topic_prefix))
                for (auto& w : subs)
                    if (auto p = w.lock()) matching.push_back(std::move(p));
    }
    for (auto& s : matching) s->close();
}

std::size_t Hub::subscribers(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return 0;
    return static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(),
                                                  [](const auto& w) { return !w.expired(); }));
}

std::size_t Hub::total_subscribers() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [_, subs] : topics_)
        n += static_cast<std::size_t>(
            std::count_if(subs.begin(), subs.end(), [](const auto& w) { return !w.expired(); }));
    return n;
}

}  // namespace glucoplay::events
