#pragma once

// HTTP <-> DTO for /api/foods and /api/food_log.

#include "food/catalog.hpp"
#include "food/service.hpp"
#include "http/router.hpp"

namespace glucoplay::food {

void register_routes(http::Router& router, const FoodCatalog& catalog, FoodLogService& log);

}  // namespace glucoplay::food
