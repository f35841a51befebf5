#include "sqlite_db.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <utility>

namespace hipcoach::sqlite {
namespace {

// SQLITE_TRANSIENT without its old-style cast: SQLite copies the bound value.
sqlite3_destructor_type Transient() {
  return reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));
}

}  // namespace

Error ErrorFor(int code, std::string_view detail, const std::string& path) {
  switch (code & 0xff) {
    case SQLITE_NOTADB:
      return Error{ErrorCode::kDataError,
                   fmt::format("'{}' is not a hipcoach database (it is not an SQLite database "
                               "file). Nothing was changed. Use --db to choose another file.",
                               path)};
    case SQLITE_CORRUPT:
      return Error{ErrorCode::kDataError,
                   fmt::format("the database '{}' is damaged ({}). Nothing was changed. Restore "
                               "it from an export (hipcoach import) or a backup.",
                               path, detail)};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::kIoError,
                   fmt::format("the database '{}' is busy: another program (perhaps another "
                               "hipcoach) is using it. Nothing was changed. Try again in a moment.",
                               path)};
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return Error{ErrorCode::kIoError,
                   fmt::format("cannot open or write the database '{}' ({}). Nothing was changed. "
                               "Check that the folder exists and that you may write to it.",
                               path, detail)};
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return Error{ErrorCode::kIoError,
                   fmt::format("could not write the database '{}' ({}). Nothing was changed. "
                               "Check that the disk is not full.",
                               path, detail)};
    case SQLITE_CONSTRAINT:
      return Error{ErrorCode::kInvalidInput,
                   fmt::format("the database '{}' refused a value ({}). Nothing was changed.", path,
                               detail)};
    default:
      return Error{ErrorCode::kIoError,
                   fmt::format("database '{}': {}. Nothing was changed.", path, detail)};
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      path_(std::move(other.path_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), Transient(), SQLITE_UTF8);
  return *this;
}
Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = ErrorFor(rc, sqlite3_errmsg(db_), path_);
  sqlite3_reset(stmt_);
  return tl::unexpected<Error>(std::move(error));
}

Result<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return tl::unexpected<Error>(row.error());
    if (!*row) return {};
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t Statement::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
std::optional<std::int64_t> Statement::OptInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}
std::optional<int> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}
std::optional<double> Statement::OptDouble(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Double(column);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

Result<Database> Database::Open(const std::string& path) {
  Database db;
  db.path_ = path;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db.db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db.db_ != nullptr ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    return tl::unexpected<Error>(ErrorFor(rc, detail, path));
  }
  sqlite3_extended_result_codes(db.db_, 1);
  return db;
}

Result<void> Database::Exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return tl::unexpected<Error>(ErrorFor(rc, detail, path_));
  }
  return {};
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return tl::unexpected<Error>(ErrorFor(rc, sqlite3_errmsg(db_), path_));
  }
  return Statement(db_, stmt, path_);
}

std::int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace hipcoach::sqlite
