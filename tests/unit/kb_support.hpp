// Shared helpers for the tests that run against the real knowledge base.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach::testing {

// The knowledge base from the source tree's knowledge/ directory (what the binary embeds).
const KnowledgeBase& RealKnowledge();

// One TOML value as an answer to `question` (true/false, "unknown", number, choice id, list).
Result<AnswerValue> TomlAnswer(const Question& question, const toml::node& node);

}  // namespace hipcoach::testing
