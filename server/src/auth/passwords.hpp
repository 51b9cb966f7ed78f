#pragma once

// Password hashing with libsodium's Argon2id (crypto_pwhash_str), interactive limits.
// Argon2 uses 64 MiB per hash, so at most kMaxConcurrentHashes run at once (bounded memory).

#include <cstdint>
#include <string>
#include <string_view>

namespace glucoplay::auth {

struct VerifyResult {
    bool ok = false;
    bool needs_rehash = false;  // hashed with older/weaker limits than today's
};

// Throws std::runtime_error if hashing fails (out of memory).
std::string hash_password(std::string_view password);
VerifyResult verify_password(std::string_view stored_hash, std::string_view password);
// Spends the same work as verifying a real hash, for logins with an unknown username, so the
// response time does not reveal whether the user exists.
void verify_against_dummy(std::string_view password);
// How many Argon2 verifications this process has run (real and dummy), for /metrics and for
// tests that check an unknown username costs the same work as a wrong password.
std::uint64_t password_verifications();

}  // namespace glucoplay::auth
