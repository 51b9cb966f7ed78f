#pragma once

// The web listener's handler: GET /config.json tells the UI where the API is; everything else is
// the built UI from the web root (see http/static_files.hpp), with browser security headers.

#include <string>
#include <string_view>

#include "http/static_files.hpp"

namespace glucoplay::app {

struct AppContext;

class WebFrontend {
  public:
    explicit WebFrontend(const AppContext& ctx);
    http::Response handle(http::Request& req) const;

    // The API base URL for a page requested with this Host header: GLUCOPLAY_PUBLIC_API_URL when
    // set ("same-origin" means "", i.e. a proxy serves /api), else http://<host>:<api port>.
    std::string api_base(std::string_view host_header) const;

  private:
    const AppContext& ctx_;
    http::StaticSite site_;
};

// The host part of a Host header ("[::1]:4887" -> "[::1]"), or "" when it is not a plain host name
// or address (so nothing odd is reflected into config.json or the CSP).
std::string host_from_header(std::string_view host_header);

}  // namespace glucoplay::app
