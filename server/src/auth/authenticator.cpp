#include "auth/authenticator.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "accounts/repository.hpp"
#include "http/errors.hpp"
#include "util/time.hpp"

namespace glucoplay::auth {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_trusted(std::string_view addr, const std::vector<std::string>& trusted) {
    return std::find(trusted.begin(), trusted.end(), addr) != trusted.end();
}

}  // namespace

std::optional<std::string> extract_token(const http::Request& req) {
    if (auto auth = req.header("Authorization")) {
        std::string_view v = trim(*auth);
        if (v.size() > 7 && http::iequals(v.substr(0, 7), "Bearer "))
            return std::string(trim(v.substr(7)));
        return std::string();  // present but not a bearer token: treated as invalid
    }
    if (auto cookies = req.header("Cookie")) {
        std::string_view rest = *cookies;
        while (!rest.empty()) {
            std::size_t semi = rest.find(';');
            std::string_view pair = trim(rest.substr(0, semi));
            std::size_t eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie)
                return std::string(pair.substr(eq + 1));
            if (semi == std::string_view::npos) break;
            rest.remove_prefix(semi + 1);
        }
    }
    return std::nullopt;
}

std::string client_address(const http::Request& req, const std::vector<std::string>& trusted) {
    if (!is_trusted(req.remote_address, trusted)) return req.remote_address;
    auto xff = req.header("X-Forwarded-For");
    if (!xff) return req.remote_address;
    // Walk from the right: each trusted hop appended the address it saw.
    std::string_view list = *xff;
    while (!list.empty()) {
        std::size_t comma = list.rfind(',');
        std::string_view hop =
            trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
        if (!hop.empty() && !is_trusted(hop, trusted)) return std::string(hop);
        if (comma == std::string_view::npos) break;
        list = list.substr(0, comma);
    }
    return req.remote_address;
}

bool forwarded_https(const http::Request& req, const std::vector<std::string>& trusted) {
    if (!is_trusted(req.remote_address, trusted)) return false;
    auto proto = req.header("X-Forwarded-Proto");
    return proto && http::iequals(trim(*proto), "https");
}

namespace {

// The 401 for a session that is not live (nullopt) or whose account is disabled; nullptr else.
std::exception_ptr refusal(const std::optional<accounts::repo::SessionState>& state) {
    if (!state)
        return std::make_exception_ptr(
            http::ApiError::unauthorized("session ended; sign in again"));
    if (state->disabled)
        return std::make_exception_ptr(http::ApiError::unauthorized("this account is disabled"));
    return nullptr;
}

}  // namespace

std::optional<http::Principal> Authenticator::authenticate(const http::Request& req) const {
    auto token = extract_token(req);
    if (!token) return std::nullopt;
    const std::int64_t now = util::now_unix();
    auto claims = tokens_.verify(*token, now);
    if (!claims) throw http::ApiError::unauthorized("invalid or expired token; sign in again");
    auto state = check(*claims, now, sessions_.generation());
    if (auto refused = refusal(state)) std::rethrow_exception(refused);
    return http::Principal{claims->user_id, state->role == "admin", claims->jti};
}

std::optional<http::Principal> Authenticator::authenticate_token(const http::Request& req) const {
    auto token = extract_token(req);
    if (!token) return std::nullopt;
    auto claims = tokens_.verify(*token, util::now_unix());
    if (!claims) throw http::ApiError::unauthorized("invalid or expired token; sign in again");
    return http::Principal{claims->user_id, false, claims->jti, false};
}

std::vector<std::exception_ptr> Authenticator::sessions_in_write(
    storage::Connection& c, const std::vector<const http::Principal*>& callers,
    std::int64_t now) const {
    std::vector<std::string> jtis;
    for (const http::Principal* p : callers)
        if (!p->session_read) jtis.push_back(p->session_id);
    std::vector<std::exception_ptr> out(callers.size());
    if (jtis.empty()) return out;
    write_reads_.fetch_add(jtis.size(), std::memory_order_relaxed);
    const auto live = accounts::repo::live_sessions(c, jtis, now);
    for (std::size_t i = 0; i < callers.size(); ++i) {
        const http::Principal& p = *callers[i];
        if (p.session_read) continue;
        auto it = live.find(p.session_id);
        out[i] = refusal(it == live.end() || it->second.user_id != p.user_id
                             ? std::nullopt
                             : std::optional(it->second.state));
    }
    return out;
}

std::optional<accounts::repo::SessionState> Authenticator::check(const Claims& claims,
                                                                 std::int64_t now,
                                                                 std::uint64_t generation) const {
    const Clock::time_point checked_at = clock_();  // before the read: the bound counts from here
    auto live = read_live(claims.jti, now);
    remember({Reread{claims, generation, false, std::nullopt}}, live, checked_at, std::nullopt,
             true);
    auto it = live.find(claims.jti);
    if (it == live.end() || it->second.user_id != claims.user_id) return std::nullopt;
    return it->second.state;
}

std::map<std::string, accounts::repo::LiveSessionRow> Authenticator::read_live(
    const std::string& jti, std::int64_t now) const {
    if (!read_together_) {
        session_reads_.fetch_add(1, std::memory_order_relaxed);
        return db_.with_connection(
            [&](storage::Connection& c) { return accounts::repo::live_sessions(c, {jti}, now); });
    }
    WaitingRead me;
    me.jti = &jti;
    me.now = now;
    std::unique_lock lock(read_mutex_);
    read_queue_.push_back(&me);
    while (!me.done) {
        if (reading_) {
            read_done_.wait(lock);
            continue;
        }
        // Nobody is reading: this thread reads for every read waiting, its own included.
        reading_ = true;
        std::vector<WaitingRead*> group;
        group.swap(read_queue_);
        lock.unlock();
        std::vector<std::string> jtis;
        jtis.reserve(group.size());
        std::int64_t at = 0;
        for (const WaitingRead* r : group) {
            jtis.push_back(*r->jti);
            at = std::max(at, r->now);
        }
        std::map<std::string, accounts::repo::LiveSessionRow> rows;
        std::exception_ptr error;
        try {
            session_reads_.fetch_add(1, std::memory_order_relaxed);
            rows = db_.with_connection(
                [&](storage::Connection& c) { return accounts::repo::live_sessions(c, jtis, at); });
        } catch (...) {
            error = std::current_exception();  // every read of the group fails with it
        }
        lock.lock();
        for (WaitingRead* r : group) {
            r->error = error;
            if (auto it = rows.find(*r->jti); it != rows.end()) r->row = it->second;
            r->done = true;
        }
        reading_ = false;
        read_done_.notify_all();
    }
    lock.unlock();
    if (me.error) std::rethrow_exception(me.error);
    std::map<std::string, accounts::repo::LiveSessionRow> out;
    if (me.row) out.emplace(jti, *me.row);
    return out;
}

void Authenticator::remember(const std::vector<Reread>& read,
                             const std::map<std::string, accounts::repo::LiveSessionRow>& live,
                             Clock::time_point checked_at, std::optional<std::int64_t> changes,
                             bool keep_known) const {
    // The live ones first: an erase moves the generation, which would refuse the puts after it.
    std::vector<const std::string*> ended;
    for (const Reread& r : read) {
        auto it = live.find(r.claims.jti);
        if (it != live.end() && it->second.user_id == r.claims.user_id &&
            !it->second.state.disabled) {
            LiveSession s{r.claims.user_id, it->second.state.role == "admin",
                          checked_at,       false,
                          changes,          checked_at};
            // A read again keeps when the session was last used (a read for a request is a use).
            if (auto known = sessions_.find(r.claims.jti)) {
                if (keep_known)
                    s.changes = known->changes;
                else
                    s.used_at = known->used_at;
            }
            sessions_.put(r.claims.jti, s, r.generation);
        } else {
            ended.push_back(&r.claims.jti);
        }
    }
    for (const std::string* jti : ended) sessions_.erase(*jti);
}

std::optional<http::Principal> Authenticator::authenticate_remembered(
    const http::Request& req) const {
    auto token = extract_token(req);
    if (!token) return std::nullopt;
    const std::int64_t now = util::now_unix();
    auto claims = tokens_.verify_remembered(*token, now);
    if (!claims) return std::nullopt;
    const std::uint64_t generation = sessions_.generation();
    auto live = sessions_.find(claims->jti);
    if (!live || live->user_id != claims->user_id) return std::nullopt;
    const Clock::time_point at = clock_();
    const Clock::duration age = at - live->checked_at;
    if (age >= remember_) return std::nullopt;
    if (age >= remember_ / 2 && background_ && !live->refreshing) {
        LiveSession marked = *live;
        marked.refreshing = true;
        marked.used_at = at;
        // Not marked (nor read) when a session change came in since the find above.
        if (sessions_.put(claims->jti, marked, generation)) {
            {
                std::lock_guard lock(reread_mutex_);
                reread_queue_.push_back(Reread{*claims, generation, live->admin, live->changes});
            }
            post_reread();
        }
    } else if (at - live->used_at >= remember_ / 4) {
        LiveSession used = *live;
        used.used_at = at;
        sessions_.put(claims->jti, used, generation);
    }
    return http::Principal{claims->user_id, live->admin, claims->jti};
}

void Authenticator::post_reread() const {
    {
        std::lock_guard lock(reread_mutex_);
        if (std::exchange(reread_posted_, true)) return;
    }
    background_([this] { reread_queued(); });
}

void Authenticator::sweep(Clock::time_point now) const {
    const std::uint64_t generation = sessions_.generation();
    std::vector<std::pair<std::string, LiveSession>> due;
    sessions_.for_each([&](const std::string& jti, const LiveSession& s) {
        if (!s.refreshing && now - s.checked_at >= remember_ / 2 &&
            now - s.used_at < kKeepUsedFor * remember_)
            due.emplace_back(jti, s);
    });
    std::vector<Reread> queued;
    for (auto& [jti, s] : due) {
        LiveSession marked = s;
        marked.refreshing = true;
        if (!sessions_.put(jti, marked, generation)) break;  // a session change meanwhile
        queued.push_back(Reread{Claims{s.user_id, 0, 0, jti}, generation, s.admin, s.changes});
    }
    std::lock_guard lock(reread_mutex_);
    for (auto& r : queued) reread_queue_.push_back(std::move(r));
}

void Authenticator::reread_queued() const {
    const Clock::time_point now = clock_();
    Clock::rep due = next_sweep_.load(std::memory_order_relaxed);
    if (now.time_since_epoch().count() >= due &&
        next_sweep_.compare_exchange_strong(due, (now + remember_ / 4).time_since_epoch().count()))
        sweep(now);
    std::vector<Reread> batch;
    {
        std::lock_guard lock(reread_mutex_);
        batch.swap(reread_queue_);
        reread_posted_ = false;
    }
    if (batch.empty()) return;
    rereads_.fetch_add(batch.size(), std::memory_order_relaxed);
    const Clock::time_point checked_at = clock_();  // before the read: the bound counts from here
    std::optional<std::int64_t> changes;
    std::map<std::string, accounts::repo::LiveSessionRow> live;
    std::size_t unchanged = 0;
    try {
        db_.with_connection([&](storage::Connection& c) {
            // Read before the rows: a change committed after this read moves the number past
            // `changes`, so the next read of these sessions reads their rows again.
            changes = accounts::repo::session_changes(c);
            std::vector<std::string> jtis;
            for (const Reread& r : batch) {
                if (changes && r.changes == changes) {
                    // Read live when the number was the same: nothing that could end it since.
                    live.insert_or_assign(
                        r.claims.jti,
                        accounts::repo::LiveSessionRow{
                            r.claims.user_id,
                            accounts::repo::SessionState{r.admin ? "admin" : "user", false}});
                    ++unchanged;
                } else {
                    jtis.push_back(r.claims.jti);
                }
            }
            if (!jtis.empty()) {
                auto read = accounts::repo::live_sessions(c, jtis, util::now_unix());
                for (auto& [jti, row] : read) live.insert_or_assign(jti, std::move(row));
            }
        });
    } catch (const std::exception&) {
        // The database is unreachable: the entries age out and requests take the normal way,
        // which reports the error.
        return;
    }
    unchanged_rereads_.fetch_add(unchanged, std::memory_order_relaxed);
    remember(batch, live, checked_at, changes);
}

events::Message Authenticator::session_changed(std::int64_t user_id) {
    return events::Message{"changed", std::to_string(user_id), std::nullopt};
}

}  // namespace glucoplay::auth
