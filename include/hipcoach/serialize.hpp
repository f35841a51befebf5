// JSON in and out: the answers file, the interview line protocol and the assessment document.
// Pure functions; the command line and the server do the reading and writing.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "hipcoach/answers.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach {

// Parses `{"answers": {"<question id>": value}}` and validates every answer. Messages name the
// place: "answers.json:3:15: ..." for syntax, "answers.pain_days: ..." for values.
Result<Answers> ParseAnswersDocument(const KnowledgeBase& kb, std::string_view text,
                                     std::string_view file_name);

// One JSON value as an answer to `question` (true/false, "unknown", a number, a choice id, a list).
Result<AnswerValue> ParseAnswerValue(const Question& question, const nlohmann::json& value);

// One input line of `hipcoach interview --jsonl`: {"id": ..., "value": ...}.
struct InterviewInput {
  std::string id;
  AnswerValue value;
};
Result<InterviewInput> ParseInterviewLine(const KnowledgeBase& kb, std::string_view line);

nlohmann::json QuestionJson(const KnowledgeBase& kb, const Question& question);
nlohmann::json AssessmentJson(const KnowledgeBase& kb, const Assessment& assessment);
nlohmann::json AnswerJson(const AnswerValue& value);

}  // namespace hipcoach
