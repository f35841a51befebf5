// Storage for tracking: the local profile, assessments, programme versions, sessions, exercise
// logs, check-ins, outcome measures and events. `Store` is the interface with two
// implementations: OpenSqliteStore() (embedded, one file) and OpenPostgresStore() (a PostgreSQL
// server, shared by several processes). Both pass the same test suite
// (tests/store/store_suite.hpp), which is written against this interface only.
//
// Contracts every implementation keeps:
// - every write is one transaction: it is all there when the call returns, or nothing changed;
// - a write whose values are out of range (ValidateRecord) fails with kInvalidInput and changes
//   nothing;
// - a write is durable on disk when the call returns (it survives a crash of the process);
// - every row carries a person_id; the local profile (personal mode) is person 1, the accounts
//   of the multi-user web app have person ids of their own.
//
// Threads: a SQLite store is used by one thread at a time (the caller locks). A PostgreSQL store
// may be used by many threads at once without a lock; Transaction() pins one connection to the
// calling thread for the body, so the body's writes (on that thread) share its transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hipcoach/status.hpp"

namespace hipcoach {

using TimeSeconds = std::int64_t;  // seconds since 1970-01-01T00:00:00Z
using RowId = std::int64_t;

struct Profile {
  RowId person_id = 0;
  std::string display_name;  // optional; no account, no e-mail
  TimeSeconds created_at = 0;
  bool operator==(const Profile&) const = default;
};

struct StoredAssessment {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds at = 0;
  std::string knowledge_version;
  std::string answers_json;  // {"answers": {...}}, as `hipcoach assess --answers` reads
  std::string result_json;   // AssessmentJson()
  bool operator==(const StoredAssessment&) const = default;
};

struct ProgrammeVersion {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds at = 0;
  std::optional<RowId> assessment_id;
  std::string programme_json;  // the active plan (tracking.hpp ActivePlan)
  std::string reason;          // plain words, shown to the person
  bool operator==(const ProgrammeVersion&) const = default;
};

// A guided session; `state_json` holds where it stopped, so it can be resumed.
struct SessionRecord {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds started_at = 0;
  std::optional<TimeSeconds> ended_at;
  std::optional<RowId> programme_version_id;
  std::string status = "in_progress";  // in_progress | completed | stopped
  std::string state_json = "{}";
  bool operator==(const SessionRecord&) const = default;
};

// One exercise on one side in one session (or a quick log entry without a session).
struct ExerciseLog {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds at = 0;
  std::optional<RowId> session_id;
  std::string exercise;       // exercise id
  std::string side = "both";  // left | right | both
  int sets = 0;               // 0..20
  int reps = 0;               // reps completed on every set (the lowest set), 0..100
  int hold_seconds = 0;       // 0..600
  int pain = 0;               // highest pain during, 0..10
  std::optional<int> effort;  // how hard it felt, 0..10
  bool operator==(const ExerciseLog&) const = default;
};

struct RegionPain {
  std::string region;  // body-map region id (docs/knowledge-schema.md)
  std::string side;    // left | right | both | "" (midline)
  int pain = 0;        // 0..10
  bool operator==(const RegionPain&) const = default;
};

// A check-in. Several a day are allowed.
struct CheckIn {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds at = 0;
  int pain_now = 0;                 // 0..10
  std::optional<int> pain_worst;    // 0..10, worst in the last 24 hours
  std::vector<RegionPain> regions;  // pain by body region and side
  std::optional<bool> slept_on_painful_side;
  std::optional<int> sitting_tolerance_minutes;  // 0..1440
  std::optional<double> running_km;              // 0..300
  std::optional<int> cycling_minutes;            // 0..1440
  std::optional<double> sitting_hours;           // 0..24
  std::string change;  // since last week: much_better|better|same|worse|much_worse|"" (not asked)
  bool danger_check = false;  // the danger-sign questions were asked in this check-in
  bool operator==(const CheckIn&) const = default;
};

// Outcome measures: "nprs" (0-10 pain score) and "psfs" (3-5 personal activities, 0-10 each; the
// score is their mean). HOOS, ODI and VISA-G are not stored: their licences forbid it.
struct PsfsItem {
  std::string activity;
  int score = 0;  // 0 = unable, 10 = as before the problem
  bool operator==(const PsfsItem&) const = default;
};
struct OutcomeRecord {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds at = 0;
  std::string measure;  // nprs | psfs
  double score = 0;
  std::vector<PsfsItem> items;  // psfs only
  bool operator==(const OutcomeRecord&) const = default;
};

// Something that happened to the programme. kind: danger_sign | escalation | pause | resume |
// programme_change. `code` is the red-flag, escalation or decision id; `message` the words shown.
struct Event {
  RowId id = 0;
  RowId person_id = 0;
  TimeSeconds at = 0;
  std::string kind;
  std::string code;
  std::string message;
  std::string details_json = "{}";
  bool operator==(const Event&) const = default;
};

// Everything stored for one person, in id order: what export writes and import reads.
struct DataSet {
  Profile profile;
  std::vector<StoredAssessment> assessments;
  std::vector<ProgrammeVersion> programmes;
  std::vector<SessionRecord> sessions;
  std::vector<ExerciseLog> exercise_logs;
  std::vector<CheckIn> checkins;
  std::vector<OutcomeRecord> outcomes;
  std::vector<Event> events;
  bool operator==(const DataSet&) const = default;
};

// Range checks shared by every implementation; the message names the field and its range.
Result<void> ValidateRecord(const ExerciseLog& log);
Result<void> ValidateRecord(const CheckIn& checkin);
Result<void> ValidateRecord(const OutcomeRecord& outcome);
Result<void> ValidateRecord(const Event& event);
Result<void> ValidateRecord(const SessionRecord& session);
Result<void> ValidateRecord(const StoredAssessment& assessment);
Result<void> ValidateRecord(const ProgrammeVersion& programme);
// Every record, and that ids are unique and references (session, assessment, programme) resolve.
Result<void> ValidateDataSet(const DataSet& data);

class Store {
 public:
  virtual ~Store() = default;

  // The local profile, created on first use: person 1. (SQLite returns the profile with the lowest
  // id, which differs only after a file of another person was imported into an empty database.)
  virtual Result<Profile> LocalProfile() = 0;

  // Writes return the row id: a new one when the record's id is 0; a positive id is kept (import
  // relies on it) and fails if it is taken.
  virtual Result<RowId> AddAssessment(const StoredAssessment& assessment) = 0;
  virtual Result<RowId> AddProgrammeVersion(const ProgrammeVersion& programme) = 0;
  virtual Result<RowId> AddSession(const SessionRecord& session) = 0;
  virtual Result<void> UpdateSession(const SessionRecord& session) = 0;  // kNotFound if absent
  virtual Result<RowId> AddExerciseLog(const ExerciseLog& log) = 0;
  virtual Result<RowId> AddCheckIn(const CheckIn& checkin) = 0;
  virtual Result<RowId> AddOutcome(const OutcomeRecord& outcome) = 0;
  virtual Result<RowId> AddEvent(const Event& event) = 0;

  // Reads, oldest first. `from`/`to` bound `at` (inclusive).
  virtual Result<std::vector<StoredAssessment>> Assessments(RowId person) = 0;
  virtual Result<std::vector<ProgrammeVersion>> ProgrammeVersions(RowId person) = 0;
  virtual Result<std::vector<SessionRecord>> Sessions(RowId person) = 0;
  virtual Result<std::vector<ExerciseLog>> ExerciseLogs(RowId person, TimeSeconds from,
                                                        TimeSeconds to) = 0;
  virtual Result<std::vector<CheckIn>> CheckIns(RowId person, TimeSeconds from, TimeSeconds to) = 0;
  virtual Result<std::vector<OutcomeRecord>> Outcomes(RowId person) = 0;
  virtual Result<std::vector<Event>> Events(RowId person) = 0;

  // Runs `body` as one transaction over `person`'s records: every write inside it commits
  // together, or (when it returns an error) none does. Writes inside do not open their own
  // transactions, and a nested Transaction() is part of the enclosing one. Transactions for one
  // person run one after another (across threads, processes and servers), so a use case that
  // reads, decides and writes inside one cannot interleave with another for the same person.
  virtual Result<void> Transaction(RowId person, const std::function<Result<void>()>& body) = 0;

  // Everything for one person.
  virtual Result<DataSet> Export(RowId person) = 0;
  // Writes a whole data set, keeping its ids, in one transaction, after ValidateDataSet. Fails
  // (changing nothing) when the store already holds data for that person, unless `replace`, which
  // deletes that person's data first in the same transaction.
  virtual Result<void> Import(const DataSet& data, bool replace) = 0;

  // Deletes everything stored for `person`, their profile row included, in one transaction.
  // Other people's data is untouched. Deleting a person with nothing stored succeeds.
  virtual Result<void> DeletePerson(RowId person) = 0;
};

struct SqliteOptions {
  int busy_timeout_ms = 5000;
  // Opening checks every page (PRAGMA quick_check) of a file up to this size; of a larger one,
  // only the tables that say whose data is whose (docs/performance.md has the cost).
  std::uintmax_t full_check_max_bytes = std::uintmax_t{256} << 20;
  // Migrate to this schema version (tests build older databases); 0 means the latest.
  int schema_version = 0;
};

// The latest SQLite schema version.
inline constexpr int kSqliteSchemaVersion = 3;

// What hipcoach writes into the SQLite header (PRAGMA application_id): "hipc" in ASCII. A file
// with another id, or without one that holds tables other than hipcoach's, is another program's.
inline constexpr int kSqliteApplicationId = 0x68697063;

// Opens (creating if needed, with its directory) the SQLite database at `path` and migrates it to
// the latest schema. Errors are written for the person: a file that is not a database, a database
// another program holds locked, a newer schema than this version of hipcoach knows.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

// The schema version of the database at `path` (0 for an empty file); for tests and diagnostics.
Result<int> SqliteSchemaVersion(const std::string& path);

// $XDG_DATA_HOME/hipcoach/hipcoach.db, or ~/.local/share/hipcoach/hipcoach.db.
std::string DefaultDatabasePath();

struct PostgresOptions {
  // Connections open at most at once; threads wait for a free one beyond that.
  int pool_size = 8;
  // Migrate to this schema version (tests build older databases); 0 means the latest.
  int schema_version = 0;
};

// The latest PostgreSQL schema version.
inline constexpr int kPostgresSchemaVersion = 2;

// Connects to PostgreSQL (`url`: postgresql://user@host/db?... or a libpq "key=value" string) and
// migrates the database to the latest schema, under an advisory lock so that servers starting
// together do not race. Row-level security keeps every person's rows apart even if a query
// forgot its WHERE; it only holds when the role is not a superuser (docs/postgresql.md). Error
// messages never show a password from the URL.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 const PostgresOptions& options = {});

// The schema version of the PostgreSQL database at `url` (0 when it has no hipcoach tables).
Result<int> PostgresSchemaVersion(const std::string& url);

// true when `location` is a PostgreSQL URL (postgresql:// or postgres://).
bool IsPostgresUrl(const std::string& location);

// Opens PostgreSQL when `location` is a PostgreSQL URL, otherwise the SQLite file at that path.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location);

}  // namespace hipcoach
