// Core figures of issue 2 (recorded in docs/performance.md): loading the knowledge base, choosing
// the next question, and a full assessment from a complete answer set.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"

namespace {

using namespace hipcoach;  // NOLINT(google-build-using-namespace): benchmark file

const KnowledgeBase& Kb() {
  static const KnowledgeBase kb = [] {
    LoadOutcome outcome = app::LoadKnowledgeFrom("");
    if (!outcome.kb) std::abort();
    return std::move(*outcome.kb);
  }();
  return kb;
}

// A person with no danger signs and lateral hip pain, answering the interview to its end: every
// question answered "no", the first choice or "none", the lowest number, except a few answers.
Answers CompleteAnswers() {
  const KnowledgeBase& kb = Kb();
  Answers answers;
  for (;;) {
    const NextStep step = NextQuestion(kb, answers);
    if (step.question == nullptr) break;
    const Question& q = *step.question;
    AnswerValue value;
    switch (q.type) {
      case AnswerType::kYesNo:
        value = AnswerValue::Bool(false);
        break;
      case AnswerType::kNumber:
        value = AnswerValue::Number(q.id == "age" ? 52 : q.id == "pain_days" ? 60 : q.min);
        break;
      case AnswerType::kMultiChoice:
      case AnswerType::kBodyLocation:
        value = AnswerValue::Choices({q.FindChoice("lateral_hip")
                                          ? "lateral_hip"
                                          : (q.FindChoice("none") ? "none" : q.choices[0].id)});
        break;
      default:
        value = AnswerValue::Choice(q.choices[0].id);
    }
    answers[q.id] = value;
  }
  return answers;
}

void BM_LoadEmbeddedKnowledge(benchmark::State& state) {
  const std::vector<KnowledgeFile> files = app::EmbeddedKnowledgeFiles();
  for (auto _ : state) {
    LoadOutcome outcome = LoadKnowledge(files);
    benchmark::DoNotOptimize(outcome);
  }
}
BENCHMARK(BM_LoadEmbeddedKnowledge)->Unit(benchmark::kMillisecond);

// The next question after the danger-sign and core questions: the adaptive step, where expected
// information gain is computed for every candidate question.
void BM_NextQuestionAdaptive(benchmark::State& state) {
  const KnowledgeBase& kb = Kb();
  Answers answers;
  for (;;) {
    const NextStep step = NextQuestion(kb, answers);
    if (step.question == nullptr || step.question->stage == Stage::kAdaptive) break;
    answers[step.question->id] = CompleteAnswers().at(step.question->id);
  }
  for (auto _ : state) benchmark::DoNotOptimize(NextQuestion(kb, answers));
}
BENCHMARK(BM_NextQuestionAdaptive)->Unit(benchmark::kMicrosecond);

void BM_NextQuestionFirst(benchmark::State& state) {
  const KnowledgeBase& kb = Kb();
  const Answers answers;
  for (auto _ : state) benchmark::DoNotOptimize(NextQuestion(kb, answers));
}
BENCHMARK(BM_NextQuestionFirst)->Unit(benchmark::kMicrosecond);

void BM_AssessCompleteAnswers(benchmark::State& state) {
  const KnowledgeBase& kb = Kb();
  const Answers answers = CompleteAnswers();
  // The whole assessment, not its refusal of an incomplete danger screen.
  if (auto assessed = Assess(kb, answers); !assessed) {
    state.SkipWithError(assessed.error().message.c_str());
    return;
  }
  state.counters["answers"] = static_cast<double>(answers.size());
  for (auto _ : state) benchmark::DoNotOptimize(Assess(kb, answers));
}
BENCHMARK(BM_AssessCompleteAnswers)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
