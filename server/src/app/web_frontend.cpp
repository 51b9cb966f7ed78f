#include "app/web_frontend.hpp"

#include <boost/json.hpp>

#include "app/app.hpp"
#include "http/json.hpp"

namespace glucoplay::app {

std::string host_from_header(std::string_view h) {
    std::string_view host;
    if (h.starts_with('[')) {
        auto close = h.find(']');
        if (close == std::string_view::npos) return "";
        host = h.substr(0, close + 1);
        for (char c : host.substr(1, host.size() - 2))
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return "";
    } else {
        host = h.substr(0, h.find(':'));
        if (host.empty() || host.size() > 253) return "";
        for (char c : host)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return "";
    }
    return std::string(host);
}

WebFrontend::WebFrontend(const AppContext& ctx) : ctx_(ctx), site_(ctx.config.web_root) {}

std::string WebFrontend::api_base(std::string_view host_header) const {
    const std::string& configured = ctx_.config.public_api_url;
    if (configured == "same-origin") return "";
    if (!configured.empty()) return configured;
    std::string host = host_from_header(host_header);
    if (host.empty()) host = "localhost";
    return "http://" + host + ":" + std::to_string(ctx_.api_port);
}

http::Response WebFrontend::handle(http::Request& req) const {
    std::string base = api_base(req.header("Host").value_or(""));
    http::Response res;
    if (req.path == "/config.json" &&
        (req.method == http::Method::get || req.method == http::Method::head)) {
        res = http::json_response(200, boost::json::object{{"api_base", base}});
        res.headers.set("Cache-Control", "no-cache");
    } else {
        res = site_.handle(req);
    }
    // No inline scripts or styles anywhere in the UI, so the policy needs no 'unsafe-inline'.
    res.headers.set(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'" +
            (base.empty() ? std::string() : " " + base) +
            "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("X-Frame-Options", "DENY");
    res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    return res;
}

}  // namespace glucoplay::app
