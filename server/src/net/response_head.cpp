#include "net/response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>

namespace glucoplay::net {

namespace {

// Whether `s` may hold a CR (0x0D), LF (0x0A) or NUL: true when some byte is below 0x0E, which a
// TAB also is. Eight bytes a step ("has a byte less than n", Bit Twiddling Hacks): a borrow can
// only start at such a byte, so a clean string is never flagged. A per-byte loop was 7
// instructions a byte, and headers are most of what is written per request (issue 9).
bool maybe_line_break(std::string_view s) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    std::uint64_t found = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        found |= (w - kOnes * 0x0E) & ~w & kHighs;
    }
    if (i < s.size()) {
        std::uint64_t tail = kOnes * 'A';  // the bytes past the end read as a clean letter
        std::memcpy(&tail, s.data() + i, s.size() - i);
        found |= (tail - kOnes * 0x0E) & ~tail & kHighs;
    }
    return found != 0;
}

// Appends `s` with any CR, LF or NUL replaced by a space.
void append_clean(std::string& out, std::string_view s) {
    const std::size_t start = out.size();
    out.append(s);
    if (!maybe_line_break(s)) return;
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
    res.headers.for_each([&](std::string_view name, std::string_view value) {
        if (!framing(name)) field(out, name, value);
    });
    // As Beast's message::keep_alive(): HTTP/1.1 is persistent unless it says close, HTTP/1.0
    // only when it says keep-alive.
    if (version >= 11 && !keep_alive) field(out, "Connection", "close");
    if (version < 11 && keep_alive) field(out, "Connection", "keep-alive");
    if (status_has_body(res.status)) {
        out += "Content-Length: ";
        number(out, res.body_view().size());  // for HEAD too: the length the GET's body has
        out += "\r\n";
    }
    out += "\r\n";
    return out;
}

}  // namespace glucoplay::net
