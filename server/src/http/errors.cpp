#include "http/errors.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "http/json.hpp"
#include "storage/database.hpp"

namespace glucoplay::http {

ApiError::ApiError(unsigned status, std::string code, std::string message,
                   std::optional<std::string> field)
    : std::runtime_error(std::move(message)),
      status_(status),
      code_(std::move(code)),
      field_(std::move(field)) {}

ApiError ApiError::validation(std::string field, std::string message) {
    return ApiError(400, "validation_failed", std::move(message), std::move(field));
}
ApiError ApiError::bad_request(std::string message) {
    return ApiError(400, "validation_failed", std::move(message));
}
ApiError ApiError::unauthorized(std::string message) {
    return ApiError(401, "unauthorized", std::move(message));
}
ApiError ApiError::forbidden(std::string message) {
    return ApiError(403, "forbidden", std::move(message));
}
ApiError ApiError::not_found(std::string message) {
    return ApiError(404, "not_found", std::move(message));
}
ApiError ApiError::method_not_allowed(std::string allow) {
    ApiError e(405, "method_not_allowed", "method not allowed; allowed: " + allow);
    e.allow = std::move(allow);
    return e;
}
ApiError ApiError::conflict(std::string message, std::optional<std::string> field) {
    return ApiError(409, "conflict", std::move(message), std::move(field));
}
ApiError ApiError::payload_too_large(std::size_t limit_bytes) {
    return ApiError(
        413, "payload_too_large",
        "request body is larger than the limit of " + std::to_string(limit_bytes) + " bytes");
}
ApiError ApiError::unsupported_media_type(std::string expected) {
    return ApiError(415, "unsupported_media_type", "Content-Type must be " + expected);
}
ApiError ApiError::unprocessable(std::string message, std::optional<std::string> field) {
    return ApiError(422, "unprocessable", std::move(message), std::move(field));
}
ApiError ApiError::rate_limited(int retry_after_seconds) {
    ApiError e(429, "rate_limited",
               "too many requests; try again in " + std::to_string(retry_after_seconds) + " s");
    e.retry_after_seconds = retry_after_seconds;
    return e;
}
ApiError ApiError::unavailable(std::string message) {
    return ApiError(503, "unavailable", std::move(message));
}

Response error_response(const ApiError& e) {
    boost::json::object err{{"code", e.code()}, {"message", e.what()}};
    if (e.field()) err["field"] = *e.field();
    Response r = json_response(e.status(), boost::json::object{{"error", std::move(err)}});
    if (e.retry_after_seconds) r.headers.set("Retry-After", std::to_string(*e.retry_after_seconds));
    if (e.allow) r.headers.set("Allow", *e.allow);
    return r;
}

Response map_exception(std::exception_ptr ep, const std::string& request_id) {
    try {
        std::rethrow_exception(ep);
    } catch (const ApiError& e) {
        return error_response(e);
    } catch (const storage::DbUnavailable& e) {
        // The database went away (restart, network): a retryable 503, details only in the log.
        spdlog::error("database unavailable request_id={} what={}", request_id, e.what());
        return error_response(ApiError::unavailable("the database is unavailable; try again"));
    } catch (const std::exception& e) {
        spdlog::error("unhandled error request_id={} what={}", request_id, e.what());
    } catch (...) {
        spdlog::error("unhandled non-standard exception request_id={}", request_id);
    }
    return error_response(ApiError(500, "internal", "internal server error"));
}

}  // namespace glucoplay::http
