// Routing, authentication, static files, and starting and stopping the server.
#include "app.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sodium.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "hipcoach/app.hpp"
#include "hipcoach/json_reader.hpp"
#include "store/scoped_store.hpp"
#include "web_assets.hpp"

namespace hipcoach::server {

// ---------------------------------------------------------------------------------------------
// Helpers

ApiError ErrorFrom(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidInput:
      return {400, "invalid_input", error.message};
    case ErrorCode::kNotFound:
      return {404, "not_found", error.message};
    case ErrorCode::kDataError:
    case ErrorCode::kIoError:
      break;
  }
  return {500, "storage",
          "Your data could not be read or saved just now. Nothing was lost; please try again."};
}

void Throw(int status, std::string code, std::string message) {
  throw ApiError{status, std::move(code), std::move(message)};
}

json BodyObject(const http::Request& req) {
  if (req.body.empty()) Throw(400, "invalid_json", "The request needs a JSON body.");
  auto body = ReadUntrustedJson(req.body, json_limits::HttpBody());
  if (!body) {
    Throw(400, "invalid_json",
          "The request body is not usable JSON (" + body.error().Describe() + ").");
  }
  if (!body->is_object()) Throw(400, "invalid_json", "The request body must be a JSON object.");
  return std::move(*body);
}

json StoredJson(const std::string& text) {
  auto value = ReadUntrustedJson(text, json_limits::Stored());
  return value ? std::move(*value) : json(nullptr);
}

void OnlyKeys(const json& body, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) Throw(400, "unknown_field", fmt::format("'{}' is not a field this takes.", key));
  }
}

std::optional<double> OptNumber(const json& body, const char* key, double low, double high) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) Throw(400, "invalid_field", fmt::format("'{}' must be a number.", key));
  const double value = it->get<double>();
  if (!(value >= low && value <= high)) {
    Throw(400, "invalid_field", fmt::format("'{}' must be between {} and {}.", key, low, high));
  }
  return value;
}

std::optional<int> OptInt(const json& body, const char* key, int low, int high) {
  auto value = OptNumber(body, key, low, high);
  if (!value) return std::nullopt;
  if (*value != static_cast<double>(static_cast<int>(*value))) {
    Throw(400, "invalid_field", fmt::format("'{}' must be a whole number.", key));
  }
  return static_cast<int>(*value);
}

int ReqInt(const json& body, const char* key, int low, int high) {
  auto value = OptInt(body, key, low, high);
  if (!value) Throw(400, "missing_field", fmt::format("'{}' is needed.", key));
  return *value;
}

std::optional<bool> OptBool(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean())
    Throw(400, "invalid_field", fmt::format("'{}' must be true or false.", key));
  return it->get<bool>();
}

std::optional<std::string> OptString(const json& body, const char* key, std::size_t max_length) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) Throw(400, "invalid_field", fmt::format("'{}' must be text.", key));
  std::string value = it->get<std::string>();
  if (value.size() > max_length) {
    Throw(400, "invalid_field",
          fmt::format("'{}' is too long (at most {} characters).", key, max_length));
  }
  return value;
}

std::string ReqString(const json& body, const char* key, std::size_t max_length) {
  auto value = OptString(body, key, max_length);
  if (!value || value->empty()) Throw(400, "missing_field", fmt::format("'{}' is needed.", key));
  return *value;
}

RowId ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18) Throw(404, "not_found", "That record does not exist.");
  RowId id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') Throw(404, "not_found", "That record does not exist.");
    id = id * 10 + (c - '0');
  }
  return id;
}

std::string PlainAnswerError(const std::string& message) {
  const std::string prefix = "request: ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

void SendJson(http::Response& res, const json& body, int status) {
  res.status = status;
  res.content_type = "application/json";
  // Text that is not UTF-8 (it cannot come from the reader, but a stored value might hold it) is
  // replaced rather than thrown over.
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::string hex(crypto_hash_sha256_BYTES * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const std::size_t end = std::min(header.find(';', pos), header.size());
    const std::string pair = header.substr(pos, end - pos);
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    pos = end + 1;
  }
  return {};
}

namespace {

constexpr const char* kCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src "
    "'self'; connect-src 'self'; media-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

// An error replaces whatever the handler had set (a download's Content-Disposition, say), but
// keeps the headers every response carries.
void SendError(http::Response& res, const ApiError& e) {
  res.headers = SecurityHeaders();
  res.SetHeader("Cache-Control", "no-store");
  if (e.retry_after > 0) res.SetHeader("Retry-After", std::to_string(e.retry_after));
  SendJson(res, {{"error", {{"code", e.code}, {"message", e.message}}}}, e.status);
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::string ContentType(const std::string& path) {
  auto ends = [&](const char* ext) {
    const std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".json") || ends(".webmanifest")) return "application/json";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

bool IsLoopbackPeer(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1";
}

// Accept-Encoding (RFC 9110 12.5.3) names gzip, or "*", without q=0.
bool AcceptsGzip(const std::string& header) {
  bool star = false;
  bool gzip = false;
  bool gzip_named = false;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    const std::size_t comma = std::min(header.find(',', pos), header.size());
    std::string item = header.substr(pos, comma - pos);
    pos = comma + 1;
    std::string coding = item.substr(0, item.find(';'));
    coding.erase(0, coding.find_first_not_of(" \t"));
    coding.erase(coding.find_last_not_of(" \t") + 1);
    std::transform(coding.begin(), coding.end(), coding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool zero = false;
    if (const std::size_t q = item.find(";"); q != std::string::npos) {
      std::string params = item.substr(q + 1);
      params.erase(std::remove(params.begin(), params.end(), ' '), params.end());
      zero = params == "q=0" || params == "q=0." || params == "q=0.0" || params == "q=0.00" ||
             params == "q=0.000";
    }
    if (coding == "gzip" || coding == "x-gzip") {
      gzip_named = true;
      gzip = !zero;
    } else if (coding == "*") {
      star = !zero;
    }
    if (comma == header.size()) break;
  }
  return gzip || (!gzip_named && star);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {{"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"Content-Security-Policy", kCsp},
          {"X-Frame-Options", "DENY"}};
}

// ---------------------------------------------------------------------------------------------
// App

App::App(const KnowledgeBase& kb, const Options& options, Store& store, bool store_is_concurrent,
         std::unique_ptr<Accounts> accounts, tracking::Clock& clock, bool loopback_only)
    : kb_(kb),
      options_(options),
      store_(store),
      store_is_concurrent_(store_is_concurrent),
      accounts_(std::move(accounts)),
      clock_(clock),
      local_csrf_(RandomHex(24)),
      loopback_only_(loopback_only),
      lan_access_(options.lan_access && !options.multi_user && !loopback_only),
      access_token_(RandomHex(24)) {
  if (!options_.multi_user) {
    auto profile = store_.LocalProfile();
    if (profile) local_profile_ = *profile;
  }
  AddRoutes();
}

void App::Add(std::string method, const std::string& pattern, Access access, Fn fn) {
  routes_.push_back({std::move(method), Split(pattern), access, std::move(fn)});
}

#define HC_ROUTE(name)                                                               \
  [](App& app, const http::Request& req, const Caller& caller, const Params& params, \
     http::Response& res) { app.name(req, caller, params, res); }

void App::AddRoutes() {
  Add("GET", "/api/v1/status", Access::kPublic, HC_ROUTE(Status));
  Add("GET", "/api/v1/questions", Access::kPublic, HC_ROUTE(Questions));
  Add("POST", "/api/v1/interview", Access::kPublic, HC_ROUTE(Interview));
  Add("GET", "/api/v1/explain/:", Access::kPublic, HC_ROUTE(Explain));
  Add("GET", "/api/v1/education", Access::kPublic, HC_ROUTE(Education));
  Add("GET", "/api/v1/model", Access::kPublic, HC_ROUTE(ModelInfo));
  Add("GET", "/api/v1/model/summary", Access::kPublic, HC_ROUTE(ModelSummary));

  Add("POST", "/api/v1/assessments", Access::kPerson, HC_ROUTE(SaveAssessment));
  Add("GET", "/api/v1/assessments", Access::kPerson, HC_ROUTE(ListAssessments));
  Add("GET", "/api/v1/assessments/:", Access::kPerson, HC_ROUTE(GetAssessment));
  Add("GET", "/api/v1/programme", Access::kPerson, HC_ROUTE(GetProgramme));
  Add("POST", "/api/v1/sessions", Access::kPerson, HC_ROUTE(StartSession));
  Add("PUT", "/api/v1/sessions/:", Access::kPerson, HC_ROUTE(UpdateSession));
  Add("POST", "/api/v1/logs", Access::kPerson, HC_ROUTE(AddLog));
  Add("GET", "/api/v1/logs", Access::kPerson, HC_ROUTE(ListLogs));
  Add("GET", "/api/v1/checkins/danger-questions", Access::kPerson, HC_ROUTE(DangerQuestions));
  Add("POST", "/api/v1/checkins", Access::kPerson, HC_ROUTE(AddCheckIn));
  Add("GET", "/api/v1/checkins", Access::kPerson, HC_ROUTE(ListCheckIns));
  Add("GET", "/api/v1/progress", Access::kPerson, HC_ROUTE(Progress));
  Add("GET", "/api/v1/report", Access::kPerson, HC_ROUTE(Report));
  Add("GET", "/api/v1/export", Access::kPerson, HC_ROUTE(Export));
  Add("GET", "/api/v1/export/:", Access::kPerson, HC_ROUTE(ExportCsv));
  Add("POST", "/api/v1/import", Access::kPerson, HC_ROUTE(Import));
  Add("GET", "/api/v1/calendar.ics", Access::kPerson, HC_ROUTE(Calendar));
  Add("GET", "/api/v1/changes", Access::kPerson, HC_ROUTE(Changes));
  Add("GET", "/api/v1/fhir/Bundle", Access::kPerson, HC_ROUTE(FhirBundle));
  Add("GET", "/api/v1/fhir/Questionnaire", Access::kPublic, HC_ROUTE(FhirQuestionnaire));
  Add("POST", "/api/v1/fhir/QuestionnaireResponse", Access::kPerson,
      HC_ROUTE(FhirQuestionnaireResponse));

  Add("POST", "/api/v1/account/register", Access::kPublic, HC_ROUTE(Register));
  Add("POST", "/api/v1/account/login", Access::kPublic, HC_ROUTE(Login));
  Add("POST", "/api/v1/account/logout", Access::kSignedIn, HC_ROUTE(Logout));
  Add("GET", "/api/v1/account", Access::kSignedIn, HC_ROUTE(GetAccount));
  Add("DELETE", "/api/v1/account", Access::kSignedIn, HC_ROUTE(DeleteAccount));
  Add("POST", "/api/v1/share-codes", Access::kPerson, HC_ROUTE(NewShareCode));
  Add("GET", "/api/v1/links", Access::kSignedIn, HC_ROUTE(ListLinks));
  Add("POST", "/api/v1/links", Access::kClinician, HC_ROUTE(RedeemCode));
  Add("DELETE", "/api/v1/links/:", Access::kPerson, HC_ROUTE(RevokeLink));
  Add("GET", "/api/v1/links/:/:", Access::kClinician, HC_ROUTE(LinkView));
  Add("POST", "/api/v1/links/:/programme", Access::kClinician, HC_ROUTE(LinkAdjust));
}

#undef HC_ROUTE

bool App::HostAllowed(const http::Request& req) const {
  // Against DNS rebinding: a server on this computer only (personal mode, or a loopback server
  // without a proxy that checks names) answers to the exact loopback names and its port.
  if (!options_.trusted_proxies.empty()) return true;
  if (!loopback_only_ && !lan_access_) return true;
  std::string host = req.Header("host");
  if (host.empty()) return true;  // an HTTP/1.0 client (browsers always send Host)
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return allowed_hosts_.count(host) == 1;
}

std::string App::ClientAddress(const http::Request& req) const {
  const auto& proxies = options_.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), req.remote_addr) != proxies.end()) {
    const std::string forwarded = req.Header("x-real-ip");
    if (!forwarded.empty()) return forwarded;
  }
  return req.remote_addr;
}

std::optional<Caller> App::Authenticate(const http::Request& req) {
  Caller caller;
  if (!options_.multi_user) {
    caller.profile = local_profile_;
    caller.csrf = local_csrf_;
    return caller;
  }
  const std::string token = CookieValue(req.Header("cookie"), "hc_session");
  if (token.size() != 64) return std::nullopt;
  auto session = accounts_->FindSession(Sha256Hex(token), clock_.Now());
  if (!session || !*session) return std::nullopt;
  auto account = accounts_->GetAccount((*session)->account_id);
  if (!account || !*account) return std::nullopt;
  caller.account = **account;
  caller.csrf = (*session)->csrf;
  caller.profile = Profile{(*account)->person_id, "", (*account)->created_at};
  return caller;
}

void App::Handle(const http::Request& req, http::Response& res) {
  res.headers = SecurityHeaders();
  try {
    if (lan_access_ && !IsLoopbackPeer(req.remote_addr)) {
      // Another device: the access link, or the cookie it gave.
      if (!LanAccess(req, res)) return;
    } else if (!HostAllowed(req)) {
      Throw(421, "wrong_host", "This server only answers on its own address.");
    }
    const bool is_api = req.path.rfind("/api/", 0) == 0;
    if (!is_api) {
      if (req.method != "GET" && req.method != "HEAD") {
        Throw(405, "method_not_allowed", "Only GET is allowed here.");
      }
      ServeStatic(req, res);
      return;
    }
    res.SetHeader("Cache-Control", "no-store");
    const std::vector<std::string> segments = Split(req.path);
    const Route* found = nullptr;
    bool path_matched = false;
    Params params;
    for (const Route& route : routes_) {
      if (route.segments.size() != segments.size()) continue;
      bool match = true;
      Params p;
      for (std::size_t i = 0; i < segments.size() && match; ++i) {
        if (route.segments[i] == ":") {
          p.push_back(segments[i]);
        } else {
          match = route.segments[i] == segments[i];
        }
      }
      if (!match) continue;
      path_matched = true;
      const bool head_as_get = req.method == "HEAD" && route.method == "GET";
      if (route.method == req.method || head_as_get) {
        found = &route;
        params = std::move(p);
        break;
      }
    }
    if (found == nullptr) {
      if (path_matched) Throw(405, "method_not_allowed", "That method is not allowed here.");
      Throw(404, "not_found", "There is no such API address. See docs/api.md.");
    }
    const bool writes = req.method != "GET" && req.method != "HEAD";
    if (writes) {
      // Cross-site requests are refused: the Origin, when sent, must be this server.
      const std::string origin = req.Header("origin");
      if (!origin.empty() && origin != "null") {
        const std::size_t scheme = origin.find("://");
        const std::string origin_host =
            scheme == std::string::npos ? origin : origin.substr(scheme + 3);
        if (origin_host != req.Header("host")) {
          Throw(403, "cross_site", "Requests from other sites are not accepted.");
        }
      }
      const std::string content_type = req.Header("content-type");
      if (!req.body.empty() && content_type.rfind("application/json", 0) != 0 &&
          content_type.rfind("application/fhir+json", 0) != 0) {
        Throw(415, "unsupported_media_type", "Send JSON with Content-Type: application/json.");
      }
    }
    std::optional<Caller> caller;
    if (found->access == Access::kPublic) {
      caller = Authenticate(req);
      if (!caller) caller = Caller{};
    } else {
      caller = Authenticate(req);
      if (!caller) Throw(401, "signed_out", "Please sign in first.");
      if (options_.multi_user) {
        const std::string& role = caller->account->role;
        if (found->access == Access::kPerson && role != "person") {
          Throw(403, "forbidden", "This is for the person's own account, not a clinician's.");
        }
        if (found->access == Access::kClinician && role != "clinician") {
          Throw(403, "forbidden", "This is for clinician accounts.");
        }
      } else if (found->access == Access::kClinician) {
        Throw(404, "not_found", "Clinician access exists only with --multi-user.");
      }
      if (writes && req.Header("x-csrf-token") != caller->csrf) {
        Throw(403, "csrf", "The page is out of date. Reload it and try again.");
      }
    }
    found->fn(*this, req, *caller, params, res);
  } catch (const ApiError& e) {
    SendError(res, e);
  } catch (const json::exception&) {
    // Request bodies are read through BodyObject and the typed accessors, which throw ApiError;
    // a JSON error here comes from something stored, not from the request.
    SendError(res, {500, "internal",
                    "Something stored could not be read. Nothing was changed; please try again, "
                    "and tell whoever runs this server if it goes on."});
  } catch (const std::exception&) {
    SendError(res, {500, "internal",
                    "Something went wrong on our side. Nothing you did caused it; please try "
                    "again."});
  }
}

void App::ServeStatic(const http::Request& req, http::Response& res) {
  std::string path = req.path;
  if (path == "/" || path.empty()) path = "/index.html";
  if (path.find("..") != std::string::npos) Throw(404, "not_found", "There is no such page.");
  if (!options_.assets_dir.empty()) {
    // A regular file whose real path (symbolic links resolved) lies inside the folder: a link
    // out of it, or a folder, is not served.
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path root = fs::canonical(options_.assets_dir, ec);
    if (ec) Throw(404, "not_found", "There is no such page.");
    const fs::path file = fs::canonical(root / fs::path(path).relative_path(), ec);
    const auto inside = [&] {
      auto r = root.begin();
      auto f = file.begin();
      for (; r != root.end(); ++r, ++f) {
        if (f == file.end() || *f != *r) return false;
      }
      return true;
    };
    if (ec || !inside() || !fs::is_regular_file(file, ec)) {
      Throw(404, "not_found", "There is no such page.");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) Throw(404, "not_found", "There is no such page.");
    std::ostringstream text;
    text << in.rdbuf();
    res.status = 200;
    res.content_type = ContentType(path);
    res.body = text.str();
    res.SetHeader("Cache-Control", "no-cache");
    return;
  }
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path != path) continue;
    // gzip only for a client that says it accepts it; a plain curl gets the file as it is.
    const bool gzip = AcceptsGzip(req.Header("accept-encoding"));
    const std::string_view etag = gzip ? asset.gzip_etag : asset.etag;
    res.SetHeader("ETag", std::string(etag));
    res.SetHeader("Cache-Control", "no-cache");
    res.SetHeader("Vary", "Accept-Encoding");
    res.content_type = ContentType(path);
    if (req.Header("if-none-match") == etag) {
      res.status = 304;
      return;
    }
    res.status = 200;
    if (gzip) res.SetHeader("Content-Encoding", "gzip");
    res.body.assign(gzip ? asset.gzip : asset.plain);
    return;
  }
  Throw(404, "not_found", "There is no such page.");
}

std::unique_ptr<Store> App::ScopedFor(const Profile& profile) {
  return MakeScopedStore(store_, profile,
                         options_.multi_user ? IdPolicy::kRenumber : IdPolicy::kKeep);
}

std::unique_lock<std::mutex> App::LockStore() {
  if (store_is_concurrent_) return {};
  return std::unique_lock(store_mu_);
}

void App::WithStore(const Caller& caller, const std::function<void(Store&)>& body) {
  auto lock = LockStore();
  std::unique_ptr<Store> scoped = ScopedFor(caller.profile);
  body(*scoped);
}

// ---------------------------------------------------------------------------------------------
// Where the server listens, and who may reach it

namespace {

// Whether every address `host` stands for is a loopback address (127.0.0.0/8, ::1): "127.1" and
// "localhost" are, "0.0.0.0" and "" (every address) are not.
Result<bool> ListensOnLoopbackOnly(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), "0", &hints, &found) != 0) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("--host {}: not an address or a name of this computer", host));
  }
  bool loopback = found != nullptr;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      loopback = loopback && (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    } else if (a->ai_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      const bool mapped127 =
          IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr) && v6->sin6_addr.s6_addr[12] == 127;
      loopback = loopback && (IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) || mapped127);
    } else {
      loopback = false;
    }
  }
  freeaddrinfo(found);
  return loopback;
}

}  // namespace

void App::SetPort(int port) {
  // The Host values a browser sends for this server on this computer (RFC 9110 7.2), exactly:
  // a name or address of the loopback, and the port (left out only for port 80).
  allowed_hosts_.clear();
  std::vector<std::string> names = {"localhost", "127.0.0.1", "[::1]"};
  std::string own = options_.host;
  if (own.find(':') != std::string::npos && own.front() != '[') own = "[" + own + "]";
  if (!own.empty()) names.push_back(own);
  for (std::string name : names) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    allowed_hosts_.insert(name + ":" + std::to_string(port));
    if (port == 80) allowed_hosts_.insert(name);
  }
}

std::string App::AccessPath() const {
  return lan_access_ ? "/access/" + access_token_ : std::string();
}

// Personal mode with --lan-access, a request from another device: the access link's page and
// its claim, or the cookie the claim set. Returns true when the request may go on.
bool App::LanAccess(const http::Request& req, http::Response& res) {
  constexpr std::string_view kPrefix = "/access/";
  if (req.path.rfind(kPrefix, 0) == 0) {
    const std::string token = req.path.substr(kPrefix.size());
    const bool matches = token.size() == access_token_.size() &&
                         sodium_memcmp(token.data(), access_token_.data(), token.size()) == 0;
    std::lock_guard lock(access_mu_);
    if (!matches || access_used_) {
      res.status = 403;
      res.content_type = "text/html; charset=utf-8";
      res.body =
          "<!doctype html><meta charset='utf-8'><title>hipcoach</title><h1>This link does not "
          "work (any more)</h1><p>An access link works once. Restart <code>hipcoach serve "
          "--lan-access</code> on the computer that holds your data for a new one.</p>";
      return false;
    }
    if (req.method == "POST") {
      // The claim: one device gets a cookie, and the link is spent.
      access_used_ = true;
      const std::string cookie = RandomHex(32);
      access_cookies_.insert(Sha256Hex(cookie));
      res.status = 303;
      res.SetHeader("Location", "/");
      res.SetHeader("Set-Cookie", "hc_access=" + cookie + "; Path=/; HttpOnly; SameSite=Strict");
      res.content_type = "text/plain; charset=utf-8";
      res.body = "Opening hipcoach.";
      return false;
    }
    // GET shows a button, so that a link preview fetching the page does not spend the link.
    res.status = 200;
    res.content_type = "text/html; charset=utf-8";
    res.SetHeader("Cache-Control", "no-store");
    res.body =
        "<!doctype html><meta charset='utf-8'><meta name='viewport' "
        "content='width=device-width'><title>hipcoach</title><h1>Open hipcoach on this "
        "device</h1><p>This gives this device, and no other, access to the health data "
        "on the computer running hipcoach. The link then stops working.</p><form "
        "method='post'><button type='submit'>Open hipcoach here</button></form>";
    return false;
  }
  const std::string cookie = CookieValue(req.Header("cookie"), "hc_access");
  {
    std::lock_guard lock(access_mu_);
    if (cookie.size() == 64 && access_cookies_.count(Sha256Hex(cookie)) == 1) return true;
  }
  Throw(401, "access_needed",
        "This device has no access. Open the link that 'hipcoach serve --lan-access' printed, "
        "on this device.");
}

// ---------------------------------------------------------------------------------------------
// Starting and stopping

namespace {

// What serves the requests, without the network: the store, the clock and the app.
class OpenApp final : public RequestHandler {
 public:
  OpenApp(std::unique_ptr<Store> store, std::unique_ptr<tracking::Clock> own_clock,
          std::unique_ptr<App> app)
      : store_(std::move(store)), own_clock_(std::move(own_clock)), app_(std::move(app)) {}
  void Handle(const http::Request& req, http::Response& res) override { app_->Handle(req, res); }
  std::string AccessPath() const override { return app_->AccessPath(); }
  App& app() { return *app_; }

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<tracking::Clock> own_clock_;
  std::unique_ptr<App> app_;
};

Result<std::unique_ptr<OpenApp>> Open(const KnowledgeBase& kb, const Options& options) {
  if (sodium_init() < 0) {
    return MakeError(ErrorCode::kIoError, "the cryptography library could not start");
  }
  auto loopback = ListensOnLoopbackOnly(options.host);
  if (!loopback) return tl::unexpected(loopback.error());
  if (options.lan_access && options.multi_user) {
    return MakeError(ErrorCode::kInvalidInput,
                     "--lan-access is for personal mode; with --multi-user people sign in with "
                     "accounts instead");
  }
  if (!options.multi_user && !*loopback && !options.lan_access) {
    return MakeError(
        ErrorCode::kInvalidInput,
        fmt::format("personal mode shows and changes your health data without any sign-in, so it "
                    "listens on this computer only (127.0.0.1), not on {}. To use it from another "
                    "device on your network, add --lan-access (it prints a link that lets one "
                    "device in); for several people, use --multi-user",
                    options.host.empty() ? "every address" : options.host));
  }
  const std::string db = options.db_path.empty() ? DefaultDatabasePath() : options.db_path;
  // PostgreSQL: a pool for the Store and one for the account tables, each as large as the
  // worker threads can use at once (bounded; PostgreSQL's own limit is max_connections).
  const bool postgres = IsPostgresUrl(db);
  const int pool_size = std::clamp(options.threads / 4, 2, options.db_pool_size);
  auto store = postgres ? OpenPostgresStore(db, PostgresOptions{pool_size}) : OpenSqliteStore(db);
  if (!store) return tl::unexpected(store.error());
  std::unique_ptr<Accounts> accounts;
  if (options.multi_user) {
    auto opened = postgres ? OpenPostgresAccounts(db, pool_size) : OpenSqliteAccounts(db);
    if (!opened) return tl::unexpected(opened.error());
    accounts = std::move(*opened);
  } else if (auto profile = (*store)->LocalProfile(); !profile) {
    return tl::unexpected(profile.error());
  }
  std::unique_ptr<tracking::Clock> own_clock;
  tracking::Clock* clock = options.clock;
  if (clock == nullptr) {
    own_clock = std::make_unique<tracking::SystemClock>();
    clock = own_clock.get();
  }
  auto app = std::make_unique<App>(kb, options, **store, /*store_is_concurrent=*/postgres,
                                   std::move(accounts), *clock, *loopback);
  app->SetPort(options.port);
  return std::make_unique<OpenApp>(std::move(*store), std::move(own_clock), std::move(app));
}

class RunningInstance final : public Instance {
 public:
  RunningInstance(std::unique_ptr<OpenApp> app, std::unique_ptr<http::Server> server,
                  std::string host)
      : app_(std::move(app)), server_(std::move(server)), host_(std::move(host)) {
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  ~RunningInstance() override {
    Stop();
    Wait();
  }
  int port() const override { return server_->port(); }
  std::string url() const override {
    const bool v6 = host_.find(':') != std::string::npos;
    return fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", host_, v6 ? "]" : "", port());
  }
  std::string access_path() const override { return app_->app().AccessPath(); }
  void Stop() override { server_->Stop(); }
  void Wait() override {
    std::lock_guard lock(join_mu_);
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::unique_ptr<OpenApp> app_;
  std::unique_ptr<http::Server> server_;
  std::string host_;
  std::thread thread_;
  std::mutex join_mu_;
};

// The addresses of this computer's network interfaces (IPv4, not the loopback), for the
// access link of --lan-access on a wildcard address.
std::vector<std::string> InterfaceAddresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    if ((i->ifa_flags & IFF_UP) == 0 || (i->ifa_flags & IFF_LOOPBACK) != 0) continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr, text,
              sizeof text);
    out.emplace_back(text);
  }
  freeifaddrs(list);
  return out;
}

}  // namespace

Result<std::unique_ptr<RequestHandler>> OpenHandler(const KnowledgeBase& kb,
                                                    const Options& options) {
  auto app = Open(kb, options);
  if (!app) return tl::unexpected(app.error());
  return std::unique_ptr<RequestHandler>(std::move(*app));
}

Result<std::unique_ptr<Instance>> Start(const KnowledgeBase& kb, const Options& options) {
  auto app = Open(kb, options);
  if (!app) return tl::unexpected(app.error());
  http::ServerOptions http_options;
  http_options.host = options.host;
  http_options.port = options.port;
  http_options.threads = options.threads;
  http_options.keep_alive_max_count = options.keep_alive_max_count;
  http_options.keep_alive_timeout_seconds = options.keep_alive_timeout_seconds;
  http_options.request_timeout_seconds = options.request_timeout_seconds;
  http_options.write_timeout_seconds = options.write_timeout_seconds;
  http_options.max_body_bytes = 2u << 20;  // an export of years of data fits
  // The server's own errors (400, 408, 413, ...) carry the same security headers as the app's.
  http_options.default_headers = SecurityHeaders();
  App* handler = &(*app)->app();
  auto server = http::MakeServer(
      http_options,
      [handler](const http::Request& req, http::Response& res) { handler->Handle(req, res); });
  if (auto bound = server->Bind(); !bound) return tl::unexpected(bound.error());
  handler->SetPort(server->port());
  return std::unique_ptr<Instance>(
      std::make_unique<RunningInstance>(std::move(*app), std::move(server), options.host));
}

int Serve(const KnowledgeBase& kb, const Options& options, std::ostream& out, std::ostream& err) {
  // Signals go to a thread of our own (sigwait), never to a handler running on a worker.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto instance = Start(kb, options);
  if (!instance) {
    err << "hipcoach: " << instance.error().message << "\n";
    return instance.error().code == ErrorCode::kInvalidInput ? 2 : 1;
  }
  out << "hipcoach is running at " << (*instance)->url() << "\n";
  if (options.multi_user) {
    out << "Multi-user mode: people sign in with their own accounts.\n";
  } else if (options.lan_access) {
    std::vector<std::string> hosts;
    if (auto loopback = ListensOnLoopbackOnly(options.host); loopback && !*loopback) {
      const bool wildcard = options.host.empty() || options.host == "0.0.0.0" ||
                            options.host == "::" || options.host == "[::]";
      hosts = wildcard ? InterfaceAddresses() : std::vector<std::string>{options.host};
    }
    out << "Personal mode with access from your network: no sign-in, so only a device that has\n"
           "opened this link may see or change your data. It works once, for one device; keep\n"
           "it to yourself. On this computer, use http://127.0.0.1:"
        << (*instance)->port() << "/ instead.\n";
    for (const std::string& host : hosts) {
      const bool v6 = host.find(':') != std::string::npos && host.front() != '[';
      out << "  http://" << (v6 ? "[" : "") << host << (v6 ? "]" : "") << ":" << (*instance)->port()
          << (*instance)->access_path() << "\n";
    }
  } else {
    out << "Personal mode: your data stays on this computer.\n";
  }
  out << "Press Ctrl+C to stop.\n" << std::flush;
  int received = 0;
  sigwait(&signals, &received);
  out << "Stopping; every saved entry is already on disk.\n" << std::flush;
  (*instance)->Stop();
  (*instance)->Wait();
  instance->reset();
  out << "Stopped.\n";
  return 0;
}

}  // namespace hipcoach::server
