#pragma once

// The authorisation matrix, kept next to the route table (build_router in app.cpp): for every
// route, the status each kind of caller gets. tests/unit/authorization_test.cpp sends each route
// as the three callers, on records owned by the first user, and fails when a route has no row
// here or a row has no route.

#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace glucoplay::app {

struct AccessExpectation {
    http::Method method;
    std::string_view pattern;
    unsigned anonymous;   // no credentials
    unsigned other_user;  // signed in, but not the owner of the record in the path or body
    unsigned owner;       // the record's owner (an administrator on admin routes)
};

const std::vector<AccessExpectation>& access_matrix();

}  // namespace glucoplay::app
