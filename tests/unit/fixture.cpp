#include "fixture.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hipcoach::testing {

const std::string& FixtureText() {
  static const std::string text = [] {
    std::ifstream in(std::string(HIPCOACH_FIXTURE_DIR) + "/kb.toml");
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }();
  return text;
}

LoadOutcome LoadText(const std::string& text) {
  const KnowledgeFile file{"kb.toml", text};
  return LoadKnowledge(std::span<const KnowledgeFile>(&file, 1));
}

const KnowledgeBase& Fixture() {
  static const KnowledgeBase kb = [] {
    LoadOutcome outcome = LoadText(FixtureText());
    if (!outcome.kb) {
      for (const auto& d : outcome.diagnostics) std::cerr << d.Format() << "\n";
      std::abort();
    }
    return std::move(*outcome.kb);
  }();
  return kb;
}

std::string FixtureWith(const std::string& from, const std::string& to) {
  std::string text = FixtureText();
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture has no '" << from << "'";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

AnswerValue Yes() { return AnswerValue::Bool(true); }
AnswerValue No() { return AnswerValue::Bool(false); }
AnswerValue NotSure() { return AnswerValue::Unknown(); }

}  // namespace hipcoach::testing
