// A thin RAII wrapper over the SQLite C API: a connection, prepared statements, and errors turned
// into messages for the person. Private to src/store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hipcoach/status.hpp"

namespace hipcoach::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string path)
      : db_(db), stmt_(stmt), path_(std::move(path)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // true: a row is ready; false: done.
  Result<bool> Step();
  // Runs to completion (for statements without rows).
  Result<void> Run();

  bool IsNull(int column) const;
  std::int64_t Int64(int column) const;
  int Int(int column) const { return static_cast<int>(Int64(column)); }
  double Double(int column) const;
  std::string Text(int column) const;
  std::optional<std::int64_t> OptInt64(int column) const;
  std::optional<int> OptInt(int column) const;
  std::optional<double> OptDouble(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string path_;
};

class Database {
 public:
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  ~Database();

  // Opens or creates the file (not its directory).
  static Result<Database> Open(const std::string& path);

  Result<void> Exec(const std::string& sql);
  Result<Statement> Prepare(std::string_view sql);
  std::int64_t LastInsertId() const;
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// An error for the person from an SQLite result code, naming the database file.
Error ErrorFor(int code, std::string_view detail, const std::string& path);

}  // namespace hipcoach::sqlite
