// net::response_head writes exactly the bytes Beast's serializer wrote for the same response
// (the reference: a Beast message built the way the server used to build it), and keeps framing
// and line breaks its own.
#include <gtest/gtest.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>

#include "http/errors.hpp"
#include "http/json.hpp"
#include "net/response_head.hpp"

namespace bhttp = boost::beast::http;
using glucoplay::http::Response;
using glucoplay::net::response_head;

namespace {

// What the server sent before (Beast message + serializer), header part only.
std::string beast_head(const Response& res, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
    out.set(bhttp::field::server, "glucoplay");
    res.headers.for_each(
        [&](std::string_view name, std::string_view value) { out.insert(name, value); });
    out.keep_alive(keep_alive);
    if (glucoplay::net::status_has_body(res.status)) {
        if (head) {
            out.content_length(res.body.size());
        } else {
            out.body() = res.body;
            out.prepare_payload();
        }
    }
    bhttp::response_serializer<bhttp::string_body> sr{out};
    sr.split(true);
    std::string text;
    boost::system::error_code ec;
    while (!ec && !sr.is_header_done())
        sr.next(ec, [&](boost::system::error_code& vec, const auto& buffers) {
            vec = {};
            text += boost::beast::buffers_to_string(buffers);
            sr.consume(boost::beast::buffer_bytes(buffers));
        });
    return text;
}

Response sample(unsigned status) {
    Response r = glucoplay::http::json_response(status, boost::json::object{{"ok", true}});
    r.headers.set("Vary", "Origin");
    r.headers.set("Cache-Control", "no-store");
    r.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    r.headers.set("X-Request-Id", "0123456789abcdef");
    r.headers.add("Set-Cookie", "a=1; HttpOnly");
    r.headers.add("Set-Cookie", "b=2; Secure");
    // Fields kept as views (the dispatcher's constant ones) are written too, after the others.
    const glucoplay::http::Headers::View constant[] = {{"X-Frame-Options", "DENY"},
                                                       {"Referrer-Policy", "no-referrer"}};
    r.headers.set_all_static(constant);
    return r;
}

}  // namespace

TEST(ResponseHead, SameBytesAsBeastsSerializer) {
    for (unsigned status : {200u, 201u, 204u, 304u, 400u, 404u, 413u, 429u, 500u, 503u})
        for (unsigned version : {10u, 11u})
            for (bool keep_alive : {true, false})
                for (bool head : {true, false}) {
                    Response r = sample(status);
                    if (!glucoplay::net::status_has_body(status)) r.body.clear();
                    EXPECT_EQ(response_head(r, version, keep_alive),
                              beast_head(r, version, keep_alive, head))
                        << status << " HTTP/" << version << " keep-alive " << keep_alive << " head "
                        << head;
                }
    Response empty;  // a 200 with no fields and no body
    EXPECT_EQ(response_head(empty, 11, true), beast_head(empty, 11, true, false));
    EXPECT_EQ(response_head(empty, 11, true),
              "HTTP/1.1 200 OK\r\nServer: glucoplay\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, FramingIsOursAndLineBreaksCannotSplitIt) {
    Response r = Response::text(200, "hello");
    r.headers.set("Content-Length", "999");
    r.headers.set("Transfer-Encoding", "chunked");
    r.headers.set("Connection", "upgrade");
    r.headers.set("X-Note", "a\r\nSet-Cookie: evil=1\r\n\r\nbody");
    r.headers.set("X-Bad\nName", std::string("v\0w", 3));
    const std::string head = response_head(r, 11, true);
    EXPECT_EQ(head.find("999"), std::string::npos);
    EXPECT_EQ(head.find("chunked"), std::string::npos);
    EXPECT_EQ(head.find("upgrade"), std::string::npos);
    EXPECT_NE(head.find("Content-Length: 5\r\n"), std::string::npos);
    EXPECT_NE(head.find("X-Note: a  Set-Cookie: evil=1    body\r\n"), std::string::npos);
    EXPECT_NE(head.find("X-Bad Name: v w\r\n"), std::string::npos);
    // Exactly one blank line, at the end.
    EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);
}

// A body kept elsewhere (a cached leaderboard, a static file: Response::shared_body) frames the
// answer as the same text in `body` would, GET and HEAD alike.
TEST(ResponseHead, ASharedBodyIsFramedLikeItsOwnText) {
    Response own = sample(200);
    Response shared = sample(200);
    shared.shared_body = std::make_shared<const std::string>(std::string(3000, 'x'));
    shared.body = "ignored when a shared body is set";
    own.body = std::string(3000, 'x');
    for (unsigned version : {10u, 11u})
        for (bool keep_alive : {true, false})
            EXPECT_EQ(response_head(shared, version, keep_alive),
                      response_head(own, version, keep_alive));
    EXPECT_NE(response_head(shared, 11, true).find("Content-Length: 3000\r\n"), std::string::npos);
    EXPECT_EQ(shared.body_view(), own.body);
}

// Header text is checked eight bytes at a time (issue 9): a CR, LF or NUL at any place of a
// value of any length, alone or next to a TAB, becomes a space; a TAB and every other byte stay.
TEST(ResponseHead, EveryLineBreakIsFoundWhereverItSitsInTheValue) {
    for (std::size_t length = 1; length <= 40; ++length) {
        for (std::size_t at = 0; at < length; ++at) {
            for (char bad : {'\r', '\n', '\0', '\t'}) {
                std::string value(length, 'v');
                for (std::size_t i = 0; i < length; ++i)
                    value[i] = static_cast<char>(0x20 + (i * 37) % 0x5f);  // printable ASCII
                value[at] = bad;
                if (at + 1 < length && bad != '\t') value[at + 1] = '\t';
                Response r;
                r.status = 204;
                r.headers.set("X-Value", value);
                std::string want = value;
                for (char& c : want)
                    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
                const std::string head = response_head(r, 11, true);
                EXPECT_NE(head.find("X-Value: " + want + "\r\n"), std::string::npos)
                    << "length " << length << " at " << at << " byte " << int(bad);
            }
        }
    }
    // Bytes from 0x0E up, and 0x80 up (UTF-8), are never touched.
    std::string all;
    for (int c = 0x0E; c < 0x100; ++c) all += static_cast<char>(c);
    Response r;
    r.status = 204;
    r.headers.set("X-All", all);
    EXPECT_NE(response_head(r, 11, true).find("X-All: " + all + "\r\n"), std::string::npos);
}
