// Triage: red flags first, then the staged safety net, then the level of any likely cause. The
// result is never less urgent than any matched red flag.
#pragma once

#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach {

struct Reason {
  std::string text;
  std::vector<std::string> sources;
};

struct MatchedRedFlag {
  int red_flag = -1;
  bool uncertain = false;   // matched only through a doubt reading: a "possible" sign
  std::vector<int> doubts;  // the findings read from a "not sure" that the match rests on
};

// A "not sure" to a screening question and how hipcoach read it, so that the result can say so.
struct Doubt {
  std::string question;  // question id
  std::string text;      // plain words: what was assumed, and how to check
};

struct TriageResult {
  TriageLevel level = TriageLevel::kSelfCare;
  std::vector<Reason> reasons;
  std::vector<MatchedRedFlag> red_flags;
  std::vector<std::string> safety_net;  // ids of the safety-net rules that applied
  std::vector<Reason> watch_for;        // for routine and self_care: what should bring you back
  std::vector<Doubt> doubts;            // screening questions answered "not sure", as read
};

// How to read a finding whose question was not asked: during the interview it is still pending
// (it may yet be asked); in a final result it counts as absent (not reported).
enum class Unasked { kPending, kAbsent };

// Red flags whose pattern is true: a positive pattern of what the person said, with each "not
// sure" read as the knowledge base states (the model of doubt). A flag that matches only through
// a doubt reading is marked uncertain and worded "possible".
std::vector<MatchedRedFlag> MatchRedFlags(const KnowledgeBase& kb, const FindingState& state,
                                          Unasked unasked);

// Full triage from the findings, the cause posteriors and the answers (for the doubts it lists).
TriageResult Triage(const KnowledgeBase& kb, const FindingState& state,
                    const std::vector<double>& posteriors, const Answers& answers);

}  // namespace hipcoach
