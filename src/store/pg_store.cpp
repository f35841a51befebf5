// The PostgreSQL implementation of Store.
//
// Threads: the store holds a connection pool and no other mutable state, so many threads may use
// one store at once. Each call runs as one transaction on a connection leased for the call. A
// Transaction() pins one leased connection to the calling thread until the body returns; calls
// the body makes on that thread run on it, inside the same transaction (a nested Transaction()
// joins the outer one). Calls from other threads meanwhile use other connections and do not see
// the body's writes until it commits.
//
// People: every query names its person (WHERE person_id = ...), and every transaction first sets
// hipcoach.person_id, which the row-level security policies of migration 2 compare with each row's
// person_id. Inside a Transaction() the setting follows the person of each call.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "hipcoach/json_reader.hpp"
#include "hipcoach/store.hpp"
#include "pg_db.hpp"
#include "pg_migrations.hpp"
#include "store_records.hpp"

namespace hipcoach {
namespace {

using json = nlohmann::json;
using pg::Num;
using pg::Opt;
using pg::Text;

// Serialises migrations of one database across processes ("hipcoach" in ASCII).
constexpr std::int64_t kMigrationLock = 0x686970636f616368;
// The first key of the per-person advisory locks that make one person's transactions run one
// after another (the second key is the person id, folded into 31 bits: two people sharing a key
// only wait for each other).
constexpr int kPersonLock = 0x68637070;

std::string PersonLockSql(RowId person) {
  return fmt::format("SELECT pg_advisory_xact_lock({}, {})", kPersonLock,
                     person % std::int64_t{2147483648});
}

static_assert(kPostgresSchemaVersion == static_cast<int>(pg::kMigrations.size()),
              "kPostgresSchemaVersion (store.hpp) must be the number of migrations");

template <typename T>
Result<T> Fail(const Error& error) {
  return tl::unexpected<Error>(error);
}

#define HIPCOACH_TRY(expr)                                              \
  do {                                                                  \
    if (auto try_ = (expr); !try_) return tl::unexpected(try_.error()); \
  } while (false)

// A database error turned into words about the record that was being written.
Error WriteError(const Error& error, std::string_view what, RowId id) {
  const std::string state = pg::SqlState(error);
  if (state == pg::kUniqueViolation && id > 0) {
    return Error{ErrorCode::kInvalidInput,
                 fmt::format("the {} id {} is already taken. Nothing was changed.", what, id)};
  }
  if (state == pg::kForeignKeyViolation) {
    return Error{ErrorCode::kInvalidInput,
                 fmt::format("the {} refers to a record that does not exist ({}). Nothing was "
                             "changed.",
                             what, error.message)};
  }
  return Error{error.code,
               fmt::format("the {} was not saved: {}. Nothing was changed.", what, error.message)};
}

std::string ItemsJson(const std::vector<PsfsItem>& items) {
  json list = json::array();
  for (const PsfsItem& i : items) list.push_back({{"activity", i.activity}, {"score", i.score}});
  return list.dump();
}

std::vector<PsfsItem> ParseItems(const std::string& text) {
  std::vector<PsfsItem> items;
  for (const json& item : json::parse(text, nullptr, false)) {
    if (item.is_object()) {
      items.push_back(PsfsItem{TextField(item, "activity"),
                               static_cast<int>(IntField(item, "score", 0, 0, 10))});
    }
  }
  return items;
}

Result<int> ReadSchemaVersion(pg::Connection& conn) {
  auto exists = conn.Exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) return Fail<int>(exists.error());
  if (!exists->Bool(0, 0)) return 0;
  auto version = conn.Exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!version) return Fail<int>(version.error());
  return version->Int(0, 0);
}

Result<void> Migrate(pg::Connection& conn, int target) {
  return pg::RunTransaction(conn, [&](pg::Connection& c) -> Result<void> {
    HIPCOACH_TRY(c.Exec("SELECT pg_advisory_xact_lock($1)", {Num(kMigrationLock)}));
    HIPCOACH_TRY(
        c.Exec("CREATE TABLE IF NOT EXISTS schema_migrations(version integer PRIMARY KEY, "
               "applied_at timestamptz NOT NULL DEFAULT now())"));
    auto current = ReadSchemaVersion(c);
    if (!current) return tl::unexpected(current.error());
    const int known = static_cast<int>(pg::kMigrations.size());
    if (*current > known) {
      return MakeError(ErrorCode::kDataError,
                       fmt::format("the PostgreSQL database at '{}' was written by a newer "
                                   "hipcoach (schema {}; this one knows up to {}). Nothing was "
                                   "changed. Update hipcoach.",
                                   c.redacted_url(), *current, known));
    }
    for (int version = *current + 1; version <= target; ++version) {
      if (auto ok = c.ExecScript(pg::kMigrations[static_cast<std::size_t>(version - 1)]); !ok) {
        return MakeError(ok.error().code, fmt::format("migrating the PostgreSQL database to "
                                                      "schema {} failed: {}. Nothing was changed.",
                                                      version, ok.error().message));
      }
      HIPCOACH_TRY(c.Exec("INSERT INTO schema_migrations(version) VALUES ($1)", {Num(version)}));
    }
    return {};
  });
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

  Result<Profile> LocalProfile() override {
    constexpr RowId kLocal = 1;
    Profile profile;
    auto done = Run(kLocal, [&](pg::Connection& c) -> Result<void> {
      auto found = ReadProfile(c, kLocal);
      if (!found) return tl::unexpected(found.error());
      if (*found) {
        profile = **found;
        return {};
      }
      HIPCOACH_TRY(
          c.Exec("INSERT INTO profile(person_id, created_at) VALUES ($1, $2) ON CONFLICT "
                 "(person_id) DO NOTHING",
                 {Num(kLocal), Num(static_cast<std::int64_t>(std::time(nullptr)))}));
      auto made = ReadProfile(c, kLocal);
      if (!made) return tl::unexpected(made.error());
      if (!*made) return MakeError(ErrorCode::kIoError, "the local profile could not be created");
      profile = **made;
      return {};
    });
    if (!done) return Fail<Profile>(done.error());
    return profile;
  }

  Result<RowId> AddAssessment(const StoredAssessment& a) override {
    return Insert(a, "assessment", "assessment",
                  "person_id, at, knowledge_version, answers_json, result_json",
                  {Num(a.person_id), Num(a.at), Text(a.knowledge_version), Text(a.answers_json),
                   Text(a.result_json)});
  }

  Result<RowId> AddProgrammeVersion(const ProgrammeVersion& p) override {
    return Insert(p, "programme_version", "programme version",
                  "person_id, at, assessment_id, programme_json, reason",
                  {Num(p.person_id), Num(p.at), Opt(p.assessment_id), Text(p.programme_json),
                   Text(p.reason)});
  }

  Result<RowId> AddSession(const SessionRecord& s) override {
    return Insert(s, "session", "session",
                  "person_id, started_at, ended_at, programme_version_id, status, state_json",
                  {Num(s.person_id), Num(s.started_at), Opt(s.ended_at),
                   Opt(s.programme_version_id), Text(s.status), Text(s.state_json)});
  }

  Result<void> UpdateSession(const SessionRecord& s) override {
    if (auto ok = ValidateRecord(s); !ok) return ok;
    return Run(s.person_id, [&](pg::Connection& c) -> Result<void> {
      auto updated = c.Exec(
          "UPDATE session SET started_at = $3, ended_at = $4, programme_version_id = $5, "
          "status = $6, state_json = $7 WHERE id = $1 AND person_id = $2",
          {Num(s.id), Num(s.person_id), Num(s.started_at), Opt(s.ended_at),
           Opt(s.programme_version_id), Text(s.status), Text(s.state_json)});
      if (!updated) return tl::unexpected(WriteError(updated.error(), "session", 0));
      if (updated->affected() == 0) {
        return MakeError(ErrorCode::kNotFound, fmt::format("there is no session {}", s.id));
      }
      return {};
    });
  }

  Result<RowId> AddExerciseLog(const ExerciseLog& l) override {
    return Insert(l, "exercise_log", "exercise log",
                  "person_id, at, session_id, exercise, side, sets, reps, hold_seconds, pain, "
                  "effort",
                  {Num(l.person_id), Num(l.at), Opt(l.session_id), Text(l.exercise), Text(l.side),
                   Num(l.sets), Num(l.reps), Num(l.hold_seconds), Num(l.pain), Opt(l.effort)});
  }

  Result<RowId> AddCheckIn(const CheckIn& c) override {
    if (auto ok = ValidateRecord(c); !ok) return Fail<RowId>(ok.error());
    RowId id = 0;
    auto done = Run(c.person_id, [&](pg::Connection& conn) -> Result<void> {
      auto inserted = InsertRow(
          conn, "checkin", "check-in", c.id,
          "person_id, at, pain_now, pain_worst, slept_on_painful_side, "
          "sitting_tolerance_minutes, running_km, cycling_minutes, sitting_hours, change, "
          "danger_check",
          {Num(c.person_id), Num(c.at), Num(c.pain_now), Opt(c.pain_worst),
           Opt(c.slept_on_painful_side), Opt(c.sitting_tolerance_minutes), Opt(c.running_km),
           Opt(c.cycling_minutes), Opt(c.sitting_hours), Text(c.change), pg::Bool(c.danger_check)});
      if (!inserted) return tl::unexpected(inserted.error());
      id = *inserted;
      if (c.regions.empty()) return {};
      json regions = json::array();
      for (const RegionPain& r : c.regions) regions.push_back({r.region, r.side, r.pain});
      auto written = conn.Exec(
          "INSERT INTO checkin_region(checkin_id, person_id, position, region, side, pain) "
          "SELECT $1, $2, r.n - 1, r.v->>0, r.v->>1, (r.v->>2)::integer "
          "FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS r(v, n)",
          {Num(id), Num(c.person_id), Text(regions.dump())});
      if (!written) return tl::unexpected(WriteError(written.error(), "check-in", 0));
      return {};
    });
    if (!done) return Fail<RowId>(done.error());
    return id;
  }

  Result<RowId> AddOutcome(const OutcomeRecord& o) override {
    return Insert(
        o, "outcome", "outcome", "person_id, at, measure, score, items_json",
        {Num(o.person_id), Num(o.at), Text(o.measure), Num(o.score), Text(ItemsJson(o.items))});
  }

  Result<RowId> AddEvent(const Event& e) override {
    return Insert(e, "event", "event", "person_id, at, kind, code, message, details_json",
                  {Num(e.person_id), Num(e.at), Text(e.kind), Text(e.code), Text(e.message),
                   Text(e.details_json)});
  }

  Result<std::vector<StoredAssessment>> Assessments(RowId person) override {
    return Query<StoredAssessment>(
        person,
        "SELECT id, person_id, at, knowledge_version, answers_json, result_json FROM assessment "
        "WHERE person_id = $1 ORDER BY at, id",
        {Num(person)}, [](const pg::Rows& r, int i) {
          return StoredAssessment{r.Int64(i, 0), r.Int64(i, 1), r.Int64(i, 2),
                                  r.Text(i, 3),  r.Text(i, 4),  r.Text(i, 5)};
        });
  }

  Result<std::vector<ProgrammeVersion>> ProgrammeVersions(RowId person) override {
    return Query<ProgrammeVersion>(
        person,
        "SELECT id, person_id, at, assessment_id, programme_json, reason FROM programme_version "
        "WHERE person_id = $1 ORDER BY at, id",
        {Num(person)}, [](const pg::Rows& r, int i) {
          return ProgrammeVersion{r.Int64(i, 0),    r.Int64(i, 1), r.Int64(i, 2),
                                  r.OptInt64(i, 3), r.Text(i, 4),  r.Text(i, 5)};
        });
  }

  Result<std::vector<SessionRecord>> Sessions(RowId person) override {
    return Query<SessionRecord>(
        person,
        "SELECT id, person_id, started_at, ended_at, programme_version_id, status, state_json "
        "FROM session WHERE person_id = $1 ORDER BY started_at, id",
        {Num(person)}, [](const pg::Rows& r, int i) {
          return SessionRecord{r.Int64(i, 0),    r.Int64(i, 1), r.Int64(i, 2), r.OptInt64(i, 3),
                               r.OptInt64(i, 4), r.Text(i, 5),  r.Text(i, 6)};
        });
  }

  Result<std::vector<ExerciseLog>> ExerciseLogs(RowId person, TimeSeconds from,
                                                TimeSeconds to) override {
    return Query<ExerciseLog>(
        person,
        "SELECT id, person_id, at, session_id, exercise, side, sets, reps, hold_seconds, pain, "
        "effort FROM exercise_log WHERE person_id = $1 AND at BETWEEN $2 AND $3 ORDER BY at, id",
        {Num(person), Num(from), Num(to)}, [](const pg::Rows& r, int i) {
          ExerciseLog l;
          l.id = r.Int64(i, 0);
          l.person_id = r.Int64(i, 1);
          l.at = r.Int64(i, 2);
          l.session_id = r.OptInt64(i, 3);
          l.exercise = r.Text(i, 4);
          l.side = r.Text(i, 5);
          l.sets = r.Int(i, 6);
          l.reps = r.Int(i, 7);
          l.hold_seconds = r.Int(i, 8);
          l.pain = r.Int(i, 9);
          l.effort = r.OptInt(i, 10);
          return l;
        });
  }

  Result<std::vector<CheckIn>> CheckIns(RowId person, TimeSeconds from, TimeSeconds to) override {
    // The regions come along as one JSON array per check-in: [[region, side, pain], ...].
    return Query<CheckIn>(
        person,
        "SELECT c.id, c.person_id, c.at, c.pain_now, c.pain_worst, c.slept_on_painful_side, "
        "c.sitting_tolerance_minutes, c.running_km, c.cycling_minutes, c.sitting_hours, "
        "c.change, c.danger_check, (SELECT json_agg(json_build_array(r.region, r.side, r.pain) "
        "ORDER BY r.position) FROM checkin_region r WHERE r.checkin_id = c.id AND r.person_id = "
        "c.person_id) FROM checkin c WHERE c.person_id = $1 AND c.at BETWEEN $2 AND $3 ORDER BY "
        "c.at, c.id",
        {Num(person), Num(from), Num(to)}, [](const pg::Rows& r, int i) {
          CheckIn c;
          c.id = r.Int64(i, 0);
          c.person_id = r.Int64(i, 1);
          c.at = r.Int64(i, 2);
          c.pain_now = r.Int(i, 3);
          c.pain_worst = r.OptInt(i, 4);
          c.slept_on_painful_side = r.OptBool(i, 5);
          c.sitting_tolerance_minutes = r.OptInt(i, 6);
          c.running_km = r.OptDouble(i, 7);
          c.cycling_minutes = r.OptInt(i, 8);
          c.sitting_hours = r.OptDouble(i, 9);
          c.change = r.Text(i, 10);
          c.danger_check = r.Bool(i, 11);
          if (!r.IsNull(i, 12)) {
            for (const json& region : json::parse(r.Text(i, 12), nullptr, false)) {
              if (region.is_array() && region.size() == 3) {
                c.regions.push_back(RegionPain{region[0].get<std::string>(),
                                               region[1].get<std::string>(), region[2].get<int>()});
              }
            }
          }
          return c;
        });
  }

  Result<std::vector<OutcomeRecord>> Outcomes(RowId person) override {
    return Query<OutcomeRecord>(
        person,
        "SELECT id, person_id, at, measure, score, items_json FROM outcome WHERE person_id = $1 "
        "ORDER BY at, id",
        {Num(person)}, [](const pg::Rows& r, int i) {
          OutcomeRecord o;
          o.id = r.Int64(i, 0);
          o.person_id = r.Int64(i, 1);
          o.at = r.Int64(i, 2);
          o.measure = r.Text(i, 3);
          o.score = r.Double(i, 4);
          o.items = ParseItems(r.Text(i, 5));
          return o;
        });
  }

  Result<std::vector<Event>> Events(RowId person) override {
    return Query<Event>(
        person,
        "SELECT id, person_id, at, kind, code, message, details_json FROM event WHERE person_id "
        "= $1 ORDER BY at, id",
        {Num(person)}, [](const pg::Rows& r, int i) {
          return Event{r.Int64(i, 0), r.Int64(i, 1), r.Int64(i, 2), r.Text(i, 3),
                       r.Text(i, 4),  r.Text(i, 5),  r.Text(i, 6)};
        });
  }

  Result<void> Transaction(RowId person, const std::function<Result<void>()>& body) override {
    return InTransaction(person, false, body);
  }

  Result<DataSet> Export(RowId person) override {
    DataSet d;
    // One snapshot for all the reads, so a write meanwhile cannot tear the data set.
    auto done = InTransaction(person, true, [&]() -> Result<void> {
      auto profile = Run(person, [&](pg::Connection& c) -> Result<void> {
        auto found = ReadProfile(c, person);
        if (!found) return tl::unexpected(found.error());
        if (!*found) return MakeError(ErrorCode::kNotFound, "there is no profile to export yet");
        d.profile = **found;
        return {};
      });
      HIPCOACH_TRY(profile);
      constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
      constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();
      auto take = [](auto result, auto& into) -> Result<void> {
        if (!result) return tl::unexpected(result.error());
        into = std::move(*result);
        std::sort(into.begin(), into.end(),
                  [](const auto& a, const auto& b) { return a.id < b.id; });
        return {};
      };
      HIPCOACH_TRY(take(Assessments(person), d.assessments));
      HIPCOACH_TRY(take(ProgrammeVersions(person), d.programmes));
      HIPCOACH_TRY(take(Sessions(person), d.sessions));
      HIPCOACH_TRY(take(ExerciseLogs(person, kNone, kAll), d.exercise_logs));
      HIPCOACH_TRY(take(CheckIns(person, kNone, kAll), d.checkins));
      HIPCOACH_TRY(take(Outcomes(person), d.outcomes));
      HIPCOACH_TRY(take(Events(person), d.events));
      return {};
    });
    if (!done) return Fail<DataSet>(done.error());
    return d;
  }

  Result<void> Import(const DataSet& d, bool replace) override {
    if (auto ok = ValidateDataSet(d); !ok) {
      return MakeError(
          ErrorCode::kInvalidInput,
          fmt::format("the import is not valid: {}. Nothing was imported.", ok.error().message));
    }
    const RowId person = d.profile.person_id;
    return InTransaction(person, false, [&]() -> Result<void> {
      return Run(person, [&](pg::Connection& c) -> Result<void> {
        auto held = c.Exec(
            "SELECT EXISTS(SELECT 1 FROM assessment WHERE person_id = $1) OR EXISTS(SELECT 1 "
            "FROM programme_version WHERE person_id = $1) OR EXISTS(SELECT 1 FROM session WHERE "
            "person_id = $1) OR EXISTS(SELECT 1 FROM exercise_log WHERE person_id = $1) OR "
            "EXISTS(SELECT 1 FROM checkin WHERE person_id = $1) OR EXISTS(SELECT 1 FROM outcome "
            "WHERE person_id = $1) OR EXISTS(SELECT 1 FROM event WHERE person_id = $1)",
            {Num(person)});
        if (!held) return tl::unexpected(held.error());
        if (held->Bool(0, 0) && !replace) {
          return MakeError(ErrorCode::kInvalidInput,
                           "this database already holds your data; nothing was imported. Use "
                           "--replace to replace it with the file's data, or --db to import "
                           "into a new database.");
        }
        HIPCOACH_TRY(DeleteAll(c, person));
        HIPCOACH_TRY(
            c.Exec("INSERT INTO profile(person_id, display_name, created_at) VALUES ($1, $2, $3)",
                   {Num(person), Text(d.profile.display_name), Num(d.profile.created_at)}));
        HIPCOACH_TRY(AddRecords(*this, d));
        return {};
      });
    });
  }

  Result<void> DeletePerson(RowId person) override {
    return Run(person, [&](pg::Connection& c) { return DeleteAll(c, person); });
  }

 private:
  // A connection pinned to a thread for a Transaction(), and the person its setting names.
  struct Pin {
    const PostgresStore* store;
    pg::Connection* conn;
    RowId person;
    std::vector<RowId> locked;  // the people whose lock the transaction holds
  };

  static std::vector<Pin>& Pins() {
    static thread_local std::vector<Pin> pins;
    return pins;
  }

  class PinGuard {
   public:
    PinGuard(const PostgresStore* store, pg::Connection* conn, RowId person, bool locked)
        : store_(store) {
      Pins().push_back(Pin{store, conn, person, {}});
      if (locked) Pins().back().locked.push_back(person);
    }
    ~PinGuard() {
      auto& pins = Pins();
      pins.erase(std::find_if(pins.begin(), pins.end(),
                              [this](const Pin& p) { return p.store == store_; }));
    }
    PinGuard(const PinGuard&) = delete;
    PinGuard& operator=(const PinGuard&) = delete;

   private:
    const PostgresStore* store_;
  };

  Pin* Pinned() const {
    for (Pin& pin : Pins()) {
      if (pin.store == this) return &pin;
    }
    return nullptr;
  }

  // BEGIN, durable commits (whatever the server's default), the person for row-level security
  // and, for a transaction that writes, the person's lock (taken before anything is read, so the
  // body reads what the previous holder committed). A connection the server dropped while idle
  // is reset and BEGIN tried once more.
  static Result<void> Begin(pg::Connection& c, RowId person, bool snapshot) {
    std::string sql = snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ; " : "BEGIN; ";
    sql += "SET LOCAL synchronous_commit = on";
    if (person > 0) {
      sql += fmt::format("; SELECT set_config('hipcoach.person_id', '{}', true)", person);
      if (!snapshot) sql += "; " + PersonLockSql(person);
    }
    auto begun = c.ExecScript(sql);
    if (!begun && !c.ok()) {
      if (auto reset = c.Reset(); reset) begun = c.ExecScript(sql);
    }
    if (!begun && c.ok() && c.InTransaction()) (void)c.Exec("ROLLBACK");
    return begun;
  }

  // COMMIT when `result` is a success, ROLLBACK otherwise.
  static Result<void> Finish(pg::Connection& c, Result<void> result) {
    if (result && c.TransactionFailed()) {
      result = MakeError(ErrorCode::kIoError,
                         "a statement in the transaction failed, so none of it was saved");
    }
    if (result) {
      auto committed = c.Exec("COMMIT");
      if (committed) return {};
      result = tl::unexpected(committed.error());
    }
    if (c.ok() && c.InTransaction()) (void)c.Exec("ROLLBACK");
    return result;
  }

  // Runs `body` in a transaction pinned to this thread (or inside the one already pinned).
  Result<void> InTransaction(RowId person, bool snapshot,
                             const std::function<Result<void>()>& body) {
    if (Pin* pin = Pinned(); pin != nullptr) {
      // Part of the enclosing transaction, which takes this person's lock too if it has not.
      if (person > 0 && !snapshot &&
          std::find(pin->locked.begin(), pin->locked.end(), person) == pin->locked.end()) {
        HIPCOACH_TRY(pin->conn->ExecScript(PersonLockSql(person)));
        pin->locked.push_back(person);
      }
      return body();
    }
    auto lease = pool_->Acquire();
    if (!lease) return tl::unexpected(lease.error());
    pg::Connection& c = lease->get();
    HIPCOACH_TRY(Begin(c, person, snapshot));
    Result<void> result;
    {
      // Unpinned however the body ends; if it throws, the lease rolls the transaction back.
      PinGuard pin(this, &c, person, person > 0 && !snapshot);
      result = body();
    }
    if (result && c.ok() && !c.InTransaction()) {
      result = MakeError(ErrorCode::kIoError, "the transaction ended early");
    }
    if (result && c.InTransaction() && !c.ok()) {
      result = MakeError(ErrorCode::kIoError, "the connection to PostgreSQL was lost");
    }
    return Finish(c, std::move(result));
  }

  // Runs `fn` for `person`: on the thread's pinned connection (switching the person setting if
  // needed), or as a transaction of its own.
  Result<void> Run(RowId person, const std::function<Result<void>(pg::Connection&)>& fn) {
    if (Pin* pin = Pinned()) {
      if (pin->person != person) {
        HIPCOACH_TRY(pg::SetLocal(*pin->conn, "hipcoach.person_id", std::to_string(person)));
        pin->person = person;
      }
      return fn(*pin->conn);
    }
    auto lease = pool_->Acquire();
    if (!lease) return tl::unexpected(lease.error());
    pg::Connection& c = lease->get();
    HIPCOACH_TRY(Begin(c, person, false));
    return Finish(c, fn(c));
  }

  static Result<std::optional<Profile>> ReadProfile(pg::Connection& c, RowId person) {
    auto rows =
        c.Exec("SELECT person_id, display_name, created_at FROM profile WHERE person_id = $1",
               {Num(person)});
    if (!rows) return Fail<std::optional<Profile>>(rows.error());
    if (rows->empty()) return std::optional<Profile>();
    return std::optional<Profile>(Profile{rows->Int64(0, 0), rows->Text(0, 1), rows->Int64(0, 2)});
  }

  static Result<void> DeleteAll(pg::Connection& c, RowId person) {
    std::string sql;
    for (std::string_view table : pg::kPersonTables) {
      sql += fmt::format("DELETE FROM {} WHERE person_id = {};", table, person);
    }
    return c.ExecScript(sql);
  }

  // Inserts one row and returns its id. A positive `id` is kept (and the table's sequence moved
  // past it, so that later rows do not collide); otherwise the sequence gives one, skipping ids
  // that imports took meanwhile.
  static Result<RowId> InsertRow(pg::Connection& c, std::string_view table, std::string_view what,
                                 RowId id, std::string_view columns, pg::Params values) {
    std::string placeholders;
    const std::size_t first = id > 0 ? 2 : 1;
    for (std::size_t i = 0; i < values.size(); ++i) {
      placeholders += fmt::format("{}${}", i == 0 ? "" : ", ", i + first);
    }
    if (id > 0) {
      values.insert(values.begin(), Num(id));
      auto inserted = c.Exec(
          fmt::format("WITH added AS (INSERT INTO {0}(id, {1}) VALUES ($1, {2}) RETURNING id) "
                      "SELECT setval(pg_get_serial_sequence('{0}', 'id'), id) FROM added WHERE "
                      "id > coalesce(pg_sequence_last_value(pg_get_serial_sequence('{0}', "
                      "'id')::regclass), 0)",
                      table, columns, placeholders),
          values);
      if (!inserted) return Fail<RowId>(WriteError(inserted.error(), what, id));
      return id;
    }
    const std::string sql =
        fmt::format("INSERT INTO {}({}) VALUES ({}) ON CONFLICT (id) DO NOTHING RETURNING id",
                    table, columns, placeholders);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      auto inserted = c.Exec(sql, values);
      if (!inserted) return Fail<RowId>(WriteError(inserted.error(), what, 0));
      if (!inserted->empty()) return inserted->Int64(0, 0);
    }
    return MakeError(ErrorCode::kIoError,
                     fmt::format("no free id for a new {} (the id sequence of table {} is behind "
                                 "its rows)",
                                 what, table));
  }

  template <typename Record>
  Result<RowId> Insert(const Record& record, std::string_view table, std::string_view what,
                       std::string_view columns, const pg::Params& values) {
    if (auto ok = ValidateRecord(record); !ok) return Fail<RowId>(ok.error());
    RowId id = 0;
    auto done = Run(record.person_id, [&](pg::Connection& c) -> Result<void> {
      auto inserted = InsertRow(c, table, what, record.id, columns, values);
      if (!inserted) return tl::unexpected(inserted.error());
      id = *inserted;
      return {};
    });
    if (!done) return Fail<RowId>(done.error());
    return id;
  }

  template <typename Record, typename ReadFn>
  Result<std::vector<Record>> Query(RowId person, std::string_view sql, const pg::Params& params,
                                    ReadFn read) {
    std::vector<Record> out;
    auto take = [&](const pg::Rows& rows) {
      out.reserve(static_cast<std::size_t>(rows.size()));
      for (int i = 0; i < rows.size(); ++i) out.push_back(read(rows, i));
    };
    if (Pinned() == nullptr) {
      // Outside a Transaction(): the person setting and the query in one round trip (one
      // implicit transaction), instead of BEGIN, setting, query and COMMIT.
      auto lease = pool_->Acquire();
      if (!lease) return Fail<std::vector<Record>>(lease.error());
      pg::Connection& c = lease->get();
      const std::string batch =
          fmt::format("SELECT set_config('hipcoach.person_id', '{}', true); {}", person, sql);
      auto rows = c.ExecBatch(batch, params);
      if (!rows && !c.ok()) {  // dropped while idle: reconnect once
        if (auto reset = c.Reset(); reset) rows = c.ExecBatch(batch, params);
      }
      if (!rows) return Fail<std::vector<Record>>(rows.error());
      take(*rows);
      return out;
    }
    auto done = Run(person, [&](pg::Connection& c) -> Result<void> {
      auto rows = c.Exec(sql, params);
      if (!rows) return tl::unexpected(rows.error());
      take(*rows);
      return {};
    });
    if (!done) return Fail<std::vector<Record>>(done.error());
    return out;
  }

  std::shared_ptr<pg::Pool> pool_;
};

}  // namespace

bool IsPostgresUrl(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 const PostgresOptions& options) {
  const int known = static_cast<int>(pg::kMigrations.size());
  if (options.schema_version < 0 || options.schema_version > known) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("there is no PostgreSQL schema version {} (1 to {})",
                                 options.schema_version, known));
  }
  auto pool = pg::Pool::Open(url, options.pool_size);
  if (!pool) return Fail<std::unique_ptr<Store>>(pool.error());
  {
    auto lease = (*pool)->Acquire();
    if (!lease) return Fail<std::unique_ptr<Store>>(lease.error());
    const int target = options.schema_version > 0 ? options.schema_version : known;
    if (auto ok = Migrate(lease->get(), target); !ok) {
      return Fail<std::unique_ptr<Store>>(ok.error());
    }
  }
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(*pool)));
}

Result<int> PostgresSchemaVersion(const std::string& url) {
  auto conn = pg::Connection::Open(url);
  if (!conn) return Fail<int>(conn.error());
  return ReadSchemaVersion(*conn);
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  if (IsPostgresUrl(location)) return OpenPostgresStore(location);
  return OpenSqliteStore(location);
}

}  // namespace hipcoach
