// Per-person isolation in the store layer (src/store/scoped_store.hpp), tested directly on the
// SQLite store: the API handlers only ever ask for the caller's own id, so this is what catches a
// hole in the layer itself.
#include "store/scoped_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "hipcoach/store.hpp"

namespace hipcoach {
namespace {

CheckIn Pain(RowId person, int pain) {
  CheckIn c;
  c.person_id = person;
  c.at = 1000;
  c.pain_now = pain;
  return c;
}

class ScopedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() / ("hc-scoped-" + std::to_string(rng()));
    auto store = OpenSqliteStore((dir_ / "hc.db").string());
    ASSERT_TRUE(store) << store.error().message;
    inner_ = std::move(*store);
    for (const Profile& p : {alice_, bob_}) {
      DataSet empty;
      empty.profile = p;
      ASSERT_TRUE(inner_->Import(empty, false));
    }
    a_ = MakeScopedStore(*inner_, alice_, IdPolicy::kRenumber);
    b_ = MakeScopedStore(*inner_, bob_, IdPolicy::kRenumber);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    inner_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  Profile alice_{1000001, "", 100};
  Profile bob_{1000002, "", 100};
  std::unique_ptr<Store> inner_, a_, b_;
};

TEST_F(ScopedStoreTest, ReadsAndWritesForAnotherPersonFail) {
  auto session =
      a_->AddSession({0, alice_.person_id, 1000, std::nullopt, std::nullopt, "in_progress", "{}"});
  ASSERT_TRUE(session) << session.error().message;
  ASSERT_TRUE(a_->AddCheckIn(Pain(alice_.person_id, 4)));
  EXPECT_EQ(b_->LocalProfile()->person_id, bob_.person_id);
  // Bob's store: Alice's rows are out of reach by person id ...
  EXPECT_FALSE(b_->Assessments(alice_.person_id));
  EXPECT_FALSE(b_->Sessions(alice_.person_id));
  EXPECT_FALSE(b_->CheckIns(alice_.person_id, 0, 5000));
  EXPECT_FALSE(b_->ExerciseLogs(alice_.person_id, 0, 5000));
  EXPECT_FALSE(b_->Events(alice_.person_id));
  EXPECT_FALSE(b_->Outcomes(alice_.person_id));
  EXPECT_FALSE(b_->ProgrammeVersions(alice_.person_id));
  EXPECT_FALSE(b_->Export(alice_.person_id));
  // ... by record id ...
  EXPECT_FALSE(
      b_->UpdateSession({*session, bob_.person_id, 1000, 2000, std::nullopt, "stopped", "{}"}));
  ExerciseLog log{0, bob_.person_id, 1000, *session, "glute_bridge", "both", 1, 10, 0, 1, {}};
  EXPECT_FALSE(b_->AddExerciseLog(log));
  // ... and by writing rows in Alice's name.
  EXPECT_FALSE(b_->AddCheckIn(Pain(alice_.person_id, 9)));
  EXPECT_FALSE(b_->AddEvent({0, alice_.person_id, 1000, "pause", "x", "y", "{}"}));
  // Nothing of Alice's changed, and Bob has nothing.
  auto sessions = a_->Sessions(alice_.person_id);
  ASSERT_TRUE(sessions);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].status, "in_progress");
  EXPECT_EQ(a_->CheckIns(alice_.person_id, 0, 5000)->size(), 1u);
  EXPECT_TRUE(b_->CheckIns(bob_.person_id, 0, 5000)->empty());
}

TEST_F(ScopedStoreTest, ImportLandsInTheCallersDataWithNewIds) {
  auto session =
      a_->AddSession({0, alice_.person_id, 1000, std::nullopt, std::nullopt, "completed", "{}"});
  ASSERT_TRUE(session);
  ASSERT_TRUE(a_->AddExerciseLog(
      {0, alice_.person_id, 1000, *session, "glute_bridge", "left", 2, 10, 0, 2, {}}));
  auto exported = a_->Export(alice_.person_id);
  ASSERT_TRUE(exported);
  ASSERT_TRUE(b_->Import(*exported, false));
  auto bobs = b_->Export(bob_.person_id);
  ASSERT_TRUE(bobs);
  ASSERT_EQ(bobs->sessions.size(), 1u);
  ASSERT_EQ(bobs->exercise_logs.size(), 1u);
  EXPECT_NE(bobs->sessions[0].id, *session);
  EXPECT_EQ(bobs->exercise_logs[0].session_id, bobs->sessions[0].id);
  EXPECT_EQ(bobs->exercise_logs[0].person_id, bob_.person_id);
  // Alice's data is untouched; importing again without replace is refused.
  EXPECT_EQ(a_->Export(alice_.person_id)->exercise_logs.size(), 1u);
  EXPECT_FALSE(b_->Import(*exported, false));
  EXPECT_TRUE(b_->Import(*exported, true));
  EXPECT_EQ(b_->Export(bob_.person_id)->exercise_logs.size(), 1u);
}

}  // namespace
}  // namespace hipcoach
