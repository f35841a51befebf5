// Accounts over SQLite: web_account, web_session, web_share_code, web_clinician_link and
// web_clinician_change, in the same file as the Store's tables, on a connection of their own.
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "accounts.hpp"

namespace hipcoach::server {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS web_account(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('person', 'clinician')),
  person_id INTEGER NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS web_session(
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS web_share_code(
  code_hash TEXT PRIMARY KEY,
  person_account INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS web_clinician_link(
  id INTEGER PRIMARY KEY,
  person_account INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  clinician_account INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS web_clinician_change(
  id INTEGER PRIMARY KEY,
  link_id INTEGER NOT NULL REFERENCES web_clinician_link(id) ON DELETE CASCADE,
  person_account INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  clinician_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  why TEXT NOT NULL,
  details_json TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS web_failure(
  key TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS web_failure_key ON web_failure(key, at);
CREATE INDEX IF NOT EXISTS web_failure_at ON web_failure(at);
CREATE TABLE IF NOT EXISTS web_secret(
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL);
)sql";

// Version 2: a clinician's changes outlive the clinician's account (the link goes, the record of
// who changed what stays with the person); attempts have ids; known devices.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE web_clinician_change_v2(
  id INTEGER PRIMARY KEY,
  link_id INTEGER REFERENCES web_clinician_link(id) ON DELETE SET NULL,
  person_account INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  clinician_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  why TEXT NOT NULL,
  details_json TEXT NOT NULL DEFAULT '{}');
INSERT INTO web_clinician_change_v2(id, link_id, person_account, clinician_name, at, why,
    details_json)
  SELECT id, link_id, person_account, clinician_name, at, why, details_json
  FROM web_clinician_change;
DROP TABLE web_clinician_change;
ALTER TABLE web_clinician_change_v2 RENAME TO web_clinician_change;
ALTER TABLE web_failure ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
CREATE INDEX web_failure_attempt ON web_failure(attempt);
CREATE TABLE web_device(
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES web_account(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL);
CREATE INDEX web_device_account ON web_device(account_id);
CREATE TABLE web_meta(version INTEGER NOT NULL);
INSERT INTO web_meta(version) VALUES (2);
)sql";

// Person ids of accounts start here, well clear of the local profile (person 1).
constexpr RowId kFirstAccountPerson = 1000000;

Error DbError(sqlite3* db, std::string_view what) {
  return Error{ErrorCode::kIoError, std::string("the account database failed (") +
                                        std::string(what) + "): " + sqlite3_errmsg(db)};
}

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // 1: row, 0: done, -1: error.
  int Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return -1;
  }
  std::int64_t Int(int c) const { return sqlite3_column_int64(stmt_, c); }
  bool IsNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::string Text(int c) const {
    const auto* text = sqlite3_column_text(stmt_, c);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

Result<sqlite3*> OpenDb(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e{ErrorCode::kIoError, "could not open the account database '" + path +
                                     "': " + (db ? sqlite3_errmsg(db) : "out of memory")};
    sqlite3_close(db);
    return tl::unexpected(e);
  }
  for (const char* pragma : {"PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL",
                             "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (sqlite3_exec(db, pragma, nullptr, nullptr, nullptr) != SQLITE_OK) {
      Error e = DbError(db, pragma);
      sqlite3_close(db);
      return tl::unexpected(e);
    }
  }
  return db;
}

class SqliteAccounts final : public Accounts {
 public:
  explicit SqliteAccounts(sqlite3* db) : db_(db) {}
  ~SqliteAccounts() override { sqlite3_close(db_); }
  SqliteAccounts(const SqliteAccounts&) = delete;
  SqliteAccounts& operator=(const SqliteAccounts&) = delete;

  // Creates the tables, or brings older ones up to date, in one transaction (two servers
  // starting together on one file wait for each other).
  Result<void> Init() {
    std::lock_guard lock(mu_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "begin"));
    }
    if (sqlite3_exec(db_, std::string(kSchema).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Rollback<void>("creating the account tables");
    }
    bool v2 = false;
    {
      // Finalised before the schema changes: an open statement would lock the tables.
      Stmt meta(db_, "SELECT count(*) FROM sqlite_master WHERE name = 'web_meta'");
      if (!meta.ok() || meta.Step() != 1) return Rollback<void>("reading the account schema");
      v2 = meta.Int(0) == 1;
    }
    if (!v2 &&
        sqlite3_exec(db_, std::string(kSchemaV2).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Rollback<void>("updating the account tables");
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Rollback<void>("commit");
    }
    return {};
  }

  Result<Account> CreateAccount(const std::string& username, const std::string& password_hash,
                                const std::string& role, TimeSeconds now) override {
    std::lock_guard lock(mu_);
    if (auto found = FindLocked("username = ?1", username); !found) {
      return tl::unexpected(found.error());
    } else if (*found) {
      return MakeError(ErrorCode::kInvalidInput, "That username is taken. Please choose another.");
    }
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "begin"));
    }
    // The next id never used (AUTOINCREMENT keeps the highest ever given in sqlite_sequence),
    // not max(id) + 1: a deleted account's person id, and so its FHIR pseudonym, must never
    // pass to someone else.
    Stmt next(db_,
              "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'web_account'), "
              "0), coalesce((SELECT max(id) FROM web_account), 0)) + 1");
    if (!next.ok() || next.Step() != 1) return Rollback<Account>("next id");
    const RowId id = next.Int(0);
    const RowId person = kFirstAccountPerson + id;
    Stmt insert(db_,
                "INSERT INTO web_account(id, username, password_hash, role, person_id, created_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.ok()) return Rollback<Account>("insert");
    insert.Bind(1, id).Bind(2, username).Bind(3, password_hash).Bind(4, role).Bind(5, person);
    insert.Bind(6, now);
    if (insert.Step() != 0) return Rollback<Account>("insert");
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Rollback<Account>("commit");
    }
    return Account{id, username, password_hash, role, person, now};
  }

  Result<std::optional<Account>> FindAccount(const std::string& username) override {
    std::lock_guard lock(mu_);
    return FindLocked("username = ?1", username);
  }

  Result<std::optional<Account>> GetAccount(RowId id) override {
    std::lock_guard lock(mu_);
    return FindLocked("id = ?1", id);
  }

  Result<void> DeleteAccount(RowId id) override {
    std::lock_guard lock(mu_);
    Stmt del(db_, "DELETE FROM web_account WHERE id = ?1");
    if (!del.ok()) return tl::unexpected(DbError(db_, "delete account"));
    del.Bind(1, id);
    if (del.Step() != 0) return tl::unexpected(DbError(db_, "delete account"));
    return {};
  }

  Result<void> AddSession(const std::string& token_hash, const WebSession& session) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "INSERT INTO web_session(token_hash, account_id, csrf, expires_at) VALUES (?1, ?2, ?3, "
           "?4)");
    if (!s.ok()) return tl::unexpected(DbError(db_, "add session"));
    s.Bind(1, token_hash).Bind(2, session.account_id).Bind(3, session.csrf);
    s.Bind(4, session.expires_at);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "add session"));
    return {};
  }

  Result<std::optional<WebSession>> FindSession(const std::string& token_hash,
                                                TimeSeconds now) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "SELECT account_id, csrf, expires_at FROM web_session WHERE token_hash = ?1 AND "
           "expires_at > ?2");
    if (!s.ok()) return tl::unexpected(DbError(db_, "find session"));
    s.Bind(1, token_hash).Bind(2, now);
    const int row = s.Step();
    if (row < 0) return tl::unexpected(DbError(db_, "find session"));
    if (row == 0) return std::optional<WebSession>();
    return std::optional<WebSession>(WebSession{s.Int(0), s.Text(1), s.Int(2)});
  }

  Result<void> DeleteSession(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    Stmt s(db_, "DELETE FROM web_session WHERE token_hash = ?1");
    if (!s.ok()) return tl::unexpected(DbError(db_, "delete session"));
    s.Bind(1, token_hash);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "delete session"));
    return {};
  }

  Result<void> AddShareCode(const std::string& code_hash, RowId person_account,
                            TimeSeconds expires_at) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "INSERT INTO web_share_code(code_hash, person_account, expires_at) VALUES (?1, ?2, ?3)");
    if (!s.ok()) return tl::unexpected(DbError(db_, "add code"));
    s.Bind(1, code_hash).Bind(2, person_account).Bind(3, expires_at);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "add code"));
    return {};
  }

  Result<std::optional<ClinicianLink>> RedeemShareCode(const std::string& code_hash,
                                                       RowId clinician_account,
                                                       TimeSeconds now) override {
    std::lock_guard lock(mu_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "begin"));
    }
    Stmt find(db_,
              "SELECT person_account FROM web_share_code WHERE code_hash = ?1 AND expires_at > ?2");
    if (!find.ok()) return Rollback<std::optional<ClinicianLink>>("redeem");
    find.Bind(1, code_hash).Bind(2, now);
    const int row = find.Step();
    if (row < 0) return Rollback<std::optional<ClinicianLink>>("redeem");
    if (row == 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return std::optional<ClinicianLink>();
    }
    const RowId person = find.Int(0);
    Stmt del(db_, "DELETE FROM web_share_code WHERE code_hash = ?1");
    del.Bind(1, code_hash);
    if (!del.ok() || del.Step() != 0) return Rollback<std::optional<ClinicianLink>>("redeem");
    Stmt link(db_,
              "INSERT INTO web_clinician_link(person_account, clinician_account, created_at) "
              "VALUES (?1, ?2, ?3)");
    link.Bind(1, person).Bind(2, clinician_account).Bind(3, now);
    if (!link.ok() || link.Step() != 0) return Rollback<std::optional<ClinicianLink>>("redeem");
    const RowId id = sqlite3_last_insert_rowid(db_);
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Rollback<std::optional<ClinicianLink>>("commit");
    }
    auto links = LinksLocked(person, true);
    if (!links) return tl::unexpected(links.error());
    for (const ClinicianLink& l : *links) {
      if (l.id == id) return std::optional<ClinicianLink>(l);
    }
    return std::optional<ClinicianLink>();
  }

  Result<std::vector<ClinicianLink>> Links(RowId account, bool all) override {
    std::lock_guard lock(mu_);
    return LinksLocked(account, all);
  }

  Result<void> RevokeLink(RowId link_id, RowId person_account, TimeSeconds now) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "UPDATE web_clinician_link SET revoked_at = ?3 WHERE id = ?1 AND person_account = ?2 "
           "AND revoked_at IS NULL");
    if (!s.ok()) return tl::unexpected(DbError(db_, "revoke"));
    s.Bind(1, link_id).Bind(2, person_account).Bind(3, now);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "revoke"));
    if (sqlite3_changes(db_) == 0) {
      return MakeError(ErrorCode::kNotFound, "There is no such active link.");
    }
    return {};
  }

  Result<RowId> AddChange(const ClinicianChange& c) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "INSERT INTO web_clinician_change(link_id, person_account, clinician_name, at, why, "
           "details_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!s.ok()) return tl::unexpected(DbError(db_, "add change"));
    s.Bind(1, c.link_id).Bind(2, c.person_account).Bind(3, c.clinician_name).Bind(4, c.at);
    s.Bind(5, c.why).Bind(6, c.details_json);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "add change"));
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::vector<ClinicianChange>> Changes(RowId person_account) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "SELECT id, coalesce(link_id, 0), person_account, clinician_name, at, why, details_json "
           "FROM web_clinician_change WHERE person_account = ?1 ORDER BY at, id");
    if (!s.ok()) return tl::unexpected(DbError(db_, "changes"));
    s.Bind(1, person_account);
    std::vector<ClinicianChange> out;
    for (;;) {
      const int row = s.Step();
      if (row < 0) return tl::unexpected(DbError(db_, "changes"));
      if (row == 0) break;
      out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Int(4), s.Text(5), s.Text(6)});
    }
    return out;
  }

  Result<ThrottleDecision> TryAttempt(const std::vector<ThrottleKey>& keys,
                                      TimeSeconds now) override {
    std::lock_guard lock(mu_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "begin"));
    }
    TimeSeconds longest = 0;
    for (const ThrottleKey& k : keys) longest = std::max(longest, k.window_seconds);
    Stmt purge(db_, "DELETE FROM web_failure WHERE at <= ?1");
    purge.Bind(1, now - longest);
    if (!purge.ok() || purge.Step() != 0) return Rollback<ThrottleDecision>("purge failures");
    ThrottleDecision decision;
    for (const ThrottleKey& k : keys) {
      Stmt count(db_,
                 "SELECT count(*), coalesce(min(at), 0), coalesce(max(at), 0) FROM web_failure "
                 "WHERE key = ?1 AND at > ?2");
      count.Bind(1, k.key).Bind(2, now - k.window_seconds);
      if (!count.ok() || count.Step() != 1) return Rollback<ThrottleDecision>("count failures");
      decision.retry_after = std::max(
          decision.retry_after,
          ThrottleWait(k, static_cast<int>(count.Int(0)), count.Int(1), count.Int(2), now));
    }
    if (decision.retry_after > 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return decision;
    }
    decision.allowed = true;
    decision.attempt = NewAttemptId();
    for (const ThrottleKey& k : keys) {
      Stmt add(db_, "INSERT INTO web_failure(key, at, attempt) VALUES (?1, ?2, ?3)");
      add.Bind(1, k.key).Bind(2, now).Bind(3, decision.attempt);
      if (!add.ok() || add.Step() != 0) return Rollback<ThrottleDecision>("record attempt");
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Rollback<ThrottleDecision>("commit");
    }
    return decision;
  }

  Result<void> ForgetAttempt(const std::string& attempt) override {
    std::lock_guard lock(mu_);
    Stmt s(db_, "DELETE FROM web_failure WHERE attempt = ?1");
    if (!s.ok()) return tl::unexpected(DbError(db_, "forget attempt"));
    s.Bind(1, attempt);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "forget attempt"));
    return {};
  }

  Result<void> AddDevice(const std::string& token_hash, RowId account_id,
                         TimeSeconds now) override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "INSERT OR REPLACE INTO web_device(token_hash, account_id, created_at) VALUES (?1, ?2, "
           "?3)");
    if (!s.ok()) return tl::unexpected(DbError(db_, "add device"));
    s.Bind(1, token_hash).Bind(2, account_id).Bind(3, now);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "add device"));
    return {};
  }

  Result<std::optional<RowId>> DeviceAccount(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    Stmt s(db_, "SELECT account_id FROM web_device WHERE token_hash = ?1");
    if (!s.ok()) return tl::unexpected(DbError(db_, "find device"));
    s.Bind(1, token_hash);
    const int row = s.Step();
    if (row < 0) return tl::unexpected(DbError(db_, "find device"));
    if (row == 0) return std::optional<RowId>();
    return std::optional<RowId>(s.Int(0));
  }

  Result<std::string> SharedSecret(const std::string& name, const std::string& candidate) override {
    std::lock_guard lock(mu_);
    Stmt insert(db_, "INSERT OR IGNORE INTO web_secret(name, value) VALUES (?1, ?2)");
    if (!insert.ok()) return tl::unexpected(DbError(db_, "store secret"));
    insert.Bind(1, name).Bind(2, candidate);
    if (insert.Step() != 0) return tl::unexpected(DbError(db_, "store secret"));
    Stmt s(db_, "SELECT value FROM web_secret WHERE name = ?1");
    if (!s.ok()) return tl::unexpected(DbError(db_, "read secret"));
    s.Bind(1, name);
    if (s.Step() != 1) return tl::unexpected(DbError(db_, "read secret"));
    return s.Text(0);
  }

 private:
  template <typename T>
  Result<T> Rollback(std::string_view what) {
    Error e = DbError(db_, what);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return tl::unexpected(e);
  }

  template <typename Key>
  Result<std::optional<Account>> FindLocked(std::string_view where, const Key& key) {
    Stmt s(db_, std::string("SELECT id, username, password_hash, role, person_id, created_at FROM "
                            "web_account WHERE ") +
                    std::string(where));
    if (!s.ok()) return tl::unexpected(DbError(db_, "find account"));
    s.Bind(1, key);
    const int row = s.Step();
    if (row < 0) return tl::unexpected(DbError(db_, "find account"));
    if (row == 0) return std::optional<Account>();
    return std::optional<Account>(
        Account{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)});
  }

  Result<std::vector<ClinicianLink>> LinksLocked(RowId account, bool all) {
    Stmt s(db_, std::string("SELECT l.id, l.person_account, l.clinician_account, c.username, "
                            "p.username, l.created_at, l.revoked_at FROM web_clinician_link l "
                            "JOIN web_account c ON c.id = l.clinician_account JOIN web_account p "
                            "ON p.id = l.person_account WHERE (l.person_account = ?1 OR "
                            "l.clinician_account = ?1)") +
                    (all ? "" : " AND l.revoked_at IS NULL") + " ORDER BY l.id");
    if (!s.ok()) return tl::unexpected(DbError(db_, "links"));
    s.Bind(1, account);
    std::vector<ClinicianLink> out;
    for (;;) {
      const int row = s.Step();
      if (row < 0) return tl::unexpected(DbError(db_, "links"));
      if (row == 0) break;
      ClinicianLink l{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Int(5), std::nullopt};
      if (!s.IsNull(6)) l.revoked_at = s.Int(6);
      out.push_back(std::move(l));
    }
    return out;
  }

  sqlite3* db_;
  std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<Accounts>> OpenSqliteAccounts(const std::string& path) {
  auto db = OpenDb(path);
  if (!db) return tl::unexpected(db.error());
  auto accounts = std::make_unique<SqliteAccounts>(*db);
  if (auto ok = accounts->Init(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<Accounts>(std::move(accounts));
}

}  // namespace hipcoach::server
