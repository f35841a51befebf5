// Fuzzes the web server in-process: the bytes of a connection go through the HTTP parser
// (src/server/http_parser.hpp), as pipelined requests, and every complete request goes to the
// web app's handler (server::OpenHandler), in personal mode and in multi-user mode, each over an
// in-memory database. Whatever the bytes, the parser must answer or wait, the handler must give
// a response, and nothing may crash, hang or misbehave under ASan and UBSan.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hipcoach/app.hpp"
#include "hipcoach/server.hpp"
#include "http_parser.hpp"

namespace {

using hipcoach::server::RequestHandler;

const hipcoach::KnowledgeBase& Kb() {
  static const hipcoach::KnowledgeBase kb = [] {
    hipcoach::LoadOutcome outcome = hipcoach::app::LoadKnowledgeFrom("");
    if (!outcome.kb) std::abort();
    return std::move(*outcome.kb);
  }();
  return kb;
}

hipcoach::http::Response Call(RequestHandler& app, const std::string& method,
                              const std::string& path, const std::string& body,
                              std::vector<std::pair<std::string, std::string>> headers) {
  hipcoach::http::Request req;
  req.method = method;
  req.path = path;
  req.body = body;
  req.remote_addr = "127.0.0.1";
  req.headers = std::move(headers);
  req.headers.emplace_back("host", "127.0.0.1:8080");
  hipcoach::http::Response res;
  app.Handle(req, res);
  return res;
}

std::string CsrfOf(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  return json.is_object() && json.contains("csrf") && json["csrf"].is_string()
             ? json["csrf"].get<std::string>()
             : std::string();
}

struct Apps {
  hipcoach::tracking::FakeClock clock{1767600000};  // 2026-01-05T08:00:00Z
  std::unique_ptr<RequestHandler> personal;
  std::unique_ptr<RequestHandler> multi_user;
  // An input may say "X-CSRF-Token: fuzz" and "Cookie: hc_session=fuzz": the harness puts in
  // the real ones, so that the fuzzer reaches the handlers behind the CSRF check and the sign-in.
  std::string personal_csrf;
  std::string session;
  std::string multi_csrf;
  int used = 0;

  // Fresh databases every so many inputs, so that a long run does not grow without bound.
  void Renew() {
    personal = Open(false);
    multi_user = Open(true);
    personal_csrf = CsrfOf(Call(*personal, "GET", "/api/v1/status", "", {}).body);
    const auto registered = Call(*multi_user, "POST", "/api/v1/account/register",
                                 R"({"username": "fuzzer", "password": "correct horse battery"})",
                                 {{"content-type", "application/json"}});
    multi_csrf = CsrfOf(registered.body);
    for (const auto& [name, value] : registered.headers) {
      if (name == "Set-Cookie" && value.rfind("hc_session=", 0) == 0) {
        session = value.substr(11, value.find(';') - 11);
      }
    }
    if (personal_csrf.empty() || multi_csrf.empty() || session.empty()) std::abort();
    used = 0;
  }
  std::unique_ptr<RequestHandler> Open(bool multi) {
    hipcoach::server::Options options;
    options.db_path = ":memory:";
    options.multi_user = multi;
    options.clock = &clock;
    options.fast_password_hashing_for_fuzzing = true;
    auto handler = hipcoach::server::OpenHandler(Kb(), options);
    if (!handler) std::abort();
    return std::move(*handler);
  }
};

Apps& TheApps() {
  static Apps apps = [] {
    Apps a;
    a.Renew();
    return a;
  }();
  return apps;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Apps& apps = TheApps();
  if (++apps.used > 20000) apps.Renew();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  hipcoach::http::ParseLimits limits;
  limits.max_body_bytes = 64 * 1024;
  // The first byte picks the mode; the rest is what a client sent on one connection.
  const bool multi = !bytes.empty() && (bytes.front() & 1) != 0;
  if (!bytes.empty()) bytes.remove_prefix(1);
  for (int requests = 0; requests < 8 && !bytes.empty(); ++requests) {
    hipcoach::http::ParseResult parsed = hipcoach::http::ParseRequest(bytes, limits);
    if (parsed.state != hipcoach::http::ParseResult::State::kComplete) break;
    if (parsed.consumed == 0 || parsed.consumed > bytes.size()) std::abort();
    parsed.request.remote_addr = "127.0.0.1";
    for (auto& [name, value] : parsed.request.headers) {
      if (name == "x-csrf-token" && value == "fuzz")
        value = multi ? apps.multi_csrf : apps.personal_csrf;
      if (name == "cookie" && value == "hc_session=fuzz") value = "hc_session=" + apps.session;
    }
    hipcoach::http::Response response;
    (multi ? apps.multi_user : apps.personal)->Handle(parsed.request, response);
    if (response.status < 100 || response.status > 599) std::abort();
    bytes.remove_prefix(parsed.consumed);
  }
  return 0;
}
