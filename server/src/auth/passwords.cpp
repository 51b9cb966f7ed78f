#include "auth/passwords.hpp"

#include <sodium.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace glucoplay::auth {
namespace {

constexpr int kMaxConcurrentHashes = 2;

// A counting semaphore: Argon2id with the interactive limits allocates 64 MiB per call.
class HashSlots {
  public:
    void acquire() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return free_ > 0; });
        --free_;
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            ++free_;
        }
        cv_.notify_one();
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int free_ = kMaxConcurrentHashes;
};

HashSlots& slots() {
    static HashSlots s;
    return s;
}

struct SlotGuard {
    SlotGuard() { slots().acquire(); }
    ~SlotGuard() { slots().release(); }
};

void init_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

const std::string& dummy_hash() {
    static const std::string h = hash_password("glucoplay-dummy-password-for-timing");
    return h;
}

}  // namespace

std::string hash_password(std::string_view password) {
    init_sodium();
    char out[crypto_pwhash_STRBYTES];
    SlotGuard slot;
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw std::runtime_error("password hashing failed (out of memory)");
    return out;
}

std::atomic<std::uint64_t> g_verifications{0};

VerifyResult verify_password(std::string_view stored_hash, std::string_view password) {
    init_sodium();
    ++g_verifications;
    std::string hash(stored_hash);  // libsodium wants a NUL-terminated string
    VerifyResult r;
    {
        SlotGuard slot;
        r.ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    }
    if (r.ok)
        r.needs_rehash =
            crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                           crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
    return r;
}

std::uint64_t password_verifications() {
    return g_verifications.load();
}

void verify_against_dummy(std::string_view password) {
    (void)verify_password(dummy_hash(), password);
}

}  // namespace glucoplay::auth
