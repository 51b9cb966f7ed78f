#include "app/app.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <optional>

#include "app/ops_routes.hpp"
#include "app/secrets.hpp"
#include "app/web_frontend.hpp"
#include "http/dispatcher.hpp"
#include "net/server.hpp"
#include "storage/migrations.hpp"

namespace glucoplay::app {

void setup_logging(const std::string& level) {
    auto logger = spdlog::get("glucoplay");
    if (!logger) logger = spdlog::stdout_logger_mt("glucoplay");
    spdlog::set_default_logger(logger);
    // logfmt-style lines in UTC; flushed per line so supervisors and tests see them at once.
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
    spdlog::set_level(spdlog::level::from_str(level));
    spdlog::flush_on(spdlog::level::trace);
}

std::unique_ptr<storage::Database> open_and_migrate(const Config& cfg) {
    storage::DatabaseOptions options;
    options.pool_size = cfg.db_pool_size;
    auto db = storage::open_database(cfg.database, options);
    auto report = storage::migrate(*db, storage::builtin_migrations());
    if (!report.applied.empty())
        spdlog::info("database migrated to version {} ({} migration(s) applied)", report.current,
                     report.applied.size());
    return db;
}

http::Router build_router(AppContext& ctx) {
    http::Router router;
    register_ops_routes(router, ctx);
    return router;
}

int run_init_db(const Config& cfg) {
    auto db = open_and_migrate(cfg);
    spdlog::info("database ready: {}", cfg.database);
    return 0;
}

int run_serve(Config cfg) {
    ensure_jwt_secret(cfg);
    AppContext ctx;
    ctx.config = cfg;
    ctx.db = open_and_migrate(cfg);
    ctx.metrics.set_gauge_source([&ctx] {
        auto s = ctx.db->stats();
        return std::map<std::string, double>{
            {"glucoplay_db_pool_connections", static_cast<double>(s.size)},
            {"glucoplay_db_pool_idle", static_cast<double>(s.idle)},
            {"glucoplay_db_pool_max", static_cast<double>(s.max)},
            {"glucoplay_db_pool_waits_total", static_cast<double>(s.waits)},
        };
    });
    http::Router router = build_router(ctx);

    if (!std::filesystem::exists(cfg.web_root / "index.html"))
        spdlog::warn("web UI not built: {} has no index.html (run `make build`)",
                     cfg.web_root.string());

    // The dispatcher needs the web listener's real port for its default CORS origins, so both
    // handlers are created once the listeners are bound (before any request can arrive).
    std::optional<http::ApiDispatcher> dispatcher;
    std::optional<WebFrontend> web;
    net::ServerOptions options;
    options.bind = cfg.bind;
    options.api_port = cfg.port;
    options.web_port = cfg.web_port;
    options.io_threads = cfg.threads;
    options.worker_threads = cfg.db_pool_size;
    net::Server server(
        options, [&](http::Request& req) { return dispatcher->dispatch(req); },
        [&](http::Request& req) { return web->handle(req); }, ctx.metrics);
    server.start();
    ctx.api_port = server.api_port();
    ctx.web_port = server.web_port();
    dispatcher.emplace(router, http::CorsPolicy{effective_cors_origins(cfg, ctx.web_port)});
    web.emplace(ctx);

    spdlog::info("database {} ({})", cfg.database, storage::to_string(ctx.db->dialect()));
    spdlog::info("API listening on http://{}:{}", cfg.bind, ctx.api_port);
    spdlog::info("Web UI listening on http://{}:{}", cfg.bind, ctx.web_port);
    server.run();
    return 0;
}

}  // namespace glucoplay::app
