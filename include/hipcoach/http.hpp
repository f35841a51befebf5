// A small HTTP server interface, so that the web app does not depend on one library. The
// implementation (src/server/http_server.cpp) is hipcoach's own: one thread reads every
// connection without blocking until a request is complete, so a slow client holds no worker; a
// fixed pool of worker threads runs the handlers, so they must be thread-safe. The parser
// (src/server/http_parser.hpp) is strict against request smuggling.
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
  // An open connection with no request started is closed after this long.
  int keep_alive_timeout_seconds = 5;
  // A request (its head and body) must arrive whole within this long of its first byte, however
  // slowly the bytes trickle in; otherwise 408 and the connection is closed.
  int request_timeout_seconds = 10;
  // A response must make progress within this long (and be written within 12 times it).
  int write_timeout_seconds = 5;
  std::size_t max_body_bytes = 1 << 20;
  // Open connections at most; beyond that new ones wait in the kernel's backlog.
  int max_connections = 1024;
  // Bytes of requests still being received, over all connections; beyond that 503.
  std::size_t max_buffered_bytes = std::size_t{256} << 20;
  // Headers on every response, including the server's own errors (400, 408, 413, ...), unless
  // the handler set a header of the same name.
  std::vector<std::pair<std::string, std::string>> default_headers;
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
