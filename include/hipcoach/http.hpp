// A small HTTP server interface, so that the web app does not depend on one library. The only
// implementation today wraps cpp-httplib (src/server/http_httplib.cpp); it is thin enough to swap
// for Boost.Beast. Handlers run on a fixed pool of worker threads, so they must be thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hipcoach/status.hpp"

namespace hipcoach::http {

struct Request {
  std::string method;                                        // GET, POST, PUT, DELETE, ...
  std::string path;                                          // without the query string
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::vector<std::pair<std::string, std::string>> query;    // decoded
  std::string body;
  std::string remote_addr;

  // The first value of a header (name in any case), or "".
  std::string Header(std::string_view name) const;
  // The first value of a query parameter, or "".
  std::string Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using Handler = std::function<void(const Request&, Response&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  int threads = 64;
  int keep_alive_max_count = 100;  // requests per connection before it is closed
  int keep_alive_timeout_seconds = 5;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;
  std::size_t max_body_bytes = 1 << 20;
};

class Server {
 public:
  virtual ~Server() = default;
  // Binds the socket; afterwards port() is the port bound.
  virtual Result<void> Bind() = 0;
  virtual int port() const = 0;
  // Serves until Stop(); every request goes to `handler`.
  virtual Result<void> Run() = 0;
  // Safe from any thread; Run() returns once the requests in progress have finished.
  virtual void Stop() = 0;
};

std::unique_ptr<Server> MakeServer(const ServerOptions& options, Handler handler);

}  // namespace hipcoach::http
