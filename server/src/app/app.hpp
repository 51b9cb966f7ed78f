#pragma once

// Startup and shutdown: configuration -> logging -> database (migrated) -> route table ->
// listeners. Features register their routes in build_router().

#include <memory>
#include <string>

#include "app/config.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace glucoplay::app {

// Everything handlers share. Owned by run_serve (or a test) and outlives the router.
struct AppContext {
    Config config;
    std::unique_ptr<storage::Database> db;
    http::Metrics metrics;
    unsigned short api_port = 0;  // as bound (differs from config when 0 was asked for)
    unsigned short web_port = 0;
};

inline constexpr const char* kVersion = GLUCOPLAY_VERSION;

void setup_logging(const std::string& level);

// Opens the configured database and applies pending migrations and seed data.
std::unique_ptr<storage::Database> open_and_migrate(const Config& cfg);

// The whole API route table.
http::Router build_router(AppContext& ctx);

int run_serve(Config cfg);
int run_init_db(const Config& cfg);

}  // namespace glucoplay::app
