// Accounts (multi-user mode): register, sign in and out, delete with all data; share codes and
// clinician links; what a clinician sees and changes.
#include <fmt/format.h>
#include <sodium.h>

#include <chrono>

#include "app.hpp"
#include "hipcoach/tracking_report.hpp"

namespace hipcoach::server {
namespace {

using tracking::Tracker;

constexpr TimeSeconds kSessionSeconds = 14 * 24 * 3600;
constexpr TimeSeconds kShareCodeSeconds = 7 * 24 * 3600;
constexpr TimeSeconds kRateWindowSeconds = 15 * 60;
constexpr int kRateMaxFailures = 5;

void NeedMultiUser(const Options& options) {
  if (!options.multi_user) {
    Throw(404, "not_found",
          "Accounts exist only when hipcoach runs with --multi-user. In personal mode you need "
          "no account.");
  }
}

void CheckUsername(const std::string& name) {
  if (name.size() < 3 || name.size() > 40) {
    Throw(400, "invalid_field", "A username needs 3 to 40 characters.");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      Throw(400, "invalid_field",
            "A username may use letters, digits, dots, dashes and underscores only.");
    }
  }
}

void CheckPassword(const std::string& password) {
  if (password.size() < 10) {
    Throw(400, "weak_password", "Please choose a password of at least 10 characters.");
  }
  if (password.size() > 256) Throw(400, "invalid_field", "That password is too long.");
}

std::string CookieHeader(const std::string& value, TimeSeconds max_age, bool secure) {
  return fmt::format("hc_session={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", value,
                     max_age, secure ? "; Secure" : "");
}

json LinkJson(const ClinicianLink& l) {
  return {{"id", l.id},
          {"clinician", l.clinician_name},
          {"person", l.person_name},
          {"created_at", tracking::IsoUtc(l.created_at)},
          {"revoked_at", l.revoked_at ? json(tracking::IsoUtc(*l.revoked_at)) : json(nullptr)}};
}

// A share code: 12 characters from an alphabet without look-alikes, shown as XXXX-XXXX-XXXX.
std::string MakeShareCode() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string code;
  for (int i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  }
  return code;
}

std::string NormaliseCode(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace

// ---- Passwords: Argon2id, interactive limits, at most N at once (each costs 64 MiB). ----

std::string App::HashPassword(const std::string& password) {
  std::unique_lock lock(hash_mu_);
  if (!hash_cv_.wait_for(lock, std::chrono::seconds(10),
                         [&] { return hashes_running_ < options_.max_concurrent_hashes; })) {
    Throw(503, "busy", "The server is busy. Please try again in a moment.");
  }
  ++hashes_running_;
  lock.unlock();
  char out[crypto_pwhash_STRBYTES];
  const int rc =
      crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE);
  lock.lock();
  --hashes_running_;
  hash_cv_.notify_one();
  if (rc != 0) Throw(503, "busy", "The server is short of memory. Please try again in a moment.");
  return out;
}

bool App::VerifyPassword(const std::string& hash, const std::string& password) {
  std::unique_lock lock(hash_mu_);
  if (!hash_cv_.wait_for(lock, std::chrono::seconds(10),
                         [&] { return hashes_running_ < options_.max_concurrent_hashes; })) {
    Throw(503, "busy", "The server is busy. Please try again in a moment.");
  }
  ++hashes_running_;
  lock.unlock();
  const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  lock.lock();
  --hashes_running_;
  hash_cv_.notify_one();
  return ok;
}

// Throttling keys are hashed: the database holds no addresses or typed names in the clear.
bool App::RateAllowed(const std::string& key) {
  const int failures =
      Must(accounts_->CountFailures(Sha256Hex(key), clock_.Now() - kRateWindowSeconds));
  return failures < kRateMaxFailures;
}

void App::RateFailure(const std::string& key) {
  Must(accounts_->AddFailure(Sha256Hex(key), clock_.Now()));
}

void App::RateReset(const std::string& key) { Must(accounts_->ClearFailures(Sha256Hex(key))); }

void App::StartSessionCookie(const Account& account, http::Response& res, json& body) {
  const std::string token = RandomHex(32);
  const std::string csrf = RandomHex(24);
  Must(accounts_->AddSession(Sha256Hex(token),
                             WebSession{account.id, csrf, clock_.Now() + kSessionSeconds}));
  res.SetHeader("Set-Cookie", CookieHeader(token, kSessionSeconds, options_.secure_cookies));
  body["csrf"] = csrf;
  body["account"] = {{"username", account.username}, {"role", account.role}};
}

void App::Register(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  NeedMultiUser(options_);
  json body = BodyObject(req);
  OnlyKeys(body, {"username", "password", "role"});
  const std::string username = ReqString(body, "username", 40);
  const std::string password = ReqString(body, "password", 256);
  const std::string role = OptString(body, "role", 20).value_or("person");
  CheckUsername(username);
  CheckPassword(password);
  if (role != "person" && role != "clinician") {
    Throw(400, "invalid_field", "'role' must be person or clinician.");
  }
  const std::string rate_key = "register:" + ClientAddress(req);
  if (!RateAllowed(rate_key)) {
    Throw(429, "too_many", "Too many new accounts from here. Please wait 15 minutes.");
  }
  RateFailure(rate_key);  // every registration counts towards the limit
  const std::string hash = HashPassword(password);
  Account account;
  {
    auto lock = LockStore();
    account = Must(accounts_->CreateAccount(username, hash, role, clock_.Now()));
    DataSet empty;
    empty.profile = Profile{account.person_id, "", account.created_at};
    if (auto ok = store_.Import(empty, false); !ok) {
      (void)accounts_->DeleteAccount(account.id);
      throw ErrorFrom(ok.error());
    }
  }
  json out = json::object();
  StartSessionCookie(account, res, out);
  SendJson(res, out, 201);
}

void App::Login(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  NeedMultiUser(options_);
  json body = BodyObject(req);
  OnlyKeys(body, {"username", "password"});
  const std::string username = ReqString(body, "username", 40);
  const std::string password = ReqString(body, "password", 256);
  const std::string user_key = "login-user:" + username;
  const std::string addr_key = "login-addr:" + ClientAddress(req);
  if (!RateAllowed(user_key) || !RateAllowed(addr_key)) {
    Throw(429, "too_many", "Too many attempts to sign in. Please wait 15 minutes and try again.");
  }
  auto account = Must(accounts_->FindAccount(username));
  // Verify against a dummy hash when the name is unknown, so timing does not reveal names.
  static const std::string kDummy = HashPassword("not a real password, never valid");
  const bool ok = VerifyPassword(account ? account->password_hash : kDummy, password);
  if (!account || !ok) {
    RateFailure(user_key);
    RateFailure(addr_key);
    Throw(401, "wrong_password", "That username and password do not match.");
  }
  RateReset(user_key);
  json out = json::object();
  StartSessionCookie(*account, res, out);
  SendJson(res, out);
}

void App::Logout(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  NeedMultiUser(options_);
  const std::string cookie = req.Header("cookie");
  const std::size_t at = cookie.find("hc_session=");
  if (at != std::string::npos) {
    Must(accounts_->DeleteSession(Sha256Hex(cookie.substr(at + 11, 64))));
  }
  res.SetHeader("Set-Cookie", CookieHeader("", 0, options_.secure_cookies));
  SendJson(res, {{"signed_out", true}});
}

void App::GetAccount(const http::Request&, const Caller& caller, const Params&,
                     http::Response& res) {
  NeedMultiUser(options_);
  SendJson(res, {{"username", caller.account->username},
                 {"role", caller.account->role},
                 {"created_at", tracking::IsoUtc(caller.account->created_at)}});
}

void App::DeleteAccount(const http::Request& req, const Caller& caller, const Params&,
                        http::Response& res) {
  NeedMultiUser(options_);
  json body = BodyObject(req);
  OnlyKeys(body, {"password"});
  const std::string password = ReqString(body, "password", 256);
  if (!VerifyPassword(caller.account->password_hash, password)) {
    Throw(401, "wrong_password", "That password is not right; nothing was deleted.");
  }
  {
    auto lock = LockStore();
    // The person's data with their profile first, then the account with its sessions, codes and
    // links.
    Must(store_.DeletePerson(caller.profile.person_id));
    Must(accounts_->DeleteAccount(caller.account->id));
  }
  res.SetHeader("Set-Cookie", CookieHeader("", 0, options_.secure_cookies));
  SendJson(res, {{"deleted", true}});
}

void App::NewShareCode(const http::Request&, const Caller& caller, const Params&,
                       http::Response& res) {
  NeedMultiUser(options_);
  const std::string code = MakeShareCode();
  const TimeSeconds expires = clock_.Now() + kShareCodeSeconds;
  Must(accounts_->AddShareCode(Sha256Hex(NormaliseCode(code)), caller.account->id, expires));
  SendJson(res, {{"code", code}, {"expires_at", tracking::IsoUtc(expires)}}, 201);
}

void App::ListLinks(const http::Request&, const Caller& caller, const Params&,
                    http::Response& res) {
  NeedMultiUser(options_);
  json list = json::array();
  for (const ClinicianLink& l : Must(accounts_->Links(caller.account->id, true))) {
    // A clinician sees live links only; the person sees revoked ones too.
    if (caller.account->role == "clinician" &&
        (l.revoked_at || l.clinician_account != caller.account->id)) {
      continue;
    }
    if (caller.account->role == "person" && l.person_account != caller.account->id) continue;
    list.push_back(LinkJson(l));
  }
  SendJson(res, {{"links", list}});
}

void App::RedeemCode(const http::Request& req, const Caller& caller, const Params&,
                     http::Response& res) {
  json body = BodyObject(req);
  OnlyKeys(body, {"code"});
  const std::string code = NormaliseCode(ReqString(body, "code", 40));
  const std::string key = "code:" + std::to_string(caller.account->id);
  if (!RateAllowed(key)) {
    Throw(429, "too_many", "Too many wrong codes. Please wait 15 minutes and try again.");
  }
  auto link = Must(accounts_->RedeemShareCode(Sha256Hex(code), caller.account->id, clock_.Now()));
  if (!link) {
    RateFailure(key);
    Throw(404, "wrong_code",
          "That code is not valid. Codes work once and for 7 days; ask for a new one.");
  }
  SendJson(res, {{"link", LinkJson(*link)}}, 201);
}

void App::RevokeLink(const http::Request&, const Caller& caller, const Params& params,
                     http::Response& res) {
  NeedMultiUser(options_);
  Must(accounts_->RevokeLink(ParseId(params.at(0)), caller.account->id, clock_.Now()));
  SendJson(res, {{"revoked", true}});
}

std::pair<ClinicianLink, Account> App::ClinicianLinkFor(const Caller& caller,
                                                        const std::string& id_text) {
  const RowId id = ParseId(id_text);
  for (const ClinicianLink& l : Must(accounts_->Links(caller.account->id, false))) {
    if (l.id != id || l.clinician_account != caller.account->id) continue;
    auto person = Must(accounts_->GetAccount(l.person_account));
    if (!person) break;
    return {l, *person};
  }
  Throw(404, "not_found", "You have no access to that person (the link may have been revoked).");
}

void App::LinkView(const http::Request&, const Caller& caller, const Params& params,
                   http::Response& res) {
  const auto found = ClinicianLinkFor(caller, params.at(0));
  const Account& person = found.second;
  const std::string& what = params.at(1);
  Caller patient;
  patient.profile = Profile{person.person_id, "", person.created_at};
  WithStore(patient, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    if (what == "programme") {
      SendJson(res, ProgrammeJson(store, tracker, false));
    } else if (what == "progress") {
      SendJson(res, ProgressJson(store, tracker));
    } else if (what == "report") {
      const tracking::State state = Must(tracker.Load());
      if (!state.plan) Throw(404, "no_programme", "This person has no programme yet.");
      const DataSet data = Must(store.Export(person.person_id));
      const auto summary = tracking::Summarise(kb_, data, *state.plan, clock_.Now());
      res.content_type = "text/html; charset=utf-8";
      res.body = tracking::ReportHtml(kb_, data, state, summary, clock_.Now());
    } else {
      Throw(404, "not_found", "Choose programme, progress or report.");
    }
  });
}

void App::LinkAdjust(const http::Request& req, const Caller& caller, const Params& params,
                     http::Response& res) {
  const auto found = ClinicianLinkFor(caller, params.at(0));
  const ClinicianLink& link = found.first;
  const Account& person = found.second;
  json body = BodyObject(req);
  OnlyKeys(body, {"exercise", "sets", "reps_min", "reps_max", "hold_seconds", "remove", "why"});
  const std::string exercise = ReqString(body, "exercise", 100);
  const std::string why = ReqString(body, "why", 500);
  const Rules& rules = kb_.rules;
  const auto sets = OptInt(body, "sets", 1, rules.max_sets);
  const auto reps_min = OptInt(body, "reps_min", 1, rules.max_reps);
  const auto reps_max = OptInt(body, "reps_max", 1, rules.max_reps);
  const auto hold = OptInt(body, "hold_seconds", 0, rules.max_hold_seconds);
  const bool remove = OptBool(body, "remove").value_or(false);
  Caller patient;
  patient.profile = Profile{person.person_id, "", person.created_at};
  WithStore(patient, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const tracking::State state = Must(tracker.Load());
    if (!state.plan) Throw(404, "no_programme", "This person has no programme yet.");
    tracking::ActivePlan plan = *state.plan;
    auto it = std::find_if(plan.items.begin(), plan.items.end(),
                           [&](const Prescription& p) { return p.exercise == exercise; });
    if (it == plan.items.end()) {
      Throw(404, "not_found", "That exercise is not in this person's programme.");
    }
    const Prescription before = *it;
    json details = {{"exercise", exercise}, {"by", caller.account->username}, {"why", why}};
    if (remove) {
      plan.items.erase(it);
      details["removed"] = true;
    } else {
      if (sets) it->sets = *sets;
      if (reps_min) it->reps_min = *reps_min;
      if (reps_max) it->reps_max = *reps_max;
      if (hold) it->hold_seconds = *hold;
      if (it->reps_min > it->reps_max) {
        Throw(400, "invalid_field", "'reps_min' cannot be above 'reps_max'.");
      }
      if (*it == before) Throw(400, "no_change", "That changes nothing.");
      it->since_day = tracking::LocalDay(clock_.Now()) - plan.start_day;
      details["before"] = {{"sets", before.sets},
                           {"reps_min", before.reps_min},
                           {"reps_max", before.reps_max},
                           {"hold_seconds", before.hold_seconds}};
      details["after"] = {{"sets", it->sets},
                          {"reps_min", it->reps_min},
                          {"reps_max", it->reps_max},
                          {"hold_seconds", it->hold_seconds}};
    }
    const Exercise* e = kb_.FindExercise(exercise);
    const std::string name = e ? e->name : exercise;
    const std::string reason =
        fmt::format("Your physiotherapist ({}) {} {}: {}", caller.account->username,
                    remove ? "removed" : "changed", name, why);
    const TimeSeconds now = clock_.Now();
    Must(store.Transaction([&]() -> Result<void> {
      auto version = store.AddProgrammeVersion(
          {0, person.person_id, now, state.version ? state.version->assessment_id : std::nullopt,
           tracking::PlanJson(plan).dump(), reason});
      if (!version) return tl::unexpected(version.error());
      auto event = store.AddEvent(
          {0, person.person_id, now, "programme_change", "clinician", reason, details.dump()});
      if (!event) return tl::unexpected(event.error());
      return {};
    }));
    // The audit record (who, when, why), on the account connection once the store has committed.
    Must(accounts_->AddChange(
        {0, link.id, person.id, caller.account->username, now, why, details.dump()}));
    SendJson(res, {{"changed", true}, {"reason", reason}}, 201);
  });
}

}  // namespace hipcoach::server
