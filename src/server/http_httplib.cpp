// hipcoach::http over cpp-httplib 0.11 (Debian's shared library). Only the public API is used.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "hipcoach/http.hpp"

namespace hipcoach::http {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

class HttplibServer final : public Server {
 public:
  HttplibServer(const ServerOptions& options, Handler handler)
      : options_(options), handler_(std::move(handler)) {
    const auto threads = static_cast<std::size_t>(std::max(1, options_.threads));
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_keep_alive_max_count(static_cast<std::size_t>(options_.keep_alive_max_count));
    server_.set_keep_alive_timeout(options_.keep_alive_timeout_seconds);
    server_.set_read_timeout(options_.read_timeout_seconds, 0);
    server_.set_write_timeout(options_.write_timeout_seconds, 0);
    server_.set_payload_max_length(options_.max_body_bytes);
    server_.set_tcp_nodelay(true);
    // A compressed request body is refused before it is read (decompression bombs).
    server_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      if (req.has_header("Content-Encoding")) {
        res.status = 415;
        res.set_header("Connection", "close");
        res.set_content(
            R"({"error":{"code":"unsupported_encoding","message":"Send the request body )"
            R"(uncompressed."}})",
            "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
      Dispatch(req, res);
    };
    server_.Get(".*", dispatch);
    server_.Post(".*", dispatch);
    server_.Put(".*", dispatch);
    server_.Patch(".*", dispatch);
    server_.Delete(".*", dispatch);
    server_.Options(".*", dispatch);
    server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const char* code = res.status == 413 ? "too_large" : "bad_request";
      const char* message =
          res.status == 413 ? "The request is too large." : "The request could not be read.";
      res.set_content(
          std::string(R"({"error":{"code":")") + code + R"(","message":")" + message + "\"}}",
          "application/json");
    });
    server_.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                     std::exception_ptr) {
      res.status = 500;
      res.set_content(R"({"error":{"code":"internal","message":"Something went wrong on our side. )"
                      R"(Nothing you did caused it; please try again."}})",
                      "application/json");
    });
  }

  Result<void> Bind() override {
    if (options_.port == 0) {
      const int port = server_.bind_to_any_port(options_.host);
      if (port <= 0) return BindError();
      port_ = port;
      return {};
    }
    if (!server_.bind_to_port(options_.host, options_.port)) return BindError();
    port_ = options_.port;
    return {};
  }

  int port() const override { return port_; }

  Result<void> Run() override {
    if (!server_.listen_after_bind()) {
      return MakeError(ErrorCode::kIoError, "the server stopped unexpectedly");
    }
    return {};
  }

  void Stop() override { server_.stop(); }

 private:
  Result<void> BindError() const {
    return MakeError(ErrorCode::kIoError, "could not listen on " + options_.host + ":" +
                                              std::to_string(options_.port) +
                                              " (is another program using that port? Try --port)");
  }

  void Dispatch(const httplib::Request& in, httplib::Response& out) {
    Request req;
    req.method = in.method;
    req.path = in.path;
    req.body = in.body;
    req.remote_addr = in.remote_addr;
    req.headers.reserve(in.headers.size());
    for (const auto& [name, value] : in.headers) req.headers.emplace_back(Lower(name), value);
    for (const auto& [name, value] : in.params) req.query.emplace_back(name, value);
    Response res;
    handler_(req, res);
    out.status = res.status;
    for (auto& [name, value] : res.headers) out.set_header(name.c_str(), value);
    if (in.method == "HEAD") {
      out.set_header("Content-Type", res.content_type);
      return;
    }
    out.body = std::move(res.body);
    out.set_header("Content-Type", res.content_type);
  }

  ServerOptions options_;
  Handler handler_;
  httplib::Server server_;
  int port_ = 0;
};

}  // namespace

std::string Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (SameName(key, name)) return value;
  }
  return {};
}

std::string Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return {};
}

bool Request::HasQuery(std::string_view name) const {
  for (const auto& entry : query) {
    if (entry.first == name) return true;
  }
  return false;
}

std::unique_ptr<Server> MakeServer(const ServerOptions& options, Handler handler) {
  return std::make_unique<HttplibServer>(options, std::move(handler));
}

}  // namespace hipcoach::http
