#include "app/config.hpp"

#include "auth/rate_limiter.hpp"
#include "storage/database.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace glucoplay::app {

unsigned usable_cpus() {
    // The affinity mask, not the machine: a server started under `taskset -c 1` (or a container's
    // cpuset) that ran one I/O thread per machine CPU would have its threads take turns on one
    // core, paying a context switch to hand each ready socket from one to the other.
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return static_cast<unsigned>(CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
}

const std::vector<Setting>& settings() {
    static const std::vector<Setting> table = {
        {"--env", "GLUCOPLAY_ENV", "development",
         "development, production or test; production requires a JWT secret"},
        {"--port", "GLUCOPLAY_PORT", "8520", "API port (0 picks a free port)"},
        {"--web-port", "GLUCOPLAY_WEB_PORT", "4887", "web UI port (0 picks a free port)"},
        {"--bind", "GLUCOPLAY_BIND", "127.0.0.1",
         "address both listeners bind to (0.0.0.0 for all)"},
        {"--data-dir", "GLUCOPLAY_DATA_DIR", "./var",
         "directory for the SQLite database and generated secrets"},
        {"--database", "GLUCOPLAY_DATABASE", "",
         "database URL: sqlite:PATH, a file path, or postgres://USER:PASS@HOST:PORT/DB (default "
         "DATA_DIR/glucoplay.db)"},
        {"--cors-origin", "GLUCOPLAY_CORS_ORIGINS", "",
         "comma-separated origins allowed to call the API (default the UI on localhost and "
         "127.0.0.1)"},
        {"--jwt-secret", "GLUCOPLAY_JWT_SECRET", "",
         "HS256 signing secret, 32+ bytes (development generates one in the data dir)"},
        {"--log-level", "GLUCOPLAY_LOG_LEVEL", "info",
         "trace, debug, info, warn, error, critical or off"},
        {"--web-root", "GLUCOPLAY_WEB_ROOT", "./web/dist", "directory of the built web UI"},
        {"--public-api-url", "GLUCOPLAY_PUBLIC_API_URL", "",
         "API base URL the UI calls (default same host, API port; 'same-origin' behind a proxy "
         "that serves /api)"},
        {"--threads", "GLUCOPLAY_THREADS", "0",
         "I/O threads (0 = one per CPU this process may run on)"},
        {"--db-pool-size", "GLUCOPLAY_DB_POOL_SIZE", "0",
         "database connections and database worker threads (0 = 2 per CPU for SQLite, 8 for "
         "PostgreSQL)"},
        {"--sqlite-synchronous", "GLUCOPLAY_SQLITE_SYNCHRONOUS", "full",
         "SQLite commit durability: full (a committed write survives power loss; one fsync per "
         "commit) or normal (survives a crash of the process; on power loss the last commits "
         "may roll back, never a torn one)"},
        {"--trusted-proxies", "GLUCOPLAY_TRUSTED_PROXIES", "",
         "comma-separated proxy addresses (e.g. 127.0.0.1) whose X-Forwarded-For and "
         "X-Forwarded-Proto are believed"},
        {"--rate-limit", "GLUCOPLAY_RATE_LIMIT", "6000/60s",
         "API requests allowed per client address: N/Ts, N/Tm, N/Th or off"},
        {"--auth-rate-limit", "GLUCOPLAY_AUTH_RATE_LIMIT", "60/60s",
         "sign-in and sign-up attempts per client address"},
        {"--login-rate-limit", "GLUCOPLAY_LOGIN_RATE_LIMIT", "10/15m",
         "sign-in attempts per username"},
        {"--shared-rate-limits", "GLUCOPLAY_SHARED_RATE_LIMITS", "auth",
         "PostgreSQL: limits every instance shares through the database: auth (sign-in, sign-up "
         "and per-username limits; --rate-limit stays per instance) or all (--rate-limit too, "
         "one database write per API request)"},
        {"--token-ttl", "GLUCOPLAY_TOKEN_TTL", "7d", "session token lifetime, e.g. 12h or 7d"},
        {"--session-memory", "GLUCOPLAY_SESSION_MEMORY", "1s",
         "how long a session checked in the database may be taken as valid from memory by "
         "GET /api/scores/me without reading it again (off: never). Logouts and revocations on "
         "this instance, and on PostgreSQL on every instance, end it at once; this bounds "
         "what no event reports (another process on the same SQLite file, a change made in SQL)"},
        {"--sse-heartbeat", "GLUCOPLAY_SSE_HEARTBEAT", "15s",
         "keep-alive interval on idle event streams, e.g. 15s"},
        {"--scheduler-interval", "GLUCOPLAY_SCHEDULER_INTERVAL", "60s",
         "how often time-based notifications (sensor change due) are checked, e.g. 60s"},
        {"--max-connections", "GLUCOPLAY_MAX_CONNECTIONS", "1024",
         "open connections (both listeners); one more gets 503 with Retry-After and is closed"},
        {"--header-timeout", "GLUCOPLAY_HEADER_TIMEOUT", "10s",
         "a request's line and headers must arrive within this (slow clients are cut off)"},
        {"--body-timeout", "GLUCOPLAY_BODY_TIMEOUT", "30s",
         "a request body must arrive within this once its headers have"},
        {"--idle-timeout", "GLUCOPLAY_IDLE_TIMEOUT", "60s",
         "a keep-alive connection with no request in flight is closed after this"},
        {"--backup-every", "GLUCOPLAY_BACKUP_EVERY", "off",
         "SQLite only: back the database up this often while serving (e.g. 24h), keeping 7 "
         "daily and 4 weekly copies; off disables"},
        {"--backup-dir", "GLUCOPLAY_BACKUP_DIR", "",
         "where scheduled backups go (default DATA_DIR/backups)"},
        {"--env-file", "GLUCOPLAY_ENV_FILE", ".env",
         "path of the .env file read for settings not given as flags or environment"},
    };
    return table;
}

const std::vector<Setting>& storage_settings() {
    static const std::vector<Setting> subset = [] {
        std::vector<Setting> out;
        for (const auto& s : settings()) {
            if (s.env == "GLUCOPLAY_DATA_DIR" || s.env == "GLUCOPLAY_DATABASE" ||
                s.env == "GLUCOPLAY_LOG_LEVEL" || s.env == "GLUCOPLAY_ENV_FILE" ||
                s.env == "GLUCOPLAY_ENV" || s.env == "GLUCOPLAY_SQLITE_SYNCHRONOUS")
                out.push_back(s);
        }
        return out;
    }();
    return subset;
}

std::optional<std::string> process_env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
}

static std::string trim(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return "";
    std::size_t e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

std::map<std::string, std::string> parse_dotenv(std::string_view text) {
    static const std::regex key_re("^[A-Za-z_][A-Za-z0-9_]*$");
    std::map<std::string, std::string> out;
    std::size_t line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line = trim(text.substr(start, end - start));
        ++line_no;
        start = end + 1;
        if (line.empty() || line.front() == '#') {
            if (end == text.size()) break;
            continue;
        }
        if (line.starts_with("export ")) line = trim(line.substr(7));
        std::size_t eq = line.find('=');
        if (eq == std::string::npos)
            throw ConfigError(".env line " + std::to_string(line_no) + ": expected KEY=VALUE");
        std::string key = trim(line.substr(0, eq));
        std::string value = trim(line.substr(eq + 1));
        if (!std::regex_match(key, key_re))
            throw ConfigError(".env line " + std::to_string(line_no) + ": invalid name '" + key +
                              "'");
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
            if (value.back() != value.front())
                throw ConfigError(".env line " + std::to_string(line_no) + ": unterminated quote");
            value = value.substr(1, value.size() - 2);
        } else if (auto hash = value.find(" #"); hash != std::string::npos) {
            value = trim(value.substr(0, hash));  // trailing comment on an unquoted value
        }
        out[key] = value;
        if (end == text.size()) break;
    }
    return out;
}

std::map<std::string, std::string> read_dotenv_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::ostringstream buf;
    buf << in.rdbuf();
    try {
        return parse_dotenv(buf.str());
    } catch (const ConfigError& e) {
        throw ConfigError(path.string() + ": " + e.what());
    }
}

namespace {

std::optional<std::string> lookup(const ConfigSources& src, const std::string& name) {
    if (auto it = src.flags.find(name); it != src.flags.end()) return it->second;
    if (src.env) {
        if (auto v = src.env(name)) return v;
    }
    if (auto it = src.dotenv.find(name); it != src.dotenv.end()) return it->second;
    return std::nullopt;
}

std::string value_of(const ConfigSources& src, std::string_view env_name) {
    for (const auto& s : settings()) {
        if (s.env == env_name) {
            auto v = lookup(src, std::string(env_name));
            return v ? *v : std::string(s.fallback);
        }
    }
    throw std::logic_error("unknown setting " + std::string(env_name));
}

unsigned long parse_unsigned(std::string_view name, const std::string& text, unsigned long max) {
    unsigned long v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty() || v > max)
        throw ConfigError(std::string(name) + " must be a whole number from 0 to " +
                          std::to_string(max) + ", got '" + text + "'");
    return v;
}

void check_origin(const std::string& origin) {
    static const std::regex origin_re(
        R"(^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:]+\](:\d{1,5})?$)");
    if (!std::regex_match(origin, origin_re))
        throw ConfigError(
            "GLUCOPLAY_CORS_ORIGINS: '" + origin +
            "' is not an origin like http://localhost:4887 (scheme, host, optional port, no path)");
}

}  // namespace

Config resolve_config(const ConfigSources& src) {
    Config c;
    c.env = value_of(src, "GLUCOPLAY_ENV");
    if (c.env != "development" && c.env != "production" && c.env != "test")
        throw ConfigError("GLUCOPLAY_ENV must be development, production or test, got '" + c.env +
                          "'");
    c.port = static_cast<unsigned short>(
        parse_unsigned("GLUCOPLAY_PORT", value_of(src, "GLUCOPLAY_PORT"), 65535));
    c.web_port = static_cast<unsigned short>(
        parse_unsigned("GLUCOPLAY_WEB_PORT", value_of(src, "GLUCOPLAY_WEB_PORT"), 65535));
    if (c.port != 0 && c.port == c.web_port)
        throw ConfigError("GLUCOPLAY_PORT and GLUCOPLAY_WEB_PORT must differ");
    c.bind = value_of(src, "GLUCOPLAY_BIND");
    if (c.bind.empty()) throw ConfigError("GLUCOPLAY_BIND must not be empty");
    c.data_dir = value_of(src, "GLUCOPLAY_DATA_DIR");
    if (c.data_dir.empty()) throw ConfigError("GLUCOPLAY_DATA_DIR must not be empty");
    c.database = value_of(src, "GLUCOPLAY_DATABASE");
    if (c.database.empty()) c.database = "sqlite:" + (c.data_dir / "glucoplay.db").string();

    std::string origins = value_of(src, "GLUCOPLAY_CORS_ORIGINS");
    std::size_t start = 0;
    while (start < origins.size()) {
        std::size_t comma = origins.find(',', start);
        if (comma == std::string::npos) comma = origins.size();
        std::string o = trim(std::string_view(origins).substr(start, comma - start));
        if (!o.empty()) {
            if (o == "*")
                throw ConfigError(
                    "GLUCOPLAY_CORS_ORIGINS: '*' is not allowed (credentials are used); list the "
                    "origins");
            check_origin(o);
            c.cors_origins.push_back(o);
        }
        start = comma + 1;
    }

    c.jwt_secret = value_of(src, "GLUCOPLAY_JWT_SECRET");
    c.log_level = value_of(src, "GLUCOPLAY_LOG_LEVEL");
    static const std::vector<std::string> levels = {"trace", "debug",    "info", "warn",
                                                    "error", "critical", "off"};
    if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end())
        throw ConfigError(
            "GLUCOPLAY_LOG_LEVEL must be one of trace, debug, info, warn, error, critical, off; "
            "got '" +
            c.log_level + "'");
    c.web_root = value_of(src, "GLUCOPLAY_WEB_ROOT");
    c.public_api_url = value_of(src, "GLUCOPLAY_PUBLIC_API_URL");
    c.threads = static_cast<unsigned>(
        parse_unsigned("GLUCOPLAY_THREADS", value_of(src, "GLUCOPLAY_THREADS"), 256));
    c.db_pool_size = static_cast<unsigned>(
        parse_unsigned("GLUCOPLAY_DB_POOL_SIZE", value_of(src, "GLUCOPLAY_DB_POOL_SIZE"), 256));
    if (c.threads == 0) c.threads = usable_cpus();
    // SQLite queries run in this process on cached pages: more workers than two per CPU only add
    // thread switches (issue 9: /scores/me 30 % faster with 2 than with 8 on one CPU). PostgreSQL
    // queries wait on the network, which more connections overlap.
    if (c.db_pool_size == 0)
        c.db_pool_size = storage::is_postgres_url(c.database) ? 8 : 2 * usable_cpus();
    c.sqlite_synchronous = value_of(src, "GLUCOPLAY_SQLITE_SYNCHRONOUS");
    if (c.sqlite_synchronous != "full" && c.sqlite_synchronous != "normal")
        throw ConfigError("GLUCOPLAY_SQLITE_SYNCHRONOUS must be full or normal, got '" +
                          c.sqlite_synchronous + "'");

    for (const auto& [env_name, target] :
         {std::pair{"GLUCOPLAY_RATE_LIMIT", &c.rate_limit},
          std::pair{"GLUCOPLAY_AUTH_RATE_LIMIT", &c.auth_rate_limit},
          std::pair{"GLUCOPLAY_LOGIN_RATE_LIMIT", &c.login_rate_limit}}) {
        *target = value_of(src, env_name);
        try {
            auth::parse_rate_spec(*target);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(std::string(env_name) + ": " + e.what());
        }
    }
    c.shared_rate_limits = value_of(src, "GLUCOPLAY_SHARED_RATE_LIMITS");
    if (c.shared_rate_limits != "auth" && c.shared_rate_limits != "all")
        throw ConfigError("GLUCOPLAY_SHARED_RATE_LIMITS must be auth or all, got '" +
                          c.shared_rate_limits + "'");
    std::string proxies = value_of(src, "GLUCOPLAY_TRUSTED_PROXIES");
    for (std::size_t start = 0; start < proxies.size();) {
        std::size_t comma = proxies.find(',', start);
        if (comma == std::string::npos) comma = proxies.size();
        std::string p = trim(std::string_view(proxies).substr(start, comma - start));
        if (!p.empty()) {
            static const std::regex addr_re(R"(^[0-9A-Fa-f.:]+$)");
            if (!std::regex_match(p, addr_re))
                throw ConfigError("GLUCOPLAY_TRUSTED_PROXIES: '" + p + "' is not an IP address");
            c.trusted_proxies.push_back(p);
        }
        start = comma + 1;
    }
    c.token_ttl = parse_duration("GLUCOPLAY_TOKEN_TTL", value_of(src, "GLUCOPLAY_TOKEN_TTL"));
    if (c.token_ttl < std::chrono::minutes(5) || c.token_ttl > std::chrono::hours(24 * 90))
        throw ConfigError("GLUCOPLAY_TOKEN_TTL must be between 5m and 90d");
    const std::string session_memory = value_of(src, "GLUCOPLAY_SESSION_MEMORY");
    c.session_memory = session_memory == "off"
                           ? std::chrono::seconds(0)
                           : parse_duration("GLUCOPLAY_SESSION_MEMORY", session_memory);
    if (c.session_memory > std::chrono::seconds(60))
        throw ConfigError("GLUCOPLAY_SESSION_MEMORY must be at most 60s");
    c.sse_heartbeat =
        parse_duration("GLUCOPLAY_SSE_HEARTBEAT", value_of(src, "GLUCOPLAY_SSE_HEARTBEAT"));
    if (c.sse_heartbeat > std::chrono::minutes(5))
        throw ConfigError("GLUCOPLAY_SSE_HEARTBEAT must be at most 5m");
    c.scheduler_interval = parse_duration("GLUCOPLAY_SCHEDULER_INTERVAL",
                                          value_of(src, "GLUCOPLAY_SCHEDULER_INTERVAL"));
    if (c.scheduler_interval < std::chrono::seconds(1) ||
        c.scheduler_interval > std::chrono::hours(1))
        throw ConfigError("GLUCOPLAY_SCHEDULER_INTERVAL must be between 1s and 1h");
    c.max_connections = parse_unsigned("GLUCOPLAY_MAX_CONNECTIONS",
                                       value_of(src, "GLUCOPLAY_MAX_CONNECTIONS"), 1'000'000);
    if (c.max_connections == 0) throw ConfigError("GLUCOPLAY_MAX_CONNECTIONS must be at least 1");
    for (const auto& [env_name, target] : {std::pair{"GLUCOPLAY_HEADER_TIMEOUT", &c.header_timeout},
                                           std::pair{"GLUCOPLAY_BODY_TIMEOUT", &c.body_timeout},
                                           std::pair{"GLUCOPLAY_IDLE_TIMEOUT", &c.idle_timeout}}) {
        *target = parse_duration(env_name, value_of(src, env_name));
        if (*target > std::chrono::hours(1))
            throw ConfigError(std::string(env_name) + " must be at most 1h");
    }
    std::string backup_every = value_of(src, "GLUCOPLAY_BACKUP_EVERY");
    if (backup_every != "off") {
        c.backup_every = parse_duration("GLUCOPLAY_BACKUP_EVERY", backup_every);
        if (c.backup_every < std::chrono::seconds(1))
            throw ConfigError("GLUCOPLAY_BACKUP_EVERY must be at least 1s, or off");
    }
    c.backup_dir = value_of(src, "GLUCOPLAY_BACKUP_DIR");
    if (c.backup_dir.empty()) c.backup_dir = c.data_dir / "backups";
    return c;
}

std::chrono::seconds parse_duration(const std::string& setting, const std::string& text) {
    if (text.size() < 2)
        throw ConfigError(setting + " must look like 90s, 15m, 12h or 7d, got '" + text + "'");
    unsigned long n = 0;
    std::string number = text.substr(0, text.size() - 1);
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (ec != std::errc() || p != number.data() + number.size() || n == 0 || n > 1'000'000)
        throw ConfigError(setting + " must look like 90s, 15m, 12h or 7d, got '" + text + "'");
    switch (text.back()) {
        case 's':
            return std::chrono::seconds(n);
        case 'm':
            return std::chrono::minutes(n);
        case 'h':
            return std::chrono::hours(n);
        case 'd':
            return std::chrono::hours(24 * n);
        default:
            throw ConfigError(setting + " must look like 90s, 15m, 12h or 7d, got '" + text + "'");
    }
}

std::vector<std::string> effective_cors_origins(const Config& cfg, unsigned short actual_web_port) {
    if (!cfg.cors_origins.empty()) return cfg.cors_origins;
    std::string port = std::to_string(actual_web_port);
    return {"http://localhost:" + port, "http://127.0.0.1:" + port};
}

}  // namespace glucoplay::app
