#pragma once

// HTTP <-> DTO for /api/notifications (API.md "Notifications"): the list, read marks, deletion,
// preferences, and the live stream.

#include <boost/json/value.hpp>

#include "events/hub.hpp"
#include "http/router.hpp"
#include "notifications/notifications.hpp"
#include "storage/database.hpp"

namespace glucoplay::notifications {

void register_routes(http::Router& router, storage::Database& db, events::Hub& hub);

// GET /api/users/me/export section.
boost::json::value export_notifications(storage::Connection& c, std::int64_t user_id);

}  // namespace glucoplay::notifications
