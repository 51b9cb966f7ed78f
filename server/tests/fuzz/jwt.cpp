// Fuzz target: the JWT verifier (auth::TokenService::verify). The first byte picks a mode, the
// rest is the material:
//   0: the rest is the token as received (Authorization: Bearer / session cookie);
//   1: the rest is a claims JSON, sent with an HS256 header and a valid signature under the
//      server's key, so the claim checks behind the signature are reached;
//   2: the rest is "header-JSON\npayload-JSON", signed under the server's key (algorithm
//      confusion: "none", RS256, missing or odd "alg" with a signature that verifies).
// Invariants: verify never crashes or throws; it accepts only tokens whose header says HS256,
// whose signature is ours, with a positive integer "sub", a non-empty "jti", an "exp" after now
// and an "iat" not in the future; and a token it issued itself always verifies.
#include <sodium.h>

#include <boost/json.hpp>
#include <string>

#include "auth/tokens.hpp"
#include "fuzz_support.hpp"

using namespace glucoplay;

namespace {

constexpr std::int64_t kNow = 1795000000;  // fixed "now" (2026-11-19) so runs are reproducible
const std::string kSecret = "fuzzing-secret-fuzzing-secret-32b";

std::string b64url(std::string_view bytes) {
    std::string out(
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::string> b64url_decode(std::string_view text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

// header.payload signed with HMAC-SHA256 under the server's key.
std::string sign(std::string_view header_json, std::string_view payload_json) {
    std::string input = b64url(header_json) + "." + b64url(payload_json);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(kSecret.data()),
                                kSecret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(input.data()),
                                  input.size());
    crypto_auth_hmacsha256_final(&st, mac);
    return input + "." + b64url(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

// What an accepted token must look like, checked independently of libjwt.
void check_accepted(const std::string& token, const auth::Claims& c) {
    fuzz::check(c.user_id > 0, "accepted token has a positive sub", token);
    fuzz::check(!c.jti.empty(), "accepted token has a jti", token);
    fuzz::check(c.expires_at > kNow, "accepted token is not expired", token);
    fuzz::check(c.issued_at <= kNow + 300, "accepted token is not issued in the future", token);
    auto dot = token.find('.');
    fuzz::check(dot != std::string::npos, "accepted token has a header part", token);
    auto header_json = b64url_decode(std::string_view(token).substr(0, dot));
    fuzz::check(header_json.has_value(), "accepted token's header is base64url", token);
    boost::system::error_code ec;
    auto header = boost::json::parse(*header_json, ec);
    fuzz::check(!ec && header.is_object(), "accepted token's header is a JSON object", token);
    auto alg = header.as_object().if_contains("alg");
    fuzz::check(alg && alg->is_string() && alg->as_string() == "HS256",
                "accepted token's header says HS256", *header_json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auth::TokenService tokens(kSecret, std::chrono::hours(24 * 7));
    static const bool issued_ok = [] {
        std::string t = tokens.issue(42, kNow);
        auto c = tokens.verify(t, kNow);
        return c && c->user_id == 42 && c->expires_at == kNow + 7 * 24 * 3600;
    }();
    fuzz::check(issued_ok, "a token the service issued verifies");
    if (size == 0) return 0;

    const std::string_view rest = fuzz::as_text(data + 1, size - 1);
    std::string token;
    switch (data[0] % 3) {
        case 0:
            token = std::string(rest);
            break;
        case 1:
            token = sign(R"({"alg":"HS256","typ":"JWT"})", rest);
            break;
        default: {
            auto nl = rest.find('\n');
            if (nl == std::string_view::npos) return 0;
            token = sign(rest.substr(0, nl), rest.substr(nl + 1));
            break;
        }
    }
    if (auto claims = tokens.verify(token, kNow)) check_accepted(token, *claims);
    return 0;
}
