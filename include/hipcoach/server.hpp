// `hipcoach serve`: the web app. An HTTP server (include/hipcoach/http.hpp) with the JSON API
// (docs/api.md) over the knowledge base and the Store, and the web UI (web/) compiled into the
// binary. Personal mode (default): one local person, no account. Multi-user mode: accounts,
// session cookies, CSRF tokens, per-person isolation and clinician links.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "hipcoach/http.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::server {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::string db_path;
  bool multi_user = false;
  // Personal mode on an address other devices can reach (--host 0.0.0.0): allowed only with this,
  // and then every other device needs the one-time access link printed at start (docs/web.md).
  bool lan_access = false;
  bool secure_cookies = false;  // set when a TLS proxy (nginx) is in front
  // Reverse proxies (nginx) that forward the requests, by address. Requests from them carry the
  // client's address in X-Real-IP (used for sign-in throttling); and the Host header is the
  // public name the proxy has checked, so the loopback-name check is left to the proxy.
  std::vector<std::string> trusted_proxies;
  // The database: a SQLite file path (empty: DefaultDatabasePath()) or a postgresql:// URL.
  std::string assets_dir;  // serve web/ from this directory instead of the built-in copy
  // HTTP limits (engineering.md: each keep-alive connection holds a worker thread).
  int threads = 128;
  int keep_alive_max_count = 100;
  int keep_alive_timeout_seconds = 5;
  // A request must arrive whole within this long of its first byte (slow clients get 408).
  int request_timeout_seconds = 10;
  int write_timeout_seconds = 5;
  int max_concurrent_hashes = 2;     // Argon2id costs 64 MiB per hash
  int db_pool_size = 16;             // PostgreSQL connections per pool, at most
  tracking::Clock* clock = nullptr;  // default: the system clock (HIPCOACH_NOW fixes it)
  // Argon2id at its smallest cost instead of the interactive limits: for the HTTP fuzzer only,
  // which must try thousands of sign-ins a second. Never for a server people use.
  bool fast_password_hashing_for_fuzzing = false;
};

// A server running on its own threads.
class Instance {
 public:
  virtual ~Instance() = default;
  virtual int port() const = 0;
  virtual std::string url() const = 0;
  // --lan-access: the path of the one-time access link ("/access/..."); "" otherwise.
  virtual std::string access_path() const = 0;
  // Stops accepting, finishes the requests in progress and returns; idempotent.
  virtual void Stop() = 0;
  // Blocks until the server has stopped.
  virtual void Wait() = 0;
};

// Opens the database, binds the port and starts serving. `kb` must outlive the instance.
// kInvalidInput for options that do not go together, such as personal mode on an address other
// devices can reach without --lan-access.
Result<std::unique_ptr<Instance>> Start(const KnowledgeBase& kb, const Options& options);

// The web app without the network: what Start() serves, request by request, on the calling
// thread (for tests and the HTTP fuzzer). Thread-safe as Start()'s handler is.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void Handle(const http::Request& req, http::Response& res) = 0;
  // As Instance::access_path().
  virtual std::string AccessPath() const = 0;
};
Result<std::unique_ptr<RequestHandler>> OpenHandler(const KnowledgeBase& kb,
                                                    const Options& options);

// Start(), print the URL, serve until SIGINT or SIGTERM, then stop cleanly. Returns the exit code.
int Serve(const KnowledgeBase& kb, const Options& options, std::ostream& out, std::ostream& err);

}  // namespace hipcoach::server
