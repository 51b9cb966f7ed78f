#include "http/dispatcher.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "http/errors.hpp"
#include "http/json.hpp"

namespace glucoplay::http {

bool CorsPolicy::allows(std::string_view origin) const {
    return std::find(allowed_origins.begin(), allowed_origins.end(), origin) !=
           allowed_origins.end();
}

static constexpr const char* kAllowedRequestHeaders =
    "Content-Type, Authorization, X-Request-Id, Last-Event-ID";

Response ApiDispatcher::preflight(const Request& req) const {
    auto origin = req.header("Origin");
    if (!origin || !cors_.allows(*origin)) throw ApiError::forbidden("origin not allowed");
    Response res = Response::no_content();
    res.headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.headers.set("Access-Control-Allow-Headers", kAllowedRequestHeaders);
    res.headers.set("Access-Control-Max-Age", "600");
    return res;
}

void ApiDispatcher::check_content_type(const Request& req, const Route& route) const {
    // POST must always declare a JSON (or, for imports, CSV) body: a cross-site HTML form can only
    // send form encodings or text/plain, so this rule also stops simple-request CSRF.
    bool must_check = req.method == Method::post || !req.body.empty();
    if (!must_check) return;
    if (has_media_type(req, "application/json")) return;
    if (route.body == BodyKind::json_or_csv) {
        if (has_media_type(req, "text/csv")) return;
        throw ApiError::unsupported_media_type("application/json or text/csv");
    }
    throw ApiError::unsupported_media_type("application/json");
}

void ApiDispatcher::decorate(const Request& req, Response& res) const {
    decorate(req.header("Origin"), req.request_id, res);
}

void ApiDispatcher::decorate(std::optional<std::string_view> origin, const std::string& request_id,
                             Response& res) const {
    // Every field in one pass over the response's own (issue 9: six set() calls, each a scan
    // and an erase, were a tenth of an answer from memory), and the constant ones not copied
    // (their copies were five allocations an answer).
    std::array<Headers::View, 2> copied;
    std::size_t n_copied = 0;
    std::array<Headers::View, 8> constant;
    std::size_t n_constant = 0;
    constant[n_constant++] = {"Vary", "Origin"};
    if (origin && cors_.allows(*origin)) {
        copied[n_copied++] = {"Access-Control-Allow-Origin", *origin};
        constant[n_constant++] = {"Access-Control-Allow-Credentials", "true"};
        constant[n_constant++] = {"Access-Control-Expose-Headers", "Retry-After, X-Request-Id"};
    }
    if (!res.headers.contains("Cache-Control"))
        constant[n_constant++] = {"Cache-Control", "no-store"};
    constant[n_constant++] = {"X-Content-Type-Options", "nosniff"};
    constant[n_constant++] = {"X-Frame-Options", "DENY"};
    constant[n_constant++] = {"Referrer-Policy", "no-referrer"};
    constant[n_constant++] = {"Content-Security-Policy",
                              "default-src 'none'; frame-ancestors 'none'"};
    if (!request_id.empty()) copied[n_copied++] = {"X-Request-Id", request_id};
    res.headers.set_all(std::span(copied.data(), n_copied));
    res.headers.set_all_static(std::span(constant.data(), n_constant));
}

Response ApiDispatcher::defer(const Request& req, std::shared_ptr<Deferred> later) const {
    // The request is gone by the time the answer is ready: keep what decorate() needs.
    auto origin = req.header("Origin");
    later->finish_with([this, origin = origin ? std::optional<std::string>(*origin) : std::nullopt,
                        id = req.request_id](Deferred::Outcome outcome) {
        Response res = std::holds_alternative<Response>(outcome)
                           ? std::get<Response>(std::move(outcome))
                           : map_exception(std::get<std::exception_ptr>(outcome), id);
        decorate(origin ? std::optional<std::string_view>(*origin) : std::nullopt, id, res);
        return res;
    });
    // Already answered (the work ran on this thread): no need to wait for it elsewhere.
    if (later->settled()) return later->wait();
    return Response::deferred(std::move(later));
}

void ApiDispatcher::authorize(Request& req, const Route& route) const {
    if (route.access == Access::public_) return;
    std::optional<Principal> who;
    if (route.session_in_write && hooks_.authenticate_token)
        who = hooks_.authenticate_token(req);
    else if (hooks_.authenticate)
        who = hooks_.authenticate(req);
    if (!who) throw ApiError::unauthorized("sign in first: this needs an account");
    if (route.access == Access::admin && !who->admin)
        throw ApiError::forbidden("administrators only");
    req.principal = std::move(who);
}

void ApiDispatcher::read_session(Request& req) const {
    if (!req.principal || req.principal->session_read) return;
    std::optional<Principal> who = hooks_.authenticate ? hooks_.authenticate(req) : std::nullopt;
    if (!who) throw ApiError::unauthorized("sign in first: this needs an account");
    req.principal = std::move(who);
}

Response ApiDispatcher::dispatch(Request& req) const {
    Response res;
    req.client_address = hooks_.client_address ? hooks_.client_address(req) : req.remote_address;
    try {
        if (req.method == Method::options && req.header("Access-Control-Request-Method")) {
            req.route_pattern = "preflight";
            res = preflight(req);
        } else {
            if (hooks_.admit && !req.admitted) hooks_.admit(req);
            Router::Match m = router_.match(req);
            req.params = std::move(m.params);
            req.route_pattern = m.route->pattern;
            authorize(req, *m.route);
            try {
                check_content_type(req, *m.route);
                // A route that takes no body ignores one, but a body that is there must still
                // be a well-formed JSON object (so garbage is a 400 on every route, never
                // silently accepted).
                if (m.route->body == BodyKind::none && !req.body.empty()) parse_json_object(req);
                res = m.route->handler(req);
            } catch (...) {
                read_session(req);  // a session that ended answers 401, not this error
                throw;
            }
            if (res.later) return defer(req, std::move(res.later));
            read_session(req);
        }
    } catch (...) {
        res = map_exception(std::current_exception(), req.request_id);
    }
    decorate(req, res);
    return res;
}

std::optional<Response> ApiDispatcher::try_write(Request& req) const {
    // A body this thread reads, parses and checks while other connections wait: kept to what a
    // score is (under 100 bytes; a plate game's few KB). A larger one goes to a worker.
    constexpr std::size_t kLargestBody = 16 * 1024;
    if (hooks_.admit_blocks || !hooks_.authenticate_token || req.body.size() > kLargestBody)
        return std::nullopt;
    std::map<std::string, std::string> params;
    const Route* route = router_.find(req, &params);
    if (!route || !route->write_on_network_thread) return std::nullopt;
    std::optional<Principal> who;
    try {
        who = hooks_.authenticate_token(req);
    } catch (...) {
        return std::nullopt;  // the normal way gives the 401
    }
    if (!who) return std::nullopt;
    req.client_address = hooks_.client_address ? hooks_.client_address(req) : req.remote_address;
    Response res;
    try {
        if (hooks_.admit) hooks_.admit(req);  // counts this request: do not admit it twice
    } catch (...) {
        res = map_exception(std::current_exception(), req.request_id);
        decorate(req, res);
        return res;
    }
    req.params = std::move(params);
    req.route_pattern = route->pattern;
    req.principal = std::move(who);
    try {
        check_content_type(req, *route);
        res = route->handler(req);
    } catch (...) {
        // Answered the normal way, which reads the session before giving this error.
        req.admitted = true;
        return std::nullopt;
    }
    if (!res.later) {
        // The answer would need the session read here, on the network thread.
        res = map_exception(
            std::make_exception_ptr(std::logic_error(
                "a write on the network thread answered without its write: " + route->pattern)),
            req.request_id);
        decorate(req, res);
        return res;
    }
    return defer(req, std::move(res.later));
}

std::optional<Response> ApiDispatcher::try_fast(Request& req) const {
    if (req.method == Method::post) return try_write(req);
    if ((req.method != Method::get && req.method != Method::head) || !req.body.empty() ||
        hooks_.admit_blocks)
        return std::nullopt;
    std::map<std::string, std::string> params;
    const Route* route = router_.find(req, &params);
    if (!route || !route->fast) return std::nullopt;
    if (route->access == Access::admin) return std::nullopt;  // set_fast refuses these anyway
    std::optional<Principal> who;
    if (route->access == Access::user) {
        // Checked before admit(): a request this cannot place goes the normal way uncounted.
        who = hooks_.authenticate_remembered ? hooks_.authenticate_remembered(req) : std::nullopt;
        if (!who) return std::nullopt;
    }
    req.client_address = hooks_.client_address ? hooks_.client_address(req) : req.remote_address;
    std::optional<Response> res;
    try {
        if (hooks_.admit) hooks_.admit(req);  // counts this request: do not admit it twice
        req.params = std::move(params);
        req.route_pattern = route->pattern;
        req.principal = std::move(who);
        res = route->fast(req);
        if (!res) {
            // Answered the normal way after all. The rate limiter has counted it already.
            req.admitted = true;
            return std::nullopt;
        }
    } catch (...) {
        res = map_exception(std::current_exception(), req.request_id);
    }
    decorate(req, *res);
    return res;
}

}  // namespace glucoplay::http
