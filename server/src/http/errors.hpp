#pragma once

// The one error type handlers and services throw, and the one mapper that turns any exception into
// the API's error shape: {"error": {"code", "message", "field"?}}.

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "http/request.hpp"

namespace glucoplay::http {

class ApiError : public std::runtime_error {
  public:
    ApiError(unsigned status, std::string code, std::string message,
             std::optional<std::string> field = std::nullopt);

    unsigned status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::optional<std::string>& field() const { return field_; }
    std::optional<int> retry_after_seconds;  // for 429
    std::optional<std::string> allow;        // for 405

    static ApiError validation(std::string field, std::string message);
    static ApiError bad_request(std::string message);
    static ApiError unauthorized(std::string message = "authentication required");
    static ApiError forbidden(std::string message = "not allowed");
    static ApiError not_found(std::string message = "not found");
    static ApiError method_not_allowed(std::string allow);
    static ApiError conflict(std::string message, std::optional<std::string> field = std::nullopt);
    static ApiError payload_too_large(std::size_t limit_bytes);
    static ApiError unsupported_media_type(std::string expected);
    static ApiError unprocessable(std::string message,
                                  std::optional<std::string> field = std::nullopt);
    static ApiError rate_limited(int retry_after_seconds);
    static ApiError unavailable(std::string message);

  private:
    unsigned status_;
    std::string code_;
    std::optional<std::string> field_;
};

// Renders an ApiError as a JSON response (with Retry-After / Allow when set).
Response error_response(const ApiError& e);

// The central mapper: ApiError keeps its status; anything else becomes a 500 "internal" whose
// message reveals nothing. `log_internal` is called with the exception text for unexpected errors.
Response map_exception(std::exception_ptr ep, const std::string& request_id);

}  // namespace glucoplay::http
