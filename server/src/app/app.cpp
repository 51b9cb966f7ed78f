#include "app/app.hpp"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "accounts/handlers.hpp"
#include "accounts/repository.hpp"
#include "app/backup_commands.hpp"
#include "app/cluster.hpp"
#include "app/ops_routes.hpp"
#include "app/secrets.hpp"
#include "app/web_frontend.hpp"
#include "auth/passwords.hpp"
#include "cgm/handlers.hpp"
#include "food/handlers.hpp"
#include "games/handlers.hpp"
#include "http/dispatcher.hpp"
#include "http/errors.hpp"
#include "http/json.hpp"
#include "net/server.hpp"
#include "notifications/handlers.hpp"
#include "pin/handlers.hpp"
#include "pin/placement.hpp"
#include "storage/migrations.hpp"
#include "util/time.hpp"

namespace glucoplay::app {

std::unique_ptr<storage::Database> open_and_migrate(const Config& cfg) {
    storage::DatabaseOptions options;
    options.pool_size = cfg.db_pool_size;
    options.synchronous = cfg.sqlite_synchronous == "normal" ? "NORMAL" : "FULL";
    auto db = storage::open_database(cfg.database, options);
    auto report = storage::migrate(*db, storage::builtin_migrations());
    if (!report.applied.empty())
        spdlog::info("database migrated to version {} ({} migration(s) applied)", report.current,
                     report.applied.size());
    // Reference data: upserted by name, so re-running is harmless and catalog fixes reach old
    // databases.
    std::size_t foods = db->transaction(
        [](storage::Connection& c) { return food::seed_foods(c, food::builtin_foods()); });
    spdlog::debug("food catalog: {} rows written", foods);
    return db;
}

std::unique_ptr<AppContext> make_context(Config cfg) {
    util::load_time_zones();  // before any thread: every score computes UTC days
    ensure_jwt_secret(cfg);
    auto ctx = std::make_unique<AppContext>();
    ctx->config = cfg;
    ctx->db = open_and_migrate(cfg);
    ctx->tokens = std::make_unique<auth::TokenService>(cfg.jwt_secret, cfg.token_ttl);
    ctx->authenticator =
        std::make_unique<auth::Authenticator>(*ctx->tokens, *ctx->db, cfg.session_memory);
    make_rate_limiters(*ctx);  // in memory, or shared through PostgreSQL (app/cluster.cpp)
    ctx->accounts = std::make_unique<accounts::AccountService>(*ctx->db, *ctx->tokens);
    // A session change (a logout, a revocation, disabling, a deletion) on any instance drops
    // every session remembered as live (auth::Authenticator::authenticate_remembered).
    ctx->hub.add_observer(
        auth::Authenticator::session_topic(),
        [a = ctx->authenticator.get()](const std::string&, const events::Message&) {
            a->forget_sessions();
        });
    ctx->accounts->on_sessions_change([hub = &ctx->hub](std::int64_t user_id) {
        hub->publish(auth::Authenticator::session_topic(),
                     auth::Authenticator::session_changed(user_id));
    });
    ctx->notifier = std::make_unique<notifications::Notifier>(ctx->hub);
    ctx->accounts->add_exporter("notifications", notifications::export_notifications);
    ctx->foods = std::make_unique<food::FoodCatalog>(ctx->db->with_connection(
        [](storage::Connection& c) { return food::FoodCatalog::load(c); }));
    ctx->food_log = std::make_unique<food::FoodLogService>(*ctx->db, *ctx->foods, *ctx->notifier);
    ctx->accounts->add_exporter(
        "food_log", [log = ctx->food_log.get()](storage::Connection& c, std::int64_t user_id) {
            return log->export_entries(c, user_id);
        });
    ctx->cgm = std::make_unique<cgm::CgmService>(*ctx->db, *ctx->notifier);
    games::builtin_quiz();  // malformed reference data stops startup here, not mid-game
    pin::builtin_sites();
    ctx->accounts->add_exporter("pin_dexcom_attempts",
                                [](storage::Connection& c, std::int64_t user_id) {
                                    return pin::export_attempts(c, user_id);
                                });
    ctx->games =
        std::make_unique<games::GameService>(*ctx->db, *ctx->foods, ctx->hub, *ctx->notifier);
    ctx->games->set_session_check(
        [auth = ctx->authenticator.get()](
            storage::Connection& c, const std::vector<const http::Principal*>& callers,
            std::int64_t now) { return auth->sessions_in_write(c, callers, now); });
    ctx->accounts->on_public_change([hub = &ctx->hub](std::int64_t user_id) {
        hub->publish(games::GameService::profile_topic(),
                     games::GameService::profile_changed(user_id));
    });
    ctx->accounts->add_exporter(
        "scores", [svc = ctx->games.get()](storage::Connection& c, std::int64_t user_id) {
            return svc->export_data(c, user_id);
        });
    ctx->accounts->add_exporter(
        "glucose", [svc = ctx->cgm.get()](storage::Connection& c, std::int64_t user_id) {
            return svc->export_data(c, user_id);
        });
    return ctx;
}

http::DispatchHooks dispatch_hooks(AppContext& ctx) {
    http::DispatchHooks hooks;
    hooks.client_address = [&ctx](const http::Request& req) {
        return auth::client_address(req, ctx.config.trusted_proxies);
    };
    hooks.admit = [&ctx](const http::Request& req) {
        if (auto wait = ctx.requests_per_address->take(req.client_address))
            throw http::ApiError::rate_limited(*wait);
    };
    hooks.admit_blocks = ctx.requests_per_address->blocks();
    hooks.authenticate = [&ctx](const http::Request& req) {
        return ctx.authenticator->authenticate(req);
    };
    hooks.authenticate_remembered = [&ctx](const http::Request& req) {
        return ctx.authenticator->authenticate_remembered(req);
    };
    hooks.authenticate_token = [&ctx](const http::Request& req) {
        return ctx.authenticator->authenticate_token(req);
    };
    return hooks;
}

http::Router build_router(AppContext& ctx) {
    http::Router router;
    register_ops_routes(router, ctx);
    accounts::register_routes(router,
                              accounts::RouteDeps{*ctx.accounts, *ctx.tokens, *ctx.auth_per_address,
                                                  *ctx.login_per_user, ctx.config.trusted_proxies});
    food::register_routes(router, *ctx.foods, *ctx.food_log);
    cgm::register_routes(router, *ctx.cgm, *ctx.food_log);
    games::register_routes(router, *ctx.games, ctx.hub);
    pin::register_routes(router, *ctx.db);
    notifications::register_routes(router, *ctx.db, ctx.hub);
    return router;
}

int run_init_db(const Config& cfg) {
    auto db = open_and_migrate(cfg);
    spdlog::info("database ready: {}", storage::redact_url(cfg.database));
    return 0;
}

int run_create_admin(const Config& cfg, const std::string& username) {
    Config c = cfg;
    // This command issues no tokens: a throwaway secret keeps it independent of the server's.
    if (c.jwt_secret.empty()) c.jwt_secret = auth::random_token_id() + auth::random_token_id();
    auto ctx = make_context(c);
    std::optional<std::string> password = process_env("GLUCOPLAY_ADMIN_PASSWORD");
    if (!password) {
        const bool tty = ::isatty(STDIN_FILENO);
        termios saved{};
        if (tty) {
            std::cerr << "Password for " << username
                      << " (input hidden, empty to keep an existing one): ";
            ::tcgetattr(STDIN_FILENO, &saved);
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
        std::string line;
        std::getline(std::cin, line);
        if (tty) {
            ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
            std::cerr << "\n";
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) password = line;
    }
    try {
        auto user = ctx->accounts->create_or_promote_admin(username, password);
        spdlog::info("{} is now an administrator (user id {})", user.username, user.id);
        return 0;
    } catch (const http::ApiError& e) {
        std::cerr << "glucoplay create-admin: " << e.what() << "\n";
        return 1;
    }
}

int run_import_cgm(const Config& cfg, const std::string& username, const std::string& file) {
    Config c = cfg;
    if (c.jwt_secret.empty()) c.jwt_secret = auth::random_token_id() + auth::random_token_id();
    auto ctx = make_context(c);
    auto user = ctx->db->with_connection([&](storage::Connection& conn) {
        return accounts::repo::find_by_username(conn, username);
    });
    if (!user) {
        std::cerr << "glucoplay import-cgm: no user named " << username << "\n";
        return 1;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "glucoplay import-cgm: cannot read " << file << "\n";
        return 1;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    // .json or a leading '[' is Nightscout; anything else is read as a Clarity CSV export.
    const bool json =
        file.ends_with(".json") || text.find_first_not_of(" \t\r\n") == text.find('[');
    const bool tty = ::isatty(STDERR_FILENO);
    try {
        auto result = ctx->cgm->import(
            user->user.id, text,
            json ? cgm::CgmService::Format::nightscout_json : cgm::CgmService::Format::clarity_csv,
            [tty](std::size_t done, std::size_t total) {
                if (!tty || total == 0) return;
                int pct = static_cast<int>(done * 100 / total);
                std::string bar(static_cast<std::size_t>(pct / 5), '#');
                bar.resize(20, '.');
                std::cerr << "\r[" << bar << "] " << pct << "% " << done << "/" << total
                          << std::flush;
            });
        if (tty) std::cerr << "\n";
        std::cout << http::to_json_text(result) << "\n";
        return 0;
    } catch (const http::ApiError& e) {
        if (tty) std::cerr << "\n";
        std::cerr << "glucoplay import-cgm: " << e.what() << "\n";
        return 1;
    }
}

// Every connection is a descriptor: raise the soft limit to the hard one (as Go and nginx do) and
// say so when --max-connections could still run the process out of descriptors, which would
// fail accepts and database opens instead of answering 503.
static void raise_descriptor_limit(std::size_t max_connections) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit want = lim;
        want.rlim_cur = lim.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &want) == 0) lim = want;
    }
    const rlim_t needed = static_cast<rlim_t>(max_connections) + 128;  // + database, logs
    if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < needed)
        spdlog::warn(
            "open-file limit {} is below --max-connections {} plus 128; lower --max-connections "
            "or raise the limit (ulimit -n)",
            static_cast<unsigned long long>(lim.rlim_cur), max_connections);
}

int run_serve(Config cfg) {
    raise_descriptor_limit(cfg.max_connections);
    auto owned = make_context(cfg);
    AppContext& ctx = *owned;
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
    options.sse_heartbeat = cfg.sse_heartbeat;
    options.max_connections = cfg.max_connections;
    options.header_timeout = cfg.header_timeout;
    options.body_timeout = cfg.body_timeout;
    options.idle_timeout = cfg.idle_timeout;
    net::Server server(
        options, [&](http::Request& req) { return dispatcher->dispatch(req); },
        [&](http::Request& req) { return web->handle(req); }, ctx.metrics);
    server.set_api_fast_path([&](http::Request& req) { return dispatcher->try_fast(req); });
    // Sessions in use are read again on a worker before memory may no longer vouch for them.
    ctx.authenticator->set_background(
        [&server](std::function<void()> task) { server.post_work(std::move(task)); });
    // Scores submitted while a batch waits for a worker are committed together (group commit).
    ctx.games->set_background(
        [&server](std::function<void()> task) { server.post_work(std::move(task)); });
    ctx.scheduler = std::make_unique<notifications::Scheduler>(cfg.scheduler_interval);
    ctx.scheduler->add("sensor_change_due",
                       [&ctx](std::int64_t now) { return ctx.cgm->notify_due_sensors(now); });
    // Several instances on PostgreSQL: shared events, job locks (before any client connects).
    Cluster cluster(ctx);
    ctx.metrics.set_gauge_source([&ctx, &server, &cluster] {
        auto s = ctx.db->stats();
        auto wal = ctx.db->checkpoint_stats();
        auto conns = server.stats();
        auto gauges = cluster.gauges();
        gauges.merge(std::map<std::string, double>{
            {"glucoplay_open_connections", static_cast<double>(conns.open_connections)},
            {"glucoplay_connections_refused_total", static_cast<double>(conns.refused_connections)},
            {"glucoplay_header_timeouts_total", static_cast<double>(conns.header_timeouts)},
            {"glucoplay_body_timeouts_total", static_cast<double>(conns.body_timeouts)},
            {"glucoplay_fast_path_responses_total", static_cast<double>(conns.fast_responses)},
            {"glucoplay_remembered_sessions",
             static_cast<double>(ctx.authenticator->remembered_sessions())},
            {"glucoplay_session_reads_total",
             static_cast<double>(ctx.authenticator->session_reads())},
            {"glucoplay_session_reads_in_writes_total",
             static_cast<double>(ctx.authenticator->sessions_read_in_writes())},
            {"glucoplay_session_rereads_total",
             static_cast<double>(ctx.authenticator->background_rereads())},
            {"glucoplay_session_rereads_unchanged_total",
             static_cast<double>(ctx.authenticator->unchanged_rereads())},
            {"glucoplay_score_batches_total",
             static_cast<double>(ctx.games->score_batches().batches)},
            {"glucoplay_score_batch_writes_total",
             static_cast<double>(ctx.games->score_batches().writes)},
            {"glucoplay_score_batch_combined_writes_total",
             static_cast<double>(ctx.games->score_batches().combined)},
            {"glucoplay_leaderboard_cache_hits_total",
             static_cast<double>(ctx.games->leaderboard_cache().hits())},
            {"glucoplay_leaderboard_cache_misses_total",
             static_cast<double>(ctx.games->leaderboard_cache().misses())},
            {"glucoplay_leaderboard_cache_invalidations_total",
             static_cast<double>(ctx.games->leaderboard_cache().invalidations())},
            {"glucoplay_leaderboard_cache_refreshes_total",
             static_cast<double>(ctx.games->board_refreshes())},
            {"glucoplay_rank_board_reloads_total", static_cast<double>(ctx.games->rank_reloads())},
            {"glucoplay_db_pool_connections", static_cast<double>(s.size)},
            {"glucoplay_db_pool_idle", static_cast<double>(s.idle)},
            {"glucoplay_db_pool_max", static_cast<double>(s.max)},
            {"glucoplay_db_pool_waits_total", static_cast<double>(s.waits)},
            {"glucoplay_sqlite_checkpoints_total", static_cast<double>(wal.checkpoints)},
            {"glucoplay_sqlite_checkpoint_failures_total", static_cast<double>(wal.failures)},
            {"glucoplay_sqlite_checkpoint_seconds_total", wal.seconds},
            {"glucoplay_sqlite_wal_frames", static_cast<double>(wal.wal_frames)},
            {"glucoplay_sqlite_wal_frames_left", static_cast<double>(wal.frames_left)},
            {"glucoplay_sqlite_wal_restarts_total", static_cast<double>(wal.restarts)},
            {"glucoplay_sqlite_wal_restarts_deferred_total",
             static_cast<double>(wal.restarts_deferred)},
            {"glucoplay_sqlite_wal_restart_wait_seconds_total", wal.write_wait_seconds},
            {"glucoplay_password_verifications_total",
             static_cast<double>(auth::password_verifications())},
            {"glucoplay_sse_subscribers", static_cast<double>(ctx.hub.total_subscribers())},
            {"glucoplay_scheduler_runs_total",
             ctx.scheduler ? static_cast<double>(ctx.scheduler->runs()) : 0.0},
            {"glucoplay_scheduler_failures_total",
             ctx.scheduler ? static_cast<double>(ctx.scheduler->failures()) : 0.0},
        });
        return gauges;
    });
    server.on_shutdown([&ctx, &cluster] {
        ctx.scheduler->stop();
        cluster.stop();
        ctx.hub.close_all();
    });
    server.start();
    ctx.api_port = server.api_port();
    ctx.web_port = server.web_port();
    dispatcher.emplace(router, http::CorsPolicy{effective_cors_origins(cfg, ctx.web_port)},
                       dispatch_hooks(ctx));
    web.emplace(ctx);

    spdlog::info("database {} ({})", storage::redact_url(cfg.database),
                 storage::to_string(ctx.db->dialect()));
    std::optional<BackupScheduler> backups;
    if (cfg.backup_every.count() > 0) {
        std::string path = sqlite_path_of(cfg.database);
        if (path.empty()) {
            spdlog::warn("--backup-every applies to SQLite only; back PostgreSQL up with pg_dump");
        } else {
            backups.emplace(path, cfg.backup_dir, cfg.backup_every);
            spdlog::info("backing up every {}s into {}", cfg.backup_every.count(),
                         cfg.backup_dir.string());
        }
    }
    spdlog::info("API listening on http://{}:{}", cfg.bind, ctx.api_port);
    spdlog::info("Web UI listening on http://{}:{}", cfg.bind, ctx.web_port);
    ctx.scheduler->start();
    server.run();
    ctx.scheduler->stop();
    return 0;
}

}  // namespace glucoplay::app
