// Cause ranking: each cause is its own hypothesis. Posterior odds = prior odds times the likelihood
// ratio of every finding that is known (LR+ when present, LR- when absent). Causes can co-exist
// (sitting and weak glutes, say), so probabilities are not forced to sum to one.
#pragma once

#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach {

struct EvidenceItem {
  std::string finding;
  std::string text;  // plain words: "You reported pain on the outer side of the hip."
  bool supports = true;
  double likelihood_ratio = 1.0;
  std::vector<std::string> sources;
};

struct RankedCause {
  int cause = -1;
  double probability = 0;
  int flagged_by = -1;  // a matched red flag that points to this (serious) cause, or -1
  std::vector<EvidenceItem> evidence;  // strongest first, for and against
};

// Posterior probability per cause index (not sorted).
std::vector<double> Posteriors(const KnowledgeBase& kb, const std::vector<Tri>& findings);

// Causes at or above `min_probability`, sorted by probability (ties by prior, then id), each with
// its evidence. `posteriors` are Posteriors(kb, findings).
std::vector<RankedCause> RankCauses(const KnowledgeBase& kb, const std::vector<Tri>& findings,
                                    const std::vector<double>& posteriors,
                                    double min_probability = 0);

// The same, computing the posteriors.
std::vector<RankedCause> RankCauses(const KnowledgeBase& kb, const std::vector<Tri>& findings);

// A probability in words a person can weigh: "about 7 in 10 people with answers like yours";
// below 1 in 20, "fewer than 1 in 10 people with answers like yours".
std::string ChanceText(double probability);

// Binary entropy sum over causes: the uncertainty the adaptive interview tries to reduce.
double Uncertainty(const std::vector<double>& posteriors);

// Expected reduction of Uncertainty() from asking `question`, given the current findings.
double ExpectedInformationGain(const KnowledgeBase& kb, const Question& question,
                               const std::vector<Tri>& findings,
                               const std::vector<double>& posteriors);

}  // namespace hipcoach
