#pragma once

// Plain request/response types that handlers see. No Boost.Beast here: the network layer converts
// to and from these, so handlers and the router are testable in-process without a socket.

#include <array>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace glucoplay::http {

enum class Method { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(Method m);
Method method_from_string(std::string_view s);

// Header fields with case-insensitive names, kept in insertion order: first the fields with text
// of their own, then the static ones (set_all_static), whose names and values are views of text
// that outlives every Headers (string literals, the server's own settings) and are not copied.
class Headers {
  public:
    using View = std::pair<std::string_view, std::string_view>;
    std::optional<std::string_view> get(std::string_view name) const;
    // Replaces every field with this name.
    void set(std::string_view name, std::string value);
    // As set() for each field in turn, in one pass over the fields there are (the dispatcher's
    // headers on every API answer; no two with the same name).
    void set_all(std::span<const View> fields);
    // As set_all(), without copying the text: every name and value must outlive this Headers.
    // Up to kStatic such fields are kept in place (no allocation; the API answer's constant
    // security headers cost five allocations a request as copies); any more are copied.
    void set_all_static(std::span<const View> fields);
    void add(std::string name, std::string value);
    void erase(std::string_view name);
    bool contains(std::string_view name) const { return get(name).has_value(); }
    // Calls f(name, value) for every field, in order.
    template <class F>
    void for_each(F&& f) const {
        for (const auto& [name, value] : fields_)
            f(std::string_view(name), std::string_view(value));
        for (std::size_t i = 0; i < static_count_; ++i) f(static_[i].first, static_[i].second);
    }
    // Every field, copied (for tests and diagnostics).
    std::vector<std::pair<std::string, std::string>> fields() const;

    static constexpr std::size_t kStatic = 10;

  private:
    void erase_named(std::span<const View> names);
    std::vector<std::pair<std::string, std::string>> fields_;
    std::array<View, kStatic> static_{};
    std::size_t static_count_ = 0;
};

bool iequals(std::string_view a, std::string_view b);

// The authenticated caller, set by the dispatcher for routes that need it.
struct Principal {
    std::int64_t user_id = 0;
    bool admin = false;
    std::string session_id;  // the token's jti
    // False when only the token was checked: the route reads the session row in its own write
    // (Router::read_session_in_write), and `admin` is not known (such routes are user routes).
    bool session_read = true;
};

struct Request {
    Method method = Method::get;
    std::string method_text = "GET";
    std::string target;                        // as received: path and query
    std::string path;                          // percent-decoded path without the query
    std::vector<std::string> segments;         // decoded path segments
    std::map<std::string, std::string> query;  // decoded query parameters (last one wins)
    Headers headers;
    std::string body;
    std::string remote_address;  // peer address as seen by the socket
    std::string request_id;
    bool secure = false;  // request arrived over HTTPS (directly or via a trusted proxy)

    // Filled in by the dispatcher.
    std::map<std::string, std::string> params;
    std::string route_pattern;
    std::string client_address;          // remote_address, or the client behind a trusted proxy
    std::optional<Principal> principal;  // set when the request carried valid credentials
    bool admitted = false;  // the rate limit already counted it (a fast path fell through)

    // The caller; throws std::logic_error if the route did not require authentication.
    const Principal& user() const;

    std::optional<std::string_view> header(std::string_view name) const {
        return headers.get(name);
    }
    std::optional<std::string> query_param(const std::string& name) const;
    const std::string& param(const std::string& name) const;
};

// Parses `target` (origin-form, e.g. "/api/x?a=1") into path, segments and query.
// Returns false when the target is not a valid origin-form URL. Remembers the last few targets
// parsed on this thread and copies their parse (the same fields, exactly).
bool parse_target(Request& req, std::string_view target);
// The same, always parsing (Boost.URL).
bool parse_target_uncached(Request& req, std::string_view target);

// A response body produced over time (Server-Sent Events). The network layer writes the headers,
// then whatever next_chunk() yields, waiting between chunks until the waker fires or a heartbeat
// is due; it stops when finished() or the client goes away, and then calls on_close().
class StreamSource {
  public:
    virtual ~StreamSource() = default;
    virtual std::optional<std::string> next_chunk() = 0;
    virtual bool finished() const = 0;
    // Called from any thread when there may be something new; must not block.
    virtual void set_waker(std::function<void()> waker) = 0;
    virtual void on_close() {}
};

class Deferred;

struct Response {
    unsigned status = 200;
    Headers headers;
    std::string body;
    // Text kept elsewhere and answered as it is, not copied (a cached leaderboard, a static
    // file): when set, it is the body and `body` is unused. Read the body with body_view().
    std::shared_ptr<const std::string> shared_body;
    std::string_view body_view() const { return shared_body ? *shared_body : body; }
    std::shared_ptr<StreamSource> stream;  // set for event streams; `body` is then unused
    // Set when the answer is worked out later, on another thread (see Deferred); everything
    // else in this Response is then unused.
    std::shared_ptr<Deferred> later;

    static Response deferred(std::shared_ptr<Deferred> later);

    static Response text(unsigned status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response no_content();
};

// An answer that a handler leaves to another thread: a score is committed together with the
// others waiting at that moment (storage::GroupCommit), after the handler has returned. The
// handler returns Response::deferred(d); whoever finishes the work calls resolve() or reject()
// exactly once, from any thread. The dispatcher then turns an error into its JSON answer and
// adds the headers every API answer carries (finish_with), and the network layer writes the
// result (when_settled), or a synchronous caller waits for it (wait).
class Deferred {
  public:
    using Outcome = std::variant<Response, std::exception_ptr>;
    using Finisher = std::function<Response(Outcome)>;

    void resolve(Response response) { settle(std::move(response)); }
    void reject(std::exception_ptr error) { settle(error); }

    // Set once, before when_settled: how the outcome becomes the response written.
    void finish_with(Finisher finisher);
    // `consumer` gets the finished response exactly once: at once if it is settled already,
    // else on the thread that settles it.
    void when_settled(std::function<void(Response)> consumer);
    // The finished response once settled (blocks until then).
    Response wait();
    bool settled() const;

  private:
    void settle(Outcome outcome);
    Response finish(Outcome outcome) const;

    mutable std::mutex mutex_;
    std::condition_variable settled_cv_;
    std::optional<Outcome> outcome_;
    Finisher finisher_;
    std::function<void(Response)> consumer_;
    bool delivered_ = false;
};

}  // namespace glucoplay::http
