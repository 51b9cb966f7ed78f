#include "net/server.hpp"

#include <fmt/compile.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <latch>
#include <limits>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "http/errors.hpp"
#include "net/response_head.hpp"

namespace glucoplay::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

namespace {

// One accepted connection, as seen by shutdown. Only touched on the connection's strand.
struct Connection {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool busy = false;  // a request is being read, handled or answered
};

// Feeds the bytes already in `buffer` to Beast's parser, up to the end of the header (or of the
// whole message when `body`), without waiting for more. need_more is not an error here: the
// caller reads more when the parser is not yet done.
boost::system::error_code parse_buffered(bhttp::request_parser<bhttp::string_body>& parser,
                                         beast::flat_buffer& buffer, bool body) {
    boost::system::error_code ec;
    while (buffer.size() > 0 && !(body ? parser.is_done() : parser.is_header_done())) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) return {};
        if (ec) return ec;
        if (used == 0) break;
    }
    return ec;
}

// A parse error from Beast (as opposed to a closed, reset or timed-out connection).
bool is_malformed_request(const boost::system::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
           ec != bhttp::error::need_more;
}

std::string random_request_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string id(16, '0');
    std::uint64_t v = rng();
    for (auto& c : id) {
        c = hex[v & 0xF];
        v >>= 4;
    }
    return id;
}

// Accept a client's X-Request-Id when it is short and plain, so ids can be correlated end to end.
std::string request_id_for(const http::Request& req) {
    if (auto id = req.header("X-Request-Id"); id && !id->empty() && id->size() <= 64) {
        bool plain = std::all_of(id->begin(), id->end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '_' || c == '.';
        });
        if (plain) return std::string(*id);
    }
    return random_request_id();
}

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, Handler a, Handler w, http::Metrics& m)
        : opts(std::move(o)),
          api(std::move(a)),
          web(std::move(w)),
          metrics(m),
          access_log(spdlog::get("access") ? spdlog::get("access") : spdlog::default_logger()),
          ioc(static_cast<int>(opts.io_threads)),
          workers(opts.worker_threads),
          api_acceptor(ioc),
          web_acceptor(ioc),
          signals(ioc, SIGINT, SIGTERM),
          grace_timer(asio::make_strand(ioc)) {
        if (opts.batch_workers) mark_workers_batch();
    }
    void mark_workers_batch();

    ServerOptions opts;
    Handler api;
    FastHandler api_fast;
    Handler web;
    http::Metrics& metrics;
    // One line per request (app/logging.hpp: the "access" logger, batched), else the default.
    std::shared_ptr<spdlog::logger> access_log;
    asio::io_context ioc;
    asio::thread_pool workers;
    tcp::acceptor api_acceptor;
    tcp::acceptor web_acceptor;
    asio::signal_set signals;
    // Armed by begin_shutdown and cancelled by the last connection to close, which may be on
    // any I/O thread: its own strand keeps the two from touching it at once.
    asio::steady_timer grace_timer;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> active_connections{0};
    std::atomic<std::uint64_t> refused_connections{0};
    std::atomic<std::uint64_t> header_timeouts{0};
    std::atomic<std::uint64_t> body_timeouts{0};
    std::atomic<std::uint64_t> fast_responses{0};
    std::vector<std::function<void()>> shutdown_callbacks;

    std::mutex mutex;  // guards connections and next_id
    std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
    std::uint64_t next_id = 0;

    void listen(tcp::acceptor& acceptor, unsigned short port, const char* what) {
        boost::system::error_code ec;
        auto address = asio::ip::make_address(opts.bind, ec);
        if (ec) throw std::runtime_error("invalid bind address '" + opts.bind + "'");
        tcp::endpoint ep(address, port);
        acceptor.open(ep.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(ep, ec);
        if (ec)
            throw std::runtime_error(std::string("cannot listen for the ") + what + " on " +
                                     opts.bind + ":" + std::to_string(port) + ": " + ec.message());
        acceptor.listen(asio::socket_base::max_listen_connections);
    }

    std::size_t body_limit_for(std::string_view target) const {
        std::string_view path = target.substr(0, target.find('?'));
        for (const auto& p : opts.large_body_paths)
            if (path == p) return opts.large_body_limit;
        return opts.body_limit;
    }

    // Accepts connections until the acceptor is closed; each gets its own strand and coroutine.
    asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, bool is_api) {
        for (;;) {
            // One I/O thread runs every handler in turn: a strand would only add a queue.
            asio::any_io_executor strand = opts.io_threads > 1
                                               ? asio::any_io_executor(asio::make_strand(ioc))
                                               : asio::any_io_executor(ioc.get_executor());
            auto [ec, socket] =
                co_await acceptor.async_accept(strand, asio::as_tuple(use_awaitable));
            if (ec) {
                if (ec == asio::error::operation_aborted || stopping) co_return;
                spdlog::warn("accept failed: {}", ec.message());
                // Out of descriptors and similar: back off briefly instead of spinning.
                asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
                co_await pause.async_wait(asio::as_tuple(use_awaitable));
                continue;
            }
            // Responses go out in one write, but a large one leaves the kernel in pieces; with
            // Nagle's algorithm the last small piece would wait for the client's delayed ACK
            // (40 ms on Linux: the p99 of a 200 KB food summary). Event-stream chunks too.
            boost::system::error_code nodelay_ec;
            socket.set_option(tcp::no_delay(true), nodelay_ec);
            // The slot is taken here, before the session starts, so a burst of accepts cannot
            // overshoot the limit; the session's cleanup gives it back.
            if (active_connections.fetch_add(1) >= opts.max_connections) {
                --active_connections;
                ++refused_connections;
                asio::co_spawn(strand, refuse(beast::tcp_stream(std::move(socket))),
                               asio::detached);
                continue;
            }
            asio::co_spawn(strand, session(beast::tcp_stream(std::move(socket)), is_api),
                           asio::detached);
        }
    }

    // Over the connection limit: a short 503 with Retry-After, then close. The write gets a
    // one-second budget so a client that does not read cannot hold the socket.
    asio::awaitable<void> refuse(beast::tcp_stream stream) {
        http::Response res = http::error_response(
            http::ApiError::unavailable("the server is at its connection limit; retry shortly"));
        res.headers.set("Retry-After", "1");
        stream.expires_after(std::chrono::seconds(1));
        auto [ec, _] = co_await write_response(stream, res, 11, false, false);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        // Drain what the client sent (within the same second) before closing, so the kernel
        // does not answer the unread request with a reset that destroys the 503 in flight.
        char sink[1024];
        while (!ec) {
            auto [rec, n] =
                co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(use_awaitable));
            ec = rec;
        }
    }

    std::uint64_t add_connection(std::shared_ptr<Connection> c) {
        std::lock_guard lock(mutex);
        connections.emplace(++next_id, std::move(c));
        return next_id;
    }

    void remove_connection(std::uint64_t id) {
        --active_connections;
        std::lock_guard lock(mutex);
        connections.erase(id);
        if (stopping && connections.empty())
            asio::post(grace_timer.get_executor(), [this] { grace_timer.cancel(); });
    }

    // One access line per request (logfmt). Formatted with a compiled format string and handed
    // to the logger as text: parsing the format at run time cost as much as the rest of the line.
    void log_access(std::string_view listener, const http::Request& req, std::string_view path,
                    unsigned status, double seconds, std::size_t bytes, std::string_view remote,
                    std::string_view suffix) {
        if (!access_log->should_log(spdlog::level::info)) return;
        // The milliseconds with three decimals, from whole microseconds: what "{:.3f}" of
        // seconds * 1000 writes, without formatting a double (about 600 instructions a line).
        const auto micros = static_cast<std::uint64_t>(std::llround(std::max(seconds, 0.0) * 1e6));
        fmt::memory_buffer line;
        fmt::format_to(std::back_inserter(line),
                       FMT_COMPILE("access listener={} method={} path={} status={} "
                                   "duration_ms={}.{:03} bytes={} request_id={} remote={}{}"),
                       listener, req.method_text, path, status, micros / 1000, micros % 1000, bytes,
                       req.request_id, remote, suffix);
        access_log->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
    }

    // Resumes the awaiting coroutine on its own executor with the deferred answer, whichever
    // thread settles it. Not a coroutine itself: the operation holds `later`.
    static asio::awaitable<http::Response> settled(std::shared_ptr<http::Deferred> later) {
        return asio::async_initiate<decltype(use_awaitable), void(http::Response)>(
            [](auto handler, std::shared_ptr<http::Deferred> pending) {
                auto executor = asio::get_associated_executor(handler);
                auto waiting = std::make_shared<decltype(handler)>(std::move(handler));
                pending->when_settled([waiting, executor](http::Response res) {
                    asio::post(executor, [waiting, res = std::move(res)]() mutable {
                        std::move (*waiting)(std::move(res));
                    });
                });
            },
            use_awaitable, std::move(later));
    }

    // The API's fast path (never blocks), if any; exceptions become error responses.
    std::optional<http::Response> try_fast(http::Request& req) {
        if (!api_fast) return std::nullopt;
        try {
            return api_fast(req);
        } catch (...) {
            return http::map_exception(std::current_exception(), req.request_id);
        }
    }

    // Writes a response with one gathering write: the head (net/response_head.hpp) and the
    // body as it is, which the kernel sends as one segment for a small answer.
    asio::awaitable<std::tuple<boost::system::error_code, std::size_t>> write_response(
        beast::tcp_stream& stream, const http::Response& res, unsigned version, bool keep_alive,
        bool head_request) {
        const std::string head = response_head(res, version, keep_alive);
        const bool body = status_has_body(res.status) && !head_request;
        const std::array<asio::const_buffer, 2> buffers{
            asio::buffer(head), body ? asio::buffer(res.body_view()) : asio::const_buffer()};
        co_return co_await asio::async_write(stream, buffers, asio::as_tuple(use_awaitable));
    }

    // Writes a response built outside the handler path (parse errors, oversized bodies).
    asio::awaitable<void> send_error(beast::tcp_stream& stream, const http::ApiError& error,
                                     unsigned version) {
        const http::Response res = http::error_response(error);
        stream.expires_after(opts.write_timeout);
        co_await write_response(stream, res, version, false, false);
    }

    // Reads requests on one connection and answers them in order (HTTP/1.1 keep-alive).
    asio::awaitable<void> session(beast::tcp_stream stream, bool is_api) {
        auto conn = std::make_shared<Connection>();
        conn->executor = stream.get_executor();
        conn->stream = &stream;
        const std::uint64_t id = add_connection(conn);
        struct Cleanup {
            Impl* self;
            std::shared_ptr<Connection> conn;
            std::uint64_t id;
            ~Cleanup() {
                conn->stream = nullptr;  // runs on the strand, before any later shutdown post
                self->remove_connection(id);
            }
        } cleanup{this, conn, id};

        std::string remote;
        {
            boost::system::error_code ec;
            auto ep = stream.socket().remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }

        beast::flat_buffer buffer;
        try {
            for (bool first = true;; first = false) {
                if (stopping) break;
                conn->busy = false;
                bhttp::request_parser<bhttp::string_body> parser;
                parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
                // The route's own limit is applied once the target is known (below).
                parser.body_limit(std::numeric_limits<std::uint64_t>::max());

                // Step 1: on a keep-alive connection, wait up to the idle timeout for the next
                // request to start; then the request line and headers must arrive within the
                // header timeout (from the accept, for a new connection).
                if (!first && buffer.size() == 0) {
                    stream.expires_after(opts.idle_timeout);
                    auto [iec, n] = co_await stream.async_read_some(buffer.prepare(4096),
                                                                    asio::as_tuple(use_awaitable));
                    if (iec) break;
                    buffer.commit(n);
                }
                // What arrived with the first read usually holds the whole header: parse it here
                // rather than through another round of the event loop, and read only if not.
                boost::system::error_code ec = parse_buffered(parser, buffer, false);
                if (!ec && !parser.is_header_done()) {
                    stream.expires_after(opts.header_timeout);
                    auto [rec, _] = co_await bhttp::async_read_header(
                        stream, buffer, parser, asio::as_tuple(use_awaitable));
                    ec = rec;
                }
                if (ec) {
                    if (ec == beast::error::timeout) {
                        ++header_timeouts;
                        spdlog::debug(
                            "connection closed: headers not received within {}s remote={}",
                            opts.header_timeout.count(), remote);
                    }
                    if (ec == bhttp::error::header_limit)
                        co_await send_error(stream,
                                            http::ApiError(431, "validation_failed",
                                                           "request headers are too large"),
                                            11);
                    else if (is_malformed_request(ec))
                        co_await send_error(
                            stream, http::ApiError::bad_request("malformed HTTP request"), 11);
                    break;
                }
                conn->busy = true;
                const auto started = std::chrono::steady_clock::now();
                const unsigned version = parser.get().version();

                // Step 2: the body, bounded by the route's limit (1 MiB JSON, 20 MiB import).
                const std::size_t limit = body_limit_for(parser.get().target());
                if (parser.content_length() && *parser.content_length() > limit) {
                    co_await send_error(stream, http::ApiError::payload_too_large(limit), version);
                    break;
                }
                parser.body_limit(limit);
                // A GET is complete with its header; a small body is usually buffered already.
                boost::system::error_code ec2 = parse_buffered(parser, buffer, true);
                if (!ec2 && !parser.is_done()) {
                    stream.expires_after(opts.body_timeout);
                    auto [rec, __] = co_await bhttp::async_read(stream, buffer, parser,
                                                                asio::as_tuple(use_awaitable));
                    ec2 = rec;
                }
                if (ec2 == bhttp::error::body_limit) {
                    co_await send_error(stream, http::ApiError::payload_too_large(limit), version);
                    break;
                }
                if (ec2 == beast::error::timeout) {
                    ++body_timeouts;
                    spdlog::debug("connection closed: body not received within {}s remote={}",
                                  opts.body_timeout.count(), remote);
                }
                if (ec2) break;

                // Step 3: convert to our own Request type and run the handler.
                bhttp::request<bhttp::string_body> breq = parser.release();
                http::Request req;
                req.method_text = std::string(breq.method_string());
                req.method = http::method_from_string(req.method_text);
                req.remote_address = remote;
                for (const auto& f : breq)
                    req.headers.add(std::string(f.name_string()), std::string(f.value()));
                req.body = std::move(breq.body());
                req.request_id = request_id_for(req);
                const bool keep_alive_requested = breq.keep_alive();

                http::Response res;
                if (!http::parse_target(req, breq.target())) {
                    res = http::error_response(
                        http::ApiError::bad_request("malformed request target"));
                } else if (std::optional<http::Response> fast =
                               is_api ? try_fast(req) : std::nullopt) {
                    // Answered from memory on this thread: no hand-off to the worker pool.
                    res = std::move(*fast);
                    fast_responses.fetch_add(1, std::memory_order_relaxed);
                    // Or handed by this thread to a write that settles it (a score).
                    if (res.later) res = co_await settled(std::move(res.later));
                } else if (is_api) {
                    // API handlers may block on the database: run them on the worker pool and
                    // resume this coroutine on the connection's strand when they finish.
                    res = co_await asio::co_spawn(
                        workers,
                        [this, &req]() -> asio::awaitable<http::Response> {
                            try {
                                co_return api(req);
                            } catch (...) {
                                co_return http::map_exception(std::current_exception(),
                                                              req.request_id);
                            }
                        },
                        use_awaitable);
                    // An answer settled later on another thread (a score committed together
                    // with others): wait for it without holding this thread.
                    if (res.later) res = co_await settled(std::move(res.later));
                } else {
                    try {
                        res = web(req);
                    } catch (...) {
                        res = http::map_exception(std::current_exception(), req.request_id);
                    }
                }
                // The dispatcher has set it on API answers already (a set() is a scan, an erase
                // and an allocation).
                if (res.headers.get("X-Request-Id") != std::string_view(req.request_id))
                    res.headers.set("X-Request-Id", req.request_id);
                if (res.stream) {
                    co_await stream_events(stream, conn, req, std::move(res), version, started,
                                           remote);
                    break;
                }

                // Step 4: write the response; close after it when the client or shutdown asks.
                const bool keep_alive = keep_alive_requested && !stopping;
                const unsigned status = res.status;
                stream.expires_after(opts.write_timeout);
                auto [ec3, written] = co_await write_response(stream, res, version, keep_alive,
                                                              req.method == http::Method::head);

                const double seconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                        .count();
                std::string_view target = breq.target();
                std::string_view path = target.substr(0, target.find('?'));
                log_access(is_api ? "api" : "web", req, path, status, seconds, written, remote, "");
                metrics.record(
                    req.method_text,
                    is_api ? (req.route_pattern.empty() ? "unmatched" : req.route_pattern) : "web",
                    status, seconds);
                if (ec3 || !keep_alive) break;
            }
        } catch (const std::exception& e) {
            spdlog::error("connection error: {}", e.what());
        }
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    // Server-Sent Events: the headers, then chunks as the source produces them, a comment line
    // every heartbeat interval (which also detects clients that went away), until the source
    // finishes, the client disconnects or the server shuts down.
    asio::awaitable<void> stream_events(beast::tcp_stream& stream,
                                        const std::shared_ptr<Connection>& conn,
                                        const http::Request& req, http::Response res,
                                        unsigned version,
                                        std::chrono::steady_clock::time_point started,
                                        const std::string& remote) {
        std::shared_ptr<http::StreamSource> source = std::move(res.stream);
        bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
        head.set(bhttp::field::server, "glucoplay");
        res.headers.for_each(
            [&](std::string_view name, std::string_view value) { head.insert(name, value); });
        head.keep_alive(false);  // the body ends when the connection does
        bhttp::response_serializer<bhttp::empty_body> sr{head};
        stream.expires_after(opts.write_timeout);
        auto [ec, _] =
            co_await bhttp::async_write_header(stream, sr, asio::as_tuple(use_awaitable));

        // The waker may fire on any thread: it only posts a cancel of the wait to our strand.
        auto wake = std::make_shared<asio::steady_timer>(stream.get_executor());
        source->set_waker([wake] { asio::post(wake->get_executor(), [wake] { wake->cancel(); }); });
        conn->busy = false;  // an open stream does not hold a graceful shutdown up
        std::size_t bytes = 0;
        while (!ec) {
            while (auto chunk = source->next_chunk()) {
                stream.expires_after(opts.write_timeout);
                auto [wec, n] = co_await asio::async_write(stream, asio::buffer(*chunk),
                                                           asio::as_tuple(use_awaitable));
                bytes += n;
                if (wec) {
                    ec = wec;
                    break;
                }
            }
            if (ec || source->finished() || stopping) break;
            wake->expires_after(opts.sse_heartbeat);
            auto [tec] = co_await wake->async_wait(asio::as_tuple(use_awaitable));
            if (!tec) {  // the interval passed with nothing to send
                static const std::string heartbeat = ": heartbeat\n\n";
                stream.expires_after(opts.write_timeout);
                auto [hec, n] = co_await asio::async_write(stream, asio::buffer(heartbeat),
                                                           asio::as_tuple(use_awaitable));
                bytes += n;
                ec = hec;
            }
        }
        source->set_waker(nullptr);
        source->on_close();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::string_view target = req.target;
        log_access("api", req, target.substr(0, target.find('?')), res.status, seconds, bytes,
                   remote, " stream=sse");
        metrics.record(req.method_text, req.route_pattern, res.status, seconds);
    }

    // Stop accepting, close idle connections, let busy ones finish their request.
    void begin_shutdown() {
        if (stopping.exchange(true)) return;
        spdlog::info("shutting down: finishing in-flight requests");
        for (auto& callback : shutdown_callbacks) callback();
        boost::system::error_code ignored;
        signals.cancel(ignored);
        api_acceptor.close(ignored);
        web_acceptor.close(ignored);

        std::vector<std::shared_ptr<Connection>> open;
        {
            std::lock_guard lock(mutex);
            for (auto& [_, c] : connections) open.push_back(c);
        }
        for (auto& c : open) {
            asio::post(c->executor, [c] {
                if (c->stream && !c->busy) c->stream->cancel();
            });
        }
        if (open.empty()) return;
        // Armed on the timer's strand, under the lock: a connection that closed first leaves
        // none to wait for, and one that closes later posts its cancel behind this.
        asio::dispatch(grace_timer.get_executor(), [this] {
            std::lock_guard lock(mutex);
            if (connections.empty()) return;
            grace_timer.expires_after(opts.shutdown_grace);
            grace_timer.async_wait([this](boost::system::error_code ec) {
                if (ec) return;  // cancelled: every connection finished in time
                spdlog::warn("shutdown grace period over; closing remaining connections");
                ioc.stop();
            });
        });
    }
};

Server::Server(ServerOptions options, Handler api, Handler web, http::Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(api), std::move(web), metrics)) {}

Server::~Server() {
    impl_->workers.join();
}

void Server::Impl::mark_workers_batch() {
    // SCHED_BATCH (Linux): the scheduler treats these threads as throughput work and does not let
    // a worker that wakes up preempt the thread that woke it. On a loaded core every hand-off to
    // the pool otherwise switched away from the I/O thread at once and back again when the
    // handler finished; with this the I/O thread finishes what it has ready first (issue 9: the
    // mixed benchmark D about 20 % faster on one core). The I/O threads keep the normal policy,
    // so answers from memory are not delayed. Each worker runs exactly one of these tasks: all
    // wait until every worker has arrived.
    auto arrived = std::make_shared<std::latch>(static_cast<std::ptrdiff_t>(opts.worker_threads));
    for (unsigned i = 0; i < opts.worker_threads; ++i)
        asio::post(workers, [arrived] {
            sched_param param{};
            param.sched_priority = 0;
            if (::sched_setscheduler(0, SCHED_BATCH, &param) != 0)
                spdlog::debug("worker thread: SCHED_BATCH not available ({})",
                              std::strerror(errno));
            arrived->arrive_and_wait();
        });
    arrived->wait();
}

void Server::set_api_fast_path(FastHandler fast) {
    impl_->api_fast = std::move(fast);
}

void Server::post_work(std::function<void()> task) {
    asio::post(impl_->workers, std::move(task));
}

void Server::start() {
    impl_->listen(impl_->api_acceptor, impl_->opts.api_port, "API");
    impl_->listen(impl_->web_acceptor, impl_->opts.web_port, "web UI");
}

unsigned short Server::api_port() const {
    return impl_->api_acceptor.local_endpoint().port();
}
unsigned short Server::web_port() const {
    return impl_->web_acceptor.local_endpoint().port();
}

void Server::run() {
    Impl& s = *impl_;
    s.signals.async_wait([&s](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("received signal {}", signal);
        s.begin_shutdown();
    });
    asio::co_spawn(s.ioc, s.accept_loop(s.api_acceptor, true), asio::detached);
    asio::co_spawn(s.ioc, s.accept_loop(s.web_acceptor, false), asio::detached);

    std::vector<std::thread> threads;
    for (unsigned i = 1; i < s.opts.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : threads) t.join();
    s.workers.join();
    spdlog::info("server stopped");
}

ServerStats Server::stats() const {
    return ServerStats{impl_->active_connections.load(), impl_->refused_connections.load(),
                       impl_->header_timeouts.load(), impl_->body_timeouts.load(),
                       impl_->fast_responses.load()};
}

void Server::on_shutdown(std::function<void()> callback) {
    impl_->shutdown_callbacks.push_back(std::move(callback));
}

void Server::stop() {
    asio::post(impl_->ioc, [this] { impl_->begin_shutdown(); });
}

}  // namespace glucoplay::net
