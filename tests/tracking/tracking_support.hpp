// Shared by the tracking tests: the knowledge base of the repository and a desk worker's answers.
#pragma once

#include "hipcoach/answers.hpp"
#include "hipcoach/app.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach::testing {

inline const KnowledgeBase& Kb() {
  static const KnowledgeBase kb = *app::LoadKnowledgeFrom(HIPCOACH_KNOWLEDGE_DIR).kb;
  return kb;
}

// The danger-sign screen of a person with no danger signs (the red_flag stage).
inline Answers NoDangerSigns() {
  Answers a;
  a["pain_site"] = AnswerValue::Choices({"buttock", "lower_back"});
  a["rf_onset"] = AnswerValue::Choices({"gradual"});
  a["rf_weight_bearing"] = AnswerValue::Choice("normal");
  a["rf_tummy"] = AnswerValue::Choices({"none"});
  a["rf_nerve_signs"] = AnswerValue::Choices({"none"});
  a["rf_body_signs"] = AnswerValue::Choices({"none"});
  a["rf_background"] = AnswerValue::Choices({"none"});
  a["rf_serious_signs"] = AnswerValue::Choices({"none"});
  return a;
}

// The answers of tests/cases/causes/glute_weakness_desk.toml (painful side: left).
inline Answers DeskWorker() {
  Answers a = NoDangerSigns();
  a["age"] = AnswerValue::Number(34);
  a["painful_side"] = AnswerValue::Choice("left");
  a["activities"] = AnswerValue::Choices({"desk_work"});
  a["pain_days"] = AnswerValue::Number(10);
  a["pain_trend"] = AnswerValue::Choice("same");
  a["pain_worst"] = AnswerValue::Number(4);
  a["worse_with"] = AnswerValue::Choices({"stairs"});
  a["also_notice"] = AnswerValue::Choices({"glutes_off"});
  a["habits"] = AnswerValue::Choices({"sit_8h", "weak_core"});
  return *ValidateAnswers(Kb(), a);
}

}  // namespace hipcoach::testing
