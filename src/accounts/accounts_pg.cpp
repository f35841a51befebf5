// Accounts, login sessions, clinician links and sign-in throttling in PostgreSQL: the same
// tables as accounts_sqlite.cpp (prefixed web_), beside the PostgreSQL Store's tables in the same
// database. Every call takes a pooled connection for itself, so one object serves every HTTP
// worker thread, and several server processes can share the database: nothing lives in memory.
//
// These tables have no row-level security: signing in must find an account by name before anyone
// is known. They hold no health data; the person's data stays in the Store's tables.
#include <fmt/format.h>

#include <algorithm>

#include "accounts.hpp"
#include "store/pg_db.hpp"

namespace hipcoach::server {
namespace {

// Run under an advisory lock, so that servers starting together do not race.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS web_account(
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('person', 'clinician')),
  person_id BIGINT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS web_session(
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS web_session_account ON web_session(account_id);
CREATE TABLE IF NOT EXISTS web_share_code(
  code_hash TEXT PRIMARY KEY,
  person_account BIGINT NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS web_clinician_link(
  id BIGSERIAL PRIMARY KEY,
  person_account BIGINT NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  clinician_account BIGINT NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT);
CREATE TABLE IF NOT EXISTS web_clinician_change(
  id BIGSERIAL PRIMARY KEY,
  link_id BIGINT NOT NULL REFERENCES web_clinician_link(id) ON DELETE CASCADE,
  person_account BIGINT NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  clinician_name TEXT NOT NULL,
  at BIGINT NOT NULL,
  why TEXT NOT NULL,
  details_json TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS web_failure(
  key TEXT NOT NULL,
  at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS web_failure_key ON web_failure(key, at);
CREATE INDEX IF NOT EXISTS web_failure_at ON web_failure(at);
CREATE TABLE IF NOT EXISTS web_secret(
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS web_meta(version INT NOT NULL);
)sql";

// Version 2 (as in accounts_sqlite.cpp): a clinician's changes outlive the clinician's account;
// attempts have ids; known devices.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE web_clinician_change ALTER COLUMN link_id DROP NOT NULL;
ALTER TABLE web_clinician_change DROP CONSTRAINT IF EXISTS web_clinician_change_link_id_fkey;
ALTER TABLE web_clinician_change ADD CONSTRAINT web_clinician_change_link_id_fkey
  FOREIGN KEY (link_id) REFERENCES web_clinician_link(id) ON DELETE SET NULL;
ALTER TABLE web_failure ADD COLUMN IF NOT EXISTS attempt TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS web_failure_attempt ON web_failure(attempt);
CREATE TABLE IF NOT EXISTS web_device(
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS web_device_account ON web_device(account_id);
DELETE FROM web_meta;
INSERT INTO web_meta(version) VALUES (2);
)sql";

// The advisory lock key for creating these tables ("hcweb" in ASCII).
constexpr std::int64_t kSchemaLock = 0x6863776562;
// The first half of the two-key advisory lock of a throttling key ("hcth").
constexpr int kThrottleLock = 0x68637468;

// Person ids of accounts start here, well clear of the local profile (person 1); as in SQLite.
constexpr RowId kFirstAccountPerson = 1000000;

constexpr std::string_view kAccountColumns =
    "id, username, password_hash, role, person_id, created_at";

Account AccountAt(const pg::Rows& rows, int r) {
  return Account{rows.Int64(r, 0), rows.Text(r, 1),  rows.Text(r, 2),
                 rows.Text(r, 3),  rows.Int64(r, 4), rows.Int64(r, 5)};
}

class PostgresAccounts final : public Accounts {
 public:
  explicit PostgresAccounts(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

  Result<void> Init() {
    return pg::RunTransaction(*pool_, [](pg::Connection& c) -> Result<void> {
      if (auto locked = c.Exec("SELECT pg_advisory_xact_lock($1)", {pg::Num(kSchemaLock)});
          !locked) {
        return tl::unexpected(locked.error());
      }
      if (auto made = c.ExecScript(kSchema); !made) return made;
      auto version = c.Exec("SELECT coalesce(max(version), 1) FROM web_meta");
      if (!version) return tl::unexpected(version.error());
      if (version->Int(0, 0) < 2) return c.ExecScript(kSchemaV2);
      return {};
    });
  }

  Result<Account> CreateAccount(const std::string& username, const std::string& password_hash,
                                const std::string& role, TimeSeconds now) override {
    auto rows = Exec(fmt::format("WITH n AS (SELECT nextval('web_account_id_seq') AS id) "
                                 "INSERT INTO web_account(id, username, password_hash, role, "
                                 "person_id, created_at) SELECT n.id, $1, $2, $3, $4 + n.id, $5 "
                                 "FROM n RETURNING {}",
                                 kAccountColumns),
                     {pg::Text(username), pg::Text(password_hash), pg::Text(role),
                      pg::Num(kFirstAccountPerson), pg::Num(now)});
    if (!rows) {
      if (pg::IsUniqueViolation(rows.error())) {
        return MakeError(ErrorCode::kInvalidInput,
                         "That username is taken. Please choose another.");
      }
      return tl::unexpected(rows.error());
    }
    return AccountAt(*rows, 0);
  }

  Result<std::optional<Account>> FindAccount(const std::string& username) override {
    return FindWhere("username = $1", pg::Text(username));
  }

  Result<std::optional<Account>> GetAccount(RowId id) override {
    return FindWhere("id = $1", pg::Num(id));
  }

  Result<void> DeleteAccount(RowId id) override {
    return Done(Exec("DELETE FROM web_account WHERE id = $1", {pg::Num(id)}));
  }

  Result<void> AddSession(const std::string& token_hash, const WebSession& session) override {
    return Done(Exec(
        "INSERT INTO web_session(token_hash, account_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
        {pg::Text(token_hash), pg::Num(session.account_id), pg::Text(session.csrf),
         pg::Num(session.expires_at)}));
  }

  Result<std::optional<WebSession>> FindSession(const std::string& token_hash,
                                                TimeSeconds now) override {
    auto rows = Exec(
        "SELECT account_id, csrf, expires_at FROM web_session WHERE token_hash = $1 AND "
        "expires_at > $2",
        {pg::Text(token_hash), pg::Num(now)});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) {
      // Expired sessions go on the way (cheap: by primary key).
      auto gone = Exec("DELETE FROM web_session WHERE token_hash = $1 AND expires_at <= $2",
                       {pg::Text(token_hash), pg::Num(now)});
      if (!gone) return tl::unexpected(gone.error());
      return std::optional<WebSession>();
    }
    return std::optional<WebSession>(
        WebSession{rows->Int64(0, 0), rows->Text(0, 1), rows->Int64(0, 2)});
  }

  Result<void> DeleteSession(const std::string& token_hash) override {
    return Done(Exec("DELETE FROM web_session WHERE token_hash = $1", {pg::Text(token_hash)}));
  }

  Result<void> AddShareCode(const std::string& code_hash, RowId person_account,
                            TimeSeconds expires_at) override {
    return Done(Exec(
        "INSERT INTO web_share_code(code_hash, person_account, expires_at) VALUES ($1, $2, $3)",
        {pg::Text(code_hash), pg::Num(person_account), pg::Num(expires_at)}));
  }

  Result<std::optional<ClinicianLink>> RedeemShareCode(const std::string& code_hash,
                                                       RowId clinician_account,
                                                       TimeSeconds now) override {
    // Deleting the code and creating the link is one statement, so a code works once even when
    // two servers redeem it at the same moment.
    std::optional<RowId> link_id;
    RowId person = 0;
    auto done = pg::RunTransaction(*pool_, [&](pg::Connection& c) -> Result<void> {
      auto rows = c.Exec(
          "WITH code AS (DELETE FROM web_share_code WHERE code_hash = $1 AND expires_at > $2 "
          "RETURNING person_account) INSERT INTO web_clinician_link(person_account, "
          "clinician_account, created_at) SELECT person_account, $3, $2 FROM code "
          "RETURNING id, person_account",
          {pg::Text(code_hash), pg::Num(now), pg::Num(clinician_account)});
      if (!rows) return tl::unexpected(rows.error());
      if (!rows->empty()) {
        link_id = rows->Int64(0, 0);
        person = rows->Int64(0, 1);
      }
      return {};
    });
    if (!done) return tl::unexpected(done.error());
    if (!link_id) return std::optional<ClinicianLink>();
    auto links = Links(person, true);
    if (!links) return tl::unexpected(links.error());
    for (const ClinicianLink& l : *links) {
      if (l.id == *link_id) return std::optional<ClinicianLink>(l);
    }
    return std::optional<ClinicianLink>();
  }

  Result<std::vector<ClinicianLink>> Links(RowId account, bool all) override {
    auto rows = Exec(std::string("SELECT l.id, l.person_account, l.clinician_account, c.username, "
                                 "p.username, l.created_at, l.revoked_at FROM web_clinician_link "
                                 "l JOIN web_account c ON c.id = l.clinician_account JOIN "
                                 "web_account p ON p.id = l.person_account WHERE "
                                 "(l.person_account = $1 OR l.clinician_account = $1)") +
                         (all ? "" : " AND l.revoked_at IS NULL") + " ORDER BY l.id",
                     {pg::Num(account)});
    if (!rows) return tl::unexpected(rows.error());
    std::vector<ClinicianLink> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int r = 0; r < rows->size(); ++r) {
      out.push_back({rows->Int64(r, 0), rows->Int64(r, 1), rows->Int64(r, 2), rows->Text(r, 3),
                     rows->Text(r, 4), rows->Int64(r, 5), rows->OptInt64(r, 6)});
    }
    return out;
  }

  Result<void> RevokeLink(RowId link_id, RowId person_account, TimeSeconds now) override {
    auto rows = Exec(
        "UPDATE web_clinician_link SET revoked_at = $3 WHERE id = $1 AND person_account = $2 "
        "AND revoked_at IS NULL",
        {pg::Num(link_id), pg::Num(person_account), pg::Num(now)});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->affected() == 0) {
      return MakeError(ErrorCode::kNotFound, "There is no such active link.");
    }
    return {};
  }

  Result<RowId> AddChange(const ClinicianChange& c) override {
    auto rows = Exec(
        "INSERT INTO web_clinician_change(link_id, person_account, clinician_name, at, why, "
        "details_json) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {pg::Num(c.link_id), pg::Num(c.person_account), pg::Text(c.clinician_name), pg::Num(c.at),
         pg::Text(c.why), pg::Text(c.details_json)});
    if (!rows) return tl::unexpected(rows.error());
    return rows->Int64(0, 0);
  }

  Result<std::vector<ClinicianChange>> Changes(RowId person_account) override {
    auto rows = Exec(
        "SELECT id, coalesce(link_id, 0), person_account, clinician_name, at, why, details_json "
        "FROM web_clinician_change WHERE person_account = $1 ORDER BY at, id",
        {pg::Num(person_account)});
    if (!rows) return tl::unexpected(rows.error());
    std::vector<ClinicianChange> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int r = 0; r < rows->size(); ++r) {
      out.push_back({rows->Int64(r, 0), rows->Int64(r, 1), rows->Int64(r, 2), rows->Text(r, 3),
                     rows->Int64(r, 4), rows->Text(r, 5), rows->Text(r, 6)});
    }
    return out;
  }

  Result<ThrottleDecision> TryAttempt(const std::vector<ThrottleKey>& keys,
                                      TimeSeconds now) override {
    // One transaction holding a lock per key (taken in a fixed order, so two attempts never
    // wait for each other in a circle): count, decide, record.
    std::vector<std::string> ordered;
    ordered.reserve(keys.size());
    for (const ThrottleKey& k : keys) ordered.push_back(k.key);
    std::sort(ordered.begin(), ordered.end());
    ThrottleDecision decision;
    auto done = pg::RunTransaction(*pool_, [&](pg::Connection& c) -> Result<void> {
      decision = ThrottleDecision{};
      for (const std::string& key : ordered) {
        auto locked = c.Exec("SELECT pg_advisory_xact_lock($1, hashtext($2))",
                             {pg::Num(kThrottleLock), pg::Text(key)});
        if (!locked) return tl::unexpected(locked.error());
      }
      TimeSeconds longest = 0;
      for (const ThrottleKey& k : keys) longest = std::max(longest, k.window_seconds);
      if (auto purged = c.Exec("DELETE FROM web_failure WHERE at <= $1", {pg::Num(now - longest)});
          !purged) {
        return tl::unexpected(purged.error());
      }
      for (const ThrottleKey& k : keys) {
        auto rows = c.Exec(
            "SELECT count(*), coalesce(min(at), 0), coalesce(max(at), 0) FROM web_failure WHERE "
            "key = $1 AND at > $2",
            {pg::Text(k.key), pg::Num(now - k.window_seconds)});
        if (!rows) return tl::unexpected(rows.error());
        decision.retry_after =
            std::max(decision.retry_after,
                     ThrottleWait(k, rows->Int(0, 0), rows->Int64(0, 1), rows->Int64(0, 2), now));
      }
      if (decision.retry_after > 0) return {};
      decision.allowed = true;
      decision.attempt = NewAttemptId();
      for (const ThrottleKey& k : keys) {
        auto added = c.Exec("INSERT INTO web_failure(key, at, attempt) VALUES ($1, $2, $3)",
                            {pg::Text(k.key), pg::Num(now), pg::Text(decision.attempt)});
        if (!added) return tl::unexpected(added.error());
      }
      return {};
    });
    if (!done) return tl::unexpected(done.error());
    return decision;
  }

  Result<void> ForgetAttempt(const std::string& attempt) override {
    return Done(Exec("DELETE FROM web_failure WHERE attempt = $1", {pg::Text(attempt)}));
  }

  Result<void> AddDevice(const std::string& token_hash, RowId account_id,
                         TimeSeconds now) override {
    return Done(
        Exec("INSERT INTO web_device(token_hash, account_id, created_at) VALUES ($1, $2, $3) ON "
             "CONFLICT (token_hash) DO UPDATE SET account_id = excluded.account_id",
             {pg::Text(token_hash), pg::Num(account_id), pg::Num(now)}));
  }

  Result<std::optional<RowId>> DeviceAccount(const std::string& token_hash) override {
    auto rows =
        Exec("SELECT account_id FROM web_device WHERE token_hash = $1", {pg::Text(token_hash)});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) return std::optional<RowId>();
    return std::optional<RowId>(rows->Int64(0, 0));
  }

  Result<std::string> SharedSecret(const std::string& name, const std::string& candidate) override {
    auto stored =
        Exec("INSERT INTO web_secret(name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
             {pg::Text(name), pg::Text(candidate)});
    if (!stored) return tl::unexpected(stored.error());
    auto rows = Exec("SELECT value FROM web_secret WHERE name = $1", {pg::Text(name)});
    if (!rows) return tl::unexpected(rows.error());
    return rows->Text(0, 0);
  }

 private:
  // One statement on a pooled connection (its own transaction).
  Result<pg::Rows> Exec(std::string_view sql, const pg::Params& params) {
    auto lease = pool_->Acquire();
    if (!lease) return tl::unexpected(lease.error());
    return (*lease)->Exec(sql, params);
  }

  static Result<void> Done(const Result<pg::Rows>& rows) {
    if (!rows) return tl::unexpected(rows.error());
    return {};
  }

  Result<std::optional<Account>> FindWhere(std::string_view where, pg::Param key) {
    auto rows = Exec(fmt::format("SELECT {} FROM web_account WHERE {}", kAccountColumns, where),
                     {std::move(key)});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) return std::optional<Account>();
    return std::optional<Account>(AccountAt(*rows, 0));
  }

  std::shared_ptr<pg::Pool> pool_;
};

}  // namespace

Result<std::unique_ptr<Accounts>> OpenPostgresAccounts(const std::string& url, int pool_size) {
  auto pool = pg::Pool::Open(url, pool_size);
  if (!pool) return tl::unexpected(pool.error());
  auto accounts = std::make_unique<PostgresAccounts>(std::move(*pool));
  if (auto ok = accounts->Init(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<Accounts>(std::move(accounts));
}

}  // namespace hipcoach::server
