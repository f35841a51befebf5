// The Store contract (include/hipcoach/store.hpp), for any implementation.
#include "store_suite.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <limits>

namespace hipcoach::testing {

namespace {
constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();
constexpr TimeSeconds kDay = 86400;
constexpr TimeSeconds kT0 = 1767600000;  // 2026-01-05

ExerciseLog Log(RowId person, TimeSeconds at, int pain = 2) {
  ExerciseLog log;
  log.person_id = person;
  log.at = at;
  log.exercise = "glute_bridge";
  log.sets = 2;
  log.reps = 12;
  log.hold_seconds = 3;
  log.pain = pain;
  log.effort = 6;
  return log;
}

CheckIn FullCheckIn(RowId person, TimeSeconds at) {
  CheckIn c;
  c.person_id = person;
  c.at = at;
  c.pain_now = 4;
  c.pain_worst = 6;
  c.regions = {{"lateral_hip", "left", 5}, {"buttock", "left", 3}, {"lower_back", "", 1}};
  c.slept_on_painful_side = true;
  c.sitting_tolerance_minutes = 40;
  c.running_km = 5.5;
  c.cycling_minutes = 30;
  c.sitting_hours = 7.5;
  c.change = "better";
  c.danger_check = true;
  return c;
}

// A data set with every kind of record and the references between them.
DataSet Everything(Store& store) {
  const RowId p = store.LocalProfile()->person_id;
  const RowId a = *store.AddAssessment(
      {0, p, kT0, "2026.11.1", R"({"answers":{"pain_days":20}})", R"({"triage":"self_care"})"});
  const RowId v = *store.AddProgrammeVersion(
      {0, p, kT0, a, R"({"items":[]})", "Your first programme, from your assessment."});
  const RowId s =
      *store.AddSession({0, p, kT0 + 3600, kT0 + 5400, v, "completed", R"({"next":3})"});
  ExerciseLog log = Log(p, kT0 + 4000);
  log.session_id = s;
  log.side = "left";
  EXPECT_TRUE(store.AddExerciseLog(log));
  EXPECT_TRUE(store.AddExerciseLog(Log(p, kT0 + kDay)));
  EXPECT_TRUE(store.AddCheckIn(FullCheckIn(p, kT0 + 100)));
  CheckIn quick;
  quick.person_id = p;
  quick.at = kT0 + 200;
  quick.pain_now = 3;
  EXPECT_TRUE(store.AddCheckIn(quick));
  EXPECT_TRUE(store.AddOutcome({0, p, kT0, "nprs", 4, {}}));
  EXPECT_TRUE(
      store.AddOutcome({0,
                        p,
                        kT0,
                        "psfs",
                        5,
                        {{"Climbing stairs", 4}, {"Running 5 km", 3}, {"Sitting at work", 8}}}));
  EXPECT_TRUE(store.AddEvent({0, p, kT0 + kDay, "pause", "red_flag_check",
                              "We have paused your programme.", R"({"answers":{}})"}));
  return *store.Export(p);
}

// The same data as another person's, with ids moved by `offset` (so they are free).
DataSet AsPerson(DataSet d, RowId person, RowId offset) {
  d.profile.person_id = person;
  auto move = [&](auto& list) {
    for (auto& r : list) {
      r.person_id = person;
      r.id += offset;
    }
  };
  move(d.assessments);
  move(d.programmes);
  move(d.sessions);
  move(d.exercise_logs);
  move(d.checkins);
  move(d.outcomes);
  move(d.events);
  for (auto& p : d.programmes) {
    if (p.assessment_id) *p.assessment_id += offset;
  }
  for (auto& s : d.sessions) {
    if (s.programme_version_id) *s.programme_version_id += offset;
  }
  for (auto& l : d.exercise_logs) {
    if (l.session_id) *l.session_id += offset;
  }
  return d;
}

}  // namespace

void StoreSuite::SetUp() {
  char pattern[] = "/tmp/hipcoach-store-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  scratch_ = pattern;
}

void StoreSuite::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(scratch_, ec);
}

std::unique_ptr<Store> StoreSuite::Open(const std::string& key) {
  auto store = GetParam().open(scratch_, key);
  EXPECT_TRUE(store) << (store ? "" : store.error().message);
  return store ? std::move(*store) : nullptr;
}

TEST_P(StoreSuite, LocalProfileIsCreatedOnceAndKept) {
  auto store = Open();
  auto first = store->LocalProfile();
  ASSERT_TRUE(first);
  EXPECT_GT(first->person_id, 0);
  auto again = store->LocalProfile();
  ASSERT_TRUE(again);
  EXPECT_EQ(*first, *again);
  store.reset();
  auto reopened = Open();
  EXPECT_EQ(reopened->LocalProfile()->person_id, first->person_id);
}

TEST_P(StoreSuite, EveryRecordKindRoundTrips) {
  auto store = Open();
  const DataSet d = Everything(*store);
  EXPECT_EQ(d.assessments.size(), 1u);
  EXPECT_EQ(d.programmes.size(), 1u);
  ASSERT_EQ(d.sessions.size(), 1u);
  EXPECT_EQ(d.sessions[0].state_json, R"({"next":3})");
  ASSERT_EQ(d.exercise_logs.size(), 2u);
  EXPECT_EQ(d.exercise_logs[0].session_id, d.sessions[0].id);
  EXPECT_EQ(d.exercise_logs[0].side, "left");
  EXPECT_EQ(d.exercise_logs[1].effort, 6);
  ASSERT_EQ(d.checkins.size(), 2u);
  CheckIn expected = FullCheckIn(d.profile.person_id, kT0 + 100);
  expected.id = d.checkins[0].id;
  EXPECT_EQ(d.checkins[0], expected);
  EXPECT_FALSE(d.checkins[1].pain_worst.has_value());
  EXPECT_TRUE(d.checkins[1].regions.empty());
  ASSERT_EQ(d.outcomes.size(), 2u);
  EXPECT_EQ(d.outcomes[1].items.size(), 3u);
  EXPECT_EQ(d.outcomes[1].items[1].activity, "Running 5 km");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].kind, "pause");
}

TEST_P(StoreSuite, SeveralCheckInsADayAreKept) {
  auto store = Open();
  const RowId p = store->LocalProfile()->person_id;
  for (int i = 0; i < 5; ++i) {
    CheckIn c;
    c.person_id = p;
    c.at = kT0 + i * 3600;
    c.pain_now = i;
    ASSERT_TRUE(store->AddCheckIn(c));
  }
  auto all = store->CheckIns(p, kT0, kT0 + kDay);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*all)[static_cast<std::size_t>(i)].pain_now, i);
}

TEST_P(StoreSuite, RangeQueriesIncludeBothEnds) {
  auto store = Open();
  const RowId p = store->LocalProfile()->person_id;
  for (int day = 0; day < 10; ++day) ASSERT_TRUE(store->AddExerciseLog(Log(p, kT0 + day * kDay)));
  auto some = store->ExerciseLogs(p, kT0 + 2 * kDay, kT0 + 5 * kDay);
  ASSERT_TRUE(some);
  ASSERT_EQ(some->size(), 4u);
  EXPECT_EQ(some->front().at, kT0 + 2 * kDay);
  EXPECT_EQ(some->back().at, kT0 + 5 * kDay);
}

TEST_P(StoreSuite, OutOfRangeValuesAreRefusedAndChangeNothing) {
  auto store = Open();
  const DataSet before = Everything(*store);
  const RowId p = before.profile.person_id;
  ExerciseLog pain = Log(p, kT0);
  pain.pain = 11;
  auto r1 = store->AddExerciseLog(pain);
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(r1.error().message.find("pain during the exercise must be from 0 to 10"),
            std::string::npos)
      << r1.error().message;
  ExerciseLog sets = Log(p, kT0);
  sets.sets = -1;
  EXPECT_FALSE(store->AddExerciseLog(sets));
  ExerciseLog side = Log(p, kT0);
  side.side = "middle";
  EXPECT_FALSE(store->AddExerciseLog(side));
  CheckIn region = FullCheckIn(p, kT0);
  region.regions.back().pain = 12;
  auto r2 = store->AddCheckIn(region);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("pain in 'lower_back' must be from 0 to 10"), std::string::npos)
      << r2.error().message;
  CheckIn sitting = FullCheckIn(p, kT0);
  sitting.sitting_hours = 25;
  EXPECT_FALSE(store->AddCheckIn(sitting));
  EXPECT_FALSE(store->AddOutcome({0, p, kT0, "psfs", 5, {{"Stairs", 5}, {"Running", 5}}}));
  EXPECT_FALSE(store->AddOutcome({0, p, kT0, "hoos", 50, {}}));
  EXPECT_FALSE(store->AddEvent({0, p, kT0, "party", "", "", "{}"}));
  EXPECT_FALSE(store->AddProgrammeVersion({0, p, kT0, std::nullopt, "{not json", "why"}));
  EXPECT_EQ(*store->Export(p), before);
}

TEST_P(StoreSuite, ATransactionIsAllOrNothing) {
  auto store = Open();
  const RowId p = store->LocalProfile()->person_id;
  auto failed = store->Transaction(p, [&]() -> Result<void> {
    if (auto ok = store->AddExerciseLog(Log(p, kT0)); !ok) return tl::unexpected(ok.error());
    if (auto ok = store->AddCheckIn(FullCheckIn(p, kT0)); !ok) return tl::unexpected(ok.error());
    return MakeError(ErrorCode::kInvalidInput, "stop");
  });
  EXPECT_FALSE(failed);
  EXPECT_TRUE(store->ExerciseLogs(p, kNone, kAll)->empty());
  EXPECT_TRUE(store->CheckIns(p, kNone, kAll)->empty());
  auto bad_inside = store->Transaction(p, [&]() -> Result<void> {
    if (auto ok = store->AddExerciseLog(Log(p, kT0)); !ok) return tl::unexpected(ok.error());
    if (auto ok = store->AddExerciseLog(Log(p, kT0, 42)); !ok) return tl::unexpected(ok.error());
    return {};
  });
  EXPECT_FALSE(bad_inside);
  EXPECT_TRUE(store->ExerciseLogs(p, kNone, kAll)->empty());
  auto good = store->Transaction(p, [&]() -> Result<void> {
    if (auto ok = store->AddExerciseLog(Log(p, kT0)); !ok) return tl::unexpected(ok.error());
    if (auto ok = store->AddCheckIn(FullCheckIn(p, kT0)); !ok) return tl::unexpected(ok.error());
    return {};
  });
  EXPECT_TRUE(good);
  EXPECT_EQ(store->ExerciseLogs(p, kNone, kAll)->size(), 1u);
  EXPECT_EQ(store->CheckIns(p, kNone, kAll)->size(), 1u);
}

TEST_P(StoreSuite, ReferencesMustResolve) {
  auto store = Open();
  const RowId p = store->LocalProfile()->person_id;
  ExerciseLog log = Log(p, kT0);
  log.session_id = 999;
  EXPECT_FALSE(store->AddExerciseLog(log));
  EXPECT_FALSE(store->AddProgrammeVersion({0, p, kT0, 12345, "{}", "why"}));
  EXPECT_TRUE(store->ExerciseLogs(p, kNone, kAll)->empty());
}

TEST_P(StoreSuite, SessionsUpdateInPlace) {
  auto store = Open();
  const RowId p = store->LocalProfile()->person_id;
  auto id = store->AddSession({0, p, kT0, std::nullopt, std::nullopt, "in_progress", "{}"});
  ASSERT_TRUE(id);
  SessionRecord s{*id, p, kT0, kT0 + 600, std::nullopt, "stopped", R"({"item":2})"};
  ASSERT_TRUE(store->UpdateSession(s));
  EXPECT_EQ(store->Sessions(p)->at(0), s);
  s.id = *id + 100;
  auto missing = store->UpdateSession(s);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  SessionRecord backwards{*id, p, kT0, kT0 - 1, std::nullopt, "completed", "{}"};
  EXPECT_FALSE(store->UpdateSession(backwards));
}

TEST_P(StoreSuite, ExportThenImportGivesIdenticalData) {
  auto source = Open("source");
  const DataSet exported = Everything(*source);
  auto target = Open("target");
  ASSERT_TRUE(target->Import(exported, false));
  auto again = target->Export(exported.profile.person_id);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, exported);
  // New writes after an import get fresh ids.
  auto id = target->AddExerciseLog(Log(exported.profile.person_id, kT0 + 9 * kDay));
  ASSERT_TRUE(id);
  EXPECT_GT(*id, exported.exercise_logs.back().id);
}

TEST_P(StoreSuite, ImportNeverOverwritesUnlessAskedTo) {
  auto store = Open();
  const DataSet mine = Everything(*store);
  DataSet other = mine;
  other.checkins.resize(1);
  auto refused = store->Import(other, false);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("already holds your data"), std::string::npos);
  EXPECT_EQ(*store->Export(mine.profile.person_id), mine);
  ASSERT_TRUE(store->Import(other, true));
  EXPECT_EQ(*store->Export(mine.profile.person_id), other);
}

TEST_P(StoreSuite, ABadImportChangesNothing) {
  auto store = Open();
  const DataSet mine = Everything(*store);
  DataSet broken = mine;
  broken.exercise_logs.front().session_id = 777;  // a session that is not in the file
  auto r1 = store->Import(broken, true);
  ASSERT_FALSE(r1);
  EXPECT_NE(r1.error().message.find("session 777"), std::string::npos) << r1.error().message;
  DataSet out_of_range = mine;
  out_of_range.checkins.back().pain_now = 15;
  auto r2 = store->Import(out_of_range, true);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("Nothing was imported"), std::string::npos);
  DataSet duplicate = mine;
  duplicate.events.push_back(duplicate.events.front());
  EXPECT_FALSE(store->Import(duplicate, true));
  EXPECT_EQ(*store->Export(mine.profile.person_id), mine);
}

TEST_P(StoreSuite, WritesSurviveReopening) {
  DataSet written;
  {
    auto store = Open();
    written = Everything(*store);
  }
  auto reopened = Open();
  EXPECT_EQ(*reopened->Export(written.profile.person_id), written);
}

TEST_P(StoreSuite, TextIsKeptExactly) {
  auto store = Open();
  const RowId p = store->LocalProfile()->person_id;
  const std::string text = "Schmerz beim Treppensteigen \xE2\x80\x94 'quotes' \"and\" ; DROP TABLE";
  ASSERT_TRUE(store->AddOutcome({0, p, kT0, "psfs", 4, {{text, 4}, {"b", 4}, {"c", 4}}}));
  EXPECT_EQ(store->Outcomes(p)->at(0).items[0].activity, text);
}

TEST_P(StoreSuite, DeletePersonRemovesThatPersonOnly) {
  auto store = Open();
  const DataSet mine = Everything(*store);
  const DataSet theirs = AsPerson(mine, 2000001, 1000);
  ASSERT_TRUE(store->Import(theirs, false));
  ASSERT_EQ(*store->Export(theirs.profile.person_id), theirs);
  ASSERT_TRUE(store->DeletePerson(theirs.profile.person_id));
  const RowId gone = theirs.profile.person_id;
  auto exported = store->Export(gone);
  ASSERT_FALSE(exported);
  EXPECT_EQ(exported.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store->Assessments(gone)->empty());
  EXPECT_TRUE(store->ProgrammeVersions(gone)->empty());
  EXPECT_TRUE(store->Sessions(gone)->empty());
  EXPECT_TRUE(store->ExerciseLogs(gone, kNone, kAll)->empty());
  EXPECT_TRUE(store->CheckIns(gone, kNone, kAll)->empty());
  EXPECT_TRUE(store->Outcomes(gone)->empty());
  EXPECT_TRUE(store->Events(gone)->empty());
  EXPECT_EQ(*store->Export(mine.profile.person_id), mine);
  // Nothing left to delete is not an error; the same person can come back afresh.
  EXPECT_TRUE(store->DeletePerson(gone));
  ASSERT_TRUE(store->Import(theirs, false));
  EXPECT_EQ(*store->Export(gone), theirs);
}

TEST_P(StoreSuite, DeletePersonIsAllOrNothing) {
  auto store = Open();
  const DataSet mine = Everything(*store);
  const RowId p = mine.profile.person_id;
  auto failed = store->Transaction(p, [&]() -> Result<void> {
    if (auto ok = store->DeletePerson(p); !ok) return ok;
    return MakeError(ErrorCode::kInvalidInput, "stop");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(*store->Export(p), mine);
}

TEST_P(StoreSuite, TheLocalProfileComesBackAfterItIsDeleted) {
  auto store = Open();
  const DataSet mine = Everything(*store);
  ASSERT_TRUE(store->DeletePerson(mine.profile.person_id));
  auto fresh = store->LocalProfile();
  ASSERT_TRUE(fresh) << fresh.error().message;
  auto data = store->Export(fresh->person_id);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_TRUE(data->assessments.empty());
  EXPECT_TRUE(data->checkins.empty());
  EXPECT_TRUE(data->exercise_logs.empty());
}

}  // namespace hipcoach::testing
