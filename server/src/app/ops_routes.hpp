#pragma once

#include "http/router.hpp"

namespace glucoplay::app {

struct AppContext;

// GET /api/health and GET /metrics.
void register_ops_routes(http::Router& router, AppContext& ctx);

}  // namespace glucoplay::app
