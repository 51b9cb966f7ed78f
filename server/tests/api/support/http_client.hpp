#pragma once

// A small synchronous HTTP/1.1 client for API tests (Boost.Beast), keeping one keep-alive
// connection and reconnecting when the server closes it.

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace glucoplay::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    unsigned status = 0;
    HeaderList headers;
    std::string body;

    std::string header(const std::string& name) const;  // "" when absent
    bool has_header(const std::string& name) const;
    boost::json::value json() const;  // throws if the body is not JSON
    std::string error_code() const;   // body.error.code
};

class HttpClient {
  public:
    explicit HttpClient(unsigned short port, std::string host = "127.0.0.1");
    ~HttpClient();

    HttpResponse request(const std::string& method, const std::string& target,
                         const std::string& body = "", const HeaderList& headers = {});
    HttpResponse get(const std::string& target, const HeaderList& headers = {}) {
        return request("GET", target, "", headers);
    }
    HttpResponse post_json(const std::string& target, const boost::json::value& body,
                           HeaderList headers = {});
    HttpResponse patch_json(const std::string& target, const boost::json::value& body,
                            HeaderList headers = {});
    HttpResponse del(const std::string& target, const HeaderList& headers = {}) {
        return request("DELETE", target, "", headers);
    }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Sends raw bytes on a fresh connection and returns everything the server sends back until it
// closes the connection (or the timeout passes).
std::string raw_exchange(unsigned short port, const std::string& bytes, int timeout_ms = 5000);

// A raw TCP connection for tests that need to control timing (partial requests, idle sockets).
class RawConnection {
  public:
    explicit RawConnection(unsigned short port);
    ~RawConnection();
    void send(const std::string& bytes);
    // Reads until the peer closes or the timeout passes.
    std::string read_all(int timeout_ms = 5000);
    // True when the peer has closed the connection within the timeout.
    bool closed_by_peer(int timeout_ms);
    // Whatever arrives within the timeout (possibly nothing); does not wait for the peer to close.
    std::string read_some(int timeout_ms);

  private:
    int fd_ = -1;
};

}  // namespace glucoplay::testing
