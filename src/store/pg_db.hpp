// A small layer over libpq: a connection, query results, a thread-safe connection pool and
// transactions with retry. Used by the PostgreSQL store (pg_store.cpp) and by the web server's
// account tables; it knows nothing about hipcoach's tables.
//
// Errors are hipcoach `Error`s whose message ends with "(SQLSTATE xxxxx)" when the server sent a
// code; SqlState() reads it back, IsUniqueViolation() and friends test it. Messages never contain
// a password from the connection URL (RedactUrl()).
//
// Thread safety: a Connection is used by one thread at a time (libpq's rule). The Pool is
// thread-safe; a Lease hands one connection to one thread until the lease ends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "hipcoach/status.hpp"

// libpq's handles, declared here so that this header does not need libpq-fe.h.
struct pg_conn;
struct pg_result;

namespace hipcoach::pg {

// SQLSTATE codes callers commonly test.
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kCheckViolation = "23514";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
inline constexpr std::string_view kInsufficientPrivilege = "42501";

// The SQLSTATE an error from this layer carries ("" when none: a lost connection, a bad URL).
std::string SqlState(const Error& error);
bool IsUniqueViolation(const Error& error);
// 40001 or 40P01: the transaction may succeed if run again.
bool IsRetryable(const Error& error);

// The URL or connection string with any password replaced by "***" (for messages and logs).
std::string RedactUrl(std::string_view url);

// A query parameter in text form; std::nullopt is SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

// Parameter helpers: Text(x), Num(42), Num(1.5), Bool(true), Opt(std::optional<T>).
inline Param Text(std::string value) { return Param(std::move(value)); }
Param Num(std::int64_t value);
inline Param Num(int value) { return Num(static_cast<std::int64_t>(value)); }
Param Num(double value);  // exact round trip (shortest form that reads back the same double)
inline Param Bool(bool value) { return Param(value ? "true" : "false"); }
template <typename T>
Param Opt(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  if constexpr (std::is_same_v<T, bool>) {
    return Bool(*value);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return Text(*value);
  } else {
    return Num(*value);
  }
}

// The result of a query: rows and columns in text form, converted on access. Indexes are 0-based;
// accessing a row or column out of range, or converting a NULL or non-number, is a programming
// error (it asserts in debug builds and returns 0 / "" otherwise). Cheap to copy (shared).
class Rows {
 public:
  Rows() = default;
  explicit Rows(pg_result* result);  // takes ownership

  int size() const;     // number of rows
  int columns() const;  // number of columns
  bool empty() const { return size() == 0; }
  // The row count of the command (rows inserted, updated, deleted or selected; 0 for others).
  std::int64_t affected() const;
  // The column's index by name, or -1.
  int Column(std::string_view name) const;

  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  std::int64_t Int64(int row, int column) const;
  int Int(int row, int column) const { return static_cast<int>(Int64(row, column)); }
  double Double(int row, int column) const;
  bool Bool(int row, int column) const;  // 't' / 'f'
  std::optional<std::string> OptText(int row, int column) const;
  std::optional<std::int64_t> OptInt64(int row, int column) const;
  std::optional<int> OptInt(int row, int column) const;
  std::optional<double> OptDouble(int row, int column) const;
  std::optional<bool> OptBool(int row, int column) const;

 private:
  std::shared_ptr<pg_result> result_;
};

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  ~Connection();

  // Connects. `url` is a postgresql:// URL or a libpq "key=value" string. Errors (kIoError) name
  // the server (without password) and say what to check.
  static Result<Connection> Open(const std::string& url);

  // One statement with $1, $2, ... parameters (PQexecParams, text format).
  Result<Rows> Exec(std::string_view sql, const Params& params = {});
  // Several statements separated by ';', no parameters (PQexec): migrations and set-up.
  Result<void> ExecScript(std::string_view sql);
  // Several statements separated by ';' sent in one round trip (the simple query protocol), with
  // $1, $2, ... replaced by `params` as escaped literals. Outside an explicit transaction they run
  // as one implicit transaction, so a transaction-local setting made by the first applies to the
  // next. Returns the rows of the last statement. For reads that would otherwise cost
  // BEGIN, setting, query and COMMIT: four round trips.
  Result<Rows> ExecBatch(std::string_view sql, const Params& params = {});

  // true while the connection is usable (PQstatus is CONNECTION_OK).
  bool ok() const;
  // true inside BEGIN ... COMMIT (also when the transaction has failed).
  bool InTransaction() const;
  // true inside a transaction in which a statement failed: COMMIT would only roll it back.
  bool TransactionFailed() const;
  // Reconnects with the same parameters (PQreset).
  Result<void> Reset();

  // The server's backend process id (for tests and diagnostics).
  int BackendPid() const;
  // The URL without its password.
  const std::string& redacted_url() const { return redacted_url_; }
  pg_conn* handle() const { return conn_; }

 private:
  Error ErrorFromResult(pg_result* result, std::string_view sql) const;
  Error ConnectionError(std::string_view what) const;

  pg_conn* conn_ = nullptr;
  std::string redacted_url_;
};

struct PoolOptions {
  int size = 8;  // at most this many connections open at once (>= 1)
  // How long Acquire() waits for a free connection before failing.
  std::chrono::milliseconds acquire_timeout{30000};
};

// A bounded, thread-safe pool. Connections are opened on demand (the first one by Open(), so a
// wrong URL or a server that is down fails there). A connection handed back broken, or found
// broken on the next Acquire(), is reset; one handed back inside a transaction is rolled back.
class Pool : public std::enable_shared_from_this<Pool> {
  struct Private {};

 public:
  // A connection lent to one thread; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease() = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();

    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }
    Connection& get() const { return *conn_; }
    explicit operator bool() const { return conn_ != nullptr; }

   private:
    friend class Pool;
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn)
        : pool_(std::move(pool)), conn_(std::move(conn)) {}
    void Release();

    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Connection> conn_;
  };

  static Result<std::shared_ptr<Pool>> Open(const std::string& url, int size);
  static Result<std::shared_ptr<Pool>> Open(const std::string& url, const PoolOptions& options);

  Pool(Private, std::string url, PoolOptions options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Waits (up to acquire_timeout) for a free connection; opens a new one while fewer than `size`
  // exist; resets one that the server has dropped. kIoError when none can be had.
  Result<Lease> Acquire();

  int size() const { return options_.size; }
  // Connections open now (idle + leased), for tests and diagnostics.
  int open_connections() const;
  const std::string& redacted_url() const { return redacted_url_; }

 private:
  void GiveBack(std::unique_ptr<Connection> conn);

  std::string url_;
  std::string redacted_url_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle + leased + being opened
};

struct TransactionOptions {
  // How many times to run the body in all; a run that fails with a serialization failure (40001)
  // or a deadlock (40P01) is rolled back and run again while attempts remain.
  int max_attempts = 1;
  // Put after BEGIN, e.g. "ISOLATION LEVEL SERIALIZABLE"; empty for the server's default.
  std::string begin_mode;
};

// Runs `body` between BEGIN and COMMIT on `conn`. An error from the body, from COMMIT or from a
// lost connection rolls back and is returned. If BEGIN fails because the server dropped an idle
// connection, the connection is reset and BEGIN tried once more.
Result<void> RunTransaction(Connection& conn, const std::function<Result<void>(Connection&)>& body,
                            const TransactionOptions& options = {});
// The same on a connection leased from `pool` for the duration.
Result<void> RunTransaction(Pool& pool, const std::function<Result<void>(Connection&)>& body,
                            const TransactionOptions& options = {});

// The same, for a body that returns a value: Result<T> body(Connection&).
template <typename T>
Result<T> InTransaction(Pool& pool, const std::function<Result<T>(Connection&)>& body,
                        const TransactionOptions& options = {}) {
  std::optional<T> value;
  auto done = RunTransaction(
      pool,
      [&](Connection& conn) -> Result<void> {
        auto result = body(conn);
        if (!result) return tl::unexpected<Error>(std::move(result.error()));
        value = std::move(*result);
        return {};
      },
      options);
  if (!done) return tl::unexpected<Error>(std::move(done.error()));
  return std::move(*value);
}

// SELECT set_config(name, value, true): a setting that lasts until the end of the current
// transaction (the PostgreSQL store uses it for row-level security).
Result<void> SetLocal(Connection& conn, std::string_view name, std::string_view value);

}  // namespace hipcoach::pg
