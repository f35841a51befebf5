#include "kb_support.hpp"

#include <cstdlib>
#include <iostream>

#include "hipcoach/app.hpp"

namespace hipcoach::testing {

const KnowledgeBase& RealKnowledge() {
  static const KnowledgeBase kb = [] {
    LoadOutcome outcome = app::LoadKnowledgeFrom(HIPCOACH_KNOWLEDGE_DIR);
    if (!outcome.kb) {
      for (const auto& d : outcome.diagnostics) std::cerr << d.Format() << "\n";
      std::abort();
    }
    return std::move(*outcome.kb);
  }();
  return kb;
}

Result<AnswerValue> TomlAnswer(const Question& question, const toml::node& node) {
  AnswerValue value;
  if (const auto* b = node.as_boolean()) {
    value = AnswerValue::Bool(b->get());
  } else if (const auto* i = node.as_integer()) {
    value = AnswerValue::Number(static_cast<double>(i->get()));
  } else if (const auto* f = node.as_floating_point()) {
    value = AnswerValue::Number(f->get());
  } else if (const auto* s = node.as_string()) {
    value = s->get() == "unknown" ? AnswerValue::Unknown() : AnswerValue::Choice(s->get());
  } else if (const auto* a = node.as_array()) {
    std::vector<std::string> ids;
    for (const auto& element : *a) {
      if (const auto* text = element.as_string()) ids.push_back(text->get());
    }
    value = AnswerValue::Choices(std::move(ids));
  } else {
    return MakeError(ErrorCode::kInvalidInput, "unsupported TOML value for " + question.id);
  }
  return ValidateAnswer(question, value);
}

}  // namespace hipcoach::testing
