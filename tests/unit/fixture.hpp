// The synthetic knowledge base of tests/unit/fixture, loaded once.
#pragma once

#include <string>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"
#include "must_assess.hpp"

namespace hipcoach::testing {

// The fixture's TOML text, for tests that change it.
const std::string& FixtureText();

// The fixture loaded (aborts the test binary if it does not load: every test depends on it).
const KnowledgeBase& Fixture();

// Loads `text` as a single knowledge file called kb.toml.
LoadOutcome LoadText(const std::string& text);

// Replaces the first occurrence of `from` in the fixture text (the test fails if it is absent).
std::string FixtureWith(const std::string& from, const std::string& to);

// Shorthands for answers.
AnswerValue Yes();
AnswerValue No();
AnswerValue NotSure();

}  // namespace hipcoach::testing
