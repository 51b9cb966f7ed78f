#include "net/response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace glucoplay::net {

namespace {

// Appends `s` with any CR, LF or NUL replaced by a space. Almost every value is clean: one
// branch-free pass decides that (memchr three times cost more on such short strings).
void append_clean(std::string& out, std::string_view s) {
    unsigned bad = 0;
    for (unsigned char c : s) bad |= static_cast<unsigned>(c == '\r') | (c == '\n') | (c == '\0');
    const std::size_t start = out.size();
    out.append(s);
    if (!bad) return;
    for (std::size_t i = start; i < out.size(); ++i)
        if (out[i] == '\r' || out[i] == '\n' || out[i] == '\0') out[i] = ' ';
}

void field(std::string& out, std::string_view name, std::string_view value) {
    append_clean(out, name);
    out += ": ";
    append_clean(out, value);
    out += "\r\n";
}

void number(std::string& out, std::size_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, end);
}

bool framing(std::string_view name) {
    return http::iequals(name, "Connection") || http::iequals(name, "Content-Length") ||
           http::iequals(name, "Transfer-Encoding");
}

}  // namespace

bool status_has_body(unsigned status) {
    return !(status == 204 || status == 304 || (status >= 100 && status < 200));
}

std::string response_head(const http::Response& res, unsigned version, bool keep_alive) {
    std::string out;
    out.reserve(512);
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    number(out, res.status);
    out += ' ';
    out += boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(res.status));
    out += "\r\n";
    field(out, "Server", "glucoplay");
    for (const auto& [name, value] : res.headers.fields())
        if (!framing(name)) field(out, name, value);
    // As Beast's message::keep_alive(): HTTP/1.1 is persistent unless it says close, HTTP/1.0
    // only when it says keep-alive.
    if (version >= 11 && !keep_alive) field(out, "Connection", "close");
    if (version < 11 && keep_alive) field(out, "Connection", "keep-alive");
    if (status_has_body(res.status)) {
        out += "Content-Length: ";
        number(out, res.body.size());  // for HEAD too: the length the GET's body has
        out += "\r\n";
    }
    out += "\r\n";
    return out;
}

}  // namespace glucoplay::net
