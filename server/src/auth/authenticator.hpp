#pragma once

// Who is calling: the bearer token or session cookie, checked as a JWT and against the sessions
// table (so logout, password changes and disabled accounts take effect at once), and the client
// address behind trusted proxies.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "accounts/repository.hpp"
#include "auth/tokens.hpp"
#include "events/hub.hpp"
#include "http/request.hpp"
#include "storage/database.hpp"

namespace glucoplay::auth {

inline constexpr const char* kSessionCookie = "glucoplay_session";

// The token from "Authorization: Bearer <jwt>" or, failing that, the glucoplay_session cookie.
std::optional<std::string> extract_token(const http::Request& req);

// The address to rate-limit on: the socket peer, unless the peer is a trusted proxy, in which case
// the right-most X-Forwarded-For entry that is not itself a trusted proxy.
std::string client_address(const http::Request& req,
                           const std::vector<std::string>& trusted_proxies);
// True when the request reached us over HTTPS: X-Forwarded-Proto: https from a trusted proxy.
bool forwarded_https(const http::Request& req, const std::vector<std::string>& trusted_proxies);

class Authenticator {
  public:
    using Clock = std::chrono::steady_clock;
    // Runs a task off the network thread (the server's worker pool).
    using Background = std::function<void(std::function<void()>)>;
    // How long a session found live in the database may be taken as live from memory by
    // authenticate_remembered() when nothing said it changed (see there); --session-memory.
    static constexpr std::chrono::seconds kRememberSessions{1};
    static constexpr std::size_t kRememberedSessions = 8192;

    Authenticator(const TokenService& tokens, storage::Database& db,
                  Clock::duration remember = kRememberSessions,
                  std::function<Clock::time_point()> clock = &Clock::now)
        : tokens_(tokens),
          db_(db),
          remember_(remember),
          clock_(std::move(clock)),
          read_together_(db.dialect() == storage::Dialect::postgres) {}

    // nullopt when the request carries no credentials. Throws ApiError 401 when it carries a token
    // that is malformed, tampered, expired, revoked, or belongs to a disabled or deleted account.
    // Reads the session from the database every time (and remembers a live one: see below).
    std::optional<http::Principal> authenticate(const http::Request& req) const;

    // The caller from the token alone (signature, claims, expiry), its session not read
    // (Principal::session_read false, `admin` unknown): for the routes that read the session in
    // their own write (http::Router::read_session_in_write), with sessions_in_write(). nullopt
    // without credentials; throws ApiError 401 for a malformed, tampered or expired token.
    std::optional<http::Principal> authenticate_token(const http::Request& req) const;
    // In a write's transaction: whether each caller's session is live, as authenticate() would
    // read it (one query for all of them): nullptr for each live one, and for each other the
    // 401 authenticate() would throw. A caller whose session was read already is not read again.
    std::vector<std::exception_ptr> sessions_in_write(
        storage::Connection& c, const std::vector<const http::Principal*>& callers,
        std::int64_t now) const;
    // The sessions sessions_in_write() has read (glucoplay_session_reads_in_writes_total).
    std::uint64_t sessions_read_in_writes() const {
        return write_reads_.load(std::memory_order_relaxed);
    }

    // The caller, from memory only, for the routes allowed to answer on the network thread
    // (ApiDispatcher::try_fast): a token verified before whose session was read live and not
    // disabled from the database within the last `remember` (1 s), with no session change heard
    // of since. nullopt for everything else (no token, a token or session not in memory, one
    // read longer ago): the request then takes the normal way, authenticate() and its 401s.
    // A session in use is read again in the background once it is half that old, so a client
    // that keeps calling stays answered from memory while the bound holds; the sessions due
    // meanwhile are read together, in one query, by one background task. That task first reads
    // the database's session-change number (accounts::repo::session_changes, moved by triggers
    // on every change that can end a live session, whoever makes it): the sessions read live
    // when it last had the same value are live still, and are renewed without reading their
    // rows, so the cost of the bound does not grow with the number of people signed in.
    //
    // A session change is a logout, a password change (other sessions revoked), a role change or
    // disabling, an account deletion: AccountService reports it after the commit, and the
    // application publishes session_changed() on session_topic(), whose observer calls
    // forget_sessions() before the change's answer goes out. Other instances get that message
    // on PostgreSQL as they get every hub message (LISTEN/NOTIFY), so a revocation reaches them
    // within the bridge's delivery time. What no message reports (another process on the same
    // SQLite file, a change made in SQL) shows here within `remember`.
    std::optional<http::Principal> authenticate_remembered(const http::Request& req) const;
    // Where the background reads run; without it a session is read again only when a request
    // takes the normal way. Set before serving.
    void set_background(Background background) { background_ = std::move(background); }
    // Forgets every remembered session: the next request of each reads the database again.
    void forget_sessions() const { sessions_.clear(); }
    std::size_t remembered_sessions() const { return sessions_.size(); }
    // Sessions read again in the background so far (glucoplay_session_rereads_total), and how
    // many of them were renewed by an unchanged session-change number, without reading their
    // rows (glucoplay_session_rereads_unchanged_total).
    std::uint64_t background_rereads() const { return rereads_.load(std::memory_order_relaxed); }
    std::uint64_t unchanged_rereads() const {
        return unchanged_rereads_.load(std::memory_order_relaxed);
    }

    // authenticate()'s session reads, read together: a read that arrives while another is under
    // way waits for it to end, and the reads waiting then are made in one query by one of them
    // (each still after its own request arrived, judged at the latest of their instants). On
    // by default on PostgreSQL, where each read is a round trip to another process (issue 9: a
    // score's session read was about a quarter of its cost there); off on SQLite, where a read
    // is a function call and a wait would cost more than it saves.
    void set_read_together(bool on) { read_together_ = on; }
    // The queries authenticate() has made, and the reads waiting for one now (for tests).
    std::uint64_t session_reads() const { return session_reads_.load(std::memory_order_relaxed); }
    std::size_t waiting_session_reads() const {
        std::lock_guard lock(read_mutex_);
        return read_queue_.size();
    }

    static std::string session_topic() { return "internal:session"; }
    static events::Message session_changed(std::int64_t user_id);

  private:
    struct LiveSession {
        std::int64_t user_id = 0;
        bool admin = false;
        Clock::time_point checked_at;
        bool refreshing = false;  // a background read is under way
        // The session-change number read before a read that found this session live (nullopt:
        // none known). While the database still shows it, the session is live.
        std::optional<std::int64_t> changes;
        // When a request last took it from memory, to within kUseResolution (refreshed at most
        // that often, so a busy session is not stored again on every request).
        Clock::time_point used_at;
    };
    // A session used within this many bounds is read again when due even without a request in
    // the second half of its bound (reread_queued's sweep): a client calling a few times a second
    // would otherwise miss that half-second window about one time in three and take the normal
    // way (issue 9: in D on PostgreSQL, about 760 requests a second).
    static constexpr int kKeepUsedFor = 2;
    // Reads the session from the database and remembers it when live (forgets it otherwise),
    // unless a session change was heard of since `generation`. Returns the state read.
    std::optional<accounts::repo::SessionState> check(const Claims& claims, std::int64_t now,
                                                      std::uint64_t generation) const;
    // The live session of `jti` (an empty map: not live), read alone or together (see
    // set_read_together).
    std::map<std::string, accounts::repo::LiveSessionRow> read_live(const std::string& jti,
                                                                    std::int64_t now) const;
    struct WaitingRead {
        const std::string* jti = nullptr;
        std::int64_t now = 0;
        bool done = false;  // guarded by read_mutex_, as the results
        std::optional<accounts::repo::LiveSessionRow> row;
        std::exception_ptr error;
    };
    struct Reread {
        Claims claims;
        std::uint64_t generation = 0;  // sessions_.generation() before the read
        // The remembered entry's, when the read was queued.
        bool admin = false;
        std::optional<std::int64_t> changes;
    };
    // The background task: takes the queued sessions and, at most once every quarter of the
    // bound, every other remembered session that is due (half the bound old) and was used
    // within kKeepUsedFor bounds (the sweep: it rides on the tasks requests post, so it runs
    // while sessions are in use, and an idle server reads nothing); reads the session-change
    // number, renews the sessions remembered at that number, reads the others' rows in one query
    // and does as check() does.
    void reread_queued() const;
    // Queues for the next background task every remembered session due and used lately.
    void sweep(Clock::time_point now) const;
    // Posts the background task unless one is posted that has not taken the queue.
    void post_reread() const;
    // Remembers each session read that `live` shows live and enabled, forgets the others.
    // `changes`: the session-change number read before `live` (nullopt: none known). A read
    // that did not read the number (check()) passes `keep_known`: a live session keeps the
    // number it was remembered with, which is still one read before a read that found it live.
    void remember(const std::vector<Reread>& read,
                  const std::map<std::string, accounts::repo::LiveSessionRow>& live,
                  Clock::time_point checked_at, std::optional<std::int64_t> changes,
                  bool keep_known = false) const;

    const TokenService& tokens_;
    storage::Database& db_;
    Clock::duration remember_;
    std::function<Clock::time_point()> clock_;
    Background background_;
    // By jti; cleared by forget_sessions() (the generation counter keeps a read of the database
    // made before a change from storing its answer after it).
    mutable util::BoundedCache<std::string, LiveSession> sessions_{kRememberedSessions};
    mutable std::atomic<std::uint64_t> rereads_{0};
    mutable std::atomic<std::uint64_t> unchanged_rereads_{0};
    mutable std::mutex reread_mutex_;
    mutable std::vector<Reread> reread_queue_;  // guarded by reread_mutex_
    mutable bool reread_posted_ = false;        // a task is posted that has not taken the queue
    // When the next sweep is due (Clock ticks since its epoch).
    mutable std::atomic<Clock::rep> next_sweep_{0};
    bool read_together_;
    mutable std::atomic<std::uint64_t> session_reads_{0};
    mutable std::atomic<std::uint64_t> write_reads_{0};
    mutable std::mutex read_mutex_;
    mutable std::condition_variable read_done_;
    mutable std::vector<WaitingRead*> read_queue_;  // guarded by read_mutex_
    mutable bool reading_ = false;                  // a read is under way (guarded by read_mutex_)
};

}  // namespace glucoplay::auth
