// The golden cases of tests/cases (all but realistic/, which has its own test): each is a person's
// story and answers, with the triage level, red flags, causes and programme a clinician expects.
// Every case is checked twice: from its full answer set, and by walking the real interview with
// those answers (questions the case does not answer get "not sure"), which must never be less
// urgent than the expected level. Look-alike cases name the red flags that must NOT match.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>

#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "kb_support.hpp"

namespace hipcoach {
namespace {

using testing::RealKnowledge;

struct GoldenCase {
  std::string path;
  std::string name;
  Answers answers;
  TriageLevel triage = TriageLevel::kSelfCare;
  std::vector<std::string> red_flags;
  std::vector<std::string> not_red_flags;
  std::vector<std::string> top3;
  std::optional<bool> programme;
  std::vector<std::string> not_in_programme;
  std::string error;  // a malformed case fails its test with this message
};

std::vector<std::string> Strings(const toml::table& table, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* array = table[key].as_array()) {
    for (const auto& element : *array) {
      if (const auto* text = element.as_string()) out.push_back(text->get());
    }
  }
  return out;
}

GoldenCase Load(const std::string& path) {
  GoldenCase c;
  c.path = path;
  try {
    const toml::table root = toml::parse_file(path);
    c.name = root["name"].value_or(std::string());
    const KnowledgeBase& kb = RealKnowledge();
    if (const auto* answers = root["answers"].as_table()) {
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
    }
    const toml::table* expect = root["expect"].as_table();
    if (expect == nullptr) {
      c.error = "no [expect] table";
      return c;
    }
    auto level = ParseTriageLevel((*expect)["triage"].value_or(std::string()));
    if (!level) {
      c.error = "expect.triage must be a triage level";
      return c;
    }
    c.triage = *level;
    c.red_flags = Strings(*expect, "red_flags");
    c.not_red_flags = Strings(*expect, "not_red_flags");
    c.top3 = Strings(*expect, "top3");
    c.not_in_programme = Strings(*expect, "not_in_programme");
    if (auto programme = (*expect)["programme"].value<bool>()) c.programme = *programme;
  } catch (const toml::parse_error& e) {
    c.error = std::string(e.description());
  }
  return c;
}

std::vector<std::string> CasePaths() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(HIPCOACH_CASES_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    if (entry.path().parent_path().filename() == "realistic") continue;
    paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

class GoldenCaseTest : public ::testing::TestWithParam<std::string> {};

std::string Describe(const KnowledgeBase& kb, const Assessment& a) {
  std::string text = "triage " + std::string(ToString(a.triage.level)) + "; red flags:";
  for (const auto& m : a.triage.red_flags)
    text += " " + kb.red_flags[static_cast<std::size_t>(m.red_flag)].id;
  text += "; rule out:";
  for (const auto& c : a.rule_out) text += " " + kb.causes[static_cast<std::size_t>(c.cause)].id;
  text += "; causes:";
  for (std::size_t i = 0; i < a.causes.size() && i < 5; ++i) {
    text += " " + kb.causes[static_cast<std::size_t>(a.causes[i].cause)].id + "=" +
            std::to_string(a.causes[i].probability).substr(0, 5);
  }
  return text;
}

TEST_P(GoldenCaseTest, MeetsItsExpectations) {
  const KnowledgeBase& kb = RealKnowledge();
  const GoldenCase c = Load(GetParam());
  ASSERT_TRUE(c.error.empty()) << c.path << ": " << c.error;
  auto assessed = Assess(kb, c.answers);
  ASSERT_TRUE(assessed.has_value()) << c.path << ": " << assessed.error().message;
  const Assessment& a = *assessed;
  SCOPED_TRACE(c.path + " (" + c.name + "): " + Describe(kb, a));

  EXPECT_EQ(a.triage.level, c.triage);
  for (const std::string& flag : c.red_flags) {
    const bool found = std::any_of(
        a.triage.red_flags.begin(), a.triage.red_flags.end(), [&](const MatchedRedFlag& m) {
          return kb.red_flags[static_cast<std::size_t>(m.red_flag)].id == flag;
        });
    EXPECT_TRUE(found) << "red flag " << flag << " not matched";
  }
  for (const std::string& flag : c.not_red_flags) {
    for (const MatchedRedFlag& m : a.triage.red_flags) {
      EXPECT_NE(kb.red_flags[static_cast<std::size_t>(m.red_flag)].id, flag)
          << "the look-alike matched red flag " << flag;
    }
  }
  // A serious cause a danger sign points to is in "what a doctor needs to rule out"; the others
  // must be among the first three likely causes.
  for (const std::string& cause : c.top3) {
    bool found = false;
    for (const RankedCause& r : a.rule_out) {
      found = found || kb.causes[static_cast<std::size_t>(r.cause)].id == cause;
    }
    for (std::size_t i = 0; i < a.causes.size() && i < 3; ++i) {
      found = found || kb.causes[static_cast<std::size_t>(a.causes[i].cause)].id == cause;
    }
    EXPECT_TRUE(found) << cause << " not in the top 3 or what to rule out";
  }
  if (c.programme) {
    EXPECT_EQ(a.programme.has_value(), *c.programme);
  }
  if (a.programme) {
    for (const std::string& id : c.not_in_programme) {
      for (const PhasePlan& phase : a.programme->phases) {
        for (const PlanItem& item : phase.items) EXPECT_NE(item.exercise, id);
      }
    }
  }
}

TEST_P(GoldenCaseTest, TheInterviewReachesAtLeastTheExpectedLevel) {
  const KnowledgeBase& kb = RealKnowledge();
  const GoldenCase c = Load(GetParam());
  ASSERT_TRUE(c.error.empty()) << c.path << ": " << c.error;
  Answers given;
  int asked = 0;
  for (; asked < 80; ++asked) {
    const NextStep step = NextQuestion(kb, given);
    if (step.question == nullptr) break;
    auto it = c.answers.find(step.question->id);
    given[step.question->id] = it == c.answers.end() ? AnswerValue::Unknown() : it->second;
  }
  ASSERT_LT(asked, 80) << "the interview did not end";
  EXPECT_LE(asked, kb.rules.max_questions) << "the interview asked more than its budget";
  auto assessed = Assess(kb, given);
  ASSERT_TRUE(assessed.has_value()) << assessed.error().message;
  const Assessment& a = *assessed;
  SCOPED_TRACE(c.path + ": " + Describe(kb, a));
  EXPECT_GE(a.triage.level, c.triage) << "the interview under-triaged this case";
  for (const std::string& flag : c.red_flags) {
    const RedFlag* expected = kb.FindRedFlag(flag);
    ASSERT_NE(expected, nullptr) << flag;
    EXPECT_GE(a.triage.level, expected->level);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GoldenCaseTest, ::testing::ValuesIn(CasePaths()),
    [](const ::testing::TestParamInfo<std::string>& param_info) {
      std::string name = std::filesystem::path(param_info.param).parent_path().filename().string() +
                         "_" + std::filesystem::path(param_info.param).stem().string();
      std::replace_if(
          name.begin(), name.end(),
          [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
      return name;
    });

TEST(GoldenCases, EveryRedFlagAndCauseHasItsCases) {
  const KnowledgeBase& kb = RealKnowledge();
  std::map<std::string, int> flag_cases;
  std::map<std::string, int> cause_cases;
  for (const std::string& path : CasePaths()) {
    const GoldenCase c = Load(path);
    for (const auto& f : c.red_flags) ++flag_cases[f];
    for (const auto& t : c.top3) ++cause_cases[t];
  }
  for (const RedFlag& flag : kb.red_flags) {
    EXPECT_GE(flag_cases[flag.id], 1) << "no golden case reaches red flag " << flag.id;
  }
  for (const Cause& cause : kb.causes) {
    if (cause.kind == "serious") continue;
    EXPECT_GE(cause_cases[cause.id], 2) << "fewer than two golden cases rank " << cause.id;
  }
}

}  // namespace
}  // namespace hipcoach
