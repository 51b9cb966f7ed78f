#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <optional>
#include <stdexcept>

namespace glucoplay::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

static bool iequal(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

std::string HttpResponse::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (iequal(k, name)) return v;
    return "";
}

bool HttpResponse::has_header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (iequal(k, name)) return true;
    return false;
}

boost::json::value HttpResponse::json() const {
    return boost::json::parse(body);
}

std::string HttpResponse::error_code() const {
    return std::string(json().at("error").at("code").as_string());
}

struct HttpClient::Impl {
    asio::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    std::string host;
    unsigned short port;
    bool connected = false;

    void connect() {
        if (connected) return;
        stream.emplace(ioc);
        stream->connect(tcp::endpoint(asio::ip::make_address(host), port));
        buffer.clear();
        connected = true;
    }
};

HttpClient::HttpClient(unsigned short port, std::string host) : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body, const HeaderList& headers) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        impl_->connect();
        bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
        req.set(bhttp::field::host, impl_->host + ":" + std::to_string(impl_->port));
        for (const auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
            req.prepare_payload();
        req.keep_alive(true);
        beast::error_code ec;
        impl_->stream->expires_after(std::chrono::seconds(30));
        bhttp::write(*impl_->stream, req, ec);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (method == "HEAD") parser.skip(true);
        if (!ec) bhttp::read(*impl_->stream, impl_->buffer, parser, ec);
        if (ec) {
            // The server may have closed a kept-alive connection: reconnect once and retry.
            impl_->connected = false;
            if (attempt == 0) continue;
            throw std::runtime_error("HTTP " + method + " " + target + " failed: " + ec.message());
        }
        auto res = parser.release();
        HttpResponse out;
        out.status = res.result_int();
        for (const auto& f : res)
            out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        out.body = std::move(res.body());
        if (!res.keep_alive()) impl_->connected = false;
        return out;
    }
    throw std::runtime_error("unreachable");
}

HttpResponse HttpClient::post_json(const std::string& target, const boost::json::value& body,
                                   HeaderList headers) {
    headers.emplace_back("Content-Type", "application/json");
    return request("POST", target, boost::json::serialize(body), headers);
}

HttpResponse HttpClient::patch_json(const std::string& target, const boost::json::value& body,
                                    HeaderList headers) {
    headers.emplace_back("Content-Type", "application/json");
    return request("PATCH", target, boost::json::serialize(body), headers);
}

RawConnection::RawConnection(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("connect failed");
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
}

void RawConnection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send failed");
        sent += static_cast<std::size_t>(n);
    }
}

std::string RawConnection::read_all(int timeout_ms) {
    std::string out;
    char buf[8192];
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) break;
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string RawConnection::read_some(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return "";
    char buf[8192];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

bool RawConnection::closed_by_peer(int timeout_ms) {
    char buf[8192];
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return false;
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return true;
    }
}

std::string raw_exchange(unsigned short port, const std::string& bytes, int timeout_ms) {
    RawConnection c(port);
    c.send(bytes);
    return c.read_all(timeout_ms);
}

}  // namespace glucoplay::testing
