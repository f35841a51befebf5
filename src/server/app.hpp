// The web app behind hipcoach::server: routing, authentication and the API handlers. Private to
// src/server. Handlers run on the HTTP worker threads. A SQLite Store (one connection) is used
// under `store_mu_` only; a PostgreSQL Store has a connection pool and is used without the lock.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "hipcoach/http.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/server.hpp"
#include "hipcoach/store.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::server {

using json = nlohmann::json;

// A request failed: the HTTP status and the JSON error body's code and message.
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
  TimeSeconds retry_after = 0;  // 429: sent as Retry-After
};
ApiError ErrorFrom(const Error& error);

// Who is asking.
struct Caller {
  std::optional<Account> account;  // multi-user mode only
  Profile profile;                 // the person whose data this is (personal: the local one)
  std::string csrf;
};

// Path parameters (":id" segments), in order.
using Params = std::vector<std::string>;

enum class Access {
  kPublic,     // anyone (static files, status, questions, interview, explain)
  kPerson,     // the person's own data (personal mode: always; multi-user: a signed-in person)
  kSignedIn,   // any signed-in account (multi-user), or the local person
  kClinician,  // a signed-in clinician (multi-user only)
};

class App {
 public:
  // `store_is_concurrent`: the Store may be called from several threads at once.
  // `loopback_only`: every address the server listens on is a loopback address.
  App(const KnowledgeBase& kb, const Options& options, Store& store, bool store_is_concurrent,
      std::unique_ptr<Accounts> accounts, tracking::Clock& clock, bool loopback_only);

  void Handle(const http::Request& req, http::Response& res);
  // The port the server listens on (the Host check needs it). Call before serving.
  void SetPort(int port);
  // Personal mode with --lan-access: the path of the one-time access link; "" otherwise.
  std::string AccessPath() const;

 private:
  using Fn = std::function<void(App&, const http::Request&, const Caller&, const Params&,
                                http::Response&)>;
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // ":" matches one segment
    Access access;
    Fn fn;
  };
  void Add(std::string method, const std::string& pattern, Access access, Fn fn);
  void AddRoutes();

  // Static files (the embedded web UI, or --assets-dir).
  void ServeStatic(const http::Request& req, http::Response& res);
  bool HostAllowed(const http::Request& req) const;
  // --lan-access, a request from another device: true when it may go on; otherwise `res` is the
  // answer (the access link's page or claim) or it throws 401.
  bool LanAccess(const http::Request& req, http::Response& res);
  // The client's address: the peer's, or X-Real-IP from a trusted proxy (Options::trusted_proxies).
  std::string ClientAddress(const http::Request& req) const;
  std::optional<Caller> Authenticate(const http::Request& req);

  // Runs `body` with a Store scoped to the caller's person, under the store lock.
  void WithStore(const Caller& caller, const std::function<void(Store&)>& body);
  std::unique_ptr<Store> ScopedFor(const Profile& profile);
  // The store lock when the Store needs one; an empty lock otherwise.
  std::unique_lock<std::mutex> LockStore();

  // ---- handlers: interview and knowledge (api_interview.cpp) ----
  void Status(const http::Request&, const Caller&, const Params&, http::Response&);
  void Questions(const http::Request&, const Caller&, const Params&, http::Response&);
  void Interview(const http::Request&, const Caller&, const Params&, http::Response&);
  void Explain(const http::Request&, const Caller&, const Params&, http::Response&);
  void Education(const http::Request&, const Caller&, const Params&, http::Response&);
  void ModelInfo(const http::Request&, const Caller&, const Params&, http::Response&);
  void ModelSummary(const http::Request&, const Caller&, const Params&, http::Response&);

  // ---- handlers: tracking (api_tracking.cpp) ----
  void SaveAssessment(const http::Request&, const Caller&, const Params&, http::Response&);
  void ListAssessments(const http::Request&, const Caller&, const Params&, http::Response&);
  void GetAssessment(const http::Request&, const Caller&, const Params&, http::Response&);
  void GetProgramme(const http::Request&, const Caller&, const Params&, http::Response&);
  void StartSession(const http::Request&, const Caller&, const Params&, http::Response&);
  void UpdateSession(const http::Request&, const Caller&, const Params&, http::Response&);
  void AddLog(const http::Request&, const Caller&, const Params&, http::Response&);
  void ListLogs(const http::Request&, const Caller&, const Params&, http::Response&);
  void DangerQuestions(const http::Request&, const Caller&, const Params&, http::Response&);
  void AddCheckIn(const http::Request&, const Caller&, const Params&, http::Response&);
  void ListCheckIns(const http::Request&, const Caller&, const Params&, http::Response&);
  void Progress(const http::Request&, const Caller&, const Params&, http::Response&);
  void Report(const http::Request&, const Caller&, const Params&, http::Response&);
  void Export(const http::Request&, const Caller&, const Params&, http::Response&);
  void ExportCsv(const http::Request&, const Caller&, const Params&, http::Response&);
  void Import(const http::Request&, const Caller&, const Params&, http::Response&);
  void Calendar(const http::Request&, const Caller&, const Params&, http::Response&);
  void Changes(const http::Request&, const Caller&, const Params&, http::Response&);

  // ---- handlers: FHIR R4 (api_fhir.cpp, docs/fhir.md) ----
  void FhirBundle(const http::Request&, const Caller&, const Params&, http::Response&);
  void FhirQuestionnaire(const http::Request&, const Caller&, const Params&, http::Response&);
  void FhirQuestionnaireResponse(const http::Request&, const Caller&, const Params&,
                                 http::Response&);

  // ---- handlers: accounts and clinicians (api_accounts.cpp) ----
  void Register(const http::Request&, const Caller&, const Params&, http::Response&);
  void Login(const http::Request&, const Caller&, const Params&, http::Response&);
  void Logout(const http::Request&, const Caller&, const Params&, http::Response&);
  void GetAccount(const http::Request&, const Caller&, const Params&, http::Response&);
  void DeleteAccount(const http::Request&, const Caller&, const Params&, http::Response&);
  void NewShareCode(const http::Request&, const Caller&, const Params&, http::Response&);
  void ListLinks(const http::Request&, const Caller&, const Params&, http::Response&);
  void RedeemCode(const http::Request&, const Caller&, const Params&, http::Response&);
  void RevokeLink(const http::Request&, const Caller&, const Params&, http::Response&);
  void LinkView(const http::Request&, const Caller&, const Params&, http::Response&);
  void LinkAdjust(const http::Request&, const Caller&, const Params&, http::Response&);

  // Shared builders over a person's Store (api_tracking.cpp).
  json ProgrammeJson(Store& store, tracking::Tracker& tracker);
  json ProgressJson(Store& store, tracking::Tracker& tracker);
  json UpdatesJson(const tracking::Updates& updates);
  json ChangesJson(const std::vector<tracking::ItemDecision>& decisions);
  // The live link `id` of the calling clinician, with the person's account; throws ApiError.
  std::pair<ClinicianLink, Account> ClinicianLinkFor(const Caller& caller, const std::string& id);

  // Passwords (api_accounts.cpp): bounded concurrent Argon2id.
  std::string HashPassword(const std::string& password);
  bool VerifyPassword(const std::string& hash, const std::string& password);
  void StartSessionCookie(const http::Request& req, const Account& account, http::Response& res,
                          json& body);
  // One throttled attempt (Accounts::TryAttempt): its id, or throws 429 saying `refused` and how
  // long to wait.
  std::string Attempt(const std::vector<ThrottleKey>& keys, const std::string& refused);
  std::optional<RowId> KnownDevice(const http::Request& req);

  const KnowledgeBase& kb_;
  Options options_;
  Store& store_;
  bool store_is_concurrent_;
  std::mutex store_mu_;
  std::unique_ptr<Accounts> accounts_;
  tracking::Clock& clock_;
  std::string local_csrf_;  // personal mode: one token for the process
  Profile local_profile_;
  std::vector<Route> routes_;
  bool loopback_only_;
  bool lan_access_;
  std::set<std::string> allowed_hosts_;  // exact Host values, when loopback_only_ or lan_access_

  // --lan-access: the link works once; the device that claimed it has a cookie (by hash).
  const std::string access_token_;
  std::mutex access_mu_;
  bool access_used_ = false;
  std::set<std::string> access_cookies_;

  std::mutex hash_mu_;
  std::condition_variable hash_cv_;
  int hashes_running_ = 0;
};

// ---- helpers shared by the handler files (app.cpp) ----

[[noreturn]] void Throw(int status, std::string code, std::string message);
// The value of a Result, or throws its error as an ApiError.
template <typename T>
T Must(Result<T> result) {
  if (!result) throw ErrorFrom(result.error());
  return std::move(*result);
}
inline void Must(const Result<void>& result) {
  if (!result) throw ErrorFrom(result.error());
}
// The request body as a JSON object, read with the limits of json_reader.hpp (throws ApiError 400
// with a plain message).
json BodyObject(const http::Request& req);
// JSON text of a stored record, read with the same limits; null when it is not usable.
json StoredJson(const std::string& text);
// Rejects keys outside `allowed`.
void OnlyKeys(const json& body, std::initializer_list<const char*> allowed);
// Typed fields; `what` names the field in messages.
std::optional<int> OptInt(const json& body, const char* key, int low, int high);
int ReqInt(const json& body, const char* key, int low, int high);
std::optional<double> OptNumber(const json& body, const char* key, double low, double high);
std::optional<bool> OptBool(const json& body, const char* key);
std::optional<std::string> OptString(const json& body, const char* key, std::size_t max_length);
std::string ReqString(const json& body, const char* key, std::size_t max_length);
RowId ParseId(const std::string& text);
// An answers error without the parser's "request: " file prefix.
std::string PlainAnswerError(const std::string& message);

void SendJson(http::Response& res, const json& body, int status = 200);
// The headers every response carries (Content-Security-Policy, nosniff, ...).
std::vector<std::pair<std::string, std::string>> SecurityHeaders();
std::string RandomHex(std::size_t bytes);
// The value of the cookie `name` in a Cookie header (exactly that name), or "".
std::string CookieValue(const std::string& header, const std::string& name);
std::string Sha256Hex(const std::string& text);

}  // namespace hipcoach::server
