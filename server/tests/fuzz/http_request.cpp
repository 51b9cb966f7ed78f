// Fuzz target: the API request path in-process. The app's real router and dispatcher (CORS,
// content types, authentication, every route's handler, JSON body parsing and DTO validation,
// services and SQL) run against a temporary SQLite database, as `glucoplay serve` would after the
// listener has parsed the HTTP message.
//
// Input: an HTTP/1.1 request as text, minus the version:
//     METHOD TARGET\n
//     Header-Name: value\n ...
//     \n
//     body
// "@user" and "@admin" in a header value stand for a valid token of the fuzz user and of an
// administrator ("Authorization: Bearer @user", "Cookie: glucoplay_session=@admin").
//
// Invariants: never a 5xx; every 4xx has the API.md error shape with the code that belongs to its
// status (and Allow on 405, Retry-After on 429); every JSON body parses; no password hash or
// signing secret ever appears in a response.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "accounts/repository.hpp"
#include "app/app.hpp"
#include "fuzz_support.hpp"
#include "http/dispatcher.hpp"
#include "util/time.hpp"

using namespace glucoplay;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kPassword = "fuzz password 1";  // never in the corpus: no account deletion
const std::string kSecret = "http-fuzz-signing-secret-0123456789abcdef";

fs::path scratch_dir() {
    // The database on tmpfs when there is one: SQLite's fsyncs would otherwise dominate.
    fs::path base = fs::temp_directory_path();
    std::error_code ec;
    if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) base = "/dev/shm";
    return base / ("gp-fuzz-http-" + std::to_string(::getpid()));
}

struct Fixture {
    fs::path dir = scratch_dir();
    std::unique_ptr<app::AppContext> ctx;
    std::unique_ptr<http::Router> router;
    std::unique_ptr<http::ApiDispatcher> dispatcher;
    std::int64_t user_id = 0, admin_id = 0;
    std::string user_token, admin_token;

    Fixture() {
        spdlog::set_level(spdlog::level::warn);
        fs::remove_all(dir);
        app::Config cfg;
        cfg.data_dir = dir;
        cfg.database = "sqlite:" + (dir / "fuzz.db").string();
        cfg.jwt_secret = kSecret;
        cfg.db_pool_size = 2;
        cfg.web_port = 4887;
        cfg.rate_limit = "off";  // the general limit would answer 429 to nearly every input
        // Sign-up and sign-in keep the server's default per-address limits (60/60s, 10/15m): they
        // bound the Argon2 hashes (64 MiB, ~0.1 s each) the fuzzer can trigger.
        ctx = app::make_context(cfg);
        router = std::make_unique<http::Router>(app::build_router(*ctx));
        dispatcher = std::make_unique<http::ApiDispatcher>(
            *router, http::CorsPolicy{{"http://localhost:4887"}}, app::dispatch_hooks(*ctx));
        user_id = ctx->accounts->signup("fuzzuser", kPassword, std::string("Fuzz User")).user.id;
        admin_id = ctx->accounts->create_or_promote_admin("fuzzadmin", kPassword).id;
        restore();
    }
    ~Fixture() {
        dispatcher.reset();
        router.reset();
        ctx.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    // Gives both accounts their role back, enabled, with a live session each (no Argon2).
    void restore() {
        const std::int64_t now = util::now_unix();
        ctx->db->transaction([&](storage::Connection& c) {
            accounts::repo::set_role_and_disabled(c, admin_id, "admin", false, now);
            accounts::repo::set_role_and_disabled(c, user_id, "user", false, now);
            for (auto [id, token] : {std::pair{user_id, &user_token}, {admin_id, &admin_token}}) {
                auth::Claims claims;
                *token = ctx->tokens->issue(id, now, &claims);
                accounts::repo::insert_session(c, claims.jti, id, claims.issued_at,
                                               claims.expires_at);
            }
            return 0;
        });
    }

    bool sessions_live() {
        for (auto [token, admin] : {std::pair{&user_token, false}, {&admin_token, true}}) {
            http::Request r;
            r.headers.set("Authorization", "Bearer " + *token);
            try {
                auto who = ctx->authenticator->authenticate(r);
                if (!who || who->admin != admin) return false;
            } catch (const std::exception&) {
                return false;
            }
        }
        return true;
    }
};

bool clean_header_text(std::string_view s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\t') || c == 0x7F) return false;  // Beast refuses these
    return true;
}

std::string replace_all(std::string s, std::string_view from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

// Builds the request the listener would hand to the dispatcher; false when Beast would have
// refused the message or the target (the listener answers those itself).
bool build_request(std::string_view input, const Fixture& f, http::Request& req) {
    std::size_t head_end = input.find("\n\n");
    std::string_view head = input.substr(0, head_end);
    if (head_end != std::string_view::npos) req.body = std::string(input.substr(head_end + 2));
    std::size_t eol = head.find('\n');
    std::string_view line = head.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos || sp == 0) return false;
    req.method_text = std::string(line.substr(0, sp));
    for (unsigned char c : req.method_text)
        if (c <= 0x20 || c >= 0x7F || c == '(' || c == ')' || c == ',' || c == ':' || c == '"')
            return false;
    req.method = http::method_from_string(req.method_text);
    if (!http::parse_target(req, line.substr(sp + 1))) return false;
    while (eol != std::string_view::npos) {
        head.remove_prefix(eol + 1);
        eol = head.find('\n');
        std::string_view h = head.substr(0, eol);
        if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
        std::size_t colon = h.find(':');
        if (colon == std::string_view::npos || colon == 0 || !clean_header_text(h)) return false;
        std::string_view name = h.substr(0, colon), value = h.substr(colon + 1);
        if (name.find_first_of(" \t") != std::string_view::npos) return false;
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        std::string v = replace_all(std::string(value), "@admin", f.admin_token);
        v = replace_all(std::move(v), "@user", f.user_token);
        req.headers.add(std::string(name), std::move(v));
    }
    req.remote_address = "127.0.0.1";
    req.request_id = "fuzz";
    return true;
}

const std::map<unsigned, std::string> kCodeForStatus = {
    {400, "validation_failed"}, {401, "unauthorized"},           {403, "forbidden"},
    {404, "not_found"},         {405, "method_not_allowed"},     {409, "conflict"},
    {413, "payload_too_large"}, {415, "unsupported_media_type"}, {422, "unprocessable"},
    {429, "rate_limited"},
};

void check_response(std::string_view input, const http::Request& req, const http::Response& res) {
    const std::string detail = req.method_text + " " + req.target + " -> " +
                               std::to_string(res.status) + "\n" +
                               std::string(res.body_view().substr(0, 2000));
    fuzz::check(res.status >= 100 && res.status < 500, "no 5xx for any input", detail);
    auto type = res.headers.get("Content-Type");
    const bool is_json = type && type->starts_with("application/json");
    if (res.status >= 400) {
        fuzz::check(is_json, "an error is JSON", detail);
        boost::system::error_code ec;
        json::value v = json::parse(res.body_view(), ec);
        fuzz::check(!ec && v.is_object() && v.as_object().size() == 1, "error body is {error}",
                    detail);
        const json::value* err = v.as_object().if_contains("error");
        fuzz::check(err && err->is_object(), "error body is {error: {...}}", detail);
        const json::object& e = err->as_object();
        for (const auto& [k, val] : e)
            fuzz::check((k == "code" || k == "message" || k == "field") && val.is_string(),
                        "error has only string code, message, field", detail);
        fuzz::check(e.contains("code") && e.contains("message"), "error has code and message",
                    detail);
        auto want = kCodeForStatus.find(res.status);
        fuzz::check(want != kCodeForStatus.end(), "error status is one API.md lists", detail);
        fuzz::check(e.at("code").as_string() == want->second, "error code matches the status",
                    detail);
        if (res.status == 405) fuzz::check(res.headers.contains("Allow"), "405 has Allow", detail);
        if (res.status == 429)
            fuzz::check(res.headers.contains("Retry-After"), "429 has Retry-After", detail);
    } else if (is_json && !res.body_view().empty()) {
        boost::system::error_code ec;
        json::parse(res.body_view(), ec);
        fuzz::check(!ec, "a JSON body parses", detail);
    }
    // Unless the request itself carried the text (messages may quote a path, and libFuzzer learns
    // the strings this very check compares against).
    for (std::string_view secret : {std::string_view("$argon2"), std::string_view(kSecret)})
        fuzz::check(res.body_view().find(secret) == std::string::npos ||
                        input.find(secret) != std::string_view::npos,
                    "no password hash or signing secret in a response", detail);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    const std::string_view input = fuzz::as_text(data, size);
    http::Request req;
    if (!build_request(input, f, req)) return 0;
    // As the listener does: the fast path first (answers from memory), else the full dispatch.
    std::optional<http::Response> fast = f.dispatcher->try_fast(req);
    http::Response res = fast ? std::move(*fast) : f.dispatcher->dispatch(req);
    if (res.stream) res.stream->on_close();  // event streams: subscribed, then the client leaves
    check_response(input, req, res);
    // Inputs that sign out, change roles or disable accounts would change what later inputs
    // mean: put the fixture back.
    if (req.method != http::Method::get && !f.sessions_live()) f.restore();
    return 0;
}
