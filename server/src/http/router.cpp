#include "http/router.hpp"

#include <stdexcept>

#include "http/errors.hpp"

namespace glucoplay::http {

std::vector<std::string> split_pattern(const std::string& pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + pattern);
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= pattern.size()) {
        std::size_t end = pattern.find('/', start);
        if (end == std::string::npos) end = pattern.size();
        out.push_back(pattern.substr(start, end - start));
        start = end + 1;
    }
    if (out.size() == 1 && out[0].empty()) out.clear();  // "/" has no segments
    return out;
}

static bool is_capture(const std::string& seg) {
    return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

std::string_view to_string(Access a) {
    switch (a) {
        case Access::public_:
            return "public";
        case Access::user:
            return "user";
        case Access::admin:
            return "admin";
    }
    return "?";
}

Router& Router::add(Method method, std::string pattern, Access access, Handler handler,
                    BodyKind body) {
    Route r{method, std::move(pattern), access, std::move(handler), body, {}, {}};
    r.segments = split_pattern(r.pattern);
    for (const auto& existing : routes_) {
        if (existing.method == r.method && existing.pattern == r.pattern)
            throw std::invalid_argument("duplicate route " + std::string(to_string(method)) + " " +
                                        r.pattern);
    }
    const std::size_t n = r.segments.size();
    if (by_length_.size() <= n) by_length_.resize(n + 1);
    Length& length = by_length_[n];
    const std::size_t index = routes_.size();
    length.all.push_back(index);
    if (n >= 2) {
        if (is_capture(r.segments[1])) {
            // Every second segment may be this route's: in every bucket, and for those to come.
            length.any_second.push_back(index);
            for (auto& [second, list] : length.by_second) list.push_back(index);
        } else {
            auto [it, added] = length.by_second.try_emplace(r.segments[1], length.any_second);
            it->second.push_back(index);
        }
    }
    routes_.push_back(std::move(r));
    return *this;
}

const std::vector<std::size_t>& Router::candidates(const std::vector<std::string>& segs) const {
    static const std::vector<std::size_t> none;
    if (segs.size() >= by_length_.size()) return none;
    const Length& length = by_length_[segs.size()];
    if (segs.size() < 2) return length.all;
    auto it = length.by_second.find(segs[1]);
    return it == length.by_second.end() ? length.any_second : it->second;
}

// Matches literal segments exactly and captures `{name}` segments (which must be non-empty).
static bool match_segments(const Route& route, const std::vector<std::string>& segs,
                           std::map<std::string, std::string>* params) {
    if (route.segments.size() != segs.size()) return false;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const std::string& p = route.segments[i];
        if (is_capture(p)) {
            if (segs[i].empty()) return false;
            if (params) (*params)[p.substr(1, p.size() - 2)] = segs[i];
        } else if (p != segs[i]) {
            return false;
        }
    }
    return true;
}

Router& Router::set_fast(const std::string& pattern, FastHandler fast) {
    for (auto& route : routes_) {
        if (route.method != Method::get || route.pattern != pattern) continue;
        if (route.access == Access::admin)
            throw std::invalid_argument("a fast path needs a public or user route: " + pattern);
        route.fast = std::move(fast);
        return *this;
    }
    throw std::invalid_argument("no GET route " + pattern + " for a fast path");
}

Router& Router::read_session_in_write(Method method, const std::string& pattern) {
    for (auto& route : routes_) {
        if (route.method != method || route.pattern != pattern) continue;
        if (route.access != Access::user)
            throw std::invalid_argument("a session read in the write needs a user route: " +
                                        pattern);
        route.session_in_write = true;
        return *this;
    }
    throw std::invalid_argument("no " + std::string(to_string(method)) + " route " + pattern +
                                " to read the session in its write");
}

Router& Router::write_on_network_thread(Method method, const std::string& pattern) {
    for (auto& route : routes_) {
        if (route.method != method || route.pattern != pattern) continue;
        if (!route.session_in_write)
            throw std::invalid_argument(
                "a write on the network thread needs a route that reads its session in its "
                "write: " +
                pattern);
        route.write_on_network_thread = true;
        return *this;
    }
    throw std::invalid_argument("no " + std::string(to_string(method)) + " route " + pattern +
                                " to write from the network thread");
}

// A literal route wins over a capture at the same position ("/api/scores/me" before
// "/api/scores/{id}"), so prefer the route with the fewest captures. `allow` collects the
// methods of routes whose pattern matches but whose method does not (for a 405).
static const Route* best_route(const std::vector<Route>& routes,
                               const std::vector<std::size_t>& candidates, const Request& req,
                               std::string* allow) {
    const Route* best = nullptr;
    int best_captures = 0;
    Method wanted = req.method == Method::head ? Method::get : req.method;
    for (std::size_t index : candidates) {  // in registration order, as `allow` lists them
        const Route& route = routes[index];
        if (!match_segments(route, req.segments, nullptr)) continue;
        if (route.method != wanted) {
            if (!allow) continue;
            std::string m(to_string(route.method));
            if (allow->find(m) == std::string::npos) *allow += (allow->empty() ? "" : ", ") + m;
            continue;
        }
        int captures = 0;
        for (const auto& s : route.segments) captures += is_capture(s);
        if (!best || captures < best_captures) {
            best = &route;
            best_captures = captures;
        }
    }
    return best;
}

const Route* Router::find(const Request& req, std::map<std::string, std::string>* params) const {
    const Route* best = best_route(routes_, candidates(req.segments), req, nullptr);
    if (best && params) match_segments(*best, req.segments, params);
    return best;
}

Router::Match Router::match(const Request& req) const {
    std::string allow;
    if (const Route* best = best_route(routes_, candidates(req.segments), req, &allow)) {
        Match m{best, {}};
        match_segments(*best, req.segments, &m.params);
        return m;
    }
    if (!allow.empty()) throw ApiError::method_not_allowed(allow);
    throw ApiError::not_found("no such endpoint: " + req.path);
}

}  // namespace glucoplay::http
