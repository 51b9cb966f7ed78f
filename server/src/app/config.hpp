#pragma once

// Server configuration. Precedence: command-line flags > environment > .env file > defaults.
// Every setting has one row in settings(): the flag, the environment variable, the default and
// the help text, so `--help`, the resolver and docs stay in step.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace glucoplay::app {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Setting {
    std::string_view flag;      // "--port"
    std::string_view env;       // "GLUCOPLAY_PORT"
    std::string_view fallback;  // default value ("" = none / computed)
    std::string_view help;
};

// All settings `serve` understands, in --help order.
const std::vector<Setting>& settings();
// The subset init-db / backup style commands take (data dir, database, log level, env file).
const std::vector<Setting>& storage_settings();

struct Config {
    std::string env = "development";  // development | production | test
    unsigned short port = 8520;
    unsigned short web_port = 4887;
    std::string bind = "127.0.0.1";
    std::filesystem::path data_dir = "./var";
    std::string database;                   // "sqlite:..." / path; default <data_dir>/glucoplay.db
    std::vector<std::string> cors_origins;  // empty: the UI's own origins on localhost/127.0.0.1
    std::string jwt_secret;
    std::string log_level = "info";
    std::filesystem::path web_root = "./web/dist";
    std::string public_api_url;  // what the UI is told to call; empty: same host, API port
    unsigned threads = 0;        // I/O threads; 0 = hardware threads
    unsigned db_pool_size = 8;   // database connections and worker threads
    std::string sqlite_synchronous = "full";   // full | normal (PRAGMA synchronous)
    std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For/-Proto we believe
    std::string rate_limit = "6000/60s";       // every API request, per client address
    std::string auth_rate_limit = "60/60s";    // sign-in + sign-up attempts, per client address
    std::string login_rate_limit = "10/15m";   // sign-in attempts, per username
    // PostgreSQL: which limits all instances share (auth: the sign-in/sign-up ones; all: the
    // per-address request limit too). SQLite keeps every limit in memory.
    std::string shared_rate_limits = "auth";
    std::chrono::seconds token_ttl{7 * 24 * 3600};
    // How long a session read live may answer GET /api/scores/me from memory (0, "off": never).
    std::chrono::seconds session_memory{1};
    std::chrono::seconds sse_heartbeat{15};
    std::chrono::seconds scheduler_interval{60};  // time-based notifications
    std::size_t max_connections = 1024;           // both listeners together; more get 503
    std::chrono::seconds header_timeout{10};      // request line + headers
    std::chrono::seconds body_timeout{30};        // request body, once the headers are in
    std::chrono::seconds idle_timeout{60};        // keep-alive connection between requests
    std::chrono::seconds backup_every{0};         // serve: scheduled SQLite backups; 0 = off
    std::filesystem::path backup_dir;             // default <data_dir>/backups

    bool production() const { return env == "production"; }
};

struct ConfigSources {
    std::map<std::string, std::string> flags;  // keyed by environment variable name
    std::function<std::optional<std::string>(const std::string&)> env;
    std::map<std::string, std::string> dotenv;
};

// Resolves every setting from the sources in precedence order and validates it.
// Throws ConfigError naming the setting and the problem.
Config resolve_config(const ConfigSources& sources);

// KEY=VALUE lines; blank lines and # comments ignored; optional "export "; values may be single-
// or double-quoted. Throws ConfigError("line N: ...") on a malformed line.
std::map<std::string, std::string> parse_dotenv(std::string_view text);
// Reads and parses a .env file; an absent file is an empty map.
std::map<std::string, std::string> read_dotenv_file(const std::filesystem::path& path);

// "90s", "15m", "12h", "7d" -> seconds. Throws ConfigError naming `setting`.
std::chrono::seconds parse_duration(const std::string& setting, const std::string& text);

// Process environment lookup for ConfigSources::env.
std::optional<std::string> process_env(const std::string& name);

// CPUs this process may run on (its affinity mask), at least 1: the default I/O thread count.
unsigned usable_cpus();

// The CORS origins in force once the web listener's real port is known.
std::vector<std::string> effective_cors_origins(const Config& cfg, unsigned short actual_web_port);

}  // namespace glucoplay::app
