#include <gtest/gtest.h>

#include "app/config.hpp"

using namespace glucoplay::app;

namespace {

ConfigSources sources(std::map<std::string, std::string> flags,
                      std::map<std::string, std::string> env,
                      std::map<std::string, std::string> dotenv) {
    ConfigSources s;
    s.flags = std::move(flags);
    s.env = [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
    s.dotenv = std::move(dotenv);
    return s;
}

}  // namespace

TEST(Config, DefaultsWhenNothingIsSet) {
    Config c = resolve_config(sources({}, {}, {}));
    EXPECT_EQ(c.port, 8520);
    EXPECT_EQ(c.web_port, 4887);
    EXPECT_EQ(c.data_dir, "./var");
    EXPECT_EQ(c.database, "sqlite:./var/glucoplay.db");
    EXPECT_EQ(c.log_level, "info");
    EXPECT_EQ(c.env, "development");
    EXPECT_GE(c.threads, 1u);
}

TEST(Config, FlagsBeatEnvironmentBeatDotenvBeatDefaults) {
    Config c = resolve_config(sources({{"GLUCOPLAY_PORT", "1111"}},
                                      {{"GLUCOPLAY_PORT", "2222"}, {"GLUCOPLAY_WEB_PORT", "3333"}},
                                      {{"GLUCOPLAY_PORT", "4444"},
                                       {"GLUCOPLAY_WEB_PORT", "5555"},
                                       {"GLUCOPLAY_LOG_LEVEL", "debug"}}));
    EXPECT_EQ(c.port, 1111);          // flag
    EXPECT_EQ(c.web_port, 3333);      // environment over .env
    EXPECT_EQ(c.log_level, "debug");  // .env over default
    EXPECT_EQ(c.bind, "127.0.0.1");   // default
}

TEST(Config, DatabaseDefaultsIntoTheDataDir) {
    Config c = resolve_config(sources({{"GLUCOPLAY_DATA_DIR", "/tmp/gp"}}, {}, {}));
    EXPECT_EQ(c.database, "sqlite:/tmp/gp/glucoplay.db");
    Config d = resolve_config(sources({{"GLUCOPLAY_DATABASE", "sqlite:/x.db"}}, {}, {}));
    EXPECT_EQ(d.database, "sqlite:/x.db");
}

TEST(Config, InvalidValuesNameTheSetting) {
    auto expect_error = [](std::map<std::string, std::string> flags, const std::string& fragment) {
        try {
            resolve_config(sources(std::move(flags), {}, {}));
            FAIL() << "expected ConfigError containing " << fragment;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    };
    expect_error({{"GLUCOPLAY_PORT", "70000"}}, "GLUCOPLAY_PORT");
    expect_error({{"GLUCOPLAY_PORT", "12a"}}, "GLUCOPLAY_PORT");
    expect_error({{"GLUCOPLAY_PORT", "9000"}, {"GLUCOPLAY_WEB_PORT", "9000"}}, "must differ");
    expect_error({{"GLUCOPLAY_LOG_LEVEL", "loud"}}, "GLUCOPLAY_LOG_LEVEL");
    expect_error({{"GLUCOPLAY_ENV", "staging"}}, "GLUCOPLAY_ENV");
    expect_error({{"GLUCOPLAY_CORS_ORIGINS", "*"}}, "GLUCOPLAY_CORS_ORIGINS");
    expect_error({{"GLUCOPLAY_CORS_ORIGINS", "http://ok:1, ftp://bad"}}, "ftp://bad");
    expect_error({{"GLUCOPLAY_DB_POOL_SIZE", "-1"}}, "GLUCOPLAY_DB_POOL_SIZE");
    expect_error({{"GLUCOPLAY_SQLITE_SYNCHRONOUS", "off"}}, "GLUCOPLAY_SQLITE_SYNCHRONOUS");
    expect_error({{"GLUCOPLAY_SHARED_RATE_LIMITS", "none"}}, "GLUCOPLAY_SHARED_RATE_LIMITS");
}

TEST(Config, DatabasePoolSizeFollowsTheCpusForSqliteAndIsEightForPostgres) {
    EXPECT_EQ(resolve_config(sources({}, {}, {})).db_pool_size, 2 * glucoplay::app::usable_cpus());
    EXPECT_EQ(
        resolve_config(sources({{"GLUCOPLAY_DATABASE", "postgres://u@h/db"}}, {}, {})).db_pool_size,
        8u);
    EXPECT_EQ(resolve_config(sources({{"GLUCOPLAY_DB_POOL_SIZE", "3"}}, {}, {})).db_pool_size, 3u);
}

TEST(Config, SharedRateLimitsAreTheAuthOnesUnlessSetToAll) {
    EXPECT_EQ(resolve_config(sources({}, {}, {})).shared_rate_limits, "auth");
    EXPECT_EQ(resolve_config(sources({{"GLUCOPLAY_SHARED_RATE_LIMITS", "all"}}, {}, {}))
                  .shared_rate_limits,
              "all");
}

TEST(Config, SqliteSynchronousIsFullUnlessSetToNormal) {
    EXPECT_EQ(resolve_config(sources({}, {}, {})).sqlite_synchronous, "full");
    EXPECT_EQ(resolve_config(sources({{"GLUCOPLAY_SQLITE_SYNCHRONOUS", "normal"}}, {}, {}))
                  .sqlite_synchronous,
              "normal");
}

TEST(Config, CorsOriginsListAndDefault) {
    Config c = resolve_config(sources(
        {{"GLUCOPLAY_CORS_ORIGINS", "https://glucoplay.example, http://localhost:5173"}}, {}, {}));
    EXPECT_EQ(c.cors_origins,
              (std::vector<std::string>{"https://glucoplay.example", "http://localhost:5173"}));
    EXPECT_EQ(effective_cors_origins(c, 4887), c.cors_origins);

    Config d = resolve_config(sources({}, {}, {}));
    EXPECT_EQ(effective_cors_origins(d, 4999),
              (std::vector<std::string>{"http://localhost:4999", "http://127.0.0.1:4999"}));
}

TEST(Dotenv, ParsesCommentsQuotesExportAndTrailingComments) {
    auto m = parse_dotenv(
        "# comment\n"
        "\n"
        "GLUCOPLAY_PORT=9000\n"
        "export GLUCOPLAY_BIND = 0.0.0.0\n"
        "GLUCOPLAY_JWT_SECRET=\"with # hash and spaces\"\r\n"
        "SINGLE='x y'\n"
        "GLUCOPLAY_LOG_LEVEL=warn # the quiet one\n"
        "EMPTY=");
    EXPECT_EQ(m.at("GLUCOPLAY_PORT"), "9000");
    EXPECT_EQ(m.at("GLUCOPLAY_BIND"), "0.0.0.0");
    EXPECT_EQ(m.at("GLUCOPLAY_JWT_SECRET"), "with # hash and spaces");
    EXPECT_EQ(m.at("SINGLE"), "x y");
    EXPECT_EQ(m.at("GLUCOPLAY_LOG_LEVEL"), "warn");
    EXPECT_EQ(m.at("EMPTY"), "");
}

TEST(Dotenv, MalformedLineNamesTheLine) {
    try {
        parse_dotenv("A=1\nthis is not an assignment\n");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos);
    }
    EXPECT_THROW(parse_dotenv("1BAD=x"), ConfigError);
    EXPECT_THROW(parse_dotenv("A=\"unterminated"), ConfigError);
}

TEST(Config, EverySettingHasFlagEnvAndHelp) {
    for (const auto& s : settings()) {
        EXPECT_TRUE(s.flag.starts_with("--")) << s.flag;
        EXPECT_TRUE(s.env.starts_with("GLUCOPLAY_")) << s.env;
        EXPECT_FALSE(s.help.empty()) << s.env;
    }
}

#include <unistd.h>

#include <filesystem>

#include "app/secrets.hpp"

TEST(Secrets, ProductionRefusesMissingOrShortSecret) {
    Config c;
    c.env = "production";
    EXPECT_THROW(ensure_jwt_secret(c), ConfigError);
    c.jwt_secret = std::string(31, 'x');
    EXPECT_THROW(ensure_jwt_secret(c), ConfigError);
    c.jwt_secret = std::string(32, 'x');
    EXPECT_NO_THROW(ensure_jwt_secret(c));
    EXPECT_EQ(c.jwt_secret, std::string(32, 'x'));
}

TEST(Secrets, DevelopmentGeneratesOnceAndKeepsIt) {
    auto dir = std::filesystem::temp_directory_path() / ("gp-secret-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Config a;
    a.data_dir = dir;
    ensure_jwt_secret(a);
    EXPECT_EQ(a.jwt_secret.size(), 64u);  // 32 random bytes, hex
    auto perms = std::filesystem::status(dir / "jwt_secret").permissions();
    EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
    Config b;
    b.data_dir = dir;
    ensure_jwt_secret(b);
    EXPECT_EQ(a.jwt_secret, b.jwt_secret);
    std::filesystem::remove_all(dir);
}

TEST(Config, ConnectionLimitsAndTimeouts) {
    Config d = resolve_config(sources({}, {}, {}));
    EXPECT_EQ(d.max_connections, 1024u);
    EXPECT_EQ(d.header_timeout, std::chrono::seconds(10));
    EXPECT_EQ(d.body_timeout, std::chrono::seconds(30));
    EXPECT_EQ(d.idle_timeout, std::chrono::seconds(60));
    Config c = resolve_config(sources({{"GLUCOPLAY_MAX_CONNECTIONS", "3"},
                                       {"GLUCOPLAY_HEADER_TIMEOUT", "2s"},
                                       {"GLUCOPLAY_BODY_TIMEOUT", "1m"}},
                                      {{"GLUCOPLAY_IDLE_TIMEOUT", "5s"}}, {}));
    EXPECT_EQ(c.max_connections, 3u);
    EXPECT_EQ(c.header_timeout, std::chrono::seconds(2));
    EXPECT_EQ(c.body_timeout, std::chrono::seconds(60));
    EXPECT_EQ(c.idle_timeout, std::chrono::seconds(5));
    for (auto [name, value] :
         {std::pair{"GLUCOPLAY_MAX_CONNECTIONS", "0"}, std::pair{"GLUCOPLAY_MAX_CONNECTIONS", "-1"},
          std::pair{"GLUCOPLAY_HEADER_TIMEOUT", "0s"}, std::pair{"GLUCOPLAY_HEADER_TIMEOUT", "2h"},
          std::pair{"GLUCOPLAY_BODY_TIMEOUT", "soon"}, std::pair{"GLUCOPLAY_IDLE_TIMEOUT", "10"}}) {
        try {
            resolve_config(sources({{name, value}}, {}, {}));
            ADD_FAILURE() << name << "=" << value << " was accepted";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
        }
    }
}

TEST(Config, SessionMemoryIsOneSecondOffOrUpToAMinute) {
    using std::chrono::seconds;
    EXPECT_EQ(resolve_config(sources({}, {}, {})).session_memory, seconds(1));
    EXPECT_EQ(resolve_config(sources({{"GLUCOPLAY_SESSION_MEMORY", "off"}}, {}, {})).session_memory,
              seconds(0));
    EXPECT_EQ(resolve_config(sources({{"GLUCOPLAY_SESSION_MEMORY", "1m"}}, {}, {})).session_memory,
              seconds(60));
    for (const char* bad : {"61s", "0s", "soon", "2h"}) {
        try {
            resolve_config(sources({{"GLUCOPLAY_SESSION_MEMORY", bad}}, {}, {}));
            ADD_FAILURE() << bad;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("GLUCOPLAY_SESSION_MEMORY"), std::string::npos)
                << e.what();
        }
    }
}
