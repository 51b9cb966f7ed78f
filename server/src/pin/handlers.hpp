#pragma once

// HTTP <-> DTO for /api/pin_dexcom/sites and /api/pin_dexcom/attempts.

#include <boost/json/value.hpp>

#include "http/router.hpp"
#include "storage/database.hpp"

namespace glucoplay::pin {

void register_routes(http::Router& router, storage::Database& db);

// GET /api/users/me/export section.
boost::json::value export_attempts(storage::Connection& c, std::int64_t user_id);

}  // namespace glucoplay::pin
