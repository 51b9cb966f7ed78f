#include <gtest/gtest.h>
#include <jwt.h>

#include <cstdlib>

#include "accounts/service.hpp"
#include "auth/authenticator.hpp"
#include "auth/passwords.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/tokens.hpp"
#include "http/errors.hpp"

using namespace glucoplay;
using namespace glucoplay::auth;

namespace {
const std::string kSecret(40, 's');
constexpr std::int64_t kNow = 1795768200;  // 2026-11-27T08:30:00Z
}  // namespace

TEST(Tokens, IssueThenVerifyRoundTripsTheClaims) {
    TokenService t(kSecret, std::chrono::hours(1));
    Claims issued;
    std::string token = t.issue(42, kNow, &issued);
    auto c = t.verify(token, kNow + 10);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->user_id, 42);
    EXPECT_EQ(c->issued_at, kNow);
    EXPECT_EQ(c->expires_at, kNow + 3600);
    EXPECT_EQ(c->jti, issued.jti);
    EXPECT_EQ(c->jti.size(), 32u);
    EXPECT_NE(t.issue(42, kNow), token);  // a fresh jti every time
}

TEST(Tokens, ExpiryIsExclusiveAndFutureTokensAreRefused) {
    TokenService t(kSecret, std::chrono::hours(1));
    std::string token = t.issue(1, kNow);
    EXPECT_TRUE(t.verify(token, kNow + 3599).has_value());
    EXPECT_FALSE(t.verify(token, kNow + 3600).has_value());
    EXPECT_FALSE(t.verify(token, kNow - 3600).has_value());  // issued an hour "in the future"
}

// Verified tokens are remembered (the HMAC is not redone), but every call still applies its own
// time checks, a refused token is never remembered, and the memory stays bounded.
TEST(Tokens, RememberedTokensStillExpireAndTheCacheIsBounded) {
    TokenService t(kSecret, std::chrono::hours(1), 50);
    std::string token = t.issue(7, kNow);
    ASSERT_TRUE(t.verify(token, kNow));
    EXPECT_EQ(t.cached_tokens(), 1u);
    auto again = t.verify(token, kNow + 1);  // from the cache
    ASSERT_TRUE(again);
    EXPECT_EQ(again->user_id, 7);
    EXPECT_FALSE(t.verify(token, kNow + 3600));  // expired, cached or not
    EXPECT_FALSE(t.verify(token, kNow - 3600));  // "issued in the future"
    EXPECT_TRUE(t.verify(token, kNow + 3599));
    std::string flipped = token;
    flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
    EXPECT_FALSE(t.verify(flipped, kNow));
    EXPECT_EQ(t.cached_tokens(), 1u);  // the forged one was not kept
    for (std::int64_t i = 0; i < 2 * 50 + 5; ++i)
        ASSERT_TRUE(t.verify(t.issue(100 + i, kNow), kNow));
    EXPECT_LE(t.cached_tokens(), 2u * 50);
    EXPECT_TRUE(t.verify(token, kNow + 2));  // dropped from the cache: verified again
}

TEST(Tokens, WrongSecretTamperingAndOtherAlgorithmsAreRefused) {
    TokenService t(kSecret);
    std::string token = t.issue(1, kNow);
    EXPECT_FALSE(TokenService(std::string(40, 'x')).verify(token, kNow).has_value());
    std::string flipped = token;
    flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(t.verify(flipped, kNow).has_value());

    for (jwt_alg_t alg : {JWT_ALG_NONE, JWT_ALG_HS384, JWT_ALG_HS512}) {
        jwt_t* j = nullptr;
        jwt_new(&j);
        jwt_add_grant(j, "sub", "1");
        jwt_add_grant_int(j, "iat", kNow);
        jwt_add_grant_int(j, "exp", kNow + 60);
        jwt_add_grant(j, "jti", "abc");
        jwt_set_alg(
            j, alg,
            alg == JWT_ALG_NONE ? nullptr : reinterpret_cast<const unsigned char*>(kSecret.data()),
            alg == JWT_ALG_NONE ? 0 : static_cast<int>(kSecret.size()));
        char* s = jwt_encode_str(j);
        ASSERT_NE(s, nullptr);
        EXPECT_FALSE(t.verify(s, kNow).has_value()) << "alg " << alg;
        std::free(s);
        jwt_free(j);
    }
    for (const char* junk : {"", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9..", "not a token"})
        EXPECT_FALSE(t.verify(junk, kNow).has_value()) << junk;
    EXPECT_FALSE(t.verify(std::string(5000, 'a'), kNow).has_value());
}

TEST(RateSpec, ParsesUnitsAndRejectsNonsense) {
    auto s = parse_rate_spec("20/60s");
    EXPECT_DOUBLE_EQ(s.capacity, 20);
    EXPECT_DOUBLE_EQ(s.period_seconds, 60);
    EXPECT_DOUBLE_EQ(parse_rate_spec("5/15m").period_seconds, 900);
    EXPECT_DOUBLE_EQ(parse_rate_spec("1000/1h").period_seconds, 3600);
    EXPECT_FALSE(parse_rate_spec("off").enabled());
    for (const char* bad :
         {"", "20", "/60s", "20/", "20/60", "0/1s", "20/0s", "x/1s", "20/1d", "-1/1s"})
        EXPECT_THROW(parse_rate_spec(bad), std::invalid_argument) << bad;
}

TEST(RateLimiter, BucketEmptiesRefillsAndSaysHowLongToWait) {
    MemoryRateLimiter limiter(parse_rate_spec("3/3s"));  // one token per second
    auto t0 = MemoryRateLimiter::Clock::time_point{} + std::chrono::hours(1);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take("a", t0).has_value());
    auto wait = limiter.take("a", t0);
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(*wait, 1);
    EXPECT_FALSE(limiter.take("b", t0).has_value());  // keys are independent
    EXPECT_TRUE(limiter.peek("a", t0 + std::chrono::milliseconds(900)).has_value());
    EXPECT_FALSE(limiter.take("a", t0 + std::chrono::seconds(1)).has_value());
    EXPECT_TRUE(limiter.take("a", t0 + std::chrono::seconds(1)).has_value());
    limiter.reset("a");
    EXPECT_FALSE(limiter.take("a", t0 + std::chrono::seconds(1)).has_value());
}

TEST(RateLimiter, DisabledNeverLimits) {
    MemoryRateLimiter limiter(parse_rate_spec("off"));
    for (int i = 0; i < 1000; ++i) EXPECT_FALSE(limiter.take("k").has_value());
}

TEST(Passwords, HashVerifyAndDummy) {
    std::string h = hash_password("correct horse battery");
    EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
    EXPECT_TRUE(verify_password(h, "correct horse battery").ok);
    EXPECT_FALSE(verify_password(h, "correct horse batterx").ok);
    EXPECT_FALSE(verify_password(h, "correct horse battery").needs_rehash);
    EXPECT_NE(hash_password("correct horse battery"), h);  // salted
    EXPECT_FALSE(verify_password("not a hash", "x").ok);
    verify_against_dummy("anything");  // does not throw
}

namespace {
http::Request with_headers(std::string peer,
                           std::vector<std::pair<std::string, std::string>> headers) {
    http::Request r;
    r.remote_address = std::move(peer);
    for (auto& [k, v] : headers) r.headers.add(k, v);
    return r;
}
}  // namespace

TEST(ClientAddress, ForwardedHeadersOnlyFromTrustedProxies) {
    std::vector<std::string> trusted = {"10.0.0.1", "10.0.0.2"};
    EXPECT_EQ(
        client_address(with_headers("203.0.113.5", {{"X-Forwarded-For", "1.2.3.4"}}), trusted),
        "203.0.113.5");
    EXPECT_EQ(client_address(with_headers("10.0.0.1", {{"X-Forwarded-For", "1.2.3.4"}}), trusted),
              "1.2.3.4");
    // Spoofed entries to the left of the last untrusted hop are ignored.
    EXPECT_EQ(
        client_address(
            with_headers("10.0.0.1", {{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.0.0.2"}}), trusted),
        "1.2.3.4");
    EXPECT_EQ(client_address(with_headers("10.0.0.1", {}), trusted), "10.0.0.1");
    EXPECT_TRUE(
        forwarded_https(with_headers("10.0.0.1", {{"X-Forwarded-Proto", "https"}}), trusted));
    EXPECT_FALSE(
        forwarded_https(with_headers("203.0.113.5", {{"X-Forwarded-Proto", "https"}}), trusted));
}

TEST(ExtractToken, BearerHeaderThenCookie) {
    EXPECT_EQ(extract_token(with_headers("", {{"Authorization", "Bearer abc.def.ghi"}})).value(),
              "abc.def.ghi");
    EXPECT_EQ(extract_token(with_headers("", {{"Authorization", "bearer   abc"}})).value(), "abc");
    EXPECT_EQ(extract_token(with_headers("", {{"Authorization", "Basic xyz"}})).value(),
              "");  // present but unusable
    EXPECT_EQ(
        extract_token(with_headers("", {{"Cookie", "a=1; glucoplay_session=tok; b=2"}})).value(),
        "tok");
    EXPECT_FALSE(
        extract_token(with_headers("", {{"Cookie", "xglucoplay_session=tok"}})).has_value());
    EXPECT_FALSE(extract_token(with_headers("", {})).has_value());
}

TEST(SettingsRules, PatchesAreCheckedAgainstTheMergedResult) {
    accounts::Settings base;
    accounts::SettingsPatch p;
    p.target_low_mg_dl = 100;
    auto merged = accounts::apply_settings_patch(base, p);
    EXPECT_EQ(merged.target_low_mg_dl, 100);
    EXPECT_EQ(merged.target_high_mg_dl, 180);
    p.target_low_mg_dl = 180;  // equal to the stored high
    EXPECT_THROW(accounts::apply_settings_patch(base, p), http::ApiError);
    accounts::SettingsPatch tz;
    tz.time_zone = "Australia/Lord_Howe";  // a real zone with a 30-minute DST shift
    EXPECT_EQ(accounts::apply_settings_patch(base, tz).time_zone, "Australia/Lord_Howe");
    tz.time_zone = "Not/AZone";
    EXPECT_THROW(accounts::apply_settings_patch(base, tz), http::ApiError);
}

TEST(UsernameRules, LengthAndAlphabet) {
    EXPECT_NO_THROW(accounts::validate_username("a.b-c_9"));
    EXPECT_THROW(accounts::validate_username("ab"), http::ApiError);
    EXPECT_THROW(accounts::validate_username(std::string(33, 'a')), http::ApiError);
    EXPECT_THROW(accounts::validate_username("a b c"), http::ApiError);
    EXPECT_THROW(accounts::validate_password("1234567"), http::ApiError);
    EXPECT_NO_THROW(accounts::validate_password("12345678"));
    EXPECT_NO_THROW(accounts::validate_password(std::string(128, 'x')));
    EXPECT_THROW(accounts::validate_password(std::string(129, 'x')), http::ApiError);
}

#include <sodium.h>

TEST(Passwords, HashesMadeWithWeakerLimitsAskForARehash) {
    ASSERT_GE(sodium_init(), 0);
    char weak[crypto_pwhash_STRBYTES];
    ASSERT_EQ(crypto_pwhash_str(weak, "old password", 12, crypto_pwhash_OPSLIMIT_MIN,
                                crypto_pwhash_MEMLIMIT_MIN),
              0);
    auto r = verify_password(weak, "old password");
    EXPECT_TRUE(r.ok);
    EXPECT_TRUE(r.needs_rehash);
}
