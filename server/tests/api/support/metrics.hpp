#pragma once

// One value from the server's /metrics (Prometheus text), for tests.

#include <string>

#include "support/http_client.hpp"

namespace glucoplay::testing {

// The value of an unlabelled metric `name`, or -1 when the server does not report it.
inline double metric(HttpClient& client, const std::string& name) {
    const std::string text = client.get("/metrics").body;
    const auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + name.size() + 2));
}

}  // namespace glucoplay::testing
