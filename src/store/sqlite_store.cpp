// The embedded SQLite implementation of Store.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "hipcoach/json_reader.hpp"
#include "hipcoach/store.hpp"
#include "migrations.hpp"
#include "sqlite_db.hpp"
#include "store_records.hpp"

namespace hipcoach {
namespace {

using sqlite::Database;
using sqlite::Statement;
using json = nlohmann::json;

template <typename T>
Result<T> Fail(const Error& error) {
  return tl::unexpected<Error>(error);
}

#define HIPCOACH_TRY(expr)                                              \
  do {                                                                  \
    if (auto try_ = (expr); !try_) return tl::unexpected(try_.error()); \
  } while (false)

Result<int> ReadSchemaVersion(Database& db) {
  auto exists = db.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!exists) return Fail<int>(exists.error());
  auto row = exists->Step();
  if (!row) return Fail<int>(row.error());
  if (exists->Int(0) == 0) return 0;
  auto version = db.Prepare("SELECT version FROM schema_version");
  if (!version) return Fail<int>(version.error());
  auto has = version->Step();
  if (!has) return Fail<int>(has.error());
  return *has ? version->Int(0) : 0;
}

Result<std::string> Text(Database& db, std::string_view sql) {
  auto s = db.Prepare(sql);
  if (!s) return tl::unexpected(s.error());
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  return *row ? s->Text(0) : std::string();
}

// Whose file this is, and whether it is whole, before anything is written to it. Returns true
// when the file is hipcoach's but not marked yet (a new file, or an older hipcoach's).
Result<bool> CheckFile(Database& db, std::uintmax_t full_check_max_bytes) {
  auto id = Text(db, "PRAGMA application_id");
  if (!id) return tl::unexpected(id.error());
  const bool ours = *id == std::to_string(kSqliteApplicationId);
  if (!ours && *id != "0") {
    return MakeError(ErrorCode::kDataError,
                     fmt::format("'{}' is another program's database (its application id is {}), "
                                 "not hipcoach's. Nothing was changed. Use --db to choose another "
                                 "file.",
                                 db.path(), *id));
  }
  bool unmarked = false;
  if (!ours) {
    auto list = db.Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER "
        "BY name");
    if (!list) return tl::unexpected(list.error());
    std::vector<std::string> tables;
    for (;;) {
      auto row = list->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      tables.push_back(list->Text(0));
    }
    const auto has = [&](const char* name) {
      return std::find(tables.begin(), tables.end(), name) != tables.end();
    };
    // Empty (new), or made by a hipcoach from before application ids: its own tables.
    if (!tables.empty() && !(has("schema_version") && has("profile"))) {
      std::string names;
      for (std::size_t i = 0; i < tables.size() && i < 5; ++i) {
        names += (i > 0 ? ", " : "") + tables[i];
      }
      return MakeError(ErrorCode::kDataError,
                       fmt::format("'{}' is another program's database (it holds tables such as "
                                   "{}), not hipcoach's; hipcoach does not take it over. Nothing "
                                   "was changed. Use --db to choose another file.",
                                   db.path(), names));
    }
    unmarked = true;
    if (tables.empty()) return unmarked;
  }
  // Every page of every table and index (quick_check: the structure, not each index's every
  // entry), which costs about 30 ms for five years of one person's entries and 1.6 s for a
  // hundred people's (docs/performance.md). Past full_check_max_bytes, only the tables that say
  // whose data is whose (the profile) and what the schema is.
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(db.path(), ec);
  auto check = Text(db, !ec && bytes > full_check_max_bytes
                            ? "SELECT (SELECT group_concat(quick_check) FROM "
                              "pragma_quick_check('profile')) || (SELECT group_concat(quick_check) "
                              "FROM pragma_quick_check('schema_version'))"
                            : "PRAGMA quick_check(1)");
  if (check && *check == "okok") *check = "ok";
  if (!check) return tl::unexpected(check.error());
  if (*check != "ok") {
    return tl::unexpected(sqlite::ErrorFor(SQLITE_CORRUPT, *check, db.path()));
  }
  return unmarked;
}

// Every connection: WAL, and synchronous=FULL so a commit is on disk when it returns (NORMAL with
// WAL may lose the last commits on power loss, which a log entry must survive). The file is
// checked first (CheckFile), so that nothing is written to a file that is not hipcoach's or is
// damaged; a new or older hipcoach file is marked as hipcoach's.
Result<void> Configure(Database& db, const SqliteOptions& options) {
  HIPCOACH_TRY(db.Exec(fmt::format("PRAGMA busy_timeout={}", options.busy_timeout_ms)));
  // Reading the schema first turns "not a database" into a clear error before any write.
  HIPCOACH_TRY(db.Exec("SELECT count(*) FROM sqlite_master"));
  auto unmarked = CheckFile(db, options.full_check_max_bytes);
  if (!unmarked) return tl::unexpected(unmarked.error());
  auto mode = db.Prepare("PRAGMA journal_mode=WAL");
  if (!mode) return tl::unexpected(mode.error());
  auto row = mode->Step();
  if (!row) return tl::unexpected(row.error());
  HIPCOACH_TRY(db.Exec("PRAGMA synchronous=FULL"));
  HIPCOACH_TRY(db.Exec("PRAGMA foreign_keys=ON"));
  if (*unmarked)
    HIPCOACH_TRY(db.Exec(fmt::format("PRAGMA application_id={}", kSqliteApplicationId)));
  return {};
}

Result<void> Migrate(Database& db, int target) {
  auto current = ReadSchemaVersion(db);
  if (!current) return tl::unexpected(current.error());
  if (*current > static_cast<int>(sqlite::kMigrations.size())) {
    return MakeError(ErrorCode::kDataError,
                     fmt::format("the database '{}' was written by a newer hipcoach (schema {}; "
                                 "this one knows up to {}). Nothing was changed. Update hipcoach.",
                                 db.path(), *current, sqlite::kMigrations.size()));
  }
  for (int version = *current + 1; version <= target; ++version) {
    HIPCOACH_TRY(db.Exec("BEGIN IMMEDIATE"));
    std::string sql(sqlite::kMigrations[static_cast<std::size_t>(version - 1)]);
    if (version == 1) sql = "CREATE TABLE schema_version(version INTEGER NOT NULL);" + sql;
    sql += version == 1 ? fmt::format("INSERT INTO schema_version(version) VALUES ({});", version)
                        : fmt::format("UPDATE schema_version SET version = {};", version);
    if (auto ok = db.Exec(sql); !ok) {
      (void)db.Exec("ROLLBACK");
      return ok;
    }
    HIPCOACH_TRY(db.Exec("COMMIT"));
  }
  return {};
}

std::string RegionsJson(const std::vector<PsfsItem>& items) {
  json list = json::array();
  for (const PsfsItem& i : items) list.push_back({{"activity", i.activity}, {"score", i.score}});
  return list.dump();
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Database db) : db_(std::move(db)) {}

  Result<Profile> LocalProfile() override {
    auto found = ReadProfile();
    if (!found) return Fail<Profile>(found.error());
    if (*found) return **found;
    auto made = Write([&]() -> Result<void> {
      auto insert = db_.Prepare("INSERT INTO profile(person_id, created_at) VALUES (1, ?)");
      if (!insert) return tl::unexpected(insert.error());
      return insert->Bind(1, static_cast<std::int64_t>(std::time(nullptr))).Run();
    });
    if (!made) return Fail<Profile>(made.error());
    auto again = ReadProfile();
    if (!again) return Fail<Profile>(again.error());
    return **again;
  }

  Result<RowId> AddAssessment(const StoredAssessment& a) override {
    return Insert(a,
                  "INSERT INTO assessment(id, person_id, at, knowledge_version, answers_json, "
                  "result_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  [&](Statement& s) {
                    s.Bind(2, a.person_id).Bind(3, a.at).Bind(4, a.knowledge_version);
                    s.Bind(5, a.answers_json).Bind(6, a.result_json);
                  });
  }

  Result<RowId> AddProgrammeVersion(const ProgrammeVersion& p) override {
    return Insert(p,
                  "INSERT INTO programme_version(id, person_id, at, assessment_id, programme_json, "
                  "reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  [&](Statement& s) {
                    s.Bind(2, p.person_id).Bind(3, p.at).Bind(4, p.assessment_id);
                    s.Bind(5, p.programme_json).Bind(6, p.reason);
                  });
  }

  Result<RowId> AddSession(const SessionRecord& r) override {
    return Insert(r,
                  "INSERT INTO session(id, person_id, started_at, ended_at, programme_version_id, "
                  "status, state_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  [&](Statement& s) { BindSession(s, r); });
  }

  Result<void> UpdateSession(const SessionRecord& r) override {
    if (auto ok = ValidateRecord(r); !ok) return ok;
    return Write([&]() -> Result<void> {
      auto s = db_.Prepare(
          "UPDATE session SET person_id = ?2, started_at = ?3, ended_at = ?4, "
          "programme_version_id = ?5, status = ?6, state_json = ?7 WHERE id = ?1");
      if (!s) return tl::unexpected(s.error());
      s->Bind(1, r.id);
      BindSession(*s, r);
      HIPCOACH_TRY(s->Run());
      if (sqlite3_changes(db_.handle()) == 0) {
        return MakeError(ErrorCode::kNotFound, fmt::format("there is no session {}", r.id));
      }
      return {};
    });
  }

  Result<RowId> AddExerciseLog(const ExerciseLog& l) override {
    return Insert(l,
                  "INSERT INTO exercise_log(id, person_id, at, session_id, exercise, side, sets, "
                  "reps, hold_seconds, pain, effort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                  "?10, ?11)",
                  [&](Statement& s) {
                    s.Bind(2, l.person_id).Bind(3, l.at).Bind(4, l.session_id);
                    s.Bind(5, l.exercise).Bind(6, l.side).Bind(7, l.sets).Bind(8, l.reps);
                    s.Bind(9, l.hold_seconds).Bind(10, l.pain).Bind(11, l.effort);
                  });
  }

  Result<RowId> AddCheckIn(const CheckIn& c) override {
    if (auto ok = ValidateRecord(c); !ok) return Fail<RowId>(ok.error());
    RowId id = 0;
    auto done = Write([&]() -> Result<void> {
      auto s = db_.Prepare(
          "INSERT INTO checkin(id, person_id, at, pain_now, pain_worst, slept_on_painful_side, "
          "sitting_tolerance_minutes, running_km, cycling_minutes, sitting_hours, change, "
          "danger_check) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
      if (!s) return tl::unexpected(s.error());
      BindId(*s, c.id);
      s->Bind(2, c.person_id).Bind(3, c.at).Bind(4, c.pain_now).Bind(5, c.pain_worst);
      s->Bind(6, c.slept_on_painful_side).Bind(7, c.sitting_tolerance_minutes);
      s->Bind(8, c.running_km).Bind(9, c.cycling_minutes).Bind(10, c.sitting_hours);
      s->Bind(11, c.change).Bind(12, c.danger_check);
      HIPCOACH_TRY(s->Run());
      id = db_.LastInsertId();
      int position = 0;
      for (const RegionPain& r : c.regions) {
        auto region = db_.Prepare(
            "INSERT INTO checkin_region(checkin_id, position, region, side, pain) VALUES (?, ?, ?, "
            "?, ?)");
        if (!region) return tl::unexpected(region.error());
        region->Bind(1, id).Bind(2, position++).Bind(3, r.region).Bind(4, r.side).Bind(5, r.pain);
        HIPCOACH_TRY(region->Run());
      }
      return {};
    });
    if (!done) return Fail<RowId>(done.error());
    return id;
  }

  Result<RowId> AddOutcome(const OutcomeRecord& o) override {
    return Insert(o,
                  "INSERT INTO outcome(id, person_id, at, measure, score, items_json) VALUES (?1, "
                  "?2, ?3, ?4, ?5, ?6)",
                  [&](Statement& s) {
                    s.Bind(2, o.person_id).Bind(3, o.at).Bind(4, o.measure).Bind(5, o.score);
                    s.Bind(6, RegionsJson(o.items));
                  });
  }

  Result<RowId> AddEvent(const Event& e) override {
    return Insert(e,
                  "INSERT INTO event(id, person_id, at, kind, code, message, details_json) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  [&](Statement& s) {
                    s.Bind(2, e.person_id).Bind(3, e.at).Bind(4, e.kind).Bind(5, e.code);
                    s.Bind(6, e.message).Bind(7, e.details_json);
                  });
  }

  Result<std::vector<StoredAssessment>> Assessments(RowId person) override {
    return Query<StoredAssessment>(
        "SELECT id, person_id, at, knowledge_version, answers_json, result_json FROM assessment "
        "WHERE person_id = ? ORDER BY at, id",
        [&](Statement& s) { s.Bind(1, person); },
        [](const Statement& s) {
          return StoredAssessment{s.Int64(0), s.Int64(1), s.Int64(2),
                                  s.Text(3),  s.Text(4),  s.Text(5)};
        });
  }

  Result<std::vector<ProgrammeVersion>> ProgrammeVersions(RowId person) override {
    return Query<ProgrammeVersion>(
        "SELECT id, person_id, at, assessment_id, programme_json, reason FROM programme_version "
        "WHERE person_id = ? ORDER BY at, id",
        [&](Statement& s) { s.Bind(1, person); },
        [](const Statement& s) {
          return ProgrammeVersion{s.Int64(0),    s.Int64(1), s.Int64(2),
                                  s.OptInt64(3), s.Text(4),  s.Text(5)};
        });
  }

  Result<std::vector<SessionRecord>> Sessions(RowId person) override {
    return Query<SessionRecord>(
        "SELECT id, person_id, started_at, ended_at, programme_version_id, status, state_json "
        "FROM session WHERE person_id = ? ORDER BY started_at, id",
        [&](Statement& s) { s.Bind(1, person); },
        [](const Statement& s) {
          return SessionRecord{s.Int64(0),    s.Int64(1), s.Int64(2), s.OptInt64(3),
                               s.OptInt64(4), s.Text(5),  s.Text(6)};
        });
  }

  Result<std::vector<ExerciseLog>> ExerciseLogs(RowId person, TimeSeconds from,
                                                TimeSeconds to) override {
    return Query<ExerciseLog>(
        "SELECT id, person_id, at, session_id, exercise, side, sets, reps, hold_seconds, pain, "
        "effort FROM exercise_log WHERE person_id = ? AND at BETWEEN ? AND ? ORDER BY at, id",
        [&](Statement& s) { s.Bind(1, person).Bind(2, from).Bind(3, to); },
        [](const Statement& s) {
          ExerciseLog l;
          l.id = s.Int64(0);
          l.person_id = s.Int64(1);
          l.at = s.Int64(2);
          l.session_id = s.OptInt64(3);
          l.exercise = s.Text(4);
          l.side = s.Text(5);
          l.sets = s.Int(6);
          l.reps = s.Int(7);
          l.hold_seconds = s.Int(8);
          l.pain = s.Int(9);
          l.effort = s.OptInt(10);
          return l;
        });
  }

  Result<std::vector<CheckIn>> CheckIns(RowId person, TimeSeconds from, TimeSeconds to) override {
    auto checkins = Query<CheckIn>(
        "SELECT id, person_id, at, pain_now, pain_worst, slept_on_painful_side, "
        "sitting_tolerance_minutes, running_km, cycling_minutes, sitting_hours, change, "
        "danger_check FROM checkin WHERE person_id = ? AND at BETWEEN ? AND ? ORDER BY at, id",
        [&](Statement& s) { s.Bind(1, person).Bind(2, from).Bind(3, to); },
        [](const Statement& s) {
          CheckIn c;
          c.id = s.Int64(0);
          c.person_id = s.Int64(1);
          c.at = s.Int64(2);
          c.pain_now = s.Int(3);
          c.pain_worst = s.OptInt(4);
          if (!s.IsNull(5)) c.slept_on_painful_side = s.Int(5) != 0;
          c.sitting_tolerance_minutes = s.OptInt(6);
          c.running_km = s.OptDouble(7);
          c.cycling_minutes = s.OptInt(8);
          c.sitting_hours = s.OptDouble(9);
          c.change = s.Text(10);
          c.danger_check = s.Int(11) != 0;
          return c;
        });
    if (!checkins || checkins->empty()) return checkins;
    // Regions in one pass over the same range.
    auto regions = db_.Prepare(
        "SELECT r.checkin_id, r.region, r.side, r.pain FROM checkin_region r JOIN checkin c ON "
        "c.id = r.checkin_id WHERE c.person_id = ? AND c.at BETWEEN ? AND ? ORDER BY "
        "r.checkin_id, r.position");
    if (!regions) return Fail<std::vector<CheckIn>>(regions.error());
    regions->Bind(1, person).Bind(2, from).Bind(3, to);
    std::map<RowId, std::vector<RegionPain>> by_checkin;
    for (;;) {
      auto row = regions->Step();
      if (!row) return Fail<std::vector<CheckIn>>(row.error());
      if (!*row) break;
      by_checkin[regions->Int64(0)].push_back(
          RegionPain{regions->Text(1), regions->Text(2), regions->Int(3)});
    }
    for (CheckIn& c : *checkins) {
      auto it = by_checkin.find(c.id);
      if (it != by_checkin.end()) c.regions = std::move(it->second);
    }
    return checkins;
  }

  Result<std::vector<OutcomeRecord>> Outcomes(RowId person) override {
    return Query<OutcomeRecord>(
        "SELECT id, person_id, at, measure, score, items_json FROM outcome WHERE person_id = ? "
        "ORDER BY at, id",
        [&](Statement& s) { s.Bind(1, person); },
        [](const Statement& s) {
          OutcomeRecord o;
          o.id = s.Int64(0);
          o.person_id = s.Int64(1);
          o.at = s.Int64(2);
          o.measure = s.Text(3);
          o.score = s.Double(4);
          for (const json& item : json::parse(s.Text(5), nullptr, false)) {
            if (item.is_object()) {
              o.items.push_back(PsfsItem{TextField(item, "activity"),
                                         static_cast<int>(IntField(item, "score", 0, 0, 10))});
            }
          }
          return o;
        });
  }

  Result<std::vector<Event>> Events(RowId person) override {
    return Query<Event>(
        "SELECT id, person_id, at, kind, code, message, details_json FROM event WHERE person_id = "
        "? ORDER BY at, id",
        [&](Statement& s) { s.Bind(1, person); },
        [](const Statement& s) {
          return Event{s.Int64(0), s.Int64(1), s.Int64(2), s.Text(3),
                       s.Text(4),  s.Text(5),  s.Text(6)};
        });
  }

  // BEGIN IMMEDIATE takes the database's write lock first, so transactions (for any person) run
  // one after another.
  Result<void> Transaction(RowId /*person*/, const std::function<Result<void>()>& body) override {
    return Write(body);
  }

  Result<DataSet> Export(RowId person) override {
    DataSet d;
    auto profile = ReadProfile(person);
    if (!profile) return Fail<DataSet>(profile.error());
    if (!*profile) {
      return MakeError(ErrorCode::kNotFound, "there is no profile to export yet");
    }
    d.profile = **profile;
    constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
    constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();
    auto take = [](auto result, auto& into) -> Result<void> {
      if (!result) return tl::unexpected(result.error());
      into = std::move(*result);
      return {};
    };
    HIPCOACH_TRY(take(Assessments(person), d.assessments));
    HIPCOACH_TRY(take(ProgrammeVersions(person), d.programmes));
    HIPCOACH_TRY(take(Sessions(person), d.sessions));
    HIPCOACH_TRY(take(ExerciseLogs(person, kNone, kAll), d.exercise_logs));
    HIPCOACH_TRY(take(CheckIns(person, kNone, kAll), d.checkins));
    HIPCOACH_TRY(take(Outcomes(person), d.outcomes));
    HIPCOACH_TRY(take(Events(person), d.events));
    auto by_id = [](auto& list) {
      std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    };
    by_id(d.assessments);
    by_id(d.programmes);
    by_id(d.sessions);
    by_id(d.exercise_logs);
    by_id(d.checkins);
    by_id(d.outcomes);
    by_id(d.events);
    return d;
  }

  Result<void> Import(const DataSet& d, bool replace) override {
    if (auto ok = ValidateDataSet(d); !ok) {
      return MakeError(
          ErrorCode::kInvalidInput,
          fmt::format("the import is not valid: {}. Nothing was imported.", ok.error().message));
    }
    return Write([&]() -> Result<void> {
      const RowId person = d.profile.person_id;
      auto count = db_.Prepare(
          "SELECT (SELECT count(*) FROM assessment WHERE person_id = ?1) + (SELECT count(*) FROM "
          "checkin WHERE person_id = ?1) + (SELECT count(*) FROM exercise_log WHERE person_id = "
          "?1) + (SELECT count(*) FROM event WHERE person_id = ?1) + (SELECT count(*) FROM "
          "outcome WHERE person_id = ?1) + (SELECT count(*) FROM session WHERE person_id = ?1) + "
          "(SELECT count(*) FROM programme_version WHERE person_id = ?1)");
      if (!count) return tl::unexpected(count.error());
      count->Bind(1, person);
      HIPCOACH_TRY(count->Step());
      if (count->Int64(0) > 0 && !replace) {
        return MakeError(ErrorCode::kInvalidInput,
                         "this database already holds your data; nothing was imported. Use "
                         "--replace to replace it with the file's data, or --db to import into a "
                         "new database.");
      }
      HIPCOACH_TRY(DeleteAll(person));
      auto profile =
          db_.Prepare("INSERT INTO profile(person_id, display_name, created_at) VALUES (?, ?, ?)");
      if (!profile) return tl::unexpected(profile.error());
      profile->Bind(1, person).Bind(2, d.profile.display_name).Bind(3, d.profile.created_at);
      HIPCOACH_TRY(profile->Run());
      HIPCOACH_TRY(AddRecords(*this, d));
      return {};
    });
  }

  Result<void> DeletePerson(RowId person) override {
    return Write([&]() { return DeleteAll(person); });
  }

 private:
  // Every row of `person`, the profile row included.
  Result<void> DeleteAll(RowId person) {
    for (const char* table : {"checkin_region", "exercise_log", "session", "programme_version",
                              "assessment", "checkin", "outcome", "event", "profile"}) {
      const std::string where = std::string(table) == "checkin_region"
                                    ? "checkin_id IN (SELECT id FROM checkin WHERE person_id = ?)"
                                    : "person_id = ?";
      auto del = db_.Prepare(fmt::format("DELETE FROM {} WHERE {}", table, where));
      if (!del) return tl::unexpected(del.error());
      del->Bind(1, person);
      HIPCOACH_TRY(del->Run());
    }
    return {};
  }

  void BindSession(Statement& s, const SessionRecord& r) {
    s.Bind(2, r.person_id).Bind(3, r.started_at).Bind(4, r.ended_at);
    s.Bind(5, r.programme_version_id).Bind(6, r.status).Bind(7, r.state_json);
  }

  static void BindId(Statement& s, RowId id) {
    if (id > 0) {
      s.Bind(1, id);
    } else {
      s.BindNull(1);
    }
  }

  // The profile of `person`, or (person 0) the one with the lowest id.
  Result<std::optional<Profile>> ReadProfile(RowId person = 0) {
    auto s = db_.Prepare(
        person > 0 ? "SELECT person_id, display_name, created_at FROM profile WHERE person_id = ?"
                   : "SELECT person_id, display_name, created_at FROM profile ORDER BY person_id "
                     "LIMIT 1");
    if (!s) return Fail<std::optional<Profile>>(s.error());
    if (person > 0) s->Bind(1, person);
    auto row = s->Step();
    if (!row) return Fail<std::optional<Profile>>(row.error());
    if (!*row) return std::optional<Profile>();
    return std::optional<Profile>(Profile{s->Int64(0), s->Text(1), s->Int64(2)});
  }

  // One transaction around `body`, or part of the enclosing one.
  Result<void> Write(const std::function<Result<void>()>& body) {
    if (depth_ > 0) return body();
    HIPCOACH_TRY(db_.Exec("BEGIN IMMEDIATE"));
    ++depth_;
    Result<void> result;
    try {
      result = body();
    } catch (...) {
      // A body that throws (out of memory, say) writes nothing and leaves no transaction open.
      --depth_;
      (void)db_.Exec("ROLLBACK");
      throw;
    }
    --depth_;
    if (!result) {
      (void)db_.Exec("ROLLBACK");
      return result;
    }
    if (auto commit = db_.Exec("COMMIT"); !commit) {
      (void)db_.Exec("ROLLBACK");
      return commit;
    }
    return {};
  }

  template <typename Record, typename BindFn>
  Result<RowId> Insert(const Record& record, std::string_view sql, BindFn bind) {
    if (auto ok = ValidateRecord(record); !ok) return Fail<RowId>(ok.error());
    RowId id = 0;
    auto done = Write([&]() -> Result<void> {
      auto s = db_.Prepare(sql);
      if (!s) return tl::unexpected(s.error());
      BindId(*s, record.id);
      bind(*s);
      HIPCOACH_TRY(s->Run());
      id = db_.LastInsertId();
      return {};
    });
    if (!done) return Fail<RowId>(done.error());
    return id;
  }

  template <typename Record, typename BindFn, typename ReadFn>
  Result<std::vector<Record>> Query(std::string_view sql, BindFn bind, ReadFn read) {
    auto s = db_.Prepare(sql);
    if (!s) return Fail<std::vector<Record>>(s.error());
    bind(*s);
    std::vector<Record> out;
    for (;;) {
      auto row = s->Step();
      if (!row) return Fail<std::vector<Record>>(row.error());
      if (!*row) break;
      out.push_back(read(*s));
    }
    return out;
  }

  Database db_;
  int depth_ = 0;
};

Result<Database> OpenConfigured(const std::string& path, const SqliteOptions& options) {
  auto db = Database::Open(path);
  if (!db) return db;
  if (auto ok = Configure(*db, options); !ok) return Fail<Database>(ok.error());
  return db;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  const std::filesystem::path file(path);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (std::filesystem::is_directory(file, ec)) {
    return MakeError(ErrorCode::kIoError,
                     fmt::format("'{}' is a folder, not a database file. Use --db to choose a "
                                 "file.",
                                 path));
  }
  auto db = OpenConfigured(path, options);
  if (!db) return Fail<std::unique_ptr<Store>>(db.error());
  const int target = options.schema_version > 0 ? options.schema_version
                                                : static_cast<int>(sqlite::kMigrations.size());
  if (auto ok = Migrate(*db, target); !ok) return Fail<std::unique_ptr<Store>>(ok.error());
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(*db)));
}

Result<int> SqliteSchemaVersion(const std::string& path) {
  auto db = OpenConfigured(path, SqliteOptions{});
  if (!db) return Fail<int>(db.error());
  return ReadSchemaVersion(*db);
}

}  // namespace hipcoach
