// The FHIR mapping (include/hipcoach/fhir.hpp) on the real knowledge base: identifiers, the
// Questionnaire, QuestionnaireResponse export and import (every error path), the round trip over
// every golden case, and the Bundle built from an in-memory data set.
#include "hipcoach/fhir.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/tracking.hpp"
#include "kb_support.hpp"

namespace hipcoach {
namespace {

using json = nlohmann::ordered_json;
using testing::RealKnowledge;

const std::string kKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// ---- identifiers ----

TEST(FhirIds, NameUuidIsDeterministicVersion8) {
  const std::string a = fhir::NameUuid("Patient|x|0");
  EXPECT_EQ(a, fhir::NameUuid("Patient|x|0"));
  EXPECT_NE(a, fhir::NameUuid("Patient|x|1"));
  EXPECT_TRUE(std::regex_match(
      a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
  // Pinned: the first 16 bytes of SHA-256("Patient|x|0") with version 8 and variant 10 set.
  EXPECT_EQ(a, "ee79d48d-c3d2-8ee2-9ae1-2a05bf819685");
}

TEST(FhirIds, PseudonymIsKeyedAndHidesTheId) {
  const std::string p1 = fhir::Pseudonym(kKey, 1);
  EXPECT_EQ(p1, fhir::Pseudonym(kKey, 1));
  EXPECT_NE(p1, fhir::Pseudonym(kKey, 2));
  EXPECT_NE(p1, fhir::Pseudonym("another key", 1));
  EXPECT_TRUE(std::regex_match(p1, std::regex("[0-9a-f]{32}")));
  // Pinned (Python: hmac.new(key, b"hipcoach-person:1", sha256).hexdigest()[:32]), so that a
  // person's pseudonym stays the same from one version of hipcoach to the next.
  EXPECT_EQ(p1, "12c7de14a0bf5b18041c4740766dc26d");
}

// ---- the Questionnaire ----

const json* Item(const json& questionnaire, const std::string& link_id) {
  for (const json& item : questionnaire["item"]) {
    if (item["linkId"] == link_id) return &item;
  }
  return nullptr;
}

TEST(FhirQuestionnaire, OneItemPerQuestionInInterviewOrder) {
  const KnowledgeBase& kb = RealKnowledge();
  const json q = fhir::QuestionnaireJson(kb);
  EXPECT_EQ(q["resourceType"], "Questionnaire");
  EXPECT_EQ(q.begin().key(), "resourceType");
  EXPECT_EQ(q["status"], "active");
  EXPECT_EQ(q["url"], "urn:hipcoach:questionnaire:interview");
  EXPECT_EQ(q["version"], kb.version);
  ASSERT_EQ(q["item"].size(), kb.questions.size());
  std::size_t i = 0;
  for (int qi : kb.interview_order) {
    const Question& question = kb.questions[static_cast<std::size_t>(qi)];
    const json& item = q["item"][i++];
    EXPECT_EQ(item["linkId"], question.id);
    EXPECT_EQ(item["text"], question.text);
    switch (question.type) {
      case AnswerType::kYesNo:
        EXPECT_EQ(item["type"], "boolean");
        EXPECT_FALSE(item.contains("answerOption"));
        break;
      case AnswerType::kNumber:
        EXPECT_EQ(item["type"], question.integer ? "integer" : "decimal");
        break;
      case AnswerType::kSingleChoice:
      case AnswerType::kSide:
      case AnswerType::kMultiChoice:
      case AnswerType::kBodyLocation: {
        EXPECT_EQ(item["type"], "choice");
        const bool repeats =
            question.type == AnswerType::kMultiChoice || question.type == AnswerType::kBodyLocation;
        EXPECT_EQ(item.value("repeats", false), repeats) << question.id;
        // Every choice, then "not sure".
        ASSERT_EQ(item["answerOption"].size(), question.choices.size() + 1);
        for (std::size_t c = 0; c < question.choices.size(); ++c) {
          const json& coding = item["answerOption"][c]["valueCoding"];
          EXPECT_EQ(coding["system"], "urn:hipcoach:answer:" + question.id);
          EXPECT_EQ(coding["code"], question.choices[c].id);
          EXPECT_EQ(coding["display"], question.choices[c].text);
        }
        EXPECT_EQ(item["answerOption"].back()["valueCoding"]["code"], "asked-unknown");
        break;
      }
    }
    if (item.contains("enableWhen") && item["enableWhen"].size() > 1) {
      EXPECT_TRUE(item.contains("enableBehavior")) << question.id;
    }
    for (const json& condition : item.value("enableWhen", json::array())) {
      EXPECT_NE(Item(q, condition["question"]), nullptr) << question.id;
    }
  }
}

TEST(FhirQuestionnaire, EnableWhenWhereAskIfMapsSimply) {
  const json q = fhir::QuestionnaireJson(RealKnowledge());
  // ask_if on choices of a list (and on the plainer follow-ups that stand for them): any of them.
  const json* exertion = Item(q, "rf_exertion_signs");
  ASSERT_NE(exertion, nullptr);
  ASSERT_TRUE(exertion->contains("enableWhen"));
  EXPECT_EQ((*exertion)["enableBehavior"], "any");
  EXPECT_EQ((*exertion)["enableWhen"][0]["question"], "rf_onset");
  EXPECT_EQ((*exertion)["enableWhen"][0]["operator"], "=");
  EXPECT_EQ((*exertion)["enableWhen"][0]["answerCoding"]["code"], "after_workout");
  // ask_if on a yes/no answer.
  const json* gca = Item(q, "rf_gca");
  ASSERT_NE(gca, nullptr);
  ASSERT_TRUE(gca->contains("enableWhen"));
  ASSERT_EQ((*gca)["enableWhen"].size(), 1u);
  EXPECT_EQ((*gca)["enableWhen"][0]["question"], "rf_pmr");
  EXPECT_EQ((*gca)["enableWhen"][0]["answerBoolean"], true);
  // A number and a choice, both needed: 50 or over, with pain on both sides.
  const json* pmr = Item(q, "rf_pmr");
  ASSERT_NE(pmr, nullptr);
  ASSERT_TRUE(pmr->contains("enableWhen"));
  EXPECT_EQ((*pmr)["enableBehavior"], "all");
  EXPECT_EQ((*pmr)["enableWhen"][0]["question"], "age");
  EXPECT_EQ((*pmr)["enableWhen"][0]["operator"], ">=");
  EXPECT_EQ((*pmr)["enableWhen"][0]["answerInteger"], 50);
  // A follow-up of a choice question: asked when that one was answered "not sure".
  const json* plain = Item(q, "rf_weight_bearing_plain");
  ASSERT_NE(plain, nullptr);
  ASSERT_TRUE(plain->contains("enableWhen"));
  EXPECT_EQ((*plain)["enableWhen"][0]["question"], "rf_weight_bearing");
  EXPECT_EQ((*plain)["enableWhen"][0]["answerCoding"]["code"], "asked-unknown");
  // A nested all()/any() ask_if does not map simply: left out.
  for (const json& item : q["item"]) {
    const Question* question = RealKnowledge().FindQuestion(item["linkId"].get<std::string>());
    ASSERT_NE(question, nullptr);
    if (question->ask_if && question->ask_if->kind == Expr::Kind::kAll) {
      bool nested = false;
      for (const Expr& child : question->ask_if->children) {
        nested = nested || child.kind != Expr::Kind::kFinding;
      }
      if (nested) {
        EXPECT_FALSE(item.contains("enableWhen")) << question->id;
      }
    }
  }
}

// ---- QuestionnaireResponse export ----

Answers Parse(const std::string& text) {
  auto answers = ParseAnswersDocument(RealKnowledge(), text, "test");
  EXPECT_TRUE(answers) << answers.error().message;
  return answers ? *answers : Answers{};
}

const json* ResponseItem(const json& response, const std::string& link_id) {
  for (const json& item : response["item"]) {
    if (item["linkId"] == link_id) return &item;
  }
  return nullptr;
}

TEST(FhirResponse, EachKindOfAnswer) {
  const Answers answers = Parse(R"({"answers": {
    "rf_onset": ["gradual", "long_sitting"], "rf_fever_plain": false, "rf_bladder_plain": "unknown",
    "age": 52, "pain_trend": "same", "pain_worst": "unknown", "rf_weight_bearing": "unknown"}})");
  const json r = fhir::QuestionnaireResponseJson(RealKnowledge(), answers, "2026.1", "urn:uuid:x",
                                                 "2026-01-05T08:00:00Z");
  EXPECT_EQ(r["resourceType"], "QuestionnaireResponse");
  EXPECT_EQ(r["status"], "completed");
  EXPECT_EQ(r["questionnaire"], "urn:hipcoach:questionnaire:interview|2026.1");
  EXPECT_EQ(r["subject"]["reference"], "urn:uuid:x");
  EXPECT_EQ(r["authored"], "2026-01-05T08:00:00Z");
  const json* onset = ResponseItem(r, "rf_onset");
  ASSERT_NE(onset, nullptr);
  ASSERT_EQ((*onset)["answer"].size(), 2u);
  EXPECT_EQ((*onset)["answer"][0]["valueCoding"]["system"], "urn:hipcoach:answer:rf_onset");
  EXPECT_EQ((*onset)["answer"][0]["valueCoding"]["code"], "gradual");
  EXPECT_EQ((*ResponseItem(r, "rf_fever_plain"))["answer"][0]["valueBoolean"], false);
  const json& age = (*ResponseItem(r, "age"))["answer"][0]["valueInteger"];
  EXPECT_TRUE(age.is_number_integer());
  EXPECT_EQ(age, 52);
  // "Not sure": the data-absent-reason extension on typed answers, the coding on choices.
  const json& bladder = (*ResponseItem(r, "rf_bladder_plain"))["answer"][0];
  EXPECT_FALSE(bladder.contains("valueBoolean"));
  EXPECT_EQ(bladder["_valueBoolean"]["extension"][0]["valueCode"], "asked-unknown");
  EXPECT_EQ((*ResponseItem(r, "pain_worst"))["answer"][0]["_valueInteger"]["extension"][0]["url"],
            "http://hl7.org/fhir/StructureDefinition/data-absent-reason");
  EXPECT_EQ((*ResponseItem(r, "rf_weight_bearing"))["answer"][0]["valueCoding"]["code"],
            "asked-unknown");
}

// ---- import: the round trip ----

// A response with `items` (JSON text of the item array) and otherwise valid.
std::string WithItems(const std::string& items) {
  return R"({"resourceType": "QuestionnaireResponse", "status": "completed",
             "questionnaire": "urn:hipcoach:questionnaire:interview|2026.11.1", "item": )" +
         items + "}";
}

Answers CaseAnswers(const std::filesystem::path& file) {
  const toml::table root = toml::parse_file(file.string());
  Answers answers;
  if (const auto* table = root["answers"].as_table()) {
    for (const auto& [key, node] : *table) {
      const Question* q = RealKnowledge().FindQuestion(key.str());
      if (q == nullptr) continue;
      auto value = testing::TomlAnswer(*q, node);
      if (value) answers.emplace(std::string(key.str()), *value);
    }
  }
  return answers;
}

void ExpectSameAssessment(const Assessment& a, const Assessment& b, const std::string& name) {
  EXPECT_EQ(a.triage.level, b.triage.level) << name;
  ASSERT_EQ(a.triage.red_flags.size(), b.triage.red_flags.size()) << name;
  for (std::size_t i = 0; i < a.triage.red_flags.size(); ++i) {
    EXPECT_EQ(a.triage.red_flags[i].red_flag, b.triage.red_flags[i].red_flag) << name;
    EXPECT_EQ(a.triage.red_flags[i].uncertain, b.triage.red_flags[i].uncertain) << name;
  }
  ASSERT_EQ(a.causes.size(), b.causes.size()) << name;
  for (std::size_t i = 0; i < a.causes.size(); ++i) {
    EXPECT_EQ(a.causes[i].cause, b.causes[i].cause) << name;
    EXPECT_DOUBLE_EQ(a.causes[i].probability, b.causes[i].probability) << name;
  }
  EXPECT_EQ(a.programme.has_value(), b.programme.has_value()) << name;
}

// `answers` with every screening question the interview would still ask answered "not sure" (an
// assessment needs them all; "not sure" leads to plain-language follow-ups, asked in turn).
Answers ScreenedAsNotSure(const KnowledgeBase& kb, Answers answers) {
  while (const Question* missing = FirstUnansweredScreening(kb, answers)) {
    answers.emplace(missing->id, AnswerValue::Unknown());
  }
  return answers;
}

TEST(FhirRoundTrip, EveryGoldenCaseGivesTheSameAnswersAndResult) {
  const KnowledgeBase& kb = RealKnowledge();
  int cases = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(HIPCOACH_CASES_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    // The realistic cases record what a person said; the questions the recording did not reach
    // are answered "not sure", as tests/unit/realistic_test.cpp does.
    const Answers answers = ScreenedAsNotSure(kb, CaseAnswers(entry.path()));
    ASSERT_FALSE(answers.empty()) << entry.path();
    const std::string text =
        fhir::QuestionnaireResponseJson(kb, answers, kb.version, "", "").dump();
    auto back = fhir::AnswersFromQuestionnaireResponse(kb, text);
    ASSERT_TRUE(back) << entry.path() << ": " << back.error().message;
    EXPECT_EQ(*back, answers) << entry.path();
    auto direct = Assess(kb, answers);
    ASSERT_TRUE(direct) << entry.path() << ": " << direct.error().message;
    auto imported = Assess(kb, *back);
    ASSERT_TRUE(imported) << entry.path() << ": " << imported.error().message;
    ExpectSameAssessment(*direct, *imported, entry.path().string());
    // The answers file form reads back to the same answers too.
    auto again = ParseAnswersDocument(kb, fhir::AnswersDocumentJson(*back).dump(), "case");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, answers);
    ++cases;
  }
  EXPECT_GE(cases, 50);
}

TEST(FhirRoundTrip, NotSureInEveryForm) {
  const KnowledgeBase& kb = RealKnowledge();
  const Answers answers =
      ScreenedAsNotSure(kb, Parse(R"({"answers": {"rf_nerve_signs": "unknown", "age": "unknown",
    "rf_weight_bearing": "unknown", "rf_bladder_plain": "unknown"}})"));
  auto back = fhir::AnswersFromQuestionnaireResponse(
      kb, fhir::QuestionnaireResponseJson(kb, answers, kb.version, "", "").dump());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, answers);
  EXPECT_TRUE(Assess(kb, *back)) << "\"not sure\" answers make a complete danger screen";
  // The data-absent-reason coding is read on any item, and "yes"/"no" codes on yes/no items.
  auto coded = fhir::AnswersFromQuestionnaireResponse(kb, WithItems(R"([
      {"linkId": "rf_pop", "answer": [{"valueCoding": {"code": "yes"}}]},
      {"linkId": "rf_breathless", "answer": [{"valueCoding": {"code": "no"}}]},
      {"linkId": "age", "answer": [{"valueCoding": {"system":
        "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "asked-unknown"}}]},
      {"linkId": "pain_worst", "answer": [{"valueDecimal": 4}]}])"));
  ASSERT_TRUE(coded) << coded.error().message;
  EXPECT_EQ(coded->at("rf_pop"), AnswerValue::Bool(true));
  EXPECT_EQ(coded->at("rf_breathless"), AnswerValue::Bool(false));
  EXPECT_EQ(coded->at("age"), AnswerValue::Unknown());
  EXPECT_EQ(coded->at("pain_worst"), AnswerValue::Number(4));
}

// ---- import: every error path ----

std::string ImportError(const std::string& text) {
  auto answers = fhir::AnswersFromQuestionnaireResponse(RealKnowledge(), text);
  if (answers) return "(accepted)";
  EXPECT_EQ(answers.error().code, ErrorCode::kInvalidInput);
  return answers.error().message;
}

// A form that did not ask the danger-sign questions must not come out as "no danger signs". The
// import reads the answers it has; the assessment, as for every way answers arrive, refuses them,
// naming the first screening question the interview would still ask (the API answers 400
// invalid_fhir, the command line exits 2: tests/fhir/api_test.cpp and cli_test.sh).
TEST(FhirImportErrors, AnIncompleteDangerScreenIsReadButNotAssessed) {
  const KnowledgeBase& kb = RealKnowledge();
  auto answers = fhir::AnswersFromQuestionnaireResponse(
      kb, WithItems(R"([{"linkId": "pain_worst", "answer": [{"valueInteger": 3}]}])"));
  ASSERT_TRUE(answers) << answers.error().message;
  auto assessed = Assess(kb, *answers);
  ASSERT_FALSE(assessed);
  const Question* first = FirstUnansweredScreening(kb, *answers);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(NextQuestion(kb, *answers).question, first);
  const std::string& message = assessed.error().message;
  EXPECT_EQ(message.rfind("the danger-sign question " + first->id + " (\"" + first->text, 0), 0u)
      << message;
  EXPECT_NE(message.find("(\"not sure\" is an answer)"), std::string::npos) << message;
}

TEST(FhirImportErrors, TheDocument) {
  EXPECT_EQ(ImportError("{\"resourceType\": "),
            "QuestionnaireResponse: malformed JSON at line 1, column 18");
  EXPECT_EQ(ImportError("[1]"), "QuestionnaireResponse: expected a JSON object (a FHIR resource)");
  EXPECT_EQ(ImportError(R"({"status": "completed"})"),
            "QuestionnaireResponse.resourceType: missing (expected \"QuestionnaireResponse\")");
  EXPECT_EQ(ImportError(R"({"resourceType": "Patient"})"),
            "resourceType: \"Patient\" is not a QuestionnaireResponse");
  EXPECT_EQ(ImportError(R"({"resourceType": "Bundle"})"),
            "resourceType: \"Bundle\" is not a QuestionnaireResponse; send the "
            "QuestionnaireResponse itself, not a Bundle");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": "completed",
                             "itme": []})"),
            "QuestionnaireResponse.itme: not an element of a QuestionnaireResponse (did you mean "
            "\"item\"?)");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": "completed",
                             "modifierExtension": [{"url": "x", "valueBoolean": true}]})"),
            "QuestionnaireResponse.modifierExtension: hipcoach does not understand modifier "
            "extensions, so it cannot use this response");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "item": []})"),
            "QuestionnaireResponse.status: missing (expected \"completed\")");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": "in-progress"})"),
            "QuestionnaireResponse.status: \"in-progress\": only a completed response can start "
            "an assessment");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": "complete"})"),
            "QuestionnaireResponse.status: \"complete\" is not a QuestionnaireResponse status "
            "(did you mean \"completed\"?)");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": 1})"),
            "QuestionnaireResponse.status: must be a string");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": "completed",
                             "questionnaire": "http://example.org/Questionnaire/phq9"})"),
            "QuestionnaireResponse.questionnaire: \"http://example.org/Questionnaire/phq9\" is "
            "not hipcoach's interview (expected \"urn:hipcoach:questionnaire:interview\")");
  EXPECT_EQ(ImportError(R"({"resourceType": "QuestionnaireResponse", "status": "completed"})"),
            "QuestionnaireResponse.item: missing: a response needs at least one answered "
            "question");
  EXPECT_EQ(ImportError(WithItems("[]")),
            "QuestionnaireResponse.item: missing: a response needs at least one answered "
            "question");
  EXPECT_EQ(ImportError(WithItems("{}")), "QuestionnaireResponse.item: must be an array");
}

TEST(FhirImportErrors, Items) {
  EXPECT_EQ(ImportError(WithItems("[1]")), "QuestionnaireResponse.item[0]: must be an object");
  EXPECT_EQ(ImportError(WithItems(R"([{"answer": [{"valueBoolean": true}]}])")),
            "QuestionnaireResponse.item[0].linkId: missing");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": 7}])")),
            "QuestionnaireResponse.item[0].linkId: must be a string");
  EXPECT_EQ(
      ImportError(WithItems(R"([{"linkId": "rf_fever_plain", "answer": [{"valueBoolean": false}]},
                                      {"linkId": "pain_dayz", "answer": [{"valueInteger": 3}]}])")),
      "QuestionnaireResponse.item[1].linkId: \"pain_dayz\" is not a question of the "
      "hipcoach interview (did you mean \"pain_days\"?)");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age", "answer": [{"valueInteger": 40}]},
                                      {"linkId": "age", "answer": [{"valueInteger": 41}]}])")),
            "QuestionnaireResponse.item[1].linkId: question age is answered twice (also item[0])");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age", "item": []}])")),
            "QuestionnaireResponse.item[0].item: hipcoach's interview has no groups; every "
            "question is a top-level item");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age"}])")),
            "QuestionnaireResponse.item[0].answer: missing; leave question age out if it was not "
            "answered");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age", "answer": {}}])")),
            "QuestionnaireResponse.item[0].answer: must be an array");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age", "answr": []}])")),
            "QuestionnaireResponse.item[0].answr: not an element of a QuestionnaireResponse item "
            "(did you mean \"answer\"?)");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age", "answer": [{"valueInteger": 40},
                                                             {"valueInteger": 41}]}])")),
            "QuestionnaireResponse.item[0].answer: question age takes one answer, not 2");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "age", "modifierExtension": [{"url": "x"}],
                                       "answer": [{"valueInteger": 40}]}])")),
            "QuestionnaireResponse.item[0].modifierExtension: hipcoach does not understand "
            "modifier extensions, so it cannot use this response");
}

TEST(FhirImportErrors, Answers) {
  const std::string p = "QuestionnaireResponse.item[0].answer[0]";
  auto one = [](const std::string& link_id, const std::string& answer) {
    return ImportError(
        WithItems(R"([{"linkId": ")" + link_id + R"(", "answer": [)" + answer + "]}]"));
  };
  EXPECT_EQ(one("age", "3"), p + ": must be an object with a value");
  EXPECT_EQ(one("age", "{}"), p + ": no value (question age takes valueInteger)");
  EXPECT_EQ(one("age", R"({"valueInteger": 3, "valueDecimal": 3.5})"),
            p + ": more than one value (valueInteger and valueDecimal); an answer has one");
  EXPECT_EQ(one("pain_trend", R"({"valueString": "same"})"),
            p + ".valueString: question pain_trend takes valueCoding, not valueString");
  EXPECT_EQ(one("age", R"({"valueBoolean": true})"),
            p + ".valueBoolean: question age takes valueInteger, not valueBoolean");
  EXPECT_EQ(one("age", R"({"valueCoding": {"code": "40"}})"),
            p + ".valueCoding: question age takes valueInteger, not valueCoding");
  EXPECT_EQ(one("rf_fever_plain", R"({"valueInteger": 1})"),
            p + ".valueInteger: question rf_fever_plain takes valueBoolean, not valueInteger");
  EXPECT_EQ(one("rf_fever_plain", R"({"valueBoolean": "yes"})"),
            p + ".valueBoolean: must be true or false");
  EXPECT_EQ(one("age", R"({"valueInteger": 40.5})"), p + ".valueInteger: must be a whole number");
  EXPECT_EQ(one("age", R"({"valueDecimal": "40"})"), p + ".valueDecimal: must be a number");
  EXPECT_EQ(one("pain_worst", R"({"valueInteger": 11})"),
            p + ": question 'pain_worst': 11 is out of range 0-10 /10");
  EXPECT_EQ(one("pain_worst", R"({"valueDecimal": 4.5})"),
            p + ": question 'pain_worst' expects a whole number, not 4.5");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": "same"})"),
            p + ".valueCoding: must be a Coding object");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": {"display": "Same"}})"),
            p + ".valueCoding.code: missing");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": {"code": 2}})"),
            p + ".valueCoding.code: must be a string");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": {"code": "beter"}})"),
            p + ".valueCoding.code: \"beter\" is not an answer to question pain_trend (did you "
                "mean \"better\"?)");
  EXPECT_EQ(
      one("rf_fever_plain", R"({"valueCoding": {"code": "maybe"}})"),
      p + ".valueCoding.code: \"maybe\" is not an answer to question rf_fever_plain (answers: "
          "yes, no)");
  EXPECT_EQ(
      one("rf_fever_plain", R"({"valueCoding": {"code": "yse"}})"),
      p + ".valueCoding.code: \"yse\" is not an answer to question rf_fever_plain (did you mean "
          "\"yes\"?)");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": {"system": "http://snomed.info/sct",
                                                 "code": "same"}})"),
            p + ".valueCoding.system: \"http://snomed.info/sct\" is not the answer system of "
                "question pain_trend (expected \"urn:hipcoach:answer:pain_trend\")");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": {"system": 3, "code": "same"}})"),
            p + ".valueCoding.system: must be a string");
  EXPECT_EQ(one("pain_trend", R"({"valueCoding": {"system":
               "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "masked"}})"),
            p + ".valueCoding.code: \"masked\" is not read by hipcoach; use \"asked-unknown\" for "
                "\"not sure\"");
  EXPECT_EQ(one("rf_fever_plain", R"({"_valueBoolean": {"extension": [{"url": "x"}]}})"),
            p + ".valueBoolean: has no value (only a data-absent-reason extension may stand in "
                "for one)");
  EXPECT_EQ(one("age", R"({"valueInteger": 40, "item": []})"),
            p + ".item: hipcoach's interview has no questions nested under an answer");
  EXPECT_EQ(one("age", R"({"valueIntger": 40})"),
            p + ".valueIntger: not an element of a QuestionnaireResponse answer (did you mean "
                "\"valueInteger\"?)");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "rf_onset", "answer": [
              {"valueCoding": {"code": "gradual"}},
              {"valueCoding": {"system":
                 "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                 "code": "asked-unknown"}}]}])")),
            "QuestionnaireResponse.item[0].answer[1]: \"not sure\" cannot be given together with "
            "other answers");
  EXPECT_EQ(ImportError(WithItems(R"([{"linkId": "rf_onset", "answer": [
              {"valueCoding": {"code": "gradual"}}, {"valueCoding": {"code": "fal"}}]}])")),
            "QuestionnaireResponse.item[0].answer[1].valueCoding.code: \"fal\" is not an answer "
            "to question rf_onset (did you mean \"fall\"?)");
}

TEST(FhirImportErrors, TheElementPathOfAnAnswerCode) {
  // The fourth item's first answer, a coding that is not one of the question's answers.
  const std::string text = WithItems(R"([
    {"linkId": "rf_onset", "answer": [{"valueCoding": {"code": "gradual"}}]},
    {"linkId": "rf_fever_plain", "answer": [{"valueBoolean": false}]},
    {"linkId": "age", "answer": [{"valueInteger": 50}]},
    {"linkId": "pain_trend", "answer": [{"valueCoding": {"code": "worser"}}]}])");
  EXPECT_EQ(ImportError(text),
            "QuestionnaireResponse.item[3].answer[0].valueCoding.code: \"worser\" is not an "
            "answer to question pain_trend (did you mean \"worse\"?)");
}

// ---- the Bundle ----

struct Sample {
  DataSet data;
  Answers answers;
};

// A person with two assessments (the latest with a programme), check-ins, a weekly NPRS (stored
// with its check-in), a PSFS, and a stand-alone NPRS.
Sample MakeSample() {
  const KnowledgeBase& kb = RealKnowledge();
  Sample s;
  s.data.profile = {7, "", 1767600000};
  // Both with the whole danger screen: an assessment needs it.
  const Answers first = Parse(R"({"answers": {"pain_site": ["lateral_hip"], "rf_onset": ["gradual"],
    "rf_weight_bearing": "normal", "rf_nerve_signs": ["none"], "rf_body_signs": ["none"],
    "rf_background": ["none"], "rf_serious_signs": ["none"], "age": 54, "sex": "female",
    "painful_side": "right", "activities": ["none"], "pain_days": 120, "pain_trend": "same",
    "pain_worst": 7}})");
  s.answers = Parse(R"({"answers": {"pain_site": ["lateral_hip"], "rf_onset": ["gradual"],
    "rf_weight_bearing": "normal", "rf_nerve_signs": ["none"], "rf_body_signs": ["none"],
    "rf_background": ["none"], "rf_serious_signs": ["none"], "age": 54, "sex": "female",
    "painful_side": "right", "activities": ["none"], "pain_days": 120, "pain_trend": "same",
    "pain_worst": 7, "worse_with": ["lying_side", "stairs", "crossing"],
    "bony_point_press": true}})");
  TimeSeconds at = 1767600000;  // 2026-01-05T08:00:00Z
  RowId id = 1;
  for (const Answers* answers : std::vector<const Answers*>{&first, &s.answers}) {
    const Assessment assessment = Assess(kb, *answers).value();
    s.data.assessments.push_back({id, 7, at, kb.version, fhir::AnswersDocumentJson(*answers).dump(),
                                  AssessmentJson(kb, assessment).dump()});
    if (auto plan =
            tracking::PlanFromAssessment(kb, assessment, *answers, tracking::LocalDay(at))) {
      s.data.programmes.push_back(
          {id, 7, at, id, tracking::PlanJson(*plan).dump(), "Your programme, from your answers."});
    }
    ++id;
    at += 86400;
  }
  s.data.checkins.push_back({1,
                             7,
                             at,
                             4,
                             6,
                             {},
                             std::nullopt,
                             std::nullopt,
                             std::nullopt,
                             std::nullopt,
                             std::nullopt,
                             "",
                             false});
  s.data.checkins.push_back({2,
                             7,
                             at + 86400,
                             3,
                             std::nullopt,
                             {},
                             std::nullopt,
                             std::nullopt,
                             std::nullopt,
                             std::nullopt,
                             std::nullopt,
                             "better",
                             true});
  s.data.outcomes.push_back({1, 7, at + 86400, "nprs", 3, {}});  // the weekly check-in's
  s.data.outcomes.push_back(
      {2, 7, at + 86400, "psfs", 6, {{"stairs", 5}, {"walking", 7}, {"sitting", 6}}});
  s.data.outcomes.push_back({3, 7, at + 172800, "nprs", 2, {}});  // on its own, two days on
  return s;
}

std::vector<const json*> Resources(const json& bundle, const std::string& type) {
  std::vector<const json*> out;
  for (const json& entry : bundle["entry"]) {
    if (entry["resource"]["resourceType"] == type) out.push_back(&entry["resource"]);
  }
  return out;
}

// Every {"reference": ...} inside `value`.
void CollectReferences(const json& value, std::vector<std::string>& out) {
  if (value.is_object()) {
    if (value.contains("reference") && value["reference"].is_string()) {
      out.push_back(value["reference"]);
    }
    for (const auto& [key, child] : value.items()) CollectReferences(child, out);
  } else if (value.is_array()) {
    for (const json& child : value) CollectReferences(child, out);
  }
}

TEST(FhirBundle, EveryResourceTypeWithResolvableUuidReferences) {
  const Sample s = MakeSample();
  auto bundle = fhir::BundleJson(RealKnowledge(), s.data, {kKey});
  ASSERT_TRUE(bundle) << bundle.error().message;
  const json& b = *bundle;
  EXPECT_EQ(b["resourceType"], "Bundle");
  EXPECT_EQ(b["type"], "collection");
  EXPECT_EQ(b["timestamp"], "2026-01-09T08:00:00Z");
  std::set<std::string> full_urls;
  for (const json& entry : b["entry"]) {
    const std::string url = entry["fullUrl"];
    ASSERT_EQ(url.rfind("urn:uuid:", 0), 0u) << url;
    EXPECT_EQ(url.substr(9), entry["resource"]["id"]);
    EXPECT_TRUE(full_urls.insert(url).second) << "duplicate " << url;
  }
  for (const json& entry : b["entry"]) {
    std::vector<std::string> references;
    CollectReferences(entry["resource"], references);
    for (const std::string& ref : references) {
      EXPECT_TRUE(full_urls.count(ref)) << ref << " in " << entry["resource"]["resourceType"];
    }
  }
  EXPECT_EQ(Resources(b, "Patient").size(), 1u);
  EXPECT_EQ(Resources(b, "Questionnaire").size(), 1u);
  EXPECT_EQ(Resources(b, "QuestionnaireResponse").size(), 2u);
  EXPECT_EQ(Resources(b, "CarePlan").size(), 1u);
  EXPECT_FALSE(Resources(b, "Condition").empty());
}

TEST(FhirBundle, PatientIsPseudonymous) {
  const Sample s = MakeSample();
  const json b = *fhir::BundleJson(RealKnowledge(), s.data, {kKey});
  const json& patient = *Resources(b, "Patient").front();
  EXPECT_FALSE(patient.contains("name"));
  EXPECT_FALSE(patient.contains("birthDate"));
  EXPECT_FALSE(patient.contains("gender"));
  ASSERT_EQ(patient["identifier"].size(), 1u);
  EXPECT_EQ(patient["identifier"][0]["system"], "urn:hipcoach:pseudonym");
  EXPECT_TRUE(patient["meta"]["security"].is_array());
  EXPECT_EQ(patient["identifier"][0]["value"], fhir::Pseudonym(kKey, 7));
  // The person id appears nowhere as a name of a resource: the uuids come from the pseudonym.
  const json other = *fhir::BundleJson(RealKnowledge(), s.data, {"another key"});
  EXPECT_NE(Resources(other, "Patient").front()->at("id"), patient["id"]);
  EXPECT_FALSE(fhir::BundleJson(RealKnowledge(), s.data, {""}));
}

TEST(FhirBundle, SameDataSameBytes) {
  const Sample s = MakeSample();
  const std::string a = fhir::BundleJson(RealKnowledge(), s.data, {kKey})->dump();
  EXPECT_EQ(a, fhir::BundleJson(RealKnowledge(), s.data, {kKey})->dump());
  Sample more = MakeSample();
  more.data.checkins.push_back({3,
                                7,
                                1767900000,
                                2,
                                std::nullopt,
                                {},
                                std::nullopt,
                                std::nullopt,
                                std::nullopt,
                                std::nullopt,
                                std::nullopt,
                                "",
                                false});
  const json b = *fhir::BundleJson(RealKnowledge(), more.data, {kKey});
  EXPECT_NE(json::parse(a)["id"], b["id"]);  // new data, new Bundle id
}

TEST(FhirBundle, PainObservations) {
  const Sample s = MakeSample();
  const json b = *fhir::BundleJson(RealKnowledge(), s.data, {kKey});
  std::map<std::string, std::vector<int>> by_code;
  for (const json* o : Resources(b, "Observation")) {
    const json& code = (*o)["code"]["coding"];
    if (code[0]["system"] != "http://loinc.org") continue;
    EXPECT_EQ(code[0]["code"], "72514-3");
    EXPECT_EQ((*o)["status"], "final");
    EXPECT_EQ((*o)["category"][0]["coding"][0]["code"], "survey");
    EXPECT_TRUE((*o)["valueInteger"].is_number_integer());
    EXPECT_TRUE((*o).contains("effectiveDateTime"));
    by_code[code[1]["code"]].push_back((*o)["valueInteger"]);
  }
  EXPECT_EQ(by_code["pain_now"], (std::vector<int>{4, 3}));
  EXPECT_EQ(by_code["pain_worst"], (std::vector<int>{6}));
  // The weekly NPRS stored with its check-in is that check-in's score: one Observation.
  EXPECT_EQ(by_code["nprs"], (std::vector<int>{2}));
  bool psfs = false;
  for (const json* o : Resources(b, "Observation")) {
    if ((*o)["code"]["coding"][0]["code"] != "psfs") continue;
    psfs = true;
    EXPECT_EQ((*o)["valueQuantity"]["value"], 6);
    EXPECT_EQ((*o)["component"].size(), 3u);
  }
  EXPECT_TRUE(psfs);
}

TEST(FhirBundle, TriageAndConditionsOfTheLatestAssessment) {
  const KnowledgeBase& kb = RealKnowledge();
  const Sample s = MakeSample();
  const json b = *fhir::BundleJson(kb, s.data, {kKey});
  int triage = 0;
  for (const json* o : Resources(b, "Observation")) {
    if ((*o)["code"]["coding"][0]["code"] != "triage") continue;
    ++triage;
    EXPECT_EQ((*o)["valueCodeableConcept"]["coding"][0]["system"], "urn:hipcoach:triage-level");
    ASSERT_TRUE((*o)["derivedFrom"].is_array());
    EXPECT_EQ((*o)["derivedFrom"].size(), 1u);
    EXPECT_TRUE((*o)["note"].is_array());
  }
  EXPECT_EQ(triage, 2);  // one per assessment
  // The same ranking as `hipcoach assess`: what a doctor needs to rule out, then the likely
  // causes (at or above rules.likely) in order of probability.
  const Assessment latest = Assess(kb, s.answers).value();
  std::vector<std::string> likely;
  for (const RankedCause& c : latest.rule_out) {
    likely.push_back(kb.causes[static_cast<std::size_t>(c.cause)].id);
  }
  for (const RankedCause& c : latest.causes) {
    if (c.probability >= kb.rules.likely) {
      likely.push_back(kb.causes[static_cast<std::size_t>(c.cause)].id);
    }
  }
  ASSERT_FALSE(likely.empty());
  std::vector<std::string> exported;
  for (const json* c : Resources(b, "Condition")) {
    exported.push_back((*c)["code"]["coding"][0]["code"]);
    EXPECT_EQ((*c)["verificationStatus"]["coding"][0]["system"],
              "http://terminology.hl7.org/CodeSystem/condition-ver-status");
    EXPECT_EQ((*c)["verificationStatus"]["coding"][0]["code"], "provisional");
    EXPECT_EQ((*c)["clinicalStatus"]["coding"][0]["code"], "active");
    EXPECT_TRUE((*c)["evidence"].is_array() && (*c)["evidence"][0]["detail"].is_array());
    EXPECT_FALSE((*c)["code"]["text"].get<std::string>().empty());
    const std::string note = (*c)["note"][0]["text"];
    EXPECT_NE(note.find(" in 10 people with answers like yours ("), std::string::npos) << note;
    EXPECT_NE(note.find(" % likely)."), std::string::npos) << note;
  }
  EXPECT_EQ(exported, likely);
}

// A cause a danger sign points to is a Condition to rule out, with the sign's reason; a result
// stored before rule_out existed (the flagged cause among the causes, a figure above the cap) is
// read the same way, and no note gives a figure above 90 %.
TEST(FhirBundle, ConditionsToRuleOutAndNoFigureAboveTheCap) {
  const KnowledgeBase& kb = RealKnowledge();
  Sample s = MakeSample();
  const RedFlag* malignancy = kb.FindRedFlag("malignancy");
  ASSERT_NE(malignancy, nullptr);
  const json old_result = {
      {"triage", {{"level", "urgent"}, {"title", "See a doctor soon"}}},
      {"causes",
       json::array({{{"id", "malignancy"},
                     {"name", "Cancer affecting the bone"},
                     {"probability", 0.04},
                     {"flagged_by", "malignancy"}},
                    {{"id", "gluteal_tendinopathy"},
                     {"name", "Gluteal tendinopathy"},
                     {"probability", 0.97}},
                    {{"id", "glute_weakness"}, {"name", "Weak glutes"}, {"probability", 0.35}}})}};
  s.data.assessments.back().result_json = old_result.dump();
  const json b = *fhir::BundleJson(kb, s.data, {kKey});
  std::vector<std::string> ids;
  for (const json* c : Resources(b, "Condition")) {
    ids.push_back((*c)["code"]["coding"][0]["code"]);
    for (const json& note : (*c)["note"]) {
      EXPECT_EQ(note["text"].get<std::string>().find("97 %"), std::string::npos) << note;
    }
  }
  EXPECT_EQ(ids,
            (std::vector<std::string>{"malignancy", "gluteal_tendinopathy", "glute_weakness"}));
  const json& rule_out = *Resources(b, "Condition").front();
  EXPECT_NE(rule_out["note"][0]["text"].get<std::string>().find("What a doctor needs to rule out"),
            std::string::npos);
  EXPECT_EQ(rule_out["note"][1]["text"], "Why: " + malignancy->reason);
  const std::string capped = (*Resources(b, "Condition")[1])["note"][0]["text"];
  EXPECT_NE(capped.find("about 9 in 10 people with answers like yours (90 % likely)"),
            std::string::npos)
      << capped;
}

TEST(FhirBundle, CarePlanOfTheActiveProgramme) {
  const KnowledgeBase& kb = RealKnowledge();
  Sample s = MakeSample();
  json b = *fhir::BundleJson(kb, s.data, {kKey});
  const json& plan = *Resources(b, "CarePlan").front();
  EXPECT_EQ(plan["status"], "active");
  EXPECT_EQ(plan["intent"], "plan");
  EXPECT_EQ(plan["period"]["start"], "2026-01-06");
  EXPECT_EQ(plan["addresses"].size(), Resources(b, "Condition").size());
  // Every list is a JSON array, also with one element (a single-element braced list is an
  // object or a copy on some compilers).
  for (const char* key : {"addresses", "supportingInfo", "note", "activity"}) {
    EXPECT_TRUE(plan[key].is_array()) << key;
  }
  auto active = tracking::ParsePlan(s.data.programmes.back().programme_json);
  ASSERT_TRUE(active);
  ASSERT_GE(plan["activity"].size(), active->items.size());
  for (std::size_t i = 0; i < active->items.size(); ++i) {
    const Prescription& p = active->items[i];
    const json& detail = plan["activity"][i]["detail"];
    EXPECT_EQ(detail["code"]["coding"][0]["code"], p.exercise);
    EXPECT_EQ(detail["code"]["text"], kb.FindExercise(p.exercise)->name);
    EXPECT_EQ(detail["status"], "in-progress");
    EXPECT_EQ(detail["quantity"]["value"], p.sets);
    EXPECT_EQ(detail["scheduledTiming"]["repeat"]["frequency"], p.times_per_day);
    const std::string description = detail["description"];
    EXPECT_EQ(description.rfind(std::to_string(p.sets) + " set", 0), 0u) << description;
    if (p.hold_seconds > 0) {
      EXPECT_NE(description.find("held " + std::to_string(p.hold_seconds) + " s"),
                std::string::npos);
    }
  }
  // A pause (an urgent result, a danger sign) puts the plan on hold.
  s.data.events.push_back({1, 7, 1767900000, "pause", "danger_sign", "See a doctor.", "{}"});
  b = *fhir::BundleJson(kb, s.data, {kKey});
  EXPECT_EQ((*Resources(b, "CarePlan").front())["status"], "on-hold");
}

TEST(FhirBundle, ResponsesReadBackToTheStoredAnswers) {
  const KnowledgeBase& kb = RealKnowledge();
  const Sample s = MakeSample();
  const json b = *fhir::BundleJson(kb, s.data, {kKey});
  const auto responses = Resources(b, "QuestionnaireResponse");
  ASSERT_EQ(responses.size(), 2u);
  auto back = fhir::AnswersFromQuestionnaireResponse(kb, responses.back()->dump());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s.answers);
}

}  // namespace
}  // namespace hipcoach
