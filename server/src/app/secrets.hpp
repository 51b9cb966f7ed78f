#pragma once

#include "app/config.hpp"

namespace glucoplay::app {

// Makes sure cfg.jwt_secret is usable. Production: it must be set and at least 32 bytes, else
// ConfigError. Development/test without one: reads DATA_DIR/jwt_secret, creating it (32 random
// bytes, hex, mode 0600) the first time, so tokens survive restarts.
void ensure_jwt_secret(Config& cfg);

}  // namespace glucoplay::app
