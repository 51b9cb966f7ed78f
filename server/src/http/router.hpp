#pragma once

// The route table: a plain list of {method, pattern, handler}. Patterns are paths whose segments
// are literals or `{name}` captures, e.g. "/api/food_log/{id}". No macros, no registration magic.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/request.hpp"

namespace glucoplay::http {

using Handler = std::function<Response(Request&)>;
// A route's optional fast path, run on the network thread before the request is handed to the
// worker pool: it answers from memory (nullopt to go the normal way) and must never block, so it
// may not touch the database. See ApiDispatcher::try_fast.
using FastHandler = std::function<std::optional<Response>(Request&)>;

// What a route accepts as a request body. Checked before the handler runs (415 otherwise).
enum class BodyKind {
    none,         // no body expected; a non-empty body is still checked to be JSON
    json,         // application/json
    json_or_csv,  // application/json or text/csv (imports)
};

// Who may call a route. The dispatcher enforces it before the handler runs, so this table is the
// authorisation matrix: public (anyone, credentials optional), user (401 without valid
// credentials), admin (403 for signed-in non-admins).
enum class Access { public_, user, admin };
std::string_view to_string(Access a);

struct Route {
    Method method;
    std::string pattern;
    Access access;
    Handler handler;
    BodyKind body = BodyKind::none;
    std::vector<std::string> segments;  // pattern split on '/', filled by Router::add
    FastHandler fast;                   // optional; public and user GET routes (Router::set_fast)
    bool session_in_write = false;      // Router::read_session_in_write
    bool write_on_network_thread = false;  // Router::write_on_network_thread
};

class Router {
  public:
    Router& add(Method method, std::string pattern, Access access, Handler handler,
                BodyKind body = BodyKind::none);

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
    };

    // Gives a registered public or user GET route a fast path (a user route's runs only for a
    // caller known from memory: ApiDispatcher::try_fast). Throws std::invalid_argument when there
    // is no such route or it is an admin route.
    Router& set_fast(const std::string& pattern, FastHandler fast);
    // Lets a registered user route read its caller's session in the transaction of its own
    // write instead of before the handler (ApiDispatcher: DispatchHooks::authenticate_token):
    // the handler must hand Principal::session_read == false callers to a write that reads the
    // session first and refuses the write with the 401 authenticate() would give. Throws
    // std::invalid_argument when there is no such route or it is not a user route.
    Router& read_session_in_write(Method method, const std::string& pattern);
    // Lets such a route's handler run on the network thread (ApiDispatcher::try_fast), without a
    // hand-off to the worker pool and back: the handler must never block (no database work
    // before its write, which it hands to a thread of its own) and must answer with a deferred
    // Response, settled by that write. An error it throws sends the request the normal way.
    // Throws std::invalid_argument unless the route reads its session in its write.
    Router& write_on_network_thread(Method method, const std::string& pattern);

    // Finds the route for the request. Throws ApiError 404 when no pattern matches the path,
    // 405 (with the allowed methods) when a pattern matches but not for this method.
    Match match(const Request& req) const;
    // The same lookup without the errors: nullptr when no route takes the request.
    const Route* find(const Request& req, std::map<std::string, std::string>* params) const;

    const std::vector<Route>& routes() const { return routes_; }

  private:
    // Indexes of routes_ (in registration order) that can match a path of these segments: those
    // of the path's length whose second segment is the path's, or a capture (most routes are
    // "/api/<resource>/...", so a lookup compares a handful of routes instead of every route of
    // that length).
    const std::vector<std::size_t>& candidates(const std::vector<std::string>& segments) const;

    struct Length {
        std::vector<std::size_t> all;         // every route of this length
        std::vector<std::size_t> any_second;  // those whose second segment is a capture
        // By literal second segment: those routes and the any_second ones, in order.
        std::unordered_map<std::string, std::vector<std::size_t>> by_second;
    };
    std::vector<Route> routes_;
    std::vector<Length> by_length_;
};

std::vector<std::string> split_pattern(const std::string& pattern);

}  // namespace glucoplay::http
