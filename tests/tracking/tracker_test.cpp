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
#include "tracking_support.hpp"

namespace hipcoach::tracking {
namespace {

using testing::DeskWorker;
using testing::Kb;
using testing::NoDangerSigns;

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
    ASSERT_TRUE(tracker_->SaveAssessment(answers, Assess(Kb(), answers).value()));
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
  // A week of every exercise at the top of its range with little pain.
  const std::vector<Prescription> items = tracker_->Load()->plan->items;
  for (int day = 0; day <= 7; ++day) {
    for (const Prescription& p : items) Exercise(day, p.exercise, p.reps_max, 1);
  }
  At(8, 9);
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
  bool bridge_moved = false;
  for (const Event& e : Events("programme_change")) {
    bridge_moved = bridge_moved || (e.code == "progress_harder" &&
                                    e.details_json.find("glute_bridge") != std::string::npos);
  }
  EXPECT_TRUE(bridge_moved);
  // Running it again changes nothing more.
  ASSERT_TRUE(tracker_->UpdateProgramme());
  EXPECT_EQ(store_->ProgrammeVersions(1)->size(), 2u);
}

TEST_F(TrackerTest, TheSameWeekAtTheTopWaitsForTheRungsMinimumTime) {
  const std::vector<Prescription> items = tracker_->Load()->plan->items;
  for (int day = 0; day <= 3; ++day) {
    for (const Prescription& p : items) Exercise(day, p.exercise, p.reps_max, 1);
  }
  At(4, 9);
  std::vector<ItemDecision> pending;
  ASSERT_TRUE(tracker_->LoadToday(&pending));
  bool waited = false;
  for (const ItemDecision& d : pending) {
    EXPECT_NE(d.decision.kind, DecisionKind::kProgress) << d.decision.reason;
    waited = waited || d.decision.code == "hold_time";
  }
  EXPECT_TRUE(waited);
}

TEST_F(TrackerTest, PainAboveTheLimitsEasesThatExerciseTheSameDay) {
  Exercise(1, "glute_bridge", 12, 1);
  Exercise(2, "glute_bridge", 6, Kb().rules.pain_acceptable_max + 2);
  At(2, 19);
  ASSERT_TRUE(tracker_->UpdateProgramme());
  auto plan = tracker_->Load()->plan;
  bool eased = false;
  for (const Prescription& p : plan->items) eased = eased || p.exercise == "bridge_hold";
  EXPECT_TRUE(eased) << "the red session should have eased the bridge the same day";
  // Once: the eased exercise starts today, so today's log does not ease it again.
  ASSERT_TRUE(tracker_->UpdateProgramme());
  EXPECT_EQ(store_->ProgrammeVersions(1)->size(), 2u);
}

TEST_F(TrackerTest, AFlareHoldsAndOnlyASustainedRisePauses) {
  Pain(0, 0, 3);
  Pain(1, 0, 5);
  Pain(2, 0, 5);
  Pain(3, 0, 5);
  At(3, 9);
  auto raised = tracker_->CheckSafety();
  ASSERT_TRUE(raised);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(raised->front().id, "flare");
  EXPECT_FALSE(raised->front().pause);
  EXPECT_FALSE(tracker_->Load()->paused);
  EXPECT_TRUE(Events("pause").empty());
  // Still up a week after it rose: sustained worsening.
  Pain(5, 0, 5);
  Pain(7, 0, 6);
  Pain(10, 0, 5);
  At(10, 9);
  raised = tracker_->CheckSafety();
  ASSERT_TRUE(raised);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(raised->front().id, "pain_rise");
  EXPECT_TRUE(tracker_->Load()->paused);
  EXPECT_EQ(Events("pause").size(), 1u);
  // Paused: no progression, and the same escalation is not raised again.
  EXPECT_TRUE(tracker_->CheckSafety()->empty());
  // A sustained rise is an urgent pause: resuming needs a clear danger screen and a clinician.
  EXPECT_FALSE(tracker_->Resume(NoDangerSigns(), false));
  ASSERT_TRUE(tracker_->Resume(NoDangerSigns(), true));
  At(11, 9);
  Pain(11, 8, 5);
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
  ASSERT_TRUE(tracker_->Resume(NoDangerSigns(), true));
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
  Answers answers = NoDangerSigns();
  answers["rf_body_signs"] = AnswerValue::Choices({"fever", "hot_red"});
  auto matched = tracker_->RecordDangerAnswers(answers);
  ASSERT_TRUE(matched);
  EXPECT_FALSE(matched->empty());
  EXPECT_TRUE(tracker_->Load()->paused);
  EXPECT_EQ(tracker_->Load()->pause_level, TriageLevel::kEmergency);
  EXPECT_FALSE(Events("danger_sign").empty());
  // Nothing changes the programme while paused.
  Exercise(0, "glute_bridge", 12, 1);
  Exercise(1, "glute_bridge", 12, 1);
  At(2, 9);
  ASSERT_TRUE(tracker_->UpdateProgramme());
  EXPECT_EQ(store_->ProgrammeVersions(1)->size(), 1u);
}

// Issue "Triage that is safe and useful", point 10: resuming needs every danger question of the
// paused sign answered "no", and after an urgent or emergency pause, a clinician's all-clear.
TEST_F(TrackerTest, ResumingNeedsThePausedSignAnsweredNoAndAClinicianAfterAnEmergency) {
  Answers fever = NoDangerSigns();
  fever["rf_body_signs"] = AnswerValue::Choices({"fever"});
  ASSERT_TRUE(tracker_->RecordDangerAnswers(fever));
  ASSERT_TRUE(tracker_->Load()->paused);
  EXPECT_EQ(tracker_->Load()->pause_red_flags, std::vector<std::string>{"septic_arthritis"});

  // An empty set of danger answers resumes nothing (it used to).
  auto empty = tracker_->Resume({}, true);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("Possible joint or bone infection"), std::string::npos)
      << empty.error().message;
  // "Not sure" about the fever is not a "no".
  Answers unsure = NoDangerSigns();
  unsure["rf_body_signs"] = AnswerValue::Unknown();
  unsure["rf_fever_plain"] = AnswerValue::Unknown();
  unsure["rf_leg_clot_plain"] = AnswerValue::Bool(false);
  unsure["rf_hot_skin_plain"] = AnswerValue::Bool(false);
  unsure["rf_cold_leg_plain"] = AnswerValue::Bool(false);
  EXPECT_FALSE(tracker_->Resume(unsure, true));
  // A clear "no" but no clinician yet: still paused, and the message says what is needed.
  auto no_clinician = tracker_->Resume(NoDangerSigns(), false);
  ASSERT_FALSE(no_clinician);
  EXPECT_NE(no_clinician.error().message.find("doctor or physiotherapist has seen you"),
            std::string::npos);
  EXPECT_TRUE(tracker_->Load()->paused);
  EXPECT_TRUE(Events("resume").empty());
  // Both: resumed, with the confirmation kept.
  ASSERT_TRUE(tracker_->Resume(NoDangerSigns(), true));
  EXPECT_FALSE(tracker_->Load()->paused);
  ASSERT_EQ(Events("resume").size(), 1u);
  EXPECT_NE(Events("resume")[0].details_json.find("\"clinician_seen\":true"), std::string::npos);
  // Not paused any more: nothing to resume.
  EXPECT_FALSE(tracker_->Resume(NoDangerSigns(), true));
}

// A sign whose questions are not in the danger-sign stage (polymyalgia's aching shoulders, asked
// only of people over 50 with pain on both sides) could pause the programme but never be cleared:
// the check-in never asked about it. The danger check now asks it while the programme is paused
// for it, and the age it needs comes from the assessment, not from the check-in.
TEST_F(TrackerTest, APolymyalgiaPauseIsAskedAboutAgainAndCanBeResumed) {
  Answers older = DeskWorker();
  older["age"] = AnswerValue::Number(68);
  older["painful_side"] = AnswerValue::Choice("both");
  older["rf_pmr"] = AnswerValue::Bool(false);
  older["rf_gca"] = AnswerValue::Bool(false);
  auto assessed = Assess(Kb(), older);
  ASSERT_TRUE(assessed) << assessed.error().message;
  ASSERT_TRUE(tracker_->SaveAssessment(older, *assessed));

  auto ids = [&] {
    std::vector<std::string> out;
    for (const Question* q : tracker_->DangerQuestions(*tracker_->Load())) out.push_back(q->id);
    return out;
  };
  auto has = [](const std::vector<std::string>& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  EXPECT_FALSE(has(ids(), "rf_pmr"));  // not paused: the danger-sign stage only
  EXPECT_TRUE(has(ids(), "rf_body_signs"));

  Answers aching = NoDangerSigns();
  aching["painful_side"] = AnswerValue::Choice("both");
  aching["rf_pmr"] = AnswerValue::Bool(true);
  auto raised = tracker_->RecordDangerAnswers(aching);
  ASSERT_TRUE(raised);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(Kb().red_flags[static_cast<std::size_t>((*raised)[0].red_flag)].id,
            "polymyalgia_features");
  ASSERT_TRUE(tracker_->Load()->paused);
  EXPECT_TRUE(has(ids(), "rf_pmr"));
  EXPECT_TRUE(has(ids(), "painful_side"));

  // The danger-sign stage alone does not clear it: the aching was not asked about.
  auto unasked = tracker_->Resume(NoDangerSigns(), true);
  ASSERT_FALSE(unasked);
  const int pmr = Kb().FindingIndex("pmr_features");
  ASSERT_GE(pmr, 0);
  EXPECT_NE(unasked.error().message.find(Kb().findings[static_cast<std::size_t>(pmr)].text),
            std::string::npos)
      << unasked.error().message;
  Answers unsure = aching;
  unsure["rf_pmr"] = AnswerValue::Unknown();
  EXPECT_FALSE(tracker_->Resume(unsure, true));
  Answers cleared = aching;
  cleared["rf_pmr"] = AnswerValue::Bool(false);
  auto no_clinician = tracker_->Resume(cleared, false);  // urgent: a clinician's word too
  ASSERT_FALSE(no_clinician);
  EXPECT_NE(no_clinician.error().message.find("has seen you"), std::string::npos);
  ASSERT_TRUE(tracker_->Resume(cleared, true));
  EXPECT_FALSE(tracker_->Load()->paused);
}

// A past cancer is a lasting fact: answering it truthfully every week must not pause the
// programme every week. The first time, it pauses until a clinician has seen the person; after
// that it is not raised again on the history alone, but a new current sign raises it at once.
TEST_F(TrackerTest, APastCancerSeenByAClinicianIsNotRaisedEveryWeekButNewSignsAre) {
  Answers history = NoDangerSigns();
  history["rf_background"] = AnswerValue::Choices({"cancer"});
  auto raised = tracker_->RecordDangerAnswers(history);
  ASSERT_TRUE(raised);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(Kb().red_flags[static_cast<std::size_t>((*raised)[0].red_flag)].id, "malignancy");
  ASSERT_TRUE(tracker_->Load()->paused);

  // Nothing current to answer "no" to: only a clinician's word resumes it.
  auto alone = tracker_->Resume(history, false);
  ASSERT_FALSE(alone);
  EXPECT_NE(alone.error().message.find("has seen you"), std::string::npos) << alone.error().message;
  ASSERT_TRUE(tracker_->Resume(history, true));
  ASSERT_FALSE(tracker_->Load()->paused);
  ASSERT_EQ(Events("resume").size(), 1u);
  EXPECT_NE(Events("resume")[0].details_json.find("\"acknowledged\":[\"malignancy\"]"),
            std::string::npos)
      << Events("resume")[0].details_json;

  // The next week, the same history: not raised again, not paused.
  auto again = tracker_->RecordDangerAnswers(history);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  EXPECT_FALSE(tracker_->Load()->paused);

  // Weight loss with no reason is new and current: raised, and paused again.
  Answers losing = history;
  losing["rf_serious_signs"] = AnswerValue::Choices({"weight_loss"});
  auto renewed = tracker_->RecordDangerAnswers(losing);
  ASSERT_TRUE(renewed);
  ASSERT_EQ(renewed->size(), 1u);
  EXPECT_TRUE(tracker_->Load()->paused);
  // And resuming it needs a plain no to the weight loss, not just the clinician's word.
  auto still = tracker_->Resume(losing, true);
  ASSERT_FALSE(still);
  EXPECT_NE(still.error().message.find("plain no"), std::string::npos) << still.error().message;
}

TEST_F(TrackerTest, ARoutinePauseNeedsNoClinicianAndANewAssessmentLiftsIt) {
  // Inflammatory back pain (RF13) is a routine danger sign: a GP within about two weeks.
  Answers inflammatory = NoDangerSigns();
  inflammatory["age"] = AnswerValue::Number(30);
  inflammatory["pain_days"] = AnswerValue::Number(120);
  inflammatory["inflammatory_features"] = AnswerValue::Choices({"better_moving", "late_night"});
  ASSERT_TRUE(tracker_->RecordDangerAnswers(inflammatory));
  ASSERT_TRUE(tracker_->Load()->paused);
  EXPECT_EQ(tracker_->Load()->pause_level, TriageLevel::kRoutine);
  // A complete new assessment without danger signs lifts a routine pause.
  const Answers answers = DeskWorker();
  ASSERT_TRUE(tracker_->SaveAssessment(answers, Assess(Kb(), answers).value()));
  EXPECT_FALSE(tracker_->Load()->paused);
}

TEST_F(TrackerTest, ANewAssessmentDoesNotLiftAnUrgentPause) {
  Answers fever = NoDangerSigns();
  fever["rf_body_signs"] = AnswerValue::Choices({"fever"});
  ASSERT_TRUE(tracker_->RecordDangerAnswers(fever));
  const Answers answers = DeskWorker();
  ASSERT_TRUE(tracker_->SaveAssessment(answers, Assess(Kb(), answers).value()));
  EXPECT_TRUE(tracker_->Load()->paused);  // still needs the clinician's all-clear
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
