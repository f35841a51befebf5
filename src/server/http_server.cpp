// hipcoach's HTTP/1.1 server (include/hipcoach/http.hpp), on POSIX sockets.
//
// One thread (the one in Run()) owns every connection that is between requests or receiving
// one: it polls them without blocking, buffers what arrives and parses it (http_parser.hpp). Only
// a complete request goes to a worker thread, which runs the handler, writes the response and
// hands the connection back. So a client that sends slowly, or not at all, holds a buffer and a
// file descriptor, never a worker; and every request must arrive whole within
// request_timeout_seconds of its first byte (otherwise 408), every idle connection goes after
// keep_alive_timeout_seconds.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hipcoach/http.hpp"
#include "http_parser.hpp"

namespace hipcoach::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Connection {
  int fd = -1;
  std::string peer;
  std::string in;              // received, not yet consumed
  int served = 0;              // requests answered on this connection
  bool receiving = false;      // part of a request has arrived
  bool continue_sent = false;  // "100 Continue" for the request being received
  bool closing = false;        // answered with "Connection: close"; draining until EOF
  Clock::time_point deadline;
  // Set by the worker that answered; acted on by the connection thread.
  enum class After { kKeepAlive, kClose, kAbort } after = After::kKeepAlive;
};

struct Job {
  std::unique_ptr<Connection> connection;
  Request request;
  bool keep_alive = true;
};

std::string PeerAddress(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      in_addr v4{};
      std::memcpy(&v4, v6->sin6_addr.s6_addr + 12, sizeof v4);
      inet_ntop(AF_INET, &v4, text, sizeof text);
    } else {
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    }
  }
  return text;
}

// A header value must not break out of its line (header injection).
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
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

// The response as bytes. HEAD (and 1xx, 204, 304) carry no body.
std::string Serialise(const Response& res, bool head, bool keep_alive,
                      const std::vector<std::pair<std::string, std::string>>& defaults) {
  std::string out =
      "HTTP/1.1 " + std::to_string(res.status) + " " + ReasonPhrase(res.status) + "\r\n";
  auto has = [&](std::string_view name) {
    for (const auto& [key, value] : res.headers) {
      if (SameName(key, name)) return true;
    }
    return false;
  };
  for (const auto& [name, value] : defaults) {
    if (!has(name)) out += name + ": " + OneLine(value) + "\r\n";
  }
  for (const auto& [name, value] : res.headers) {
    if (SameName(name, "content-length") || SameName(name, "connection")) continue;
    out += OneLine(name) + ": " + OneLine(value) + "\r\n";
  }
  const bool no_body = res.status < 200 || res.status == 204 || res.status == 304;
  if (!no_body) {
    if (!has("content-type")) out += "Content-Type: " + OneLine(res.content_type) + "\r\n";
    out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += "\r\n";
  if (!head && !no_body) out += res.body;
  return out;
}

Response ErrorResponse(int status, const std::string& message) {
  Response res;
  res.status = status;
  res.content_type = "application/json";
  const char* code = status == 413   ? "too_large"
                     : status == 408 ? "timeout"
                     : status == 415 ? "unsupported_encoding"
                     : status == 503 ? "busy"
                                     : "bad_request";
  // `message` is the parser's own text: printable ASCII without quotes or backslashes.
  res.body = std::string(R"({"error":{"code":")") + code + R"(","message":")" + message + "\"}}";
  return res;
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

class PosixServer final : public Server {
 public:
  PosixServer(const ServerOptions& options, Handler handler)
      : options_(options), handler_(std::move(handler)) {
    limits_.max_body_bytes = options_.max_body_bytes;
    if (pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
    // Every connection is a file descriptor; stay well inside the process's limit.
    rlimit files{};
    long long most = options_.max_connections;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
      most = std::min(most, static_cast<long long>(files.rlim_cur) - 64);
    }
    max_connections_ = static_cast<int>(std::max(16LL, most));
  }

  ~PosixServer() override {
    Stop();
    if (listen_fd_ >= 0) close(listen_fd_);
    for (int fd : wake_) {
      if (fd >= 0) close(fd);
    }
  }

  Result<void> Bind() override {
    if (wake_[0] < 0) return MakeError(ErrorCode::kIoError, "the server could not start (pipe)");
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(options_.port);
    if (getaddrinfo(options_.host.empty() ? nullptr : options_.host.c_str(), port.c_str(), &hints,
                    &found) != 0) {
      return BindError();
    }
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      const int yes = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 512) == 0) {
        listen_fd_ = fd;
        break;
      }
      close(fd);
    }
    freeaddrinfo(found);
    if (listen_fd_ < 0) return BindError();
    SetNonBlocking(listen_fd_);
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return {};
  }

  int port() const override { return port_; }

  Result<void> Run() override {
    if (listen_fd_ < 0) return MakeError(ErrorCode::kIoError, "the server is not bound");
    const int threads = std::max(1, options_.threads);
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
    Loop();
    {
      std::lock_guard lock(mu_);
      workers_stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : workers_) t.join();
    workers_.clear();
    for (auto& c : idle_) close(c->fd);
    idle_.clear();
    {
      std::lock_guard lock(mu_);
      for (auto& c : returned_) close(c->fd);
      returned_.clear();
    }
    close(listen_fd_);
    listen_fd_ = -1;
    return {};
  }

  void Stop() override {
    stopping_ = true;
    Wake();
  }

 private:
  Result<void> BindError() const {
    return MakeError(ErrorCode::kIoError, "could not listen on " + options_.host + ":" +
                                              std::to_string(options_.port) +
                                              " (is another program using that port? Try --port)");
  }

  void Wake() {
    if (wake_[1] >= 0) {
      const char byte = 1;
      [[maybe_unused]] const ssize_t ignored = write(wake_[1], &byte, 1);
    }
  }

  // ---- the connection thread ----

  void Loop() {
    std::vector<pollfd> fds;
    bool stopped = false;
    for (;;) {
      TakeReturned();
      if (stopping_ && !stopped) {
        // Stop accepting; idle connections go now, busy ones after their response.
        stopped = true;
        for (auto& c : idle_) close(c->fd);
        idle_.clear();
      }
      if (stopped && busy_ == 0) {
        std::lock_guard lock(mu_);
        if (returned_.empty()) return;
        continue;
      }
      fds.clear();
      fds.push_back({wake_[0], POLLIN, 0});
      const bool accepting = !stopped && static_cast<int>(idle_.size()) + busy_ < max_connections_;
      fds.push_back({accepting ? listen_fd_ : -1, POLLIN, 0});
      Clock::time_point next = Clock::now() + seconds(60);
      for (const auto& c : idle_) {
        fds.push_back({c->fd, POLLIN, 0});
        next = std::min(next, c->deadline);
      }
      const auto wait = std::chrono::duration_cast<milliseconds>(next - Clock::now()).count();
      const int ready =
          poll(fds.data(), fds.size(),
               static_cast<int>(std::max<long long>(0, std::min<long long>(wait + 1, 60000))));
      if (ready < 0 && errno != EINTR) return;
      if (fds[0].revents != 0) {
        char drain[256];
        while (read(wake_[0], drain, sizeof drain) > 0) {
        }
      }
      if (fds[1].revents != 0) Accept();
      // Connections with input, then deadlines. Iterate over a snapshot: Read may move or drop
      // the connection.
      const Clock::time_point now = Clock::now();
      std::size_t i = 2;
      for (auto it = idle_.begin(); it != idle_.end() && i < fds.size(); ++i) {
        Connection& c = **it;
        bool keep = true;
        if (fds[i].revents != 0) {
          keep = Read(it);
        } else if (now >= c.deadline) {
          keep = Expire(c);
        }
        if (keep == false) {
          // Read() has already moved the connection out, or it is to be closed.
          if (*it != nullptr) {
            close((*it)->fd);
            ReleaseBuffered((*it)->in.size());
          }
          it = idle_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }

  void Accept() {
    for (;;) {
      if (static_cast<int>(idle_.size()) + busy_ >= max_connections_) return;
      sockaddr_storage address{};
      socklen_t length = sizeof address;
      const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or a connection that went away
      const int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      auto c = std::make_unique<Connection>();
      c->fd = fd;
      c->peer = PeerAddress(address);
      c->deadline = Clock::now() + seconds(options_.keep_alive_timeout_seconds);
      idle_.push_back(std::move(c));
    }
  }

  // Reads what has arrived; false when the connection is to be closed, or (with *it reset) when
  // a complete request went to a worker.
  bool Read(std::list<std::unique_ptr<Connection>>::iterator it) {
    Connection& c = **it;
    char chunk[64 * 1024];
    for (;;) {
      const ssize_t got = recv(c.fd, chunk, sizeof chunk, 0);
      if (got == 0) return false;  // the client closed
      if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        return false;
      }
      if (c.closing) continue;  // draining after "Connection: close"
      if (!c.receiving) {
        c.receiving = true;
        c.deadline = Clock::now() + seconds(options_.request_timeout_seconds);
      }
      if (buffered_ + static_cast<std::size_t>(got) > options_.max_buffered_bytes) {
        SendAndClose(c, ErrorResponse(503, "The server is busy. Please try again in a moment."));
        return true;
      }
      c.in.append(chunk, static_cast<std::size_t>(got));
      buffered_ += static_cast<std::size_t>(got);
      // Enough to know the request is complete or wrong: stop reading, parse.
      if (c.in.size() > limits_.max_head_bytes + limits_.max_body_bytes + 8) break;
    }
    if (c.closing) return true;
    return Parse(it);
  }

  // Parses the buffer of the connection at `it`: a complete request goes to a worker.
  bool Parse(std::list<std::unique_ptr<Connection>>::iterator it) {
    Connection& c = **it;
    if (c.in.empty()) return true;
    c.receiving = true;
    ParseResult parsed = ParseRequest(c.in, limits_);
    switch (parsed.state) {
      case ParseResult::State::kIncomplete:
        if (parsed.head_complete && parsed.expect_continue && !c.continue_sent) {
          static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
          [[maybe_unused]] const ssize_t ignored =
              send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL);
          c.continue_sent = true;
        }
        return true;
      case ParseResult::State::kError:
        SendAndClose(c, ErrorResponse(parsed.status, parsed.message));
        return true;
      case ParseResult::State::kComplete:
        break;
    }
    ReleaseBuffered(parsed.consumed);
    c.in.erase(0, parsed.consumed);
    // A large body's buffer is not kept for the rest of a keep-alive connection.
    if (c.in.capacity() > 64 * 1024 && c.in.size() < 16 * 1024) c.in.shrink_to_fit();
    c.receiving = false;
    c.continue_sent = false;
    ++c.served;
    Job job;
    job.request = std::move(parsed.request);
    job.request.remote_addr = c.peer;
    job.keep_alive = parsed.keep_alive && c.served < options_.keep_alive_max_count && !stopping_;
    // What is left in the buffer (a pipelined request) stays counted until it is parsed.
    job.connection = std::move(*it);
    {
      std::lock_guard lock(mu_);
      jobs_.push_back(std::move(job));
      ++busy_;
    }
    work_cv_.notify_one();
    return false;
  }

  // A deadline passed: a request that is not whole gets 408; an idle connection just goes.
  bool Expire(Connection& c) {
    if (c.closing || !c.receiving) return false;
    SendAndClose(c, ErrorResponse(408, "The request did not arrive in time."));
    return true;
  }

  // Sends a (small) error response without blocking, then drains the connection for a moment
  // before closing it, so that the client reads the response rather than a reset.
  void SendAndClose(Connection& c, const Response& res) {
    const std::string bytes = Serialise(res, false, false, options_.default_headers);
    [[maybe_unused]] const ssize_t ignored = send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    StartClosing(c);
  }

  void StartClosing(Connection& c) {
    shutdown(c.fd, SHUT_WR);
    ReleaseBuffered(c.in.size());
    c.in.clear();
    c.in.shrink_to_fit();
    c.closing = true;
    c.receiving = false;
    c.deadline = Clock::now() + seconds(2);
  }

  void ReleaseBuffered(std::size_t bytes) { buffered_ -= std::min(bytes, buffered_); }

  // Connections handed back by workers: idle again, closing, or with a pipelined request.
  void TakeReturned() {
    std::list<std::unique_ptr<Connection>> back;
    {
      std::lock_guard lock(mu_);
      back.swap(returned_);
    }
    while (!back.empty()) {
      idle_.push_back(std::move(back.front()));
      back.pop_front();
      --busy_;
      auto it = std::prev(idle_.end());
      Connection& c = **it;
      if (c.after == Connection::After::kAbort || (stopping_ && !c.closing)) {
        close(c.fd);
        ReleaseBuffered(c.in.size());
        idle_.erase(it);
        continue;
      }
      if (c.after == Connection::After::kClose) {
        StartClosing(c);
        continue;
      }
      c.deadline = Clock::now() + seconds(options_.keep_alive_timeout_seconds);
      if (!c.in.empty()) {
        c.deadline = Clock::now() + seconds(options_.request_timeout_seconds);
        if (!Parse(it)) {
          if (*it != nullptr) {
            close((*it)->fd);
            ReleaseBuffered((*it)->in.size());
          }
          idle_.erase(it);
        }
      }
    }
  }

  // ---- worker threads ----

  void Work() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return workers_stop_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      Response res;
      try {
        handler_(job.request, res);
      } catch (const std::exception&) {
        res = ErrorResponse(500, "Something went wrong on our side. Please try again.");
      }
      bool keep_alive = job.keep_alive;
      for (const auto& [name, value] : res.headers) {
        if (SameName(name, "connection") && value == "close") keep_alive = false;
      }
      Connection& c = *job.connection;
      const bool written = Write(
          c.fd, Serialise(res, job.request.method == "HEAD", keep_alive, options_.default_headers));
      c.after = !written     ? Connection::After::kAbort
                : keep_alive ? Connection::After::kKeepAlive
                             : Connection::After::kClose;
      {
        std::lock_guard lock(mu_);
        returned_.push_back(std::move(job.connection));
      }
      Wake();
    }
  }

  // Writes all of `bytes`, waiting for the socket at most write_timeout_seconds at a time and
  // 12 times that in all.
  bool Write(int fd, const std::string& bytes) const {
    const Clock::time_point give_up = Clock::now() + seconds(12 * options_.write_timeout_seconds);
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
      const auto left = std::chrono::duration_cast<milliseconds>(give_up - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd, POLLOUT, 0};
      const int wait = static_cast<int>(
          std::min<long long>(left, static_cast<long long>(options_.write_timeout_seconds) * 1000));
      if (poll(&p, 1, wait) <= 0) return false;
    }
    return true;
  }

  ServerOptions options_;
  Handler handler_;
  ParseLimits limits_;
  int max_connections_ = 1024;
  int listen_fd_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};

  // Owned by the connection thread.
  std::list<std::unique_ptr<Connection>> idle_;
  int busy_ = 0;  // connections with a worker (counted here; returned ones are subtracted here)
  std::size_t buffered_ = 0;

  // Shared with the workers, under mu_.
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<Job> jobs_;
  std::list<std::unique_ptr<Connection>> returned_;
  bool workers_stop_ = false;
  std::vector<std::thread> workers_;
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
  return std::make_unique<PosixServer>(options, std::move(handler));
}

}  // namespace hipcoach::http
