// Accounts over SQLite: web_account, web_session, web_share_code, web_clinician_link and
// web_clinician_change, in the same file as the Store's tables, on a connection of their own.
#include <sqlite3.h>

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

  Result<void> Init() {
    std::lock_guard lock(mu_);
    if (sqlite3_exec(db_, std::string(kSchema).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "creating the account tables"));
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
    Stmt next(db_, "SELECT coalesce(max(id), 0) + 1 FROM web_account");
    if (!next.ok() || next.Step() != 1) return Rollback<Account>("next id");
    const RowId person = kFirstAccountPerson + next.Int(0);
    Stmt insert(db_,
                "INSERT INTO web_account(username, password_hash, role, person_id, created_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert.ok()) return Rollback<Account>("insert");
    insert.Bind(1, username).Bind(2, password_hash).Bind(3, role).Bind(4, person).Bind(5, now);
    if (insert.Step() != 0) return Rollback<Account>("insert");
    const RowId id = sqlite3_last_insert_rowid(db_);
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
           "SELECT id, link_id, person_account, clinician_name, at, why, details_json FROM "
           "web_clinician_change WHERE person_account = ?1 ORDER BY at, id");
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

  Result<void> AddFailure(const std::string& key, TimeSeconds at) override {
    std::lock_guard lock(mu_);
    Stmt s(db_, "INSERT INTO web_failure(key, at) VALUES (?1, ?2)");
    if (!s.ok()) return tl::unexpected(DbError(db_, "add failure"));
    s.Bind(1, key).Bind(2, at);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "add failure"));
    return {};
  }

  Result<int> CountFailures(const std::string& key, TimeSeconds since) override {
    std::lock_guard lock(mu_);
    Stmt purge(db_, "DELETE FROM web_failure WHERE at < ?1");
    if (!purge.ok()) return tl::unexpected(DbError(db_, "purge failures"));
    purge.Bind(1, since);
    if (purge.Step() != 0) return tl::unexpected(DbError(db_, "purge failures"));
    Stmt s(db_, "SELECT count(*) FROM web_failure WHERE key = ?1 AND at >= ?2");
    if (!s.ok()) return tl::unexpected(DbError(db_, "count failures"));
    s.Bind(1, key).Bind(2, since);
    if (s.Step() != 1) return tl::unexpected(DbError(db_, "count failures"));
    return static_cast<int>(s.Int(0));
  }

  Result<void> ClearFailures(const std::string& key) override {
    std::lock_guard lock(mu_);
    Stmt s(db_, "DELETE FROM web_failure WHERE key = ?1");
    if (!s.ok()) return tl::unexpected(DbError(db_, "clear failures"));
    s.Bind(1, key);
    if (s.Step() != 0) return tl::unexpected(DbError(db_, "clear failures"));
    return {};
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
