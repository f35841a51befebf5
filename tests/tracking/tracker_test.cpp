// Tracker over a real SQLite store with a fake clock: progression written as programme versions,
// the safety net pausing and resuming, the weekly danger-sign check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::tracking {
namespace {

const KnowledgeBase& Kb() {
  static const KnowledgeBase kb = *app::LoadKnowledgeFrom(HIPCOACH_KNOWLEDGE_DIR).kb;
  return kb;
}

Answers DeskWorker() {
  // The answers of tests/cases/causes/glute_weakness_desk.toml (painful side: left).
  Answers a;
  a["rf_onset"] = AnswerValue::Choices({"gradual"});
  a["rf_weight_bearing"] = AnswerValue::Choice("normal");
  a["rf_bladder_bowel"] = AnswerValue::Bool(false);
  a["rf_nerve_signs"] = AnswerValue::Choices({"none"});
  a["rf_fever"] = AnswerValue::Bool(false);
  a["rf_leg_clot"] = AnswerValue::Bool(false);
  a["rf_other_signs"] = AnswerValue::Choices({"none"});
  a["rf_serious_signs"] = AnswerValue::Choices({"none"});
  a["age"] = AnswerValue::Number(34);
  a["pain_site"] = AnswerValue::Choices({"buttock", "lower_back"});
  a["painful_side"] = AnswerValue::Choice("left");
  a["pain_days"] = AnswerValue::Number(10);
  a["pain_trend"] = AnswerValue::Choice("same");
  a["worse_with"] = AnswerValue::Choices({"stairs"});
  a["also_notice"] = AnswerValue::Choices({"glutes_off"});
  a["habits"] = AnswerValue::Choices({"sit_8h", "weak_core"});
  return *ValidateAnswers(Kb(), a);
}

class TrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
    char pattern[] = "/tmp/hipcoach-tracker-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    store_ = std::move(*OpenSqliteStore(dir_ + "/t.db"));
    tracker_ = std::make_unique<Tracker>(Kb(), *store_, clock_);
    const Answers answers = DeskWorker();
    ASSERT_TRUE(tracker_->SaveAssessment(answers, Assess(Kb(), answers)));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void At(int day, int hour) { clock_ = FakeClock(kMidnight + day * 86400 + hour * 3600); }
  void Pain(int day, int hour, int pain, std::string change = "") {
    CheckIn c;
    c.person_id = 1;
    c.at = kMidnight + day * 86400 + hour * 3600;
    c.pain_now = pain;
    c.change = std::move(change);
    ASSERT_TRUE(store_->AddCheckIn(c));
  }
  void Exercise(int day, const std::string& id, int reps, int pain) {
    ExerciseLog log;
    log.person_id = 1;
    log.at = kMidnight + day * 86400 + 18 * 3600;
    log.exercise = id;
    log.sets = 1;
    log.reps = reps;
    log.pain = pain;
    ASSERT_TRUE(store_->AddExerciseLog(log));
  }
  std::vector<Event> Events(const std::string& kind) {
    std::vector<Event> out;
    const auto events = store_->Events(1);
    for (const Event& e : *events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }

  static constexpr TimeSeconds kStart = 1767600000;  // 2026-01-05T08:00:00Z, a Monday
  static constexpr TimeSeconds kMidnight = kStart - 8 * 3600;
  std::string dir_;
  FakeClock clock_{kStart};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Tracker> tracker_;
};

TEST_F(TrackerTest, TheAssessmentStartsAProgrammeVersion) {
  auto state = tracker_->Load();
  ASSERT_TRUE(state);
  ASSERT_TRUE(state->plan);
  EXPECT_EQ(state->plan->start_day, LocalDay(kStart));
  EXPECT_EQ(state->plan->painful_side, "left");
  EXPECT_EQ(state->plan->pain_days_at_start, 10);
  EXPECT_FALSE(state->plan->items.empty());
  EXPECT_FALSE(state->paused);
  // The stored plan reads back to the same plan.
  EXPECT_EQ(*ParsePlan(state->version->programme_json), *state->plan);
}

TEST_F(TrackerTest, ProgressionWritesANewVersionWithItsReason) {
  Exercise(0, "glute_bridge", 12, 1);
  Exercise(1, "glute_bridge", 12, 2);
  At(2, 9);
  auto decisions = tracker_->UpdateProgramme();
  ASSERT_TRUE(decisions);
  auto versions = store_->ProgrammeVersions(1);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_NE(versions->back().reason.find("offset (single-leg-biased) bridge"), std::string::npos)
      << versions->back().reason;
  auto plan = ParsePlan(versions->back().programme_json);
  bool found = false;
  for (const Prescription& p : plan->items)
    found = found || p.exercise == "single_leg_biased_bridge";
  EXPECT_TRUE(found);
  EXPECT_EQ(Events("programme_change").back().code, "progress_harder");
  // Running it again changes nothing more.
  ASSERT_TRUE(tracker_->UpdateProgramme());
  EXPECT_EQ(store_->ProgrammeVersions(1)->size(), 2u);
}

TEST_F(TrackerTest, APainRisePausesAndAResumeRestartsTheBaseline) {
  Pain(0, 0, 3);
  Pain(1, 0, 5);
  Pain(2, 0, 5);
  Pain(3, 0, 5);
  At(3, 9);
  auto raised = tracker_->CheckSafety();
  ASSERT_TRUE(raised);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(raised->front().id, "pain_rise");
  EXPECT_TRUE(tracker_->Load()->paused);
  EXPECT_EQ(Events("pause").size(), 1u);
  // Paused: no progression, and the same escalation is not raised again.
  EXPECT_TRUE(tracker_->CheckSafety()->empty());
  ASSERT_TRUE(tracker_->Resume("checked by a physiotherapist"));
  At(4, 9);
  Pain(4, 8, 5);
  EXPECT_TRUE(tracker_->CheckSafety()->empty());
  EXPECT_FALSE(tracker_->Load()->paused);
}

TEST_F(TrackerTest, AMuchWorseAnswerPausesOnce) {
  Pain(2, 0, 4, "much_worse");
  At(2, 9);
  auto raised = tracker_->CheckSafety();
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(raised->front().id, "much_worse");
  EXPECT_NE(raised->front().message.find("much worse"), std::string::npos);
  ASSERT_TRUE(tracker_->Resume("seen by GP"));
  EXPECT_TRUE(tracker_->CheckSafety()->empty());
}

TEST_F(TrackerTest, NoImprovementAfterTwoWeeksIsRaisedOnce) {
  for (int day = 0; day <= 14; ++day) Pain(day, 0, 5);
  At(14, 9);
  auto raised = tracker_->CheckSafety();
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(raised->front().id, "no_improvement");
  EXPECT_EQ(raised->front().level, TriageLevel::kRoutine);
  EXPECT_FALSE(tracker_->Load()->paused);  // routine: carry on with the programme
  At(15, 9);
  EXPECT_TRUE(tracker_->CheckSafety()->empty());
}

TEST_F(TrackerTest, APositiveDangerSignPausesTheProgramme) {
  Answers answers = DeskWorker();
  answers["rf_fever"] = AnswerValue::Bool(true);
  answers["rf_other_signs"] = AnswerValue::Choices({"hot_swollen"});
  auto matched = tracker_->RecordDangerAnswers(answers);
  ASSERT_TRUE(matched);
  EXPECT_FALSE(matched->empty());
  EXPECT_TRUE(tracker_->Load()->paused);
  EXPECT_FALSE(Events("danger_sign").empty());
  // Nothing changes the programme while paused.
  Exercise(0, "glute_bridge", 12, 1);
  Exercise(1, "glute_bridge", 12, 1);
  At(2, 9);
  ASSERT_TRUE(tracker_->UpdateProgramme());
  EXPECT_EQ(store_->ProgrammeVersions(1)->size(), 1u);
}

TEST_F(TrackerTest, DangerQuestionsAreDueWeekly) {
  EXPECT_FALSE(*tracker_->DangerCheckDue());  // the assessment just screened
  At(7, 9);
  EXPECT_TRUE(*tracker_->DangerCheckDue());
  CheckIn c;
  c.person_id = 1;
  c.at = clock_.Now();
  c.pain_now = 2;
  c.danger_check = true;
  ASSERT_TRUE(store_->AddCheckIn(c));
  EXPECT_FALSE(*tracker_->DangerCheckDue());
  At(14, 9);
  EXPECT_TRUE(*tracker_->DangerCheckDue());
}

TEST_F(TrackerTest, MissedDaysAreCountedFromTheSchedule) {
  auto state = tracker_->Load();
  Prescription bridge;
  for (const Prescription& p : state->plan->items) {
    if (p.exercise == "glute_bridge") bridge = p;
  }
  ASSERT_EQ(bridge.exercise, "glute_bridge");
  Exercise(0, "glute_bridge", 10, 2);
  At(4, 9);
  auto history = tracker_->History(*state->plan, bridge);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 4u);  // day 0 done, days 1-3 missed (today is not missed yet)
  EXPECT_FALSE((*history)[0].missed);
  EXPECT_TRUE((*history)[3].missed);
}

TEST(TimeTest, IsoRoundTrip) {
  for (TimeSeconds t : {0LL, 1767600000LL, 951782400LL, 4102444799LL}) {
    EXPECT_EQ(ParseIsoUtc(IsoUtc(t)), t) << IsoUtc(t);
  }
  EXPECT_EQ(IsoUtc(1767600000), "2026-01-05T08:00:00Z");
  EXPECT_FALSE(ParseIsoUtc("2026-13-05T08:00:00Z"));
  EXPECT_FALSE(ParseIsoUtc("2026-01-05 08:00"));
}

// Dates that do not exist are refused, not rolled over into the next month.
TEST(TimeTest, ImpossibleDatesAreRefused) {
  for (const char* text :
       {"2026-02-30", "2026-02-29", "2026-04-31", "2026-00-10", "2026-01-32", "0000-01-01",
        "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-02-30T10:00", "+026-01-05",
        " 2026-01-05", "2026-1-05", "2026-01-05T24:00", "2026-01-05T08:60", "2026-01-05T08:00:60Z",
        "2026-01-05T8:00", "2026-01-05T08:00Z0"}) {
    EXPECT_FALSE(ParseTime(text)) << text;
    EXPECT_FALSE(ParseIsoUtc(text)) << text;
  }
  EXPECT_TRUE(ParseTime("2024-02-29"));
  EXPECT_TRUE(ParseTime("2000-02-29T10:00"));
  EXPECT_FALSE(ParseTime("1900-02-29"));
  EXPECT_TRUE(ParseIsoUtc("9999-12-31T23:59:59Z"));
  EXPECT_TRUE(ParseIsoUtc("1970-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace hipcoach::tracking
