#pragma once

// Startup and shutdown: configuration -> logging -> database (migrated) -> route table ->
// listeners. Features register their routes in build_router().

#include <memory>
#include <string>

#include "accounts/service.hpp"
#include "app/config.hpp"
#include "auth/authenticator.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/tokens.hpp"
#include "cgm/service.hpp"
#include "events/hub.hpp"
#include "food/catalog.hpp"
#include "food/service.hpp"
#include "games/service.hpp"
#include "http/dispatcher.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "notifications/notifications.hpp"
#include "notifications/scheduler.hpp"
#include "storage/database.hpp"

namespace glucoplay::app {

// Everything handlers share. Owned by run_serve (or a test) and outlives the router.
struct AppContext {
    Config config;
    std::unique_ptr<storage::Database> db;
    http::Metrics metrics;
    unsigned short api_port = 0;  // as bound (differs from config when 0 was asked for)
    unsigned short web_port = 0;
    events::Hub
        hub;  // live events: leaderboards ("leaderboard:<game>"), notifications ("user:<id>")
    std::unique_ptr<notifications::Notifier> notifier;

    std::unique_ptr<auth::TokenService> tokens;
    std::unique_ptr<auth::Authenticator> authenticator;
    std::unique_ptr<auth::RateLimiter> requests_per_address;  // every API request
    std::unique_ptr<auth::RateLimiter> auth_per_address;      // sign-in and sign-up
    std::unique_ptr<auth::RateLimiter> login_per_user;        // sign-in per username
    std::unique_ptr<accounts::AccountService> accounts;
    std::unique_ptr<food::FoodCatalog> foods;  // loaded once at startup (seeded reference data)
    std::unique_ptr<food::FoodLogService> food_log;
    std::unique_ptr<cgm::CgmService> cgm;
    std::unique_ptr<games::GameService> games;
    // Time-based notifications; started by run_serve only.
    std::unique_ptr<notifications::Scheduler> scheduler;
};

// Opens and migrates the database and creates the services (JWT secret resolved first).
std::unique_ptr<AppContext> make_context(Config cfg);

// Client address, general rate limit and authentication for the dispatcher.
http::DispatchHooks dispatch_hooks(AppContext& ctx);

inline constexpr const char* kVersion = GLUCOPLAY_VERSION;

// Opens the configured database and applies pending migrations and seed data (the food catalog).
std::unique_ptr<storage::Database> open_and_migrate(const Config& cfg);

// The whole API route table.
http::Router build_router(AppContext& ctx);

int run_serve(Config cfg);
int run_init_db(const Config& cfg);
// glucoplay create-admin: password from GLUCOPLAY_ADMIN_PASSWORD or standard input.
int run_create_admin(const Config& cfg, const std::string& username);
// glucoplay import-cgm --user NAME FILE: a Clarity CSV (.csv) or Nightscout JSON export.
int run_import_cgm(const Config& cfg, const std::string& username, const std::string& file);

}  // namespace glucoplay::app
