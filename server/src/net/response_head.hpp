#pragma once

// The status line and header fields of a response as they go on the wire, written straight from
// our http::Response. This replaced converting each response into Beast's message type and
// running Beast's serializer, whose nested buffer sequences cost more instructions than the rest
// of a cached GET (issue 9, callgrind). The bytes are exactly what Beast's serializer produced
// for the same response (tests/unit/response_head_test.cpp checks them against it); Beast still
// parses every request. Framing is ours alone: a handler's own Connection, Content-Length or
// Transfer-Encoding field is dropped, and CR, LF and NUL inside a name or value become spaces,
// so no header can split the response.

#include <string>

#include "http/request.hpp"

namespace glucoplay::net {

// 1xx, 204 and 304 responses have no body and no Content-Length.
bool status_has_body(unsigned status);

// "HTTP/1.1 200 OK\r\nServer: glucoplay\r\n<fields>[Connection][Content-Length]\r\n".
// `version` is 10 or 11 (Beast's numbering); `keep_alive` as the connection will be left;
// A HEAD answer gets the same head (with the GET's Content-Length); the caller sends no body.
std::string response_head(const http::Response& res, unsigned version, bool keep_alive);

}  // namespace glucoplay::net
