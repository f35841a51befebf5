// A simulated population for the triage figures (issue "Triage that is safe and useful",
// deliverable 7b). For each cause, people whose answers are drawn from that cause's likelihoods
// in the knowledge base, each answering the real interview with a realistic rate of "not sure"
// per kind of question (doubt_rates.toml beside this file, documented in
// docs/clinical-safety.md).
//
// What it measures, and what it cannot: a person's reference level is the knowledge base's own
// rules applied to their true answers with nothing doubted, plus the level of the cause they were
// drawn from. So the population shows what doubt and the interview's stopping rules cost against
// perfect answers; whether the rules and likelihoods themselves are right is for the realistic
// cases (tests/cases/realistic) and for clinicians. Its causes are drawn from the same
// likelihoods the ranking uses, so its top-1 and top-3 are an upper bound.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"

namespace hipcoach::population {

// The chance of answering "not sure", per question id (questions not listed use the default of
// their stage), and how much a cautious person multiplies it by.
struct DoubtRates {
  std::map<std::string, double, std::less<>> by_question;
  std::map<Stage, double> by_stage;
  double cautious_factor = 2.0;
  double Rate(const Question& question) const;
};

// Parses doubt_rates.toml (messages name file:line for a bad entry or an unknown question).
Result<DoubtRates> ParseDoubtRates(const KnowledgeBase& kb, std::string_view text,
                                   std::string_view file_name);

struct Options {
  int people_per_cause = 500;
  std::uint64_t seed = 20261203;
  bool cautious = false;  // every doubt rate multiplied by cautious_factor
  // For a person drawn from a cause that is not serious, a danger finding its cause does not
  // model is present this often (incidental danger signs, so that the screen is exercised).
  double incidental_danger = 0.002;
};

struct Person {
  int cause = -1;
  Answers truth;  // every question, answered without doubt
  TriageLevel reference = TriageLevel::kSelfCare;
  bool danger = false;  // a red-flag pattern matches the true answers
  TriageLevel danger_level = TriageLevel::kSelfCare;
  std::vector<std::string> flags;  // the red flags the true answers match
};

struct Outcome {
  Person person;
  TriageLevel given = TriageLevel::kSelfCare;
  bool said_danger_below = false;  // a pattern positive in what the person SAID, triaged below
  int questions = 0;
  int doubts = 0;
  int rank = -1;   // 0-based place of the person's cause in the rule-out or the likely causes
  int first = -1;  // the likely cause ranked first
  std::vector<std::string> why;  // what set the level: red flags, safety-net rules, causes
};

// One simulated person drawn from `cause`, and their walk through the interview.
Person Draw(const KnowledgeBase& kb, int cause, const Options& options, std::uint64_t& state);
Outcome Interview(const KnowledgeBase& kb, const Person& person, const DoubtRates& rates,
                  const Options& options, std::uint64_t& state);

struct Summary {
  int people = 0;
  std::vector<Outcome> over_self_care;            // people who could self-manage, sent further
  std::map<std::string, int> doubt_missed_flags;  // the red flags behind doubt_missed_danger
  int said_danger_below = 0;
  int doubt_missed_danger = 0;  // true pattern, not said because of a doubt, triaged below
  std::map<TriageLevel, std::map<TriageLevel, int>> confusion;  // reference -> given -> count
  int safe = 0;
  int top1 = 0;
  int top3 = 0;
  std::vector<int> questions;
  std::vector<int> long_doubts;  // "not sure" answers of each person asked more than 25 questions
  std::map<int, int> per_cause_top1;
  std::map<int, int> per_cause_top3;
  std::map<int, int> per_cause_people;
  std::map<int, std::map<int, int>> taken_for;  // cause -> cause ranked first instead -> people
};

Summary Run(const KnowledgeBase& kb, const DoubtRates& rates, const Options& options);

// The figures as text (Markdown tables).
std::string Report(const KnowledgeBase& kb, const Summary& summary, const Options& options);

}  // namespace hipcoach::population
