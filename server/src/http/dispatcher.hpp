#pragma once

// The API request pipeline, independent of sockets: CORS (preflight and response headers), the
// content-type rule, routing, the central error mapping, and security headers. The network layer
// calls dispatch() on a worker thread; tests call it directly with a Request.

#include <string>
#include <vector>

#include "http/router.hpp"

namespace glucoplay::http {

struct CorsPolicy {
    std::vector<std::string> allowed_origins;  // exact origins, e.g. "http://localhost:4887"
    bool allows(std::string_view origin) const;
};

class ApiDispatcher {
  public:
    ApiDispatcher(const Router& router, CorsPolicy cors)
        : router_(router), cors_(std::move(cors)) {}

    Response dispatch(Request& req) const;
    const CorsPolicy& cors() const { return cors_; }

  private:
    Response preflight(const Request& req) const;
    void check_content_type(const Request& req, const Route& route) const;
    void decorate(const Request& req, Response& res) const;

    const Router& router_;
    CorsPolicy cors_;
};

}  // namespace glucoplay::http
