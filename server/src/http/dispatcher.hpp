#pragma once

// The API request pipeline, independent of sockets: CORS (preflight and response headers), the
// content-type rule, routing, the central error mapping, and security headers. The network layer
// calls dispatch() on a worker thread; tests call it directly with a Request.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace glucoplay::http {

struct CorsPolicy {
    std::vector<std::string> allowed_origins;  // exact origins, e.g. "http://localhost:4887"
    bool allows(std::string_view origin) const;
};

// Cross-cutting policies supplied by the application (all optional).
struct DispatchHooks {
    // The caller's address for rate limiting (default: the socket peer).
    std::function<std::string(const Request&)> client_address;
    // Called for every request before routing; throws ApiError 429 to refuse it.
    std::function<void(const Request&)> admit;
    // `admit` may wait on the database (a rate limit shared across instances): then no request
    // takes a fast path, which runs on the network thread.
    bool admit_blocks = false;
    // nullopt for no credentials; throws ApiError 401 for bad ones.
    std::function<std::optional<Principal>(const Request&)> authenticate;
    // The caller from the token alone (nullopt for none; throws ApiError 401 for a bad one),
    // its session not read (Principal::session_read false), for the routes that read it in
    // their own write (Router::read_session_in_write). An answer such a route gives without
    // that write (an error before it, or an answer of its own) first reads the session through
    // `authenticate`, so a caller whose session ended still gets its 401 and nothing else.
    // Without it, those routes use `authenticate` like the others.
    std::function<std::optional<Principal>(const Request&)> authenticate_token;
    // The caller from memory only, never blocking (nullopt when memory cannot tell): lets a user
    // route's fast path answer on the network thread. Without it, user routes always take the
    // normal way.
    std::function<std::optional<Principal>(const Request&)> authenticate_remembered;
};

class ApiDispatcher {
  public:
    ApiDispatcher(const Router& router, CorsPolicy cors, DispatchHooks hooks = {})
        : router_(router), cors_(std::move(cors)), hooks_(std::move(hooks)) {}

    // The answer, or (Response::later set) an answer settled later on another thread, already
    // finished by this pipeline when it is settled: the caller only waits for it.
    Response dispatch(Request& req) const;
    // The same pipeline for a route with a fast path (Router::set_fast), run on the network
    // thread: CORS, the rate limit (`admit`), routing and security headers exactly as dispatch()
    // does, but the answer comes from the route's fast handler, which never blocks. A user
    // route's caller comes from `authenticate_remembered`. nullopt when the request must take
    // the normal way (no fast path, a preflight, a body, a caller not known from memory, or the
    // fast handler has no answer in memory); dispatch() then handles it from the start.
    // For a route that writes on the network thread (Router::write_on_network_thread), the same
    // pipeline with the caller from `authenticate_token` and the route's own handler, whose
    // answer is deferred to its write. A request it cannot answer that way (a bad or missing
    // token, a body over 16 KB, a wrong content type, an error the handler throws before the
    // write) goes the normal way, uncounted a second time, where a caller whose session ended
    // gets its 401 ahead of the error.
    std::optional<Response> try_fast(Request& req) const;
    const CorsPolicy& cors() const { return cors_; }

  private:
    Response preflight(const Request& req) const;
    void check_content_type(const Request& req, const Route& route) const;
    std::optional<Response> try_write(Request& req) const;
    // Reads a caller's session left unread by authenticate_token (throws its 401).
    void read_session(Request& req) const;
    void decorate(const Request& req, Response& res) const;
    void decorate(std::optional<std::string_view> origin, const std::string& request_id,
                  Response& res) const;
    // A handler's deferred answer: errors mapped and headers added when it is settled.
    Response defer(const Request& req, std::shared_ptr<Deferred> later) const;
    void authorize(Request& req, const Route& route) const;

    const Router& router_;
    CorsPolicy cors_;
    DispatchHooks hooks_;
};

}  // namespace glucoplay::http
