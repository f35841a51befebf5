// The clinician-readable progression and escalation cases of tests/progression/*.toml, run
// against the real knowledge base.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>

#include "hipcoach/app.hpp"
#include "hipcoach/progression.hpp"

namespace hipcoach {
namespace {

const KnowledgeBase& RealKnowledge() {
  static const KnowledgeBase kb = [] {
    LoadOutcome outcome = app::LoadKnowledgeFrom(HIPCOACH_KNOWLEDGE_DIR);
    if (!outcome.kb) {
      for (const auto& d : outcome.diagnostics) ADD_FAILURE() << d.Format();
      std::abort();
    }
    return std::move(*outcome.kb);
  }();
  return kb;
}

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(HIPCOACH_PROGRESSION_DIR)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> Strings(const toml::node_view<const toml::node>& node) {
  std::vector<std::string> out;
  if (const auto* array = node.as_array()) {
    for (const auto& item : *array) out.push_back(item.value_or(std::string()));
  }
  return out;
}

DoseDays Days(const std::string& text) {
  if (text == "strength") return DoseDays::kStrength;
  if (text == "rest_days_ok") return DoseDays::kRestDaysOk;
  return DoseDays::kDaily;
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, DecidesAsWritten) {
  const KnowledgeBase& kb = RealKnowledge();
  toml::table root;
  try {
    root = toml::parse_file(GetParam());
  } catch (const toml::parse_error& e) {
    FAIL() << GetParam() << ": " << e.description();
  }
  const auto& c = std::as_const(root);
  const std::string kind = c["kind"].value_or(std::string());
  const int today = c["today"].value_or(0);
  const auto expect = c["expect"];
  SCOPED_TRACE(c["name"].value_or(std::string()));
  ASSERT_TRUE(expect.is_table()) << "no [expect]";

  if (kind == "progression") {
    const auto p = c["prescription"];
    Prescription current;
    current.exercise = p["exercise"].value_or(std::string());
    ASSERT_NE(kb.FindExercise(current.exercise), nullptr) << current.exercise;
    current.phase = p["phase"].value_or(1);
    current.sets = p["sets"].value_or(1);
    current.reps_min = p["reps_min"].value_or(1);
    current.reps_max = p["reps_max"].value_or(1);
    current.hold_seconds = p["hold_seconds"].value_or(0);
    current.per_side = kb.FindExercise(current.exercise)->per_side;
    current.days = Days(p["days"].value_or(std::string("daily")));
    current.load_steps = p["load_steps"].value_or(0);
    std::vector<SessionOutcome> history;
    if (const auto* sessions = c["session"].as_array()) {
      for (const auto& node : *sessions) {
        const auto& s = *node.as_table();
        SessionOutcome o;
        o.day = s["day"].value_or(0);
        o.missed = s["missed"].value_or(false);
        o.sets_done = s["sets"].value_or(0);
        o.reps_every_set = s["reps"].value_or(0);
        o.pain_during = s["pain"].value_or(0);
        if (auto v = s["before"].value<int>()) o.pain_before = *v;
        if (auto v = s["next_morning"].value<int>()) o.pain_next_morning = *v;
        history.push_back(o);
      }
    }
    ProgressionContext context;
    context.today = today;
    context.phase = c["programme_phase"].value_or(current.phase);
    context.flare = c["flare"].value_or(false);
    context.excluded = Strings(c["excluded"]);
    current.since_day = p["since"].value_or(0);
    const Decision d = DecideProgression(kb, current, history, context);
    EXPECT_EQ(ToString(d.kind), expect["decision"].value_or(std::string())) << d.reason;
    EXPECT_EQ(d.code, expect["code"].value_or(std::string())) << d.reason;
    EXPECT_EQ(d.next.exercise, expect["exercise"].value_or(std::string()));
    if (auto sets = expect["sets"].value<int>()) {
      EXPECT_EQ(d.next.sets, *sets);
    }
    if (auto load = expect["load_steps"].value<int>()) {
      EXPECT_EQ(d.next.load_steps, *load);
    }
    for (const std::string& words : Strings(expect["reason_contains"])) {
      EXPECT_NE(d.reason.find(words), std::string::npos)
          << "reason lacks '" << words << "': " << d.reason;
    }
    EXPECT_FALSE(d.sources.empty());
    for (const std::string& source : d.sources) EXPECT_NE(kb.FindSource(source), nullptr);
    if (d.kind != DecisionKind::kHold) {
      EXPECT_EQ(d.next.since_day, today);
    }
  } else if (kind == "escalation") {
    SafetyInput input;
    input.today = today;
    input.pain_days_at_start = c["pain_days_at_start"].value_or(-1);
    input.latest_change = c["change"].value_or(std::string());
    if (const auto* pain = c["pain"].as_array()) {
      for (const auto& node : *pain) {
        const auto& pair = *node.as_array();
        input.pain.push_back(DailyPain{pair[0].value_or(0), pair[1].value_or(0.0)});
      }
    }
    if (const auto* peak = c["peak"].as_array()) {
      for (const auto& node : *peak) {
        const auto& pair = *node.as_array();
        input.peak.push_back(DailyPain{pair[0].value_or(0), pair[1].value_or(0.0)});
      }
    }
    if (auto v = c["pain_now"].value<int>()) input.latest_pain_now = *v;
    if (auto v = c["exercise_pain"].value<int>()) input.latest_exercise_pain = *v;
    const std::vector<Escalation> raised = CheckEscalations(kb, input);
    std::vector<std::string> ids, levels;
    bool pause = false;
    std::string messages;
    for (const Escalation& e : raised) {
      ids.push_back(e.id);
      levels.push_back(std::string(ToString(e.level)));
      pause = pause || e.pause;
      messages += e.message + "\n";
      EXPECT_EQ(e.message.find('{'), std::string::npos) << "unfilled field: " << e.message;
      EXPECT_FALSE(e.sources.empty());
    }
    EXPECT_EQ(ids, Strings(expect["escalations"])) << messages;
    if (expect["levels"]) {
      EXPECT_EQ(levels, Strings(expect["levels"]));
    }
    EXPECT_EQ(pause, expect["pause"].value_or(false));
    for (const std::string& words : Strings(expect["message_contains"])) {
      EXPECT_NE(messages.find(words), std::string::npos) << "no message has '" << words << "':\n"
                                                         << messages;
    }
  } else {
    FAIL() << "kind must be progression or escalation, not '" << kind << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenCase, ::testing::ValuesIn(CaseFiles()), [](const auto& p) {
  return std::filesystem::path(p.param).stem().string();
});

TEST(GoldenCases, AtLeastEightCoverEveryDecision) {
  const auto files = CaseFiles();
  EXPECT_GE(files.size(), 8u);
  std::string all;
  for (const auto& f : files) all += std::filesystem::path(f).stem().string() + " ";
  for (const char* needed : {"progress_", "hold_", "regress_one_red_session",
                             "regress_worse_next_morning", "regress_missed", "restart_",
                             "escalate_no_improvement_2_weeks", "escalate_not_resolved_6_weeks"}) {
    EXPECT_NE(all.find(needed), std::string::npos) << needed;
  }
}

TEST(RealKnowledge, HasEveryEscalationMessage) {
  for (const char* id : {"danger_sign", "much_worse", "flare", "pain_rise", "pain_high",
                         "pain_high_sustained", "no_improvement", "not_resolved", "persisting"}) {
    const EscalationText* text = RealKnowledge().rules.FindEscalation(id);
    ASSERT_NE(text, nullptr) << id;
    EXPECT_FALSE(text->message.empty());
  }
}

}  // namespace
}  // namespace hipcoach
