// The realistic composite patients of tests/cases/realistic (issue "Triage that is safe and
// useful", deliverable 7a): first-person stories in everyday words, each with the guideline's
// reference level, an acceptable band, whether it holds a positive danger pattern, and the causes
// a clinician would accept. Their answers were given by someone who had read only the story,
// through the real interview, "not sure" included.
//
// Each case walks the real interview with its recorded answers (a question the recording did not
// reach counts as "not sure", and is reported). Every case with a danger pattern must reach its
// reference level: that is asserted case by case. The figures over the whole set are asserted
// too, and printed as the table docs/clinical-safety.md records.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "kb_support.hpp"

namespace hipcoach {
namespace {

using testing::RealKnowledge;

struct RealisticCase {
  std::string id;
  std::string kind;  // typical | lookalike_benign | lookalike_danger
  TriageLevel reference = TriageLevel::kSelfCare;
  std::vector<TriageLevel> band;
  bool danger = false;
  std::vector<std::string> causes;
  Answers answers;
  std::string error;
};

RealisticCase LoadCase(const std::filesystem::path& path) {
  RealisticCase c;
  c.id = path.stem().string();
  try {
    const toml::table root = toml::parse_file(path.string());
    c.kind = root["kind"].value_or(std::string());
    const toml::table* reference = root["reference"].as_table();
    const toml::table* answers = root["answers"].as_table();
    if (reference == nullptr || answers == nullptr) {
      c.error = "needs [reference] and [answers]";
      return c;
    }
    auto level = ParseTriageLevel((*reference)["triage"].value_or(std::string()));
    if (!level) {
      c.error = "reference.triage must be a triage level";
      return c;
    }
    c.reference = *level;
    if (const auto* band = (*reference)["band"].as_array()) {
      for (const auto& node : *band) {
        if (auto l = ParseTriageLevel(node.value_or(std::string()))) c.band.push_back(*l);
      }
    }
    c.danger = (*reference)["danger"].value_or(false);
    if (const auto* causes = (*reference)["causes"].as_array()) {
      for (const auto& node : *causes) c.causes.push_back(node.value_or(std::string()));
    }
    const KnowledgeBase& kb = RealKnowledge();
    for (const auto& [key, node] : *answers) {
      const Question* q = kb.FindQuestion(key.str());
      if (q == nullptr) {
        c.error = "unknown question '" + std::string(key.str()) + "'";
        return c;
      }
      auto value = testing::TomlAnswer(*q, node);
      if (!value) {
        c.error = value.error().message;
        return c;
      }
      c.answers.emplace(std::string(key.str()), *value);
    }
  } catch (const toml::parse_error& e) {
    c.error = std::string(e.description());
  }
  return c;
}

std::vector<std::filesystem::path> CasePaths() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(HIPCOACH_CASES_DIR) + "/realistic")) {
    if (entry.path().extension() == ".toml") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

struct Outcome {
  TriageLevel level = TriageLevel::kSelfCare;
  int questions = 0;
  int not_recorded = 0;               // questions the recording did not reach, answered "not sure"
  std::vector<std::string> rule_out;  // what a doctor needs to rule out
  std::vector<std::string> ranked;    // the likely causes
};

Outcome Walk(const KnowledgeBase& kb, const RealisticCase& c) {
  Outcome out;
  Answers given;
  for (std::size_t guard = 0; guard <= kb.questions.size(); ++guard) {
    const NextStep step = NextQuestion(kb, given);
    if (step.question == nullptr) break;
    auto it = c.answers.find(step.question->id);
    if (it == c.answers.end()) ++out.not_recorded;
    given[step.question->id] = it == c.answers.end() ? AnswerValue::Unknown() : it->second;
    ++out.questions;
  }
  auto assessed = Assess(kb, given);
  if (!assessed) return out;
  out.level = assessed->triage.level;
  for (const RankedCause& r : assessed->rule_out) {
    out.rule_out.push_back(kb.causes[static_cast<std::size_t>(r.cause)].id);
  }
  for (const RankedCause& r : assessed->causes) {
    out.ranked.push_back(kb.causes[static_cast<std::size_t>(r.cause)].id);
  }
  return out;
}

// The result shows two lists, each read from its top: what a doctor needs to rule out and the
// likely causes. An expected cause counts when it is among the first k of either (as in
// bench/triage_population), so a rule-out another answer rightly raised does not push a benign
// cause down.
bool InTop(const Outcome& o, const RealisticCase& c, std::size_t k) {
  for (const auto* list : {&o.rule_out, &o.ranked}) {
    for (std::size_t i = 0; i < list->size() && i < k; ++i) {
      if (std::find(c.causes.begin(), c.causes.end(), (*list)[i]) != c.causes.end()) return true;
    }
  }
  return false;
}

class RealisticCaseTest : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(RealisticCaseTest, ADangerPatternIsNeverTriagedBelowItsLevel) {
  const RealisticCase c = LoadCase(GetParam());
  ASSERT_TRUE(c.error.empty()) << c.id << ": " << c.error;
  ASSERT_FALSE(c.band.empty()) << c.id << ": no band";
  const Outcome o = Walk(RealKnowledge(), c);
  ASSERT_GT(o.questions, 0);
  if (c.danger) {
    EXPECT_GE(o.level, c.reference)
        << c.id << ": reference " << ToString(c.reference) << ", got " << ToString(o.level);
  }
  // Safe advice (Gilbert 2020): never more than one level below the reference.
  EXPECT_GE(static_cast<int>(o.level), static_cast<int>(c.reference) - 1) << c.id;
}

INSTANTIATE_TEST_SUITE_P(Realistic, RealisticCaseTest, ::testing::ValuesIn(CasePaths()),
                         [](const ::testing::TestParamInfo<std::filesystem::path>& param_info) {
                           std::string name = param_info.param.stem().string();
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char ch) {
                                 return !std::isalnum(static_cast<unsigned char>(ch));
                               },
                               '_');
                           return name;
                         });

double Percent(int n, int d) { return d == 0 ? 0 : 100.0 * n / d; }

// The figures of the issue, over the whole set. Printed for docs/clinical-safety.md.
TEST(RealisticCases, MeetTheFigures) {
  const KnowledgeBase& kb = RealKnowledge();
  int total = 0, danger = 0, danger_below = 0, safe = 0, exact = 0, in_band = 0;
  int self_care = 0, self_care_over = 0, top1 = 0, top3 = 0, lookalikes = 0, not_recorded = 0;
  std::vector<int> questions;
  std::map<TriageLevel, std::map<TriageLevel, int>> confusion;
  for (const auto& path : CasePaths()) {
    const RealisticCase c = LoadCase(path);
    ASSERT_TRUE(c.error.empty()) << c.id << ": " << c.error;
    const Outcome o = Walk(kb, c);
    ++total;
    lookalikes += c.kind.rfind("lookalike", 0) == 0 ? 1 : 0;
    not_recorded += o.not_recorded;
    questions.push_back(o.questions);
    ++confusion[c.reference][o.level];
    if (c.danger) {
      ++danger;
      danger_below += o.level < c.reference ? 1 : 0;
    }
    safe += static_cast<int>(o.level) >= static_cast<int>(c.reference) - 1 ? 1 : 0;
    exact += o.level == c.reference ? 1 : 0;
    in_band += std::find(c.band.begin(), c.band.end(), o.level) != c.band.end() ? 1 : 0;
    if (c.reference == TriageLevel::kSelfCare) {
      ++self_care;
      self_care_over += o.level > TriageLevel::kSelfCare ? 1 : 0;
    }
    top1 += InTop(o, c, 1) ? 1 : 0;
    top3 += InTop(o, c, 3) ? 1 : 0;
  }
  ASSERT_GE(total, 60) << "the issue asks for at least 60 realistic cases";
  EXPECT_GE(lookalikes * 3, total) << "a third of the cases should be look-alikes";
  std::sort(questions.begin(), questions.end());
  const int median = questions[questions.size() / 2];
  const int longest = questions.back();

  std::cout << "\nRealistic cases: " << total << " (" << lookalikes << " look-alikes, " << danger
            << " with a danger pattern); questions the recordings did not reach: " << not_recorded
            << "\n";
  std::cout << "reference \\ given: self_care routine urgent emergency\n";
  for (TriageLevel ref : {TriageLevel::kSelfCare, TriageLevel::kRoutine, TriageLevel::kUrgent,
                          TriageLevel::kEmergency}) {
    std::cout << "  " << ToString(ref) << ":";
    for (TriageLevel got : {TriageLevel::kSelfCare, TriageLevel::kRoutine, TriageLevel::kUrgent,
                            TriageLevel::kEmergency}) {
      std::cout << " " << confusion[ref][got];
    }
    std::cout << "\n";
  }
  std::cout << "danger patterns below their level: " << danger_below << " of " << danger << "\n"
            << "safe (at most one level below): " << Percent(safe, total) << " %\n"
            << "exact: " << Percent(exact, total)
            << " %; within the acceptable band: " << Percent(in_band, total) << " %\n"
            << "self-care over-triage: " << Percent(self_care_over, self_care) << " % ("
            << self_care_over << " of " << self_care << ")\n"
            << "expected cause top 1: " << Percent(top1, total)
            << " %; top 3: " << Percent(top3, total) << " %\n"
            << "questions: median " << median << ", longest " << longest << "\n";

  EXPECT_EQ(danger_below, 0);
  EXPECT_GE(Percent(safe, total), 99.0);
  EXPECT_LE(Percent(self_care_over, self_care), 10.0);
  EXPECT_GE(Percent(in_band, total), 85.0);
  EXPECT_GE(Percent(top3, total), 85.0);
  EXPECT_GE(Percent(top1, total), 60.0);
  EXPECT_LE(median, 18);
  EXPECT_LE(longest, 25);
}

}  // namespace
}  // namespace hipcoach
