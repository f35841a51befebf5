#include "hipcoach/serialize.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace hipcoach {
namespace {

using testing::Fixture;

TEST(AnswersDocument, ParsesEveryValueKind) {
  auto answers = ParseAnswersDocument(Fixture(), R"({"answers": {
      "fall": false, "hot_joint": "unknown", "pain_days": 20,
      "pain_trend": "same", "pain_site": ["groin", "buttock"], "painful_side": "left"}})",
                                      "a.json");
  ASSERT_TRUE(answers) << answers.error().message;
  EXPECT_EQ(answers->at("fall"), AnswerValue::Bool(false));
  EXPECT_EQ(answers->at("hot_joint"), AnswerValue::Unknown());
  EXPECT_EQ(answers->at("pain_days"), AnswerValue::Number(20));
  EXPECT_EQ(answers->at("pain_trend"), AnswerValue::Choice("same"));
  EXPECT_EQ(answers->at("pain_site"), AnswerValue::Choices({"buttock", "groin"}));
}

TEST(AnswersDocument, MalformedJsonNamesLineAndColumn) {
  auto answers = ParseAnswersDocument(Fixture(), "{\"answers\": {\n  \"fall\": tru\n}}", "a.json");
  ASSERT_FALSE(answers);
  // The position is just past the bad literal "tru".
  EXPECT_EQ(answers.error().message.rfind("a.json:2:14: malformed JSON: ", 0), 0U)
      << answers.error().message;
}

TEST(AnswersDocument, UnknownQuestionGetsDidYouMean) {
  auto answers = ParseAnswersDocument(Fixture(), R"({"answers": {"fal": true}})", "a.json");
  ASSERT_FALSE(answers);
  EXPECT_EQ(answers.error().message,
            "a.json: answers.fal: unknown question id 'fal' (did you mean 'fall'?)");
}

TEST(AnswersDocument, WrongTypeAndOutOfRangeAreNamed) {
  auto wrong = ParseAnswersDocument(Fixture(), R"({"answers": {"fall": 3}})", "a.json");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message,
            "a.json: answers.fall: question 'fall' expects true or false (or \"unknown\"), not a "
            "number");
  auto range = ParseAnswersDocument(Fixture(), R"({"answers": {"pain_days": 99999}})", "a.json");
  ASSERT_FALSE(range);
  EXPECT_EQ(range.error().message,
            "a.json: answers.pain_days: question 'pain_days': 99999 is out of range 0-3650 days");
  auto null_value = ParseAnswersDocument(Fixture(), R"({"answers": {"fall": null}})", "a.json");
  ASSERT_FALSE(null_value);
}

TEST(AnswersDocument, TheShapeIsChecked) {
  EXPECT_FALSE(ParseAnswersDocument(Fixture(), R"([1,2])", "a.json"));
  EXPECT_FALSE(ParseAnswersDocument(Fixture(), R"({"answer": {}})", "a.json"));
  auto extra = ParseAnswersDocument(Fixture(), R"({"answers": {}, "x": 1})", "a.json");
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().message, "a.json: unknown top-level key 'x' (only \"answers\")");
}

// Hostile answers files: refused with a message, never an exception, a crash or a silent choice.
TEST(AnswersDocument, HostileDocumentsAreRefusedWithAMessage) {
  auto twice =
      ParseAnswersDocument(Fixture(), R"({"answers": {"fall": false, "fall": true}})", "a.json");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "a.json:1:34: the key \"fall\" appears twice in one object");
  auto huge = ParseAnswersDocument(Fixture(), R"({"answers": {"pain_days": 1e999}})", "a.json");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().message, "a.json:1:31: a number is too large");
  const std::string deep = "{\"answers\": {\"pain_site\": " + std::string(200000, '[');
  auto nested = ParseAnswersDocument(Fixture(), deep, "a.json");
  ASSERT_FALSE(nested);
  EXPECT_NE(nested.error().message.find("nested more than 64 deep"), std::string::npos);
  auto line = ParseInterviewLine(Fixture(), R"({"id": "fall", "id": "hot_joint", "value": 1})");
  ASSERT_FALSE(line);
  EXPECT_NE(line.error().message.find("appears twice"), std::string::npos);
}

TEST(InterviewLine, ParsesAndValidates) {
  auto input = ParseInterviewLine(Fixture(), R"({"id": "fall", "value": "yes"})");
  ASSERT_TRUE(input);
  EXPECT_EQ(input->value, AnswerValue::Bool(true));
  EXPECT_FALSE(ParseInterviewLine(Fixture(), R"({"id": "fall"})"));
  EXPECT_FALSE(ParseInterviewLine(Fixture(), R"({"id": "nope", "value": true})"));
  EXPECT_FALSE(ParseInterviewLine(Fixture(), "not json"));
}

TEST(AssessmentJson, HasTheDocumentedShape) {
  Answers answers{{"fall", AnswerValue::Bool(true)}};
  const nlohmann::json doc = AssessmentJson(Fixture(), Assess(Fixture(), answers));
  EXPECT_EQ(doc["triage"]["level"], "emergency");
  ASSERT_TRUE(doc["triage"]["reasons"].is_array());
  EXPECT_EQ(doc["triage"]["reasons"][0]["sources"][0], "study_a");
  EXPECT_TRUE(doc["programme"].is_null());
  EXPECT_EQ(doc["knowledge_version"], "test-1");
  ASSERT_TRUE(doc["causes"].is_array());
  // A fall makes a fracture 20 times more likely, but from a prior of 0.1% it stays unlikely
  // (about 2%). The red flag, not the ranking, sends the person to hospital, and the cause it
  // points to is listed first, marked; in an emergency only three other causes follow, by
  // probability.
  ASSERT_EQ(doc["causes"].size(), 4U);
  EXPECT_EQ(doc["causes"][0]["id"], "hip_fracture");
  EXPECT_EQ(doc["causes"][0]["flagged_by"], "fracture");
  EXPECT_NEAR(doc["causes"][0]["probability"].get<double>(), 0.0196, 0.0005);
  double previous = 1.0;
  for (std::size_t i = 1; i < doc["causes"].size(); ++i) {
    const auto& cause = doc["causes"][i];
    EXPECT_TRUE(cause["flagged_by"].is_null());
    EXPECT_LE(cause["probability"].get<double>(), previous);
    previous = cause["probability"].get<double>();
    EXPECT_TRUE(cause["evidence"].is_array());
  }
}

TEST(QuestionJson, ListsWhatAFrontEndNeeds) {
  const nlohmann::json q = QuestionJson(Fixture(), *Fixture().FindQuestion("pain_days"));
  EXPECT_EQ(q["type"], "number");
  EXPECT_EQ(q["unit"], "days");
  EXPECT_EQ(q["min"], 0);
  EXPECT_EQ(q["max"], 3650);
  EXPECT_EQ(q["red_flag_screen"], false);
  EXPECT_EQ(QuestionJson(Fixture(), *Fixture().FindQuestion("fall"))["red_flag_screen"], true);
}

}  // namespace
}  // namespace hipcoach
