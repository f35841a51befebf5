// The PostgreSQL implementation: the shared suite, plus what only a server database has:
// migrations under a lock, row-level security, many threads on one store, connection errors and
// dropped connections, and the libpq layer (pg_db.hpp) itself. Needs the "postgres" CTest fixture
// (cmake/HipcoachPostgres.cmake); every test fails when the cluster is missing.
#include <fmt/format.h>

#include <atomic>
#include <barrier>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "hipcoach/store.hpp"
#include "pg_test_support.hpp"
#include "store/pg_db.hpp"
#include "store_suite.hpp"

namespace hipcoach::testing {
namespace {

constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();
constexpr TimeSeconds kT0 = 1767600000;

// One schema per (test, key): the test's scratch directory is unique, so its name is too.
std::string SchemaFor(const std::string& scratch, const std::string& key) {
  const std::string tail = scratch.substr(scratch.find_last_of("-/") + 1);
  std::string name = "s_";
  for (char c : tail) name += fmt::format("{:02x}", static_cast<unsigned char>(c));
  name += "_";
  for (char c : key) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.substr(0, 63);
}

StoreFactory PostgresFactory() {
  return {"Postgres",
          [](const std::string& scratch, const std::string& key) -> Result<std::unique_ptr<Store>> {
            auto url = SchemaUrl(SchemaFor(scratch, key));
            if (!url) return tl::unexpected(url.error());
            PostgresOptions options;
            options.pool_size = 4;
            return OpenPostgresStore(*url, options);
          }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreSuite, ::testing::Values(PostgresFactory()),
                         [](const auto& p) { return p.param.name; });

ExerciseLog Log(RowId person, TimeSeconds at, int pain = 2) {
  ExerciseLog log;
  log.person_id = person;
  log.at = at;
  log.exercise = "clamshell";
  log.sets = 3;
  log.reps = 10;
  log.pain = pain;
  return log;
}

DataSet EmptyPerson(RowId person) {
  DataSet d;
  d.profile = Profile{person, "", kT0};
  return d;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = SchemaUrl(UniqueSchemaName("pgt"));
    ASSERT_TRUE(url) << url.error().message;
    url_ = *url;
  }

  std::unique_ptr<Store> OpenStore(int pool_size = 4, int schema_version = 0) {
    PostgresOptions options;
    options.pool_size = pool_size;
    options.schema_version = schema_version;
    auto store = OpenPostgresStore(url_, options);
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    return store ? std::move(*store) : nullptr;
  }

  // A connection as the application's role, outside the store.
  pg::Connection Raw() {
    auto conn = pg::Connection::Open(url_);
    EXPECT_TRUE(conn) << (conn ? "" : conn.error().message);
    return conn ? std::move(*conn) : pg::Connection();
  }

  std::string url_;
};

// ---------------------------------------------------------------------------------------------
// Migrations

TEST_F(PostgresStoreTest, MigratesAFreshDatabaseToTheLatestSchema) {
  auto before = PostgresSchemaVersion(url_);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(*before, 0);
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*PostgresSchemaVersion(url_), kPostgresSchemaVersion);
  pg::Connection raw = Raw();
  auto versions = raw.Exec(
      "SELECT string_agg(version::text, ',' ORDER BY version) FROM "
      "schema_migrations");
  ASSERT_TRUE(versions) << versions.error().message;
  EXPECT_EQ(versions->Text(0, 0), "1,2");
  // Opening again changes nothing.
  ASSERT_NE(OpenStore(), nullptr);
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM schema_migrations")->Int(0, 0), kPostgresSchemaVersion);
}

TEST_F(PostgresStoreTest, MigratesFromEveryEarlierVersionKeepingTheData) {
  for (int from = 1; from < kPostgresSchemaVersion; ++from) {
    SetUp();  // a fresh schema for each starting version
    DataSet written;
    {
      auto old = OpenStore(2, from);
      ASSERT_NE(old, nullptr);
      EXPECT_EQ(*PostgresSchemaVersion(url_), from);
      const RowId p = old->LocalProfile()->person_id;
      ASSERT_TRUE(old->AddExerciseLog(Log(p, kT0)));
      CheckIn c;
      c.person_id = p;
      c.at = kT0;
      c.pain_now = 3;
      c.regions = {{"buttock", "left", 3}};
      ASSERT_TRUE(old->AddCheckIn(c));
      written = *old->Export(p);
    }
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*PostgresSchemaVersion(url_), kPostgresSchemaVersion) << "from " << from;
    auto now = store->Export(written.profile.person_id);
    ASSERT_TRUE(now) << now.error().message;
    EXPECT_EQ(*now, written) << "from " << from;
  }
}

TEST_F(PostgresStoreTest, RefusesANewerSchemaAndChangesNothing) {
  ASSERT_NE(OpenStore(), nullptr);
  pg::Connection raw = Raw();
  ASSERT_TRUE(raw.Exec("INSERT INTO schema_migrations(version) VALUES (99)"));
  auto store = OpenPostgresStore(url_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kDataError);
  EXPECT_NE(store.error().message.find("newer hipcoach (schema 99; this one knows up to 2)"),
            std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("Nothing was changed"), std::string::npos);
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM schema_migrations")->Int(0, 0), 3);
}

TEST_F(PostgresStoreTest, ServersStartingTogetherMigrateOnce) {
  constexpr int kServers = 6;
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  std::mutex errors_mu;
  std::vector<std::string> errors;
  std::barrier start(kServers);
  for (int i = 0; i < kServers; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      PostgresOptions options;
      options.pool_size = 1;
      auto store = OpenPostgresStore(url_, options);
      if (store) {
        ++opened;
      } else {
        std::lock_guard lock(errors_mu);
        errors.push_back(store.error().message);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened.load(), kServers) << (errors.empty() ? "" : errors.front());
  pg::Connection raw = Raw();
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM schema_migrations")->Int(0, 0), kPostgresSchemaVersion);
}

// ---------------------------------------------------------------------------------------------
// Row-level security

TEST_F(PostgresStoreTest, RowLevelSecurityIsASecondWallBetweenPeople) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const RowId a = store->LocalProfile()->person_id;
  const RowId b = 2000001;
  ASSERT_TRUE(store->Import(EmptyPerson(b), false));
  ASSERT_TRUE(store->AddExerciseLog(Log(a, kT0)));
  ASSERT_TRUE(store->AddExerciseLog(Log(b, kT0)));
  ASSERT_TRUE(store->AddExerciseLog(Log(b, kT0 + 1)));

  pg::Connection raw = Raw();
  // The test means something only if the role is an ordinary one.
  auto role = raw.Exec(
      "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = "
      "current_user");
  ASSERT_TRUE(role) << role.error().message;
  ASSERT_FALSE(role->Bool(0, 0)) << "the test role must not be a superuser or bypass RLS";

  // No person set: nothing at all is visible.
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM exercise_log")->Int(0, 0), 0);
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM profile")->Int(0, 0), 0);

  ASSERT_TRUE(raw.Exec("BEGIN"));
  ASSERT_TRUE(pg::SetLocal(raw, "hipcoach.person_id", std::to_string(a)));
  // A query that forgot its WHERE sees only A's rows; asking for B's rows gives nothing.
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM exercise_log")->Int(0, 0), 1);
  EXPECT_EQ(
      raw.Exec("SELECT count(*) FROM exercise_log WHERE person_id = $1", {pg::Num(b)})->Int(0, 0),
      0);
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM profile WHERE person_id = $1", {pg::Num(b)})->Int(0, 0),
            0);
  // Updating or deleting B's rows touches nothing.
  EXPECT_EQ(
      raw.Exec("UPDATE exercise_log SET pain = 9 WHERE person_id = $1", {pg::Num(b)})->affected(),
      0);
  EXPECT_EQ(raw.Exec("DELETE FROM exercise_log WHERE person_id = $1", {pg::Num(b)})->affected(), 0);
  // Writing a row for B fails.
  auto insert = raw.Exec(
      "INSERT INTO exercise_log(person_id, at, exercise, side, sets, reps, hold_seconds, pain) "
      "VALUES ($1, 0, 'x', 'both', 1, 1, 0, 0)",
      {pg::Num(b)});
  ASSERT_FALSE(insert);
  EXPECT_EQ(pg::SqlState(insert.error()), pg::kInsufficientPrivilege) << insert.error().message;
  EXPECT_NE(insert.error().message.find("row-level security"), std::string::npos);
  ASSERT_TRUE(raw.Exec("ROLLBACK"));

  // Moving A's row over to B is refused too.
  ASSERT_TRUE(raw.Exec("BEGIN"));
  ASSERT_TRUE(pg::SetLocal(raw, "hipcoach.person_id", std::to_string(a)));
  auto move = raw.Exec("UPDATE exercise_log SET person_id = $1", {pg::Num(b)});
  EXPECT_FALSE(move);
  ASSERT_TRUE(raw.Exec("ROLLBACK"));

  // B's rows are all still there.
  EXPECT_EQ(store->ExerciseLogs(b, kNone, kAll)->size(), 2u);
  EXPECT_EQ(store->ExerciseLogs(b, kNone, kAll)->at(0).pain, 2);
}

TEST_F(PostgresStoreTest, EveryPersonTableHasForcedRowLevelSecurity) {
  ASSERT_NE(OpenStore(), nullptr);
  pg::Connection raw = Raw();
  auto tables = raw.Exec(
      "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN "
      "pg_attribute a ON a.attrelid = c.oid AND a.attname = 'person_id' WHERE c.relkind = 'r' "
      "AND c.relnamespace = current_schema()::regnamespace ORDER BY 1");
  ASSERT_TRUE(tables) << tables.error().message;
  EXPECT_EQ(tables->size(), 9);
  for (int i = 0; i < tables->size(); ++i) {
    EXPECT_TRUE(tables->Bool(i, 1)) << tables->Text(i, 0);
    EXPECT_TRUE(tables->Bool(i, 2)) << tables->Text(i, 0);
  }
}

TEST_F(PostgresStoreTest, AnIdTakenByAnotherPersonIsRefused) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const RowId a = store->LocalProfile()->person_id;
  const RowId taken = *store->AddExerciseLog(Log(a, kT0));
  DataSet other = EmptyPerson(2000002);
  ExerciseLog clash = Log(other.profile.person_id, kT0);
  clash.id = taken;
  other.exercise_logs.push_back(clash);
  auto imported = store->Import(other, false);
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(
      imported.error().message.find(fmt::format("exercise log id {} is already taken", taken)),
      std::string::npos)
      << imported.error().message;
  EXPECT_FALSE(store->Export(other.profile.person_id));  // not even the profile
  EXPECT_EQ(store->ExerciseLogs(a, kNone, kAll)->size(), 1u);
}

TEST_F(PostgresStoreTest, ReferencesToAnotherPersonsRowsAreRefused) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const RowId a = store->LocalProfile()->person_id;
  const RowId b = 2000003;
  ASSERT_TRUE(store->Import(EmptyPerson(b), false));
  auto session = store->AddSession({0, a, kT0, std::nullopt, std::nullopt, "in_progress", "{}"});
  ASSERT_TRUE(session);
  ExerciseLog log = Log(b, kT0);
  log.session_id = *session;  // A's session
  auto refused = store->AddExerciseLog(log);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(store->ExerciseLogs(b, kNone, kAll)->empty());
}

// ---------------------------------------------------------------------------------------------
// Threads

TEST_F(PostgresStoreTest, ManyThreadsWriteAtOnce) {
  auto store = OpenStore(4);
  ASSERT_NE(store, nullptr);
  const RowId a = store->LocalProfile()->person_id;
  const RowId b = 2000004;
  ASSERT_TRUE(store->Import(EmptyPerson(b), false));
  constexpr int kThreads = 8;
  constexpr int kWrites = 200;
  std::atomic<int> failures{0};
  std::vector<std::vector<RowId>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const RowId person = t % 2 == 0 ? a : b;
      for (int i = 0; i < kWrites; ++i) {
        auto id = store->AddExerciseLog(Log(person, kT0 + t * 1000 + i, (t + i) % 11));
        if (id) {
          ids[static_cast<std::size_t>(t)].push_back(*id);
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<RowId> unique;
  for (const auto& list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kWrites));
  auto mine = store->ExerciseLogs(a, kNone, kAll);
  auto theirs = store->ExerciseLogs(b, kNone, kAll);
  ASSERT_TRUE(mine && theirs);
  EXPECT_EQ(mine->size(), static_cast<std::size_t>(kThreads / 2 * kWrites));
  EXPECT_EQ(theirs->size(), static_cast<std::size_t>(kThreads / 2 * kWrites));
  for (const ExerciseLog& l : *mine) EXPECT_EQ(l.person_id, a);
  for (const ExerciseLog& l : *theirs) EXPECT_EQ(l.person_id, b);
}

TEST_F(PostgresStoreTest, TransactionsOnSeveralThreadsCommitOrRollBackAlone) {
  auto store = OpenStore(8);
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 6;
  // One person per thread: transactions of different people run at the same time.
  std::vector<RowId> people;
  for (int t = 0; t < kThreads; ++t) {
    people.push_back(2000100 + t);
    ASSERT_TRUE(store->Import(EmptyPerson(people.back()), false));
  }
  std::barrier inside(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const RowId a = people[static_cast<std::size_t>(t)];
      auto result = store->Transaction(a, [&]() -> Result<void> {
        for (int i = 0; i < 5; ++i) {
          if (auto id = store->AddExerciseLog(Log(a, kT0 + t * 100 + i)); !id) {
            return tl::unexpected(id.error());
          }
        }
        // Every thread is inside its transaction at once; none sees another's rows.
        inside.arrive_and_wait();
        auto seen = store->ExerciseLogs(a, kT0, kT0 + 10000);
        // Nobody commits before everyone has looked.
        inside.arrive_and_wait();
        if (!seen) return tl::unexpected(seen.error());
        if (seen->size() != 5u) return MakeError(ErrorCode::kDataError, "saw other rows");
        if (t % 2 == 1) return MakeError(ErrorCode::kInvalidInput, "roll back");
        return {};
      });
      if (result) {
        ++ok;
      } else if (t % 2 == 0) {
        ADD_FAILURE() << "thread " << t << ": " << result.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads / 2);
  for (int t = 0; t < kThreads; ++t) {
    auto all = store->ExerciseLogs(people[static_cast<std::size_t>(t)], kNone, kAll);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), t % 2 == 0 ? 5u : 0u) << "thread " << t;
  }
}

TEST_F(PostgresStoreTest, TransactionsForOnePersonRunOneAfterAnother) {
  // Two stores over one database (two servers): the second transaction for the same person
  // starts only when the first has committed, so it reads what the first wrote.
  auto first = OpenStore(2);
  auto second = OpenStore(2);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  const RowId a = first->LocalProfile()->person_id;
  std::atomic<bool> first_inside{false};
  std::atomic<bool> first_done{false};
  std::size_t seen_by_second = 99;
  std::thread other([&] {
    while (!first_inside.load()) std::this_thread::yield();
    auto done = second->Transaction(a, [&]() -> Result<void> {
      // Only reachable once the first has committed.
      EXPECT_TRUE(first_done.load());
      auto logs = second->ExerciseLogs(a, kNone, kAll);
      if (!logs) return tl::unexpected(logs.error());
      seen_by_second = logs->size();
      return {};
    });
    EXPECT_TRUE(done) << done.error().message;
  });
  auto done = first->Transaction(a, [&]() -> Result<void> {
    first_inside = true;
    // Long enough for the other thread to reach its lock and wait there.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto id = first->AddExerciseLog(Log(a, kT0));
    if (!id) return tl::unexpected(id.error());
    first_done = true;
    return {};
  });
  other.join();
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(seen_by_second, 1u);
}

TEST_F(PostgresStoreTest, ATransactionIsInvisibleToOtherThreadsUntilItCommits) {
  auto store = OpenStore(2);
  ASSERT_NE(store, nullptr);
  const RowId a = store->LocalProfile()->person_id;
  std::mutex mu;
  std::condition_variable cv;
  int stage = 0;
  auto wait_for = [&](int s) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return stage >= s; });
  };
  auto advance = [&](int s) {
    std::lock_guard lock(mu);
    stage = s;
    cv.notify_all();
  };
  std::size_t seen_inside = 99;
  std::thread reader([&] {
    wait_for(1);
    seen_inside = store->ExerciseLogs(a, kNone, kAll)->size();
    advance(2);
  });
  auto done = store->Transaction(a, [&]() -> Result<void> {
    if (auto id = store->AddExerciseLog(Log(a, kT0)); !id) return tl::unexpected(id.error());
    advance(1);
    wait_for(2);
    return {};
  });
  reader.join();
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(seen_inside, 0u);
  EXPECT_EQ(store->ExerciseLogs(a, kNone, kAll)->size(), 1u);
}

TEST_F(PostgresStoreTest, AFailedStatementInsideATransactionSavesNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const RowId a = store->LocalProfile()->person_id;
  // The body ignores the failed write and returns success: PostgreSQL has aborted the
  // transaction, so the store must not report it as saved.
  auto done = store->Transaction(a, [&]() -> Result<void> {
    (void)store->AddExerciseLog(Log(a, kT0));
    ExerciseLog dangling = Log(a, kT0);
    dangling.session_id = 424242;
    (void)store->AddExerciseLog(dangling);
    return {};
  });
  EXPECT_FALSE(done);
  EXPECT_TRUE(store->ExerciseLogs(a, kNone, kAll)->empty());
}

// ---------------------------------------------------------------------------------------------
// Connections

TEST_F(PostgresStoreTest, AServerThatIsNotThereGivesAClearErrorWithoutThePassword) {
  const std::string url =
      "postgresql://hipcoach:Sup3rSecretPw@/hipcoach?host=/tmp/hipcoach-no-such-socket-dir";
  auto store = OpenPostgresStore(url);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kIoError);
  EXPECT_NE(store.error().message.find("could not connect to PostgreSQL"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("hipcoach-no-such-socket-dir"), std::string::npos);
  EXPECT_EQ(store.error().message.find("Sup3rSecretPw"), std::string::npos)
      << store.error().message;
  auto via_open_store = hipcoach::OpenStore(url);
  ASSERT_FALSE(via_open_store);
  EXPECT_EQ(via_open_store.error().message.find("Sup3rSecretPw"), std::string::npos);
}

TEST_F(PostgresStoreTest, AMissingDatabaseGivesAClearError) {
  auto base = TestClusterUrl();
  ASSERT_TRUE(base) << base.error().message;
  std::string url = *base;
  url.replace(url.find("/hipcoach?"), 10, "/no_such_db?");
  auto store = OpenPostgresStore(url);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("\"no_such_db\" does not exist"), std::string::npos)
      << store.error().message;
}

TEST_F(PostgresStoreTest, TheStoreReconnectsAfterTheServerDropsItsConnections) {
  const std::string app = UniqueSchemaName("drop");
  const std::string url = WithParameter(url_, "application_name", app);
  PostgresOptions options;
  options.pool_size = 3;
  auto store = OpenPostgresStore(url, options);
  ASSERT_TRUE(store) << store.error().message;
  const RowId a = (*store)->LocalProfile()->person_id;
  ASSERT_TRUE((*store)->AddExerciseLog(Log(a, kT0)));
  // As a restart does: the server ends every connection of this store.
  pg::Connection raw = Raw();
  auto killed = raw.Exec(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
      {pg::Text(app)});
  ASSERT_TRUE(killed) << killed.error().message;
  EXPECT_GE(killed->Int64(0, 0), 1);
  for (int i = 0; i < 50; ++i) {
    auto left = raw.Exec("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                         {pg::Text(app)});
    if (left && left->Int64(0, 0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto id = (*store)->AddExerciseLog(Log(a, kT0 + 1));
  ASSERT_TRUE(id) << id.error().message;
  auto all = (*store)->ExerciseLogs(a, kNone, kAll);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// The libpq layer

TEST(PgLayer, PasswordsAreRedacted) {
  EXPECT_EQ(pg::RedactUrl("postgresql://app:s3cret@db.example:5432/hipcoach?sslmode=require"),
            "postgresql://app:***@db.example:5432/hipcoach?sslmode=require");
  EXPECT_EQ(pg::RedactUrl("postgres://app@db/hipcoach"), "postgres://app@db/hipcoach");
  EXPECT_EQ(pg::RedactUrl("postgresql:///hipcoach?host=/run/pg&password=s3cret&user=app"),
            "postgresql:///hipcoach?host=/run/pg&password=***&user=app");
  EXPECT_EQ(pg::RedactUrl("host=db user=app password=s3cret dbname=hipcoach"),
            "host=db user=app password=*** dbname=hipcoach");
  EXPECT_EQ(pg::RedactUrl("host=db password = 'it\\'s secret' dbname=x"),
            "host=db password=*** dbname=x");
  EXPECT_EQ(pg::RedactUrl("host=db user=app"), "host=db user=app");
}

TEST(PgLayer, OpenStoreTellsUrlsFromPaths) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://app@db/hipcoach"));
  EXPECT_TRUE(IsPostgresUrl("postgres:///hipcoach?host=/run/pg"));
  EXPECT_FALSE(IsPostgresUrl("/home/me/postgresql://notes.db"));
  EXPECT_FALSE(IsPostgresUrl("hipcoach.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql:notes.db"));
}

TEST(PgLayer, ErrorsCarryTheirSqlState) {
  auto url = SchemaUrl(UniqueSchemaName("layer"));
  ASSERT_TRUE(url) << url.error().message;
  auto conn = pg::Connection::Open(*url);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE(conn->Exec("CREATE TABLE t(k text PRIMARY KEY, n bigint, x double precision)"));
  ASSERT_TRUE(
      conn->Exec("INSERT INTO t VALUES ($1, $2, $3)",
                 {pg::Text("a"), pg::Num(std::int64_t{-9007199254740993}), pg::Num(0.1 + 0.2)}));
  auto again = conn->Exec("INSERT INTO t VALUES ($1, NULL, NULL)", {pg::Text("a")});
  ASSERT_FALSE(again);
  EXPECT_TRUE(pg::IsUniqueViolation(again.error())) << again.error().message;
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(again.error().message.find("(SQLSTATE 23505)"), std::string::npos);
  auto rows = conn->Exec("SELECT k, n, x, NULL::text FROM t");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Int64(0, 1), -9007199254740993);
  EXPECT_EQ(rows->Double(0, 2), 0.1 + 0.2);  // exact round trip
  EXPECT_TRUE(rows->IsNull(0, 3));
  EXPECT_EQ(rows->OptText(0, 3), std::nullopt);
  EXPECT_EQ(rows->Column("x"), 2);
  auto syntax = conn->Exec("SELEC 1");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(pg::SqlState(syntax.error()), "42601");
}

// A batch is one round trip with its values written in as literals: they must arrive exactly
// (quotes, backslashes, NULL, $1 beside $12), never as SQL, and a setting made by the first
// statement must hold for the next (the store's reads rely on it for row-level security).
TEST(PgLayer, ABatchQuotesItsValuesAndSharesOneTransaction) {
  auto url = SchemaUrl(UniqueSchemaName("batch"));
  ASSERT_TRUE(url) << url.error().message;
  auto conn = pg::Connection::Open(*url);
  ASSERT_TRUE(conn) << conn.error().message;
  pg::Params params;
  for (int i = 1; i <= 12; ++i) params.push_back(pg::Num(i * 100));
  params[0] = pg::Text("it's a \\ '; DROP TABLE x; --");
  params[4] = std::nullopt;
  auto rows = conn->ExecBatch(
      "SELECT set_config('hipcoach.test', $12::text, true); "
      "SELECT $1::text, $12::bigint, $5::text IS NULL, $2::bigint, "
      "current_setting('hipcoach.test')",
      params);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Text(0, 0), "it's a \\ '; DROP TABLE x; --");
  EXPECT_EQ(rows->Int64(0, 1), 1200);
  EXPECT_TRUE(rows->Bool(0, 2));
  EXPECT_EQ(rows->Int64(0, 3), 200);
  EXPECT_EQ(rows->Text(0, 4), "1200");
  // The setting was local to the batch's transaction.
  auto after = conn->Exec("SELECT coalesce(current_setting('hipcoach.test', true), '')");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->Text(0, 0), "");
  EXPECT_FALSE(conn->InTransaction());
  // An error names its SQLSTATE and leaves no transaction open.
  auto bad = conn->ExecBatch("SELECT 1; SELECT $1::bigint", {pg::Text("not a number")});
  ASSERT_FALSE(bad);
  EXPECT_EQ(pg::SqlState(bad.error()), "22P02");
  EXPECT_FALSE(conn->InTransaction());
}

TEST(PgLayer, TheTransactionHelperRetriesSerializationFailures) {
  auto url = SchemaUrl(UniqueSchemaName("retry"));
  ASSERT_TRUE(url) << url.error().message;
  auto pool = pg::Pool::Open(*url, 2);
  ASSERT_TRUE(pool) << pool.error().message;
  ASSERT_TRUE(pg::RunTransaction(**pool, [](pg::Connection& c) {
    return c.ExecScript("CREATE TABLE counter(n integer NOT NULL); INSERT INTO counter VALUES (0)");
  }));
  int runs = 0;
  pg::TransactionOptions options;
  options.max_attempts = 3;
  options.begin_mode = "ISOLATION LEVEL SERIALIZABLE";
  auto done = pg::RunTransaction(
      **pool,
      [&](pg::Connection& c) -> Result<void> {
        ++runs;
        if (auto read = c.Exec("SELECT n FROM counter"); !read) return tl::unexpected(read.error());
        if (runs == 1) {
          // Another transaction changes the row after this one's snapshot: a conflict.
          auto other = (*pool)->Acquire();
          if (!other) return tl::unexpected(other.error());
          if (auto w = other->get().Exec("UPDATE counter SET n = n + 1"); !w) {
            return tl::unexpected(w.error());
          }
        }
        if (auto w = c.Exec("UPDATE counter SET n = n + 10"); !w) return tl::unexpected(w.error());
        return {};
      },
      options);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(runs, 2);
  auto value = pg::InTransaction<int>(**pool, [](pg::Connection& c) -> Result<int> {
    auto rows = c.Exec("SELECT n FROM counter");
    if (!rows) return tl::unexpected(rows.error());
    return rows->Int(0, 0);
  });
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, 11);
}

TEST(PgLayer, ThePoolIsBoundedAndWaits) {
  auto url = TestClusterUrl();
  ASSERT_TRUE(url) << url.error().message;
  pg::PoolOptions options;
  options.size = 2;
  options.acquire_timeout = std::chrono::milliseconds(200);
  auto pool = pg::Pool::Open(*url, options);
  ASSERT_TRUE(pool) << pool.error().message;
  auto first = (*pool)->Acquire();
  auto second = (*pool)->Acquire();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->get().BackendPid(), second->get().BackendPid());
  EXPECT_EQ((*pool)->open_connections(), 2);
  auto third = (*pool)->Acquire();
  ASSERT_FALSE(third);
  EXPECT_NE(third.error().message.find("stayed busy"), std::string::npos);
  // A waiting thread gets the connection given back.
  std::thread giver([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    *first = pg::Pool::Lease();
  });
  auto waited = (*pool)->Acquire();
  giver.join();
  EXPECT_TRUE(waited);
  EXPECT_EQ((*pool)->open_connections(), 2);
  // A lease given back inside a transaction is rolled back.
  ASSERT_TRUE(second->get().Exec("BEGIN"));
  *second = pg::Pool::Lease();
  auto again = (*pool)->Acquire();
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->get().InTransaction());
}

TEST(PgLayer, MissingClusterFileFailsTheTest) {
  // The helper every PostgreSQL test goes through reports a missing cluster as an error.
  const char* saved = std::getenv("HIPCOACH_TEST_PG_URL_FILE");
  const std::string keep = saved != nullptr ? saved : "";
  setenv("HIPCOACH_TEST_PG_URL_FILE", "/tmp/hipcoach-no-such-url-file", 1);
  auto url = TestClusterUrl();
  if (saved != nullptr) {
    setenv("HIPCOACH_TEST_PG_URL_FILE", keep.c_str(), 1);
  } else {
    unsetenv("HIPCOACH_TEST_PG_URL_FILE");
  }
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("is missing"), std::string::npos);
}

}  // namespace
}  // namespace hipcoach::testing
