#include "app/secrets.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace glucoplay::app {

static constexpr std::size_t kMinSecretBytes = 32;

void ensure_jwt_secret(Config& cfg) {
    if (!cfg.jwt_secret.empty()) {
        if (cfg.production() && cfg.jwt_secret.size() < kMinSecretBytes)
            throw ConfigError("GLUCOPLAY_JWT_SECRET must be at least 32 bytes in production (got " +
                              std::to_string(cfg.jwt_secret.size()) + ")");
        return;
    }
    if (cfg.production())
        throw ConfigError(
            "GLUCOPLAY_JWT_SECRET is required in production (32+ random bytes, e.g. `openssl rand "
            "-hex 32`)");

    std::filesystem::path file = cfg.data_dir / "jwt_secret";
    if (std::ifstream in(file); in) {
        std::stringstream buf;
        buf << in.rdbuf();
        std::string s = buf.str();
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        if (s.size() >= kMinSecretBytes) {
            cfg.jwt_secret = s;
            return;
        }
    }
    if (sodium_init() < 0) throw ConfigError("libsodium failed to initialise");
    unsigned char raw[kMinSecretBytes];
    randombytes_buf(raw, sizeof raw);
    char hex[kMinSecretBytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    std::error_code ec;
    std::filesystem::create_directories(cfg.data_dir, ec);
    {
        mode_t old = ::umask(077);
        std::ofstream out(file, std::ios::trunc);
        ::umask(old);
        if (!out) throw ConfigError("cannot write " + file.string());
        out << hex << '\n';
    }
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    cfg.jwt_secret = hex;
}

}  // namespace glucoplay::app
