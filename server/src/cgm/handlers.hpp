#pragma once

// HTTP <-> DTO for /api/pin_dexcom/readings|import|trends, /api/v1/entries.json, /api/events and
// /api/food_log/{id}/response (which joins a meal to the readings after it).

#include "cgm/service.hpp"
#include "food/service.hpp"
#include "http/router.hpp"

namespace glucoplay::cgm {

void register_routes(http::Router& router, CgmService& cgm, food::FoodLogService& food_log);

}  // namespace glucoplay::cgm
