// The SQLite implementation: the shared suite, plus what only a file database has: its pragmas,
// files that are not databases, locks, migrations from every earlier schema and crash consistency.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "hipcoach/store.hpp"
#include "store_suite.hpp"

namespace hipcoach::testing {
namespace {

constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();

StoreFactory SqliteFactory() {
  return {"Sqlite", [](const std::string& scratch, const std::string& key) {
            SqliteOptions options;
            options.busy_timeout_ms = 2000;
            return OpenSqliteStore(scratch + "/" + key + ".db", options);
          }};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Values(SqliteFactory()),
                         [](const auto& p) { return p.param.name; });

// A raw connection for looking underneath the Store interface.
class Raw {
 public:
  explicit Raw(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~Raw() { sqlite3_close(db_); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hipcoach-sqlite-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/hipcoach.db";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, CreatesItsFolderAndUsesWal) {
  const std::string nested = dir_ + "/a/b/hipcoach.db";
  auto store = OpenSqliteStore(nested);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->LocalProfile());
  Raw raw(nested);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Text("SELECT version FROM schema_version"), std::to_string(kSqliteSchemaVersion));
  EXPECT_EQ(*SqliteSchemaVersion(nested), kSqliteSchemaVersion);
}

TEST_F(SqliteStoreTest, DefaultPathFollowsXdg) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved = old_xdg != nullptr ? old_xdg : "";
  setenv("XDG_DATA_HOME", "/srv/data", 1);
  EXPECT_EQ(DefaultDatabasePath(), "/srv/data/hipcoach/hipcoach.db");
  unsetenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  EXPECT_EQ(DefaultDatabasePath(),
            std::string(home != nullptr ? home : ".") + "/.local/share/hipcoach/hipcoach.db");
  if (old_xdg != nullptr) setenv("XDG_DATA_HOME", saved.c_str(), 1);
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsLeftAlone) {
  const std::string text = "These are my notes, not a database.\n" + std::string(5000, 'x');
  std::ofstream(path_, std::ios::binary) << text;
  auto store = OpenSqliteStore(path_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDataError);
  EXPECT_NE(store.error().message.find("is not a hipcoach database"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("Nothing was changed"), std::string::npos);
  EXPECT_EQ(ReadAll(path_), text);
  EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
}

// Another program's SQLite database is not taken over: hipcoach's files carry an application_id
// (PRAGMA application_id), and a file without it is used only when it is empty or an older
// hipcoach's.
TEST_F(SqliteStoreTest, AnotherProgramsDatabaseIsRefusedAndLeftUntouched) {
  {
    Raw raw(path_);
    ASSERT_EQ(raw.Exec("CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT);"
                       "INSERT INTO customer(name) VALUES ('Ann'), ('Bob');"),
              SQLITE_OK);
  }
  const std::string before = ReadAll(path_);
  auto store = OpenSqliteStore(path_);
  ASSERT_FALSE(store) << "another program's database was opened";
  EXPECT_EQ(store.error().code, ErrorCode::kDataError);
  EXPECT_NE(store.error().message.find("another program"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("Nothing was changed"), std::string::npos);
  EXPECT_EQ(ReadAll(path_), before);
  EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
  // One that says whose it is, even with no tables yet.
  const std::string other = dir_ + "/other.db";
  {
    Raw raw(other);
    ASSERT_EQ(raw.Exec("PRAGMA application_id = 305419896"), SQLITE_OK);  // 0x12345678
  }
  const std::string other_before = ReadAll(other);
  auto refused = OpenSqliteStore(other);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("another program"), std::string::npos);
  EXPECT_EQ(ReadAll(other), other_before);
}

TEST_F(SqliteStoreTest, HipcoachFilesCarryTheirApplicationId) {
  ASSERT_TRUE(OpenSqliteStore(path_));
  EXPECT_EQ(Raw(path_).Text("PRAGMA application_id"), std::to_string(kSqliteApplicationId));
  // A file of an older hipcoach, without the id, is recognised by its tables and marked.
  const std::string older = dir_ + "/older.db";
  ASSERT_TRUE(OpenSqliteStore(older));
  ASSERT_EQ(Raw(older).Exec("PRAGMA application_id = 0"), SQLITE_OK);
  auto store = OpenSqliteStore(older);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(Raw(older).Text("PRAGMA application_id"), std::to_string(kSqliteApplicationId));
}

// A damaged page is noticed when the file is opened (PRAGMA quick_check), before anything is
// read from it or written to it.
TEST_F(SqliteStoreTest, ADamagedDatabaseIsRefusedAndLeftUntouched) {
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    auto person = (*store)->LocalProfile();
    ASSERT_TRUE(person);
    for (int i = 0; i < 400; ++i) {
      ExerciseLog log;
      log.person_id = person->person_id;
      log.at = 1767600000 + i;
      log.exercise = "glute_bridge_" + std::string(100, static_cast<char>('a' + i % 26));
      log.sets = 2;
      ASSERT_TRUE((*store)->AddExerciseLog(log));
    }
  }
  const std::string page_size = Raw(path_).Text("PRAGMA page_size");
  const std::string root =
      Raw(path_).Text("SELECT rootpage FROM sqlite_master WHERE name = 'exercise_log'");
  ASSERT_FALSE(root.empty());
  // Scribble over the cell pointers of the log table's root page (an interior page: 400 entries
  // take several pages), past its 12-byte header.
  std::string bytes = ReadAll(path_);
  const std::size_t size = std::stoul(page_size);
  const std::size_t page = std::stoul(root);
  ASSERT_GT(bytes.size(), page * size);
  ASSERT_EQ(bytes[(page - 1) * size], '\x05') << "the root page is not an interior page";
  for (std::size_t i = (page - 1) * size + 12; i < (page - 1) * size + 200; ++i) bytes[i] = '\xff';
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  auto store = OpenSqliteStore(path_);
  ASSERT_FALSE(store) << "a damaged database was opened";
  EXPECT_EQ(store.error().code, ErrorCode::kDataError);
  EXPECT_NE(store.error().message.find("is damaged"), std::string::npos) << store.error().message;
  EXPECT_EQ(ReadAll(path_), bytes);
}

// Past the size for a full check, opening still checks the profile, which says whose data is
// whose: a damaged profile page cannot lead to writes under a garbage person id.
TEST_F(SqliteStoreTest, ALargeDatabaseStillHasItsProfileChecked) {
  ASSERT_TRUE(OpenSqliteStore(path_));
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->LocalProfile());
  }
  const std::size_t size = std::stoul(Raw(path_).Text("PRAGMA page_size"));
  const std::size_t page =
      std::stoul(Raw(path_).Text("SELECT rootpage FROM sqlite_master WHERE name = 'profile'"));
  std::string bytes = ReadAll(path_);
  ASSERT_EQ(bytes[(page - 1) * size], '\x0d') << "the profile's page is not a table leaf";
  // The one cell's pointer, pointing off the end of the page.
  bytes[(page - 1) * size + 8] = '\xff';
  bytes[(page - 1) * size + 9] = '\xf0';
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  SqliteOptions large;
  large.full_check_max_bytes = 0;  // every file counts as large
  auto store = OpenSqliteStore(path_, large);
  ASSERT_FALSE(store) << "a damaged profile went unnoticed";
  EXPECT_NE(store.error().message.find("is damaged"), std::string::npos) << store.error().message;
  EXPECT_EQ(ReadAll(path_), bytes);
}

TEST_F(SqliteStoreTest, AFolderIsNotADatabase) {
  auto store = OpenSqliteStore(dir_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("is a folder"), std::string::npos);
}

TEST_F(SqliteStoreTest, ALockedDatabaseGivesAClearMessageAndChangesNothing) {
  SqliteOptions quick;
  quick.busy_timeout_ms = 200;
  auto store = OpenSqliteStore(path_, quick);
  ASSERT_TRUE(store);
  const RowId p = (*store)->LocalProfile()->person_id;
  Raw other(path_);
  ASSERT_EQ(other.Exec("BEGIN EXCLUSIVE"), SQLITE_OK);
  CheckIn c;
  c.person_id = p;
  c.at = 1767600000;
  c.pain_now = 3;
  const auto start = std::chrono::steady_clock::now();
  auto written = (*store)->AddCheckIn(c);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("is busy"), std::string::npos) << written.error().message;
  EXPECT_NE(written.error().message.find("Nothing was changed"), std::string::npos);
  EXPECT_GE(waited, std::chrono::milliseconds(150));  // it waited for the lock first
  ASSERT_EQ(other.Exec("COMMIT"), SQLITE_OK);
  EXPECT_TRUE((*store)->CheckIns(p, kNone, kAll)->empty());
  EXPECT_TRUE((*store)->AddCheckIn(c));  // and works once the lock is gone
}

TEST_F(SqliteStoreTest, ForeignKeysAreEnforcedOnEveryConnection) {
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->LocalProfile());
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  ExerciseLog log;
  log.person_id = 42;  // no such profile
  log.exercise = "clamshell";
  auto r = (*store)->AddExerciseLog(log);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("refused a value"), std::string::npos) << r.error().message;
}

TEST_F(SqliteStoreTest, ANewerSchemaIsRefused) {
  ASSERT_TRUE(OpenSqliteStore(path_));
  {
    Raw raw(path_);
    ASSERT_EQ(raw.Exec("UPDATE schema_version SET version = 99"), SQLITE_OK);
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer hipcoach"), std::string::npos);
  Raw raw(path_);
  EXPECT_EQ(raw.Text("SELECT version FROM schema_version"), "99");
}

// ---- Migrations: a database at every earlier schema version, with data written the way that
// version wrote it, opens at the latest version with the data intact.

// Rows as schema `version` stored them.
void SeedAtVersion(const std::string& path, int version) {
  Raw raw(path);
  ASSERT_EQ(raw.Exec("PRAGMA foreign_keys=ON"), SQLITE_OK);
  ASSERT_EQ(raw.Exec("INSERT INTO profile(person_id, display_name, created_at) VALUES (1, 'Sam', "
                     "1767600000)"),
            SQLITE_OK);
  ASSERT_EQ(raw.Exec("INSERT INTO assessment VALUES (1, 1, 1767600000, '2026.11.1', "
                     "'{\"answers\":{}}', '{}')"),
            SQLITE_OK);
  ASSERT_EQ(raw.Exec("INSERT INTO programme_version VALUES (1, 1, 1767600000, 1, '{}', 'first')"),
            SQLITE_OK);
  if (version < 3) {
    ASSERT_EQ(raw.Exec("INSERT INTO checkin(id, person_id, at, pain_now, pain_worst, regions_json, "
                       "change) VALUES (1, 1, 1767603600, 4, 6, '[{\"region\":\"lateral_hip\","
                       "\"side\":\"left\",\"pain\":5},{\"region\":\"lower_back\",\"pain\":2}]', "
                       "'better')"),
              SQLITE_OK);
  } else {
    ASSERT_EQ(raw.Exec("INSERT INTO checkin(id, person_id, at, pain_now, pain_worst, change) "
                       "VALUES (1, 1, 1767603600, 4, 6, 'better')"),
              SQLITE_OK);
    ASSERT_EQ(raw.Exec("INSERT INTO checkin_region VALUES (1, 0, 'lateral_hip', 'left', 5), "
                       "(1, 1, 'lower_back', '', 2)"),
              SQLITE_OK);
  }
  ASSERT_EQ(raw.Exec("INSERT INTO exercise_log(id, person_id, at, exercise, side, sets, reps, "
                     "hold_seconds, pain, effort) VALUES (1, 1, 1767607200, 'glute_bridge', "
                     "'both', 2, 12, 3, 2, 5)"),
            SQLITE_OK);
  ASSERT_EQ(raw.Exec("INSERT INTO event VALUES (1, 1, 1767607200, 'pause', 'x', 'Paused.', '{}')"),
            SQLITE_OK);
  if (version >= 2) {
    ASSERT_EQ(raw.Exec("INSERT INTO session VALUES (1, 1, 1767607000, NULL, 1, 'stopped', "
                       "'{\"item\":1}')"),
              SQLITE_OK);
    ASSERT_EQ(raw.Exec("UPDATE exercise_log SET session_id = 1 WHERE id = 1"), SQLITE_OK);
  }
  if (version >= 3) {
    ASSERT_EQ(raw.Exec("INSERT INTO outcome VALUES (1, 1, 1767600000, 'nprs', 4, '[]')"),
              SQLITE_OK);
  }
}

class MigrationTest : public SqliteStoreTest, public ::testing::WithParamInterface<int> {};

TEST_P(MigrationTest, UpgradesWithDataIntact) {
  const int from = GetParam();
  SqliteOptions old;
  old.schema_version = from;
  {
    auto store = OpenSqliteStore(path_, old);
    ASSERT_TRUE(store) << store.error().message;
  }
  ASSERT_EQ(*SqliteSchemaVersion(path_), from);
  SeedAtVersion(path_, from);
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*SqliteSchemaVersion(path_), kSqliteSchemaVersion);
  auto data = (*store)->Export(1);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->profile.display_name, "Sam");
  ASSERT_EQ(data->checkins.size(), 1u);
  const CheckIn& c = data->checkins[0];
  EXPECT_EQ(c.pain_now, 4);
  EXPECT_EQ(c.change, "better");
  ASSERT_EQ(c.regions.size(), 2u);
  EXPECT_EQ(c.regions[0], (RegionPain{"lateral_hip", "left", 5}));
  EXPECT_EQ(c.regions[1], (RegionPain{"lower_back", "", 2}));
  ASSERT_EQ(data->exercise_logs.size(), 1u);
  EXPECT_EQ(data->exercise_logs[0].effort, 5);
  EXPECT_EQ(data->exercise_logs[0].session_id.has_value(), from >= 2);
  EXPECT_EQ(data->sessions.size(), from >= 2 ? 1u : 0u);
  EXPECT_EQ(data->outcomes.size(), from >= 3 ? 1u : 0u);
  EXPECT_EQ(data->events.size(), 1u);
  // The upgraded database takes new writes of every kind.
  EXPECT_TRUE((*store)->AddOutcome({0, 1, 1767700000, "nprs", 3, {}}));
  Raw raw(path_);
  EXPECT_EQ(raw.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.Text("PRAGMA foreign_key_check"), "");
}

INSTANTIATE_TEST_SUITE_P(EveryEarlierSchema, MigrationTest,
                         ::testing::Range(1, kSqliteSchemaVersion),
                         [](const auto& p) { return "FromVersion" + std::to_string(p.param); });

TEST_F(SqliteStoreTest, AnEmptyFileIsSchemaZeroAndUpgrades) {
  std::ofstream(path_).close();
  EXPECT_EQ(*SqliteSchemaVersion(path_), 0);
  ASSERT_TRUE(OpenSqliteStore(path_));
  EXPECT_EQ(*SqliteSchemaVersion(path_), kSqliteSchemaVersion);
}

TEST_F(SqliteStoreTest, AFailedMigrationLeavesThePreviousVersion) {
  SqliteOptions old;
  old.schema_version = 2;
  ASSERT_TRUE(OpenSqliteStore(path_, old));
  SeedAtVersion(path_, 2);
  {
    // A region pain that schema 3's check refuses: migration 3 must roll back as a whole.
    Raw raw(path_);
    ASSERT_EQ(raw.Exec("UPDATE checkin SET regions_json = '[{\"region\":\"knee\",\"side\":"
                       "\"left\",\"pain\":15}]'"),
              SQLITE_OK);
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_FALSE(store);
  EXPECT_EQ(*SqliteSchemaVersion(path_), 2);
  Raw raw(path_);
  EXPECT_EQ(raw.Text("SELECT count(*) FROM sqlite_master WHERE name = 'checkin_region'"), "0");
  EXPECT_NE(raw.Text("SELECT regions_json FROM checkin"), "");
}

// ---- Crash consistency: a child writes log entries and reports each committed id through a
// pipe; it is killed with SIGKILL mid-writes. Every reported entry must be there afterwards, and
// the database must pass its integrity check.
TEST_F(SqliteStoreTest, EveryCommittedEntrySurvivesSigkill) {
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->LocalProfile());
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto store = OpenSqliteStore(path_);
    if (!store) _exit(3);
    for (int i = 0;; ++i) {
      ExerciseLog log;
      log.person_id = 1;
      log.at = 1767600000 + i;
      log.exercise = "glute_bridge";
      log.sets = 2;
      log.reps = i % 100;
      log.pain = i % 11;
      auto id = (*store)->AddExerciseLog(log);
      if (!id) _exit(4);
      const std::int64_t value = *id;
      if (write(fds[1], &value, sizeof value) != static_cast<ssize_t>(sizeof value)) _exit(5);
    }
  }
  close(fds[1]);
  std::vector<std::int64_t> reported;
  std::int64_t value = 0;
  while (reported.size() < 150 && read(fds[0], &value, sizeof value) == sizeof value) {
    reported.push_back(value);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  while (read(fds[0], &value, sizeof value) == sizeof value) reported.push_back(value);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status))
      << "the writer stopped on its own (exit " << WEXITSTATUS(status) << ")";
  ASSERT_GE(reported.size(), 150u);
  {
    Raw raw(path_);
    EXPECT_EQ(raw.Text("PRAGMA integrity_check"), "ok");
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  auto logs = (*store)->ExerciseLogs(1, kNone, kAll);
  ASSERT_TRUE(logs);
  std::set<std::int64_t> present;
  for (const ExerciseLog& log : *logs) present.insert(log.id);
  for (std::int64_t id : reported) EXPECT_EQ(present.count(id), 1u) << "entry " << id << " lost";
  CheckIn after;
  after.person_id = 1;
  after.at = 1767700000;
  EXPECT_TRUE((*store)->AddCheckIn(after));
}

}  // namespace
}  // namespace hipcoach::testing
