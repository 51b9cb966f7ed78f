#pragma once

// HTTP <-> DTO for /api/games*, /api/scores*.

#include "events/hub.hpp"
#include "games/service.hpp"
#include "http/router.hpp"

namespace glucoplay::games {

void register_routes(http::Router& router, GameService& games, events::Hub& hub);

}  // namespace glucoplay::games
