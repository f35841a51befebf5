// Two servers over one PostgreSQL database, one person: check-ins that arrive at the same moment
// on both are recorded one after the other, each deciding from what the other committed. So a
// programme change is written once, and a pause is raised once (Store::Transaction, per person).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <latch>
#include <thread>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/tracking.hpp"
#include "pg_test_support.hpp"
#include "tracking_support.hpp"

namespace hipcoach::tracking {
namespace {

using testing::DeskWorker;
using testing::Kb;

constexpr TimeSeconds kStart = 1767600000;  // 2026-01-05T08:00:00Z, a Monday
constexpr TimeSeconds kMidnight = kStart - 8 * 3600;
// Rounds per test: the two check-ins meet at a latch, so each round is a real race.
constexpr int kRounds = 12;

class TrackerOnPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }

  // A fresh database with the desk worker's assessment; `server_a` and `server_b` are two
  // stores over it, as two servers would hold.
  void NewDatabase() {
    auto url = testing::SchemaUrl(testing::UniqueSchemaName("tracker_race"));
    ASSERT_TRUE(url) << url.error().message;
    auto a = OpenPostgresStore(*url);
    ASSERT_TRUE(a) << a.error().message;
    auto b = OpenPostgresStore(*url);
    ASSERT_TRUE(b) << b.error().message;
    server_a_ = std::move(*a);
    server_b_ = std::move(*b);
    FakeClock start(kStart);
    Tracker tracker(Kb(), *server_a_, start);
    const Answers answers = DeskWorker();
    ASSERT_TRUE(tracker.SaveAssessment(answers, Assess(Kb(), answers).value()));
  }

  // Both servers record a check-in with `pain` at the same moment, on day 2 at 09:00.
  void TwoCheckInsAtOnce(int pain) {
    std::latch ready(2);
    auto check_in = [&](Store* store, Result<CheckInOutcome>* out) {
      FakeClock clock(kMidnight + 2 * 86400 + 9 * 3600);
      Tracker tracker(Kb(), *store, clock);
      CheckInInput input;
      input.checkin.pain_now = pain;
      ready.arrive_and_wait();
      *out = tracker.RecordCheckIn(input);
    };
    Result<CheckInOutcome> a = MakeError(ErrorCode::kIoError, "not run");
    Result<CheckInOutcome> b = a;
    std::thread first(check_in, server_a_.get(), &a);
    std::thread second(check_in, server_b_.get(), &b);
    first.join();
    second.join();
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(b) << b.error().message;
  }

  // Events of `kind` whose code is `code` (any code but `but`, when `code` is empty).
  int Count(const std::string& kind, const std::string& code, const std::string& but = "") {
    const Result<std::vector<Event>> events = server_a_->Events(1);
    EXPECT_TRUE(events);
    if (!events) return -1;
    int n = 0;
    for (const Event& e : *events) {
      const bool match = code.empty() ? e.code != but : e.code == code;
      n += e.kind == kind && match ? 1 : 0;
    }
    return n;
  }

  std::unique_ptr<Store> server_a_;
  std::unique_ptr<Store> server_b_;
};

TEST_F(TrackerOnPostgres, TwoCheckInsAtOnceWriteOneProgrammeChange) {
  for (int round = 0; round < kRounds; ++round) {
    NewDatabase();
    // Pain above the limits during the bridges on day 1: on day 2 they are eased.
    ExerciseLog log;
    log.person_id = 1;
    log.at = kMidnight + 1 * 86400 + 18 * 3600;
    log.exercise = "glute_bridge";
    log.sets = 1;
    log.reps = 8;
    log.pain = Kb().rules.pain_acceptable_max + 1;
    ASSERT_TRUE(server_a_->AddExerciseLog(log));
    TwoCheckInsAtOnce(2);
    // The assessment's version and one change, with one event for each changed item.
    auto versions = server_a_->ProgrammeVersions(1);
    ASSERT_TRUE(versions);
    ASSERT_EQ(versions->size(), 2u) << "round " << round;
    const int changes = Count("programme_change", "", "assessment");
    auto plan = ParsePlan(versions->back().programme_json);
    ASSERT_TRUE(plan);
    auto first = ParsePlan(versions->front().programme_json);
    int changed_items = 0;
    for (std::size_t i = 0; i < plan->items.size() && i < first->items.size(); ++i) {
      changed_items += plan->items[i] == first->items[i] ? 0 : 1;
    }
    EXPECT_GE(changes, 1) << "round " << round;
    EXPECT_EQ(changes, changed_items) << "round " << round;
    EXPECT_EQ(server_a_->CheckIns(1, 0, kStart * 2)->size(), 2u);
  }
}

TEST_F(TrackerOnPostgres, TwoHighPainCheckInsAtOnceRaiseOnePause) {
  for (int round = 0; round < kRounds; ++round) {
    NewDatabase();
    // High pain on days 0 and 1 already; the third day of it, recorded twice at once, is the one
    // that pauses (high_sustained_days).
    const int high = Kb().rules.pause_pain_min + 1;
    for (int day = 0; day + 1 < Kb().rules.high_sustained_days; ++day) {
      CheckIn checkin;
      checkin.person_id = 1;
      checkin.at = kMidnight + day * 86400 + 20 * 3600;
      checkin.pain_now = high;
      ASSERT_TRUE(server_a_->AddCheckIn(checkin));
    }
    TwoCheckInsAtOnce(high);
    EXPECT_EQ(Count("escalation", "pain_high_sustained"), 1) << "round " << round;
    EXPECT_EQ(Count("pause", "pain_high_sustained"), 1) << "round " << round;
    EXPECT_EQ(server_a_->CheckIns(1, 0, kStart * 2)->size(),
              static_cast<std::size_t>(Kb().rules.high_sustained_days + 1));
  }
}

}  // namespace
}  // namespace hipcoach::tracking
