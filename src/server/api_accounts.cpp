// Accounts (multi-user mode): register, sign in and out, delete with all data; share codes and
// clinician links; what a clinician sees and changes.
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "app.hpp"
#include "hipcoach/programme_check.hpp"
#include "hipcoach/tracking_report.hpp"

namespace hipcoach::server {
namespace {

using tracking::Tracker;

constexpr TimeSeconds kSessionSeconds = 14 * 24 * 3600;
constexpr TimeSeconds kDeviceSeconds = 180 * 24 * 3600;
constexpr TimeSeconds kShareCodeSeconds = 7 * 24 * 3600;
constexpr TimeSeconds kLongestBackoff = 15 * 60;

// Throttling keys (docs/security.md). Hashed: the database holds no addresses or typed names.
ThrottleKey Key(const std::string& what, int free_attempts, bool backoff = true,
                TimeSeconds window = 15 * 60) {
  return ThrottleKey{Sha256Hex(what), free_attempts, backoff, window};
}

std::string Wait(TimeSeconds seconds) {
  if (seconds <= 60) return "a minute";
  return fmt::format("{} minutes", (seconds + 59) / 60);
}

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

// The code points of UTF-8 text; nullopt when it is not valid UTF-8 (overlong forms, surrogates
// and values past U+10FFFF included).
std::optional<std::vector<char32_t>> CodePoints(const std::string& text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length = 0;
    char32_t value = 0;
    if (lead < 0x80) {
      length = 1;
      value = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      value = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      value = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      value = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + static_cast<std::size_t>(length) > text.size()) return std::nullopt;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xc0u) != 0x80u) return std::nullopt;
      value = (value << 6) | (next & 0x3fu);
    }
    const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < least[length] || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
      return std::nullopt;
    }
    out.push_back(value);
    i += static_cast<std::size_t>(length);
  }
  return out;
}

std::string LowerAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// A password is checked in characters, not bytes, and against what guessing tries first.
void CheckPassword(const std::string& password, const std::string& username) {
  const auto points = CodePoints(password);
  if (!points) Throw(400, "weak_password", "A password must be text (UTF-8).");
  if (points->size() < 10) {
    Throw(400, "weak_password", "Please choose a password of at least 10 characters.");
  }
  if (points->size() > 128) {
    Throw(400, "invalid_field", "That password is too long (at most 128 characters).");
  }
  const bool blank = std::all_of(points->begin(), points->end(), [](char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\u00a0' || c == U'\u3000';
  });
  if (blank) Throw(400, "weak_password", "A password cannot be only spaces.");
  std::vector<char32_t> distinct = *points;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < 4) {
    Throw(400, "weak_password",
          "That password repeats the same few characters; please choose one with more variety.");
  }
  const std::string lower = LowerAscii(password);
  bool up = true;
  bool down = true;
  for (std::size_t i = 1; i < points->size(); ++i) {
    up = up && (*points)[i] == (*points)[i - 1] + 1;
    down = down && (*points)[i] + 1 == (*points)[i - 1];
  }
  bool row = false;
  for (std::string keys :
       {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qwertzuiop"}) {
    row = row || keys.find(lower) != std::string::npos;
    std::reverse(keys.begin(), keys.end());
    row = row || keys.find(lower) != std::string::npos;
  }
  if (up || down || row) {
    Throw(400, "weak_password",
          "That password is a run of keys or letters that is guessed first; please choose "
          "another.");
  }
  if (lower.find(LowerAscii(username)) != std::string::npos) {
    Throw(400, "weak_password", "A password must not contain your username.");
  }
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

TimeSeconds ThrottleWait(const ThrottleKey& key, int failures, TimeSeconds oldest,
                         TimeSeconds latest, TimeSeconds now) {
  if (failures < key.free_attempts) return 0;
  if (!key.backoff) return std::max<TimeSeconds>(1, oldest + key.window_seconds - now);
  // 30 s after the first attempt past the free ones, then twice as long each time, at most 15
  // minutes.
  TimeSeconds delay = 30;
  for (int over = failures - key.free_attempts; over > 0 && delay < kLongestBackoff; --over) {
    delay *= 2;
  }
  delay = std::min(delay, kLongestBackoff);
  return std::max<TimeSeconds>(0, latest + delay - now);
}

std::string NewAttemptId() { return RandomHex(16); }

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
  const int rc = options_.fast_password_hashing_for_fuzzing
                     ? crypto_pwhash_str(out, password.data(), password.size(),
                                         crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN)
                     : crypto_pwhash_str(out, password.data(), password.size(),
                                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
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

// One attempt under `keys`: its id when allowed, otherwise 429 with how long to wait.
std::string App::Attempt(const std::vector<ThrottleKey>& keys, const std::string& refused) {
  const ThrottleDecision decision = Must(accounts_->TryAttempt(keys, clock_.Now()));
  if (!decision.allowed) {
    ApiError error{
        429, "too_many",
        fmt::format("{} Please wait {} and try again.", refused, Wait(decision.retry_after))};
    error.retry_after = decision.retry_after;
    throw error;
  }
  return decision.attempt;
}

// The account this browser has signed in to before (its hc_device cookie), if any.
std::optional<RowId> App::KnownDevice(const http::Request& req) {
  const std::string device = CookieValue(req.Header("cookie"), "hc_device");
  if (device.size() != 64) return std::nullopt;
  return Must(accounts_->DeviceAccount(Sha256Hex(device)));
}

void App::StartSessionCookie(const http::Request& req, const Account& account, http::Response& res,
                             json& body) {
  const std::string token = RandomHex(32);
  const std::string csrf = RandomHex(24);
  Must(accounts_->AddSession(Sha256Hex(token),
                             WebSession{account.id, csrf, clock_.Now() + kSessionSeconds}));
  res.SetHeader("Set-Cookie", CookieHeader(token, kSessionSeconds, options_.secure_cookies));
  // The device is remembered for this account: its sign-ins are then throttled on their own.
  if (KnownDevice(req) != account.id) {
    const std::string device = RandomHex(32);
    Must(accounts_->AddDevice(Sha256Hex(device), account.id, clock_.Now()));
    res.SetHeader("Set-Cookie",
                  fmt::format("hc_device={}; Path=/api/v1/account; Max-Age={}; HttpOnly; "
                              "SameSite=Strict{}",
                              device, kDeviceSeconds, options_.secure_cookies ? "; Secure" : ""));
  }
  body["csrf"] = csrf;
  body["account"] = {{"username", account.username}, {"role", account.role}};
}

void App::Register(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  NeedMultiUser(options_);
  json body = BodyObject(req);
  OnlyKeys(body, {"username", "password", "role"});
  const std::string username = ReqString(body, "username", 40);
  const std::string password = ReqString(body, "password", 512);
  const std::string role = OptString(body, "role", 20).value_or("person");
  CheckUsername(username);
  CheckPassword(password, username);
  if (role != "person" && role != "clinician") {
    Throw(400, "invalid_field", "'role' must be person or clinician.");
  }
  // Every registration counts, a taken name included: an address learns whether a name is
  // taken at most five times an hour.
  (void)Attempt({Key("register:" + ClientAddress(req), 5, /*backoff=*/false, 3600)},
                "Too many new accounts from here.");
  const std::string hash = HashPassword(password);
  Account account;
  {
    auto lock = LockStore();
    auto created = accounts_->CreateAccount(username, hash, role, clock_.Now());
    if (!created && created.error().code == ErrorCode::kInvalidInput) {
      Throw(400, "username_taken", created.error().message);
    }
    account = Must(std::move(created));
    DataSet empty;
    empty.profile = Profile{account.person_id, "", account.created_at};
    if (auto ok = store_.Import(empty, false); !ok) {
      (void)accounts_->DeleteAccount(account.id);
      throw ErrorFrom(ok.error());
    }
  }
  json out = json::object();
  StartSessionCookie(req, account, res, out);
  SendJson(res, out, 201);
}

void App::Login(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  NeedMultiUser(options_);
  json body = BodyObject(req);
  OnlyKeys(body, {"username", "password"});
  const std::string username = ReqString(body, "username", 40);
  const std::string password = ReqString(body, "password", 512);
  auto account = Must(accounts_->FindAccount(username));
  // A browser that has signed in to this account before is throttled on its own; strangers'
  // guesses cannot lock it out. Anyone else counts against the pair (address, name), the name
  // and the address, with a back-off rather than a lock (docs/security.md).
  std::vector<ThrottleKey> keys;
  const std::string device = CookieValue(req.Header("cookie"), "hc_device");
  if (account && KnownDevice(req) == account->id) {
    keys = {Key("login-device:" + device, 5)};
  } else {
    const std::string address = ClientAddress(req);
    keys = {Key("login-pair:" + address + "|" + username, 5), Key("login-user:" + username, 10),
            Key("login-addr:" + address, 100)};
  }
  const std::string attempt = Attempt(keys, "Too many attempts to sign in.");
  // Verify against a dummy hash when the name is unknown, so timing does not reveal names.
  static const std::string kDummy = HashPassword("not a real password, never valid");
  const bool ok = VerifyPassword(account ? account->password_hash : kDummy, password);
  if (!account || !ok) Throw(401, "wrong_password", "That username and password do not match.");
  Must(accounts_->ForgetAttempt(attempt));  // the right password: this one was no guess
  json out = json::object();
  StartSessionCookie(req, *account, res, out);
  SendJson(res, out);
}

void App::Logout(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  NeedMultiUser(options_);
  // The session this request was signed in with (the same cookie Authenticate read).
  const std::string token = CookieValue(req.Header("cookie"), "hc_session");
  if (!token.empty()) Must(accounts_->DeleteSession(Sha256Hex(token)));
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
  const std::string password = ReqString(body, "password", 512);
  // A stolen session cannot guess its way to deleting everything.
  (void)Attempt({Key("delete:" + std::to_string(caller.account->id), 5)},
                "Too many wrong passwords; nothing was deleted.");
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
  const std::string attempt =
      Attempt({Key("code:" + std::to_string(caller.account->id), 5)}, "Too many wrong codes.");
  auto link = Must(accounts_->RedeemShareCode(Sha256Hex(code), caller.account->id, clock_.Now()));
  if (!link) {
    Throw(404, "wrong_code",
          "That code is not valid. Codes work once and for 7 days; ask for a new one.");
  }
  Must(accounts_->ForgetAttempt(attempt));
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
      SendJson(res, ProgrammeJson(store, tracker));
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
    // The same check as every other writer of a programme (programme_check.hpp).
    if (auto ok =
            tracking::CheckNewVersion(kb_, store, person.person_id, plan,
                                      state.version ? state.version->assessment_id : std::nullopt);
        !ok) {
      Throw(400, "invalid_field", "That change is not allowed: " + ok.error().message + ".");
    }
    const Exercise* e = kb_.FindExercise(exercise);
    const std::string name = e ? e->name : exercise;
    const std::string reason =
        fmt::format("Your physiotherapist ({}) {} {}: {}", caller.account->username,
                    remove ? "removed" : "changed", name, why);
    const TimeSeconds now = clock_.Now();
    Must(store.Transaction(person.person_id, [&]() -> Result<void> {
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
