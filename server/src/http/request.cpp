#include "http/request.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <stdexcept>

#include "http/errors.hpp"

namespace glucoplay::http {

std::string_view to_string(Method m) {
    switch (m) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::patch:
            return "PATCH";
        case Method::delete_:
            return "DELETE";
        case Method::options:
            return "OPTIONS";
        case Method::other:
            break;
    }
    return "OTHER";
}

Method method_from_string(std::string_view s) {
    if (s == "GET") return Method::get;
    if (s == "HEAD") return Method::head;
    if (s == "POST") return Method::post;
    if (s == "PUT") return Method::put;
    if (s == "PATCH") return Method::patch;
    if (s == "DELETE") return Method::delete_;
    if (s == "OPTIONS") return Method::options;
    return Method::other;
}

bool iequals(std::string_view a, std::string_view b) {
    // ASCII only, as HTTP field names and tokens are; no locale lookup per character.
    constexpr auto lower = [](unsigned char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c | 0x20) : c;
    };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [&](unsigned char x, unsigned char y) { return lower(x) == lower(y); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [k, v] : fields_) {
        if (iequals(k, name)) return std::string_view(v);
    }
    for (std::size_t i = 0; i < static_count_; ++i)
        if (iequals(static_[i].first, name)) return static_[i].second;
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Headers::fields() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(fields_.size() + static_count_);
    for_each([&](std::string_view name, std::string_view value) { out.emplace_back(name, value); });
    return out;
}

void Headers::erase_named(std::span<const View> names) {
    auto named = [&](std::string_view n) {
        return std::any_of(names.begin(), names.end(),
                           [&](const View& f) { return iequals(n, f.first); });
    };
    std::erase_if(fields_, [&](const auto& f) { return named(f.first); });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < static_count_; ++i)
        if (!named(static_[i].first)) static_[kept++] = static_[i];
    static_count_ = kept;
}

void Headers::set(std::string_view name, std::string value) {
    erase(name);
    fields_.emplace_back(std::string(name), std::move(value));
}

void Headers::set_all(std::span<const View> fields) {
    erase_named(fields);
    fields_.reserve(fields_.size() + fields.size());
    for (const auto& [name, value] : fields) fields_.emplace_back(name, value);
}

void Headers::set_all_static(std::span<const View> fields) {
    erase_named(fields);
    for (const View& f : fields) {
        if (static_count_ < kStatic)
            static_[static_count_++] = f;
        else
            fields_.emplace_back(f.first, f.second);
    }
}

void Headers::add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::erase(std::string_view name) {
    const View named[] = {{name, {}}};
    erase_named(named);
}

std::optional<std::string> Request::query_param(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

const std::string& Request::param(const std::string& name) const {
    auto it = params.find(name);
    if (it == params.end()) throw std::logic_error("route has no parameter named " + name);
    return it->second;
}

const Principal& Request::user() const {
    if (!principal)
        throw std::logic_error("route reads the principal but is not marked as needing one");
    return *principal;
}

bool parse_target_uncached(Request& req, std::string_view target) {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return false;
    const boost::urls::url_view& url = *parsed;
    req.target = std::string(target);
    req.segments.clear();
    req.query.clear();
    // Segments are decoded one by one, so an encoded "%2F" stays inside its segment.
    for (auto seg : url.segments()) req.segments.push_back(std::string(seg));
    req.path = std::string(url.path());
    for (auto p : url.params())
        req.query[std::string(p.key)] = p.has_value ? std::string(p.value) : "";
    return true;
}

namespace {

// The last few targets each network thread parsed, with what parsing them gave. Most requests
// repeat a handful of targets ("/api/scores?game=racing"), and copying a parse costs a fifth of
// Boost.URL's parse and its allocations (issue 9, callgrind). A pure function of the target's
// bytes, so a hit is exactly what parsing again would give; targets that fail to parse and long
// ones are not kept.
struct TargetMemo {
    static constexpr std::size_t kEntries = 8;
    static constexpr std::size_t kMaxTarget = 256;
    // The fields parse_target sets, copied from a request and back into one.
    struct Parsed {
        std::string target, path;
        std::vector<std::string> segments;
        std::map<std::string, std::string> query;

        template <class From, class To>
        static void copy(const From& from, To& to) {
            to.target = from.target;
            to.path = from.path;
            to.segments = from.segments;
            to.query = from.query;
        }
    };
    struct Entry {
        bool used = false;
        Parsed parsed;
    };
    std::array<Entry, kEntries> entries;
    std::size_t next = 0;

    const Parsed* find(std::string_view target) const {
        for (const Entry& e : entries)
            if (e.used && e.parsed.target == target) return &e.parsed;
        return nullptr;
    }
    void put(const Request& req) {
        Entry& e = entries[next];
        next = (next + 1) % kEntries;
        e.used = true;
        Parsed::copy(req, e.parsed);
    }
};

}  // namespace

bool parse_target(Request& req, std::string_view target) {
    thread_local TargetMemo memo;
    if (const TargetMemo::Parsed* hit = memo.find(target)) {
        TargetMemo::Parsed::copy(*hit, req);
        return true;
    }
    if (!parse_target_uncached(req, target)) return false;
    if (target.size() <= TargetMemo::kMaxTarget) memo.put(req);
    return true;
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    return r;
}

Response Response::deferred(std::shared_ptr<Deferred> later) {
    Response r;
    r.later = std::move(later);
    return r;
}

void Deferred::finish_with(Finisher finisher) {
    std::lock_guard lock(mutex_);
    finisher_ = std::move(finisher);
}

Response Deferred::finish(Outcome outcome) const {
    if (finisher_) return finisher_(std::move(outcome));
    if (auto* r = std::get_if<Response>(&outcome)) return std::move(*r);
    return map_exception(std::get<std::exception_ptr>(outcome), "");
}

void Deferred::settle(Outcome outcome) {
    std::unique_lock lock(mutex_);
    if (outcome_) return;  // settled already: the first outcome stands
    outcome_ = std::move(outcome);
    settled_cv_.notify_all();
    if (!consumer_ || delivered_) return;
    delivered_ = true;
    auto consumer = std::move(consumer_);
    Outcome o = std::move(*outcome_);
    lock.unlock();
    consumer(finish(std::move(o)));
}

void Deferred::when_settled(std::function<void(Response)> consumer) {
    std::unique_lock lock(mutex_);
    if (!outcome_ || delivered_) {
        consumer_ = std::move(consumer);
        return;
    }
    delivered_ = true;
    Outcome o = std::move(*outcome_);
    lock.unlock();
    consumer(finish(std::move(o)));
}

Response Deferred::wait() {
    std::unique_lock lock(mutex_);
    settled_cv_.wait(lock, [this] { return outcome_.has_value(); });
    delivered_ = true;
    Outcome o = std::move(*outcome_);
    lock.unlock();
    return finish(std::move(o));
}

bool Deferred::settled() const {
    std::lock_guard lock(mutex_);
    return outcome_.has_value();
}

}  // namespace glucoplay::http
