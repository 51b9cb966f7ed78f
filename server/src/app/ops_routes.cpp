#include "app/ops_routes.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "app/app.hpp"
#include "http/json.hpp"

namespace glucoplay::app {

namespace json = boost::json;

void register_ops_routes(http::Router& router, AppContext& ctx) {
    // Liveness and database reachability; 503 (same fields plus the error shape) when the
    // database does not answer, so load balancers take the instance out.
    router.add(http::Method::get, "/api/health", http::Access::public_, [&ctx](http::Request& req) {
        json::object body{{"database", std::string(storage::to_string(ctx.db->dialect()))},
                          {"version", kVersion}};
        try {
            ctx.db->ping();
            body["status"] = "ok";
            return http::json_response(200, body);
        } catch (const std::exception& e) {
            spdlog::error("health check: database unreachable request_id={} what={}",
                          req.request_id, e.what());
            body["status"] = "unavailable";
            body["error"] =
                json::object{{"code", "unavailable"}, {"message", "database unreachable"}};
            return http::json_response(503, body);
        }
    });

    // Prometheus text exposition.
    router.add(http::Method::get, "/metrics", http::Access::public_, [&ctx](http::Request&) {
        return http::Response::text(200, ctx.metrics.render(),
                                    "text/plain; version=0.0.4; charset=utf-8");
    });
}

}  // namespace glucoplay::app
