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
  const nlohmann::json doc = AssessmentJson(Fixture(), testing::MustAssess(Fixture(), answers));
  EXPECT_EQ(doc["triage"]["level"], "emergency");
  ASSERT_TRUE(doc["triage"]["reasons"].is_array());
  EXPECT_EQ(doc["triage"]["reasons"][0]["sources"][0], "study_a");
  EXPECT_TRUE(doc["programme"].is_null());
  EXPECT_EQ(doc["knowledge_version"], "test-1");
  ASSERT_TRUE(doc["causes"].is_array());
  // A fall makes a fracture 20 times more likely, but from a prior of 0.1% it stays unlikely
  // (about 2%). The red flag, not the ranking, sends the person to hospital: the cause it points
  // to is listed on its own, as what a doctor needs to rule out, with the flag's reason, and the
  // likely causes follow by probability, each with its chance in words.
  ASSERT_EQ(doc["rule_out"].size(), 1U);
  EXPECT_EQ(doc["rule_out"][0]["id"], "hip_fracture");
  EXPECT_EQ(doc["rule_out"][0]["flagged_by"], "fracture");
  EXPECT_EQ(doc["rule_out"][0]["why"], "A fall can break the hip.");
  EXPECT_NEAR(doc["rule_out"][0]["probability"].get<double>(), 0.0196, 0.0005);
  ASSERT_EQ(doc["causes"].size(), 3U);
  EXPECT_TRUE(doc["more_causes"].empty());
  double previous = 1.0;
  for (const auto& cause : doc["causes"]) {
    EXPECT_FALSE(cause.contains("flagged_by"));
    EXPECT_LE(cause["probability"].get<double>(), previous);
    previous = cause["probability"].get<double>();
    EXPECT_TRUE(cause["evidence"].is_array());
    EXPECT_NE(cause["chance"].get<std::string>().find("in 10 people with answers like yours"),
              std::string::npos);
  }
}

TEST(AssessmentJson, NoFigureAboveNinetyPercentAndAtMostFiveCausesShown) {
  // Groin pain makes osteoarthritis 5 times more likely; in a knowledge base with more causes
  // than shown, the rest go behind "show more", and the cap holds however strong the evidence.
  std::string text =
      testing::FixtureWith("lr_pos = 5.0\nlr_neg = 0.5", "lr_pos = 100\nlr_neg = 0.5");
  const auto shown_at = text.find("causes_shown = 5");
  text.replace(shown_at, std::string("causes_shown = 5").size(), "causes_shown = 2");
  const LoadOutcome outcome = testing::LoadText(text);
  ASSERT_TRUE(outcome.kb);
  Answers answers{{"fall", AnswerValue::Bool(false)},
                  {"hot_joint", AnswerValue::Bool(false)},
                  {"night_pain", AnswerValue::Bool(false)},
                  {"pain_days", AnswerValue::Number(3)},
                  {"pain_trend", AnswerValue::Choice("better")},
                  {"pain_site", AnswerValue::Choices({"groin"})}};
  const nlohmann::json doc = AssessmentJson(*outcome.kb, testing::MustAssess(*outcome.kb, answers));
  ASSERT_EQ(doc["causes"].size(), 2U);
  EXPECT_EQ(doc["causes"][0]["id"], "hip_osteoarthritis");
  EXPECT_EQ(doc["causes"][0]["probability"], 0.9);
  EXPECT_EQ(doc["causes"][0]["chance"], "about 9 in 10 people with answers like yours");
  EXPECT_EQ(doc["more_causes"].size(), 2U);
}

TEST(QuestionJson, ListsWhatAFrontEndNeeds) {
  const nlohmann::json q = QuestionJson(Fixture(), *Fixture().FindQuestion("pain_days"));
  EXPECT_EQ(q["type"], "number");
  EXPECT_EQ(q["unit"], "days");
  EXPECT_EQ(q["min"], 0);
  EXPECT_EQ(q["max"], 3650);
  EXPECT_EQ(q["red_flag_screen"], true);  // it feeds the safety net
  EXPECT_EQ(QuestionJson(Fixture(), *Fixture().FindQuestion("sitting"))["red_flag_screen"], false);
  const nlohmann::json plain = QuestionJson(Fixture(), *Fixture().FindQuestion("fall_plain"));
  EXPECT_EQ(plain["follows_up"], "fall");
  EXPECT_EQ(plain["check"], "Ask someone who was with you.");
}

}  // namespace
}  // namespace hipcoach
