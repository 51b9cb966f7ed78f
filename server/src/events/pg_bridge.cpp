#include "events/pg_bridge.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "auth/tokens.hpp"
#include "events/envelope.hpp"
#include "util/time.hpp"

namespace glucoplay::events {

namespace {

constexpr std::int64_t kSpillKeepSeconds = 300;

std::unique_ptr<storage::Database> open_bridge_pool(const std::string& url) {
    storage::DatabaseOptions o;
    // Shared by the sender and the listener's (rare) reads of spilled messages: each holds it
    // for one statement.
    o.pool_size = 1;
    return storage::open_database(url, o);
}

}  // namespace

PgBridge::PgBridge(Hub& hub, const std::string& url)
    : hub_(hub),
      origin_(auth::random_token_id()),
      db_(open_bridge_pool(url)),
      listener_(url, std::string(kChannel),
                PgListener::Callbacks{[this](std::string_view payload) { receive(payload); },
                                      [this](bool after_loss) {
                                          if (after_loss && on_reconnect_) on_reconnect_();
                                      }}) {}

PgBridge::~PgBridge() {
    stop();
}

bool PgBridge::start(std::chrono::milliseconds wait) {
    sender_ = std::thread([this] { send_loop(); });
    listener_.start();
    hub_.set_forwarder([this](const std::string& topic, const Message& m) { enqueue(topic, m); });
    const bool ready = listener_.wait_listening(wait);
    if (!ready)
        spdlog::warn("events: not listening to other instances yet (PostgreSQL LISTEN pending)");
    return ready;
}

void PgBridge::stop() {
    hub_.set_forwarder(nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    if (sender_.joinable()) sender_.join();
    listener_.stop();
}

BridgeStats PgBridge::stats() const {
    return BridgeStats{forwarded_.load(),    statements_.load(), received_.load(),
                       failed_.load(),       spilled_.load(),    listener_.reconnects(),
                       listener_.listening()};
}

void PgBridge::enqueue(const std::string& topic, const Message& m) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= kMaxQueued || stopping_) {
            ++failed_;
            return;
        }
        queue_.emplace_back(topic, m);
    }
    queued_.notify_one();
}

// One thread sends, so other instances see this instance's messages in the order published.
void PgBridge::send_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) {  // shutting down: live events are best effort (the database has the rest)
            failed_ += queue_.size();
            queue_.clear();
            return;
        }
        // What has queued up meanwhile goes with it: a few statements for all of them instead
        // of a round trip and a transaction each (under a stream of scores the sender's
        // backend was a tenth of PostgreSQL's CPU, docs/performance.md).
        std::vector<std::pair<std::string, Message>> batch;
        while (!queue_.empty() && batch.size() < kMaxBatch) {
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        lock.unlock();
        // A connection the server closed fails once and is replaced: one more try, for the
        // messages not sent yet.
        std::size_t sent = 0;
        for (int attempt = 1;; ++attempt) {
            try {
                send(batch, sent);
                break;
            } catch (const storage::DbError& e) {
                if (attempt < 2) continue;
                failed_ += batch.size() - sent;
                spdlog::warn("events: could not forward {} message(s) on {}: {}",
                             batch.size() - sent, batch[sent].first, e.what());
                break;
            }
        }
        lock.lock();
    }
}

void PgBridge::send(const std::vector<std::pair<std::string, Message>>& batch, std::size_t& sent) {
    db_->with_connection([&](storage::Connection& c) {
        std::vector<std::string> payloads;
        payloads.reserve(batch.size() - sent);
        for (std::size_t i = sent; i < batch.size(); ++i) {
            std::string payload = encode_envelope(origin_, batch[i].first, batch[i].second);
            if (payload.size() > kMaxNotifyPayload) {
                const std::int64_t now = util::now_unix();
                c.query("DELETE FROM event_spill WHERE created_at < ?", {now - kSpillKeepSeconds});
                auto r = c.query(
                    "INSERT INTO event_spill (payload, created_at) VALUES (?, ?) RETURNING id",
                    {payload, now});
                payload = encode_spill_reference(origin_, r.rows.at(0).int64(0));
                ++spilled_;
            }
            payloads.push_back(std::move(payload));
        }
        // One statement (one transaction) for a run of them: its notifications are queued in
        // order and delivered together at its commit. PostgreSQL delivers a payload repeated in
        // one transaction only once, so a repeat starts the next statement.
        for (std::size_t first = 0; first < payloads.size();) {
            std::size_t end = first + 1;
            while (end < payloads.size() &&
                   std::find(payloads.begin() + static_cast<std::ptrdiff_t>(first),
                             payloads.begin() + static_cast<std::ptrdiff_t>(end),
                             payloads[end]) == payloads.begin() + static_cast<std::ptrdiff_t>(end))
                ++end;
            std::string sql = "SELECT pg_notify(?, ?)";
            std::vector<storage::Value> params;
            params.reserve(2 * (end - first));
            for (std::size_t i = first; i < end; ++i) {
                if (i > first) sql += ", pg_notify(?, ?)";
                params.emplace_back(std::string(kChannel));
                params.emplace_back(payloads[i]);
            }
            c.query(sql, params);
            ++statements_;
            forwarded_ += end - first;
            sent += end - first;
            first = end;
        }
    });
}

void PgBridge::receive(std::string_view payload) {
    auto e = decode_envelope(payload);
    if (!e) {
        ++failed_;
        spdlog::warn("events: ignored a malformed notification ({} bytes)", payload.size());
        return;
    }
    if (!from_elsewhere(*e, origin_)) return;  // this process's own, already delivered here
    if (e->spill) {
        const std::int64_t id = *e->spill;
        std::optional<std::string> full;
        try {
            full = db_->with_connection([&](storage::Connection& c) -> std::optional<std::string> {
                auto r = c.query("SELECT payload FROM event_spill WHERE id = ?", {id});
                if (r.rows.empty()) return std::nullopt;  // older than kSpillKeepSeconds
                return r.rows[0].text(0);
            });
        } catch (const std::exception& ex) {
            spdlog::warn("events: could not read spilled message {}: {}", id, ex.what());
        }
        auto inner = full ? decode_envelope(*full) : std::nullopt;
        if (!inner || inner->spill || inner->origin != e->origin) {
            ++failed_;
            return;
        }
        e = std::move(inner);
    }
    hub_.publish_remote(e->topic, e->message);
    ++received_;
}

}  // namespace glucoplay::events
