#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/errors.hpp"

using namespace glucoplay::http;
namespace json = boost::json;

TEST(ErrorMapping, ApiErrorKeepsStatusCodeMessageAndField) {
    Response r = map_exception(
        std::make_exception_ptr(ApiError::validation("grams", "grams must be between 1 and 5000")),
        "rid");
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.headers.get("Content-Type").value(), "application/json");
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("error").at("code").as_string(), "validation_failed");
    EXPECT_EQ(body.at("error").at("message").as_string(), "grams must be between 1 and 5000");
    EXPECT_EQ(body.at("error").at("field").as_string(), "grams");
}

TEST(ErrorMapping, EachContractCodeHasItsStatus) {
    struct Case {
        ApiError error;
        unsigned status;
        const char* code;
    };
    std::vector<Case> cases = {
        {ApiError::unauthorized(), 401, "unauthorized"},
        {ApiError::forbidden(), 403, "forbidden"},
        {ApiError::not_found(), 404, "not_found"},
        {ApiError::conflict("taken"), 409, "conflict"},
        {ApiError::payload_too_large(1024), 413, "payload_too_large"},
        {ApiError::unsupported_media_type("application/json"), 415, "unsupported_media_type"},
        {ApiError::unprocessable("expired"), 422, "unprocessable"},
        {ApiError::rate_limited(7), 429, "rate_limited"},
    };
    for (const auto& c : cases) {
        Response r = error_response(c.error);
        EXPECT_EQ(r.status, c.status);
        auto body = json::parse(r.body).as_object();
        EXPECT_EQ(body.at("error").at("code").as_string(), c.code);
        EXPECT_FALSE(body.at("error").as_object().contains("field"));
    }
}

TEST(ErrorMapping, RateLimitedCarriesRetryAfterAnd405CarriesAllow) {
    Response r = error_response(ApiError::rate_limited(7));
    EXPECT_EQ(r.headers.get("Retry-After").value(), "7");
    Response m = error_response(ApiError::method_not_allowed("GET, POST"));
    EXPECT_EQ(m.status, 405u);
    EXPECT_EQ(m.headers.get("Allow").value(), "GET, POST");
}

TEST(ErrorMapping, UnexpectedExceptionsBecomeOpaque500) {
    Response r = map_exception(
        std::make_exception_ptr(std::runtime_error("SQLITE_CORRUPT at /var/secret/path")), "rid");
    EXPECT_EQ(r.status, 500u);
    EXPECT_EQ(r.body.find("SQLITE"), std::string::npos);
    EXPECT_EQ(r.body.find("/var/secret"), std::string::npos);
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("error").at("code").as_string(), "internal");

    Response n = map_exception(std::make_exception_ptr(42), "rid");
    EXPECT_EQ(n.status, 500u);
}
