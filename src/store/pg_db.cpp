#include "pg_db.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstring>
#include <utility>

namespace hipcoach::pg {
namespace {

constexpr std::string_view kStateMarker = "(SQLSTATE ";

// libpq's messages end with a newline; some have several lines.
std::string Tidy(std::string_view text) {
  std::string out(text);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsUrl(std::string_view url) {
  return StartsWith(url, "postgresql://") || StartsWith(url, "postgres://");
}

// The password in a URL or key=value string, for scrubbing messages ("" when none).
std::string PasswordIn(std::string_view url);

// Replaces the value of every `password=` in a URL query.
std::string RedactQuery(std::string_view query, std::string* password) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    if (StartsWith(part, "password=")) {
      if (password != nullptr) *password = std::string(part.substr(9));
      out += "password=***";
    } else {
      out += part;
    }
    if (end < query.size()) out += '&';
    start = end + 1;
  }
  return out;
}

std::string RedactUrlImpl(std::string_view url, std::string* password) {
  if (IsUrl(url)) {
    const std::size_t scheme_end = url.find("://") + 3;
    std::size_t authority_end = url.find_first_of("/?", scheme_end);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    std::string_view authority = url.substr(scheme_end, authority_end - scheme_end);
    std::string out(url.substr(0, scheme_end));
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      std::string_view userinfo = authority.substr(0, at);
      const std::size_t colon = userinfo.find(':');
      if (colon != std::string_view::npos) {
        if (password != nullptr) *password = std::string(userinfo.substr(colon + 1));
        out += userinfo.substr(0, colon);
        out += ":***";
        out += authority.substr(at);
      } else {
        out += authority;
      }
    } else {
      out += authority;
    }
    std::string_view rest = url.substr(authority_end);
    const std::size_t question = rest.find('?');
    if (question == std::string_view::npos) return out + std::string(rest);
    out += rest.substr(0, question + 1);
    out += RedactQuery(rest.substr(question + 1), password);
    return out;
  }
  // key=value form: password=secret or password = 'se cret'
  std::string out;
  std::size_t i = 0;
  while (i < url.size()) {
    const std::size_t found = url.find("password", i);
    if (found == std::string_view::npos) break;
    std::size_t j = found + 8;
    while (j < url.size() && url[j] == ' ') ++j;
    const bool word_start = found == 0 || url[found - 1] == ' ';
    if (!word_start || j >= url.size() || url[j] != '=') {
      out += url.substr(i, j - i);
      i = j;
      continue;
    }
    ++j;
    while (j < url.size() && url[j] == ' ') ++j;
    std::string value;
    if (j < url.size() && url[j] == '\'') {
      ++j;
      while (j < url.size() && url[j] != '\'') {
        if (url[j] == '\\' && j + 1 < url.size()) ++j;
        value += url[j++];
      }
      if (j < url.size()) ++j;
    } else {
      while (j < url.size() && url[j] != ' ') value += url[j++];
    }
    if (password != nullptr) *password = value;
    out += url.substr(i, found - i);
    out += "password=***";
    i = j;
  }
  out += url.substr(std::min(i, url.size()));
  return out;
}

std::string PasswordIn(std::string_view url) {
  std::string password;
  (void)RedactUrlImpl(url, &password);
  return password;
}

// Removes a password from text (libpq does not print it, but a message must never show it).
std::string Scrub(std::string text, const std::string& password) {
  if (password.size() < 4) return text;
  for (std::size_t at = text.find(password); at != std::string::npos;
       at = text.find(password, at)) {
    text.replace(at, password.size(), "***");
  }
  return text;
}

ErrorCode CodeFor(std::string_view state) {
  if (StartsWith(state, "22") || StartsWith(state, "23")) return ErrorCode::kInvalidInput;
  if (StartsWith(state, "42")) return ErrorCode::kDataError;
  return ErrorCode::kIoError;
}

template <typename T>
T ParseNumber(const char* text, int length) {
  T value{};
  [[maybe_unused]] auto [end, ec] = std::from_chars(text, text + length, value);
  assert(ec == std::errc() && "not a number");
  return value;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Errors and parameters

std::string SqlState(const Error& error) {
  const std::size_t at = error.message.rfind(kStateMarker);
  if (at == std::string::npos || at + kStateMarker.size() + 5 > error.message.size()) return "";
  return error.message.substr(at + kStateMarker.size(), 5);
}

bool IsUniqueViolation(const Error& error) { return SqlState(error) == kUniqueViolation; }

bool IsRetryable(const Error& error) {
  const std::string state = SqlState(error);
  return state == kSerializationFailure || state == kDeadlockDetected;
}

std::string RedactUrl(std::string_view url) { return RedactUrlImpl(url, nullptr); }

Param Num(std::int64_t value) { return Param(fmt::format("{}", value)); }

Param Num(double value) { return Param(fmt::format("{}", value)); }

// ---------------------------------------------------------------------------------------------
// Rows

Rows::Rows(pg_result* result) : result_(result, [](pg_result* r) { PQclear(r); }) {}

int Rows::size() const { return result_ ? PQntuples(result_.get()) : 0; }

int Rows::columns() const { return result_ ? PQnfields(result_.get()) : 0; }

std::int64_t Rows::affected() const {
  if (!result_) return 0;
  const char* tuples = PQcmdTuples(result_.get());
  if (tuples == nullptr || *tuples == '\0') return 0;
  return ParseNumber<std::int64_t>(tuples, static_cast<int>(std::strlen(tuples)));
}

int Rows::Column(std::string_view name) const {
  if (!result_) return -1;
  return PQfnumber(result_.get(), std::string(name).c_str());
}

bool Rows::IsNull(int row, int column) const {
  assert(row >= 0 && row < size() && column >= 0 && column < columns());
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string Rows::Text(int row, int column) const {
  assert(row >= 0 && row < size() && column >= 0 && column < columns());
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t Rows::Int64(int row, int column) const {
  assert(row >= 0 && row < size() && column >= 0 && column < columns());
  return ParseNumber<std::int64_t>(PQgetvalue(result_.get(), row, column),
                                   PQgetlength(result_.get(), row, column));
}

double Rows::Double(int row, int column) const {
  assert(row >= 0 && row < size() && column >= 0 && column < columns());
  return ParseNumber<double>(PQgetvalue(result_.get(), row, column),
                             PQgetlength(result_.get(), row, column));
}

bool Rows::Bool(int row, int column) const {
  assert(row >= 0 && row < size() && column >= 0 && column < columns());
  return PQgetvalue(result_.get(), row, column)[0] == 't';
}

std::optional<std::string> Rows::OptText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Text(row, column);
}

std::optional<std::int64_t> Rows::OptInt64(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int64(row, column);
}

std::optional<int> Rows::OptInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}

std::optional<double> Rows::OptDouble(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Double(row, column);
}

std::optional<bool> Rows::OptBool(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Bool(row, column);
}

// ---------------------------------------------------------------------------------------------
// Connection

Connection::Connection(Connection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)), redacted_url_(std::move(other.redacted_url_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    redacted_url_ = std::move(other.redacted_url_);
  }
  return *this;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Result<Connection> Connection::Open(const std::string& url) {
  Connection c;
  c.redacted_url_ = RedactUrl(url);
  c.conn_ = PQconnectdb(url.c_str());
  if (c.conn_ == nullptr) {
    return MakeError(ErrorCode::kIoError, "could not connect to PostgreSQL: out of memory");
  }
  if (PQstatus(c.conn_) != CONNECTION_OK) {
    const std::string why = Scrub(Tidy(PQerrorMessage(c.conn_)), PasswordIn(url));
    return MakeError(ErrorCode::kIoError,
                     fmt::format("could not connect to PostgreSQL at '{}': {}. Check that the "
                                 "server is running and that the URL (host, port, user, database) "
                                 "is right.",
                                 c.redacted_url_, why));
  }
  // Notices ("... already exists, skipping") would go to stderr; callers get errors as values.
  PQsetNoticeProcessor(
      c.conn_, [](void*, const char*) {}, nullptr);
  if (PQsetClientEncoding(c.conn_, "UTF8") != 0) {
    return MakeError(ErrorCode::kIoError,
                     fmt::format("PostgreSQL at '{}' does not accept UTF-8 as the client encoding",
                                 c.redacted_url_));
  }
  return c;
}

Error Connection::ConnectionError(std::string_view what) const {
  std::string why = conn_ != nullptr ? Tidy(PQerrorMessage(conn_)) : "not connected";
  if (why.empty()) why = "no reply";
  return Error{ErrorCode::kIoError, fmt::format("the connection to PostgreSQL at '{}' failed ({}): "
                                                "{}",
                                                redacted_url_, what, why)};
}

Error Connection::ErrorFromResult(pg_result* result, std::string_view sql) const {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (state == nullptr || *state == '\0' || !ok()) {
    std::string why = Tidy(PQresultErrorMessage(result));
    if (why.empty()) why = Tidy(PQerrorMessage(conn_));
    std::string message = fmt::format("the connection to PostgreSQL at '{}' failed: {}",
                                      redacted_url_, why.empty() ? "no reply" : why);
    if (state != nullptr && *state != '\0') message += fmt::format(" (SQLSTATE {})", state);
    return Error{ErrorCode::kIoError, std::move(message)};
  }
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
  std::string message = fmt::format("PostgreSQL: {}", primary != nullptr ? primary : "error");
  if (detail != nullptr && *detail != '\0') message += fmt::format(" ({})", Tidy(detail));
  // Errors in the statement itself (not the data) name the statement, to help whoever fixes it.
  if (StartsWith(state, "42")) {
    message += fmt::format(" in: {}", sql.substr(0, 200));
  }
  message += fmt::format(" (SQLSTATE {})", state);
  return Error{CodeFor(state), std::move(message)};
}

Result<Rows> Connection::Exec(std::string_view sql, const Params& params) {
  if (conn_ == nullptr) return tl::unexpected(ConnectionError("query"));
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string text(sql);
  pg_result* result = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0);
  if (result == nullptr) return tl::unexpected(ConnectionError("query"));
  Rows rows(result);
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  return tl::unexpected(ErrorFromResult(result, sql));
}

Result<void> Connection::ExecScript(std::string_view sql) {
  if (conn_ == nullptr) return tl::unexpected(ConnectionError("script"));
  const std::string text(sql);
  pg_result* result = PQexec(conn_, text.c_str());
  if (result == nullptr) return tl::unexpected(ConnectionError("script"));
  Rows rows(result);
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return {};
  }
  return tl::unexpected(ErrorFromResult(result, sql));
}

Result<Rows> Connection::ExecBatch(std::string_view sql, const Params& params) {
  if (conn_ == nullptr) return tl::unexpected(ConnectionError("query"));
  std::string text(sql);
  // Highest index first, so that $1 does not eat the start of $12.
  for (std::size_t i = params.size(); i > 0; --i) {
    std::string literal = "NULL";
    if (params[i - 1]) {
      char* escaped = PQescapeLiteral(conn_, params[i - 1]->data(), params[i - 1]->size());
      if (escaped == nullptr) return tl::unexpected(ConnectionError("quoting a value"));
      literal = escaped;
      PQfreemem(escaped);
    }
    const std::string placeholder = "$" + std::to_string(i);
    for (std::size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + literal.size())) {
      text.replace(at, placeholder.size(), literal);
    }
  }
  pg_result* result = PQexec(conn_, text.c_str());
  if (result == nullptr) return tl::unexpected(ConnectionError("query"));
  Rows rows(result);
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  return tl::unexpected(ErrorFromResult(result, sql));
}

bool Connection::ok() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::InTransaction() const {
  if (conn_ == nullptr) return false;
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool Connection::TransactionFailed() const {
  return conn_ != nullptr && PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

Result<void> Connection::Reset() {
  if (conn_ == nullptr) return tl::unexpected(ConnectionError("reconnect"));
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return tl::unexpected(ConnectionError("reconnect"));
  if (PQsetClientEncoding(conn_, "UTF8") != 0) {
    return tl::unexpected(ConnectionError("client encoding"));
  }
  return {};
}

int Connection::BackendPid() const { return conn_ != nullptr ? PQbackendPID(conn_) : 0; }

// ---------------------------------------------------------------------------------------------
// Pool

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::move(other.pool_)), conn_(std::move(other.conn_)) {}

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::move(other.pool_);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

Pool::Lease::~Lease() { Release(); }

void Pool::Lease::Release() {
  if (pool_ && conn_) pool_->GiveBack(std::move(conn_));
  conn_.reset();
  pool_.reset();
}

Pool::Pool(Private, std::string url, PoolOptions options)
    : url_(std::move(url)), redacted_url_(RedactUrl(url_)), options_(options) {}

Result<std::shared_ptr<Pool>> Pool::Open(const std::string& url, int size) {
  PoolOptions options;
  options.size = size;
  return Open(url, options);
}

Result<std::shared_ptr<Pool>> Pool::Open(const std::string& url, const PoolOptions& options) {
  if (options.size < 1) {
    return MakeError(
        ErrorCode::kInvalidInput,
        fmt::format("the PostgreSQL pool size must be at least 1, not {}", options.size));
  }
  auto first = Connection::Open(url);
  if (!first) return tl::unexpected(first.error());
  auto pool = std::make_shared<Pool>(Private{}, url, options);
  pool->idle_.push_back(std::make_unique<Connection>(std::move(*first)));
  pool->open_ = 1;
  return pool;
}

int Pool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

Result<Pool::Lease> Pool::Acquire() {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    while (idle_.empty() && open_ >= options_.size) {
      if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.size) {
        return MakeError(
            ErrorCode::kIoError,
            fmt::format("all {} connections to PostgreSQL at '{}' stayed busy for {} "
                        "ms; try again, or raise the pool size",
                        options_.size, redacted_url_, options_.acquire_timeout.count()));
      }
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  if (!conn) {
    auto opened = Connection::Open(url_);
    if (!opened) {
      std::lock_guard lock(mutex_);
      --open_;
      available_.notify_one();
      return tl::unexpected(opened.error());
    }
    conn = std::make_unique<Connection>(std::move(*opened));
  } else if (conn->handle() != nullptr) {
    // Notice a connection the server closed while it was idle (reads what is waiting, no wait).
    PQconsumeInput(conn->handle());
  }
  if (!conn->ok()) {
    if (auto reset = conn->Reset(); !reset) {
      conn.reset();
      std::lock_guard lock(mutex_);
      --open_;
      available_.notify_one();
      return tl::unexpected(reset.error());
    }
  }
  return Lease(shared_from_this(), std::move(conn));
}

void Pool::GiveBack(std::unique_ptr<Connection> conn) {
  if (conn->ok() && conn->InTransaction()) {
    // A lease ended inside a transaction (an early return): nothing of it may stay.
    (void)conn->Exec("ROLLBACK");
  }
  std::unique_ptr<Connection> broken;
  std::lock_guard lock(mutex_);
  if (conn->ok() && !conn->InTransaction()) {
    idle_.push_back(std::move(conn));
  } else {
    broken = std::move(conn);  // closed once the lock is released
    --open_;
  }
  available_.notify_one();
}

// ---------------------------------------------------------------------------------------------
// Transactions

Result<void> RunTransaction(Connection& conn, const std::function<Result<void>(Connection&)>& body,
                            const TransactionOptions& options) {
  const std::string begin =
      options.begin_mode.empty() ? "BEGIN" : fmt::format("BEGIN {}", options.begin_mode);
  const int attempts = std::max(1, options.max_attempts);
  for (int attempt = 1;; ++attempt) {
    auto started = conn.Exec(begin);
    if (!started && !conn.ok() && !conn.InTransaction()) {
      // The server dropped the connection while it was idle: nothing was sent yet, so reconnect
      // and try once more.
      if (auto reset = conn.Reset(); reset) started = conn.Exec(begin);
    }
    if (!started) return tl::unexpected(started.error());
    Result<void> result = body(conn);
    if (result && conn.TransactionFailed()) {
      result = MakeError(ErrorCode::kIoError,
                         "a statement in the transaction failed; the transaction was rolled back");
    }
    if (result) {
      auto committed = conn.Exec("COMMIT");
      if (committed) return {};
      result = tl::unexpected(committed.error());
    }
    if (conn.ok() && conn.InTransaction()) (void)conn.Exec("ROLLBACK");
    if (attempt >= attempts || !IsRetryable(result.error())) return result;
  }
}

Result<void> RunTransaction(Pool& pool, const std::function<Result<void>(Connection&)>& body,
                            const TransactionOptions& options) {
  auto lease = pool.Acquire();
  if (!lease) return tl::unexpected(lease.error());
  return RunTransaction(lease->get(), body, options);
}

Result<void> SetLocal(Connection& conn, std::string_view name, std::string_view value) {
  auto done = conn.Exec("SELECT set_config($1, $2, true)",
                        {Param(std::string(name)), Param(std::string(value))});
  if (!done) return tl::unexpected(done.error());
  return {};
}

}  // namespace hipcoach::pg
