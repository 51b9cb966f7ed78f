#pragma once

// An SSE client on a raw connection for API tests, keeping everything it has read, and a reader
// for one figure of /metrics.

#include <chrono>
#include <optional>
#include <string>

#include "support/http_client.hpp"

namespace glucoplay::testing {

class EventStream {
  public:
    // GET `path` as an event stream, with a bearer token and a Last-Event-ID when given.
    EventStream(unsigned short port, const std::string& path, const std::string& token = "",
                std::optional<std::string> last_id = {})
        : conn_(port) {
        std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n";
        if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
        if (last_id) req += "Last-Event-ID: " + *last_id + "\r\n";
        conn_.send(req + "\r\n");
    }
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;
    // Reads until `needle` has arrived at or after offset `from` of text() (up to `timeout`).
    bool wait_for(const std::string& needle, std::size_t from = 0,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (text_.find(needle, from) == std::string::npos) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            text_ += conn_.read_some(200);
        }
        return true;
    }
    // True when the server ends the stream within `timeout`.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        return conn_.closed_by_peer(static_cast<int>(timeout.count()));
    }
    const std::string& text() const { return text_; }

  private:
    RawConnection conn_;
    std::string text_;
};

// The value of one line `name value` of /metrics, or -1 when it is not there.
inline double metric(HttpClient& client, const std::string& name) {
    const std::string text = client.get("/metrics").body;
    const std::string key = "\n" + name + " ";
    auto pos = text.find(key);
    if (pos == std::string::npos) return -1;
    return std::stod(text.substr(pos + key.size()));
}

}  // namespace glucoplay::testing
