#include "hipcoach/inference.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hipcoach {
namespace {

double Odds(double p) { return p / (1 - p); }
double Probability(double odds) { return odds / (1 + odds); }

double Entropy(double p) {
  if (p <= 0 || p >= 1) return 0;
  return -(p * std::log2(p) + (1 - p) * std::log2(1 - p));
}

}  // namespace

std::vector<double> Posteriors(const KnowledgeBase& kb, const std::vector<Tri>& findings) {
  std::vector<double> out;
  out.reserve(kb.causes.size());
  for (const Cause& cause : kb.causes) {
    double log_odds = std::log(Odds(cause.prior));
    for (const Likelihood& like : cause.likelihoods) {
      const Tri state = findings[static_cast<std::size_t>(like.finding)];
      if (state == Tri::kTrue) log_odds += std::log(like.lr_pos);
      if (state == Tri::kFalse) log_odds += std::log(like.lr_neg);
    }
    // Keep the probability strictly inside (0, 1) so that entropies and odds stay finite.
    log_odds = std::clamp(log_odds, -20.0, 20.0);
    out.push_back(Probability(std::exp(log_odds)));
  }
  return out;
}

std::vector<RankedCause> RankCauses(const KnowledgeBase& kb, const std::vector<Tri>& findings) {
  return RankCauses(kb, findings, Posteriors(kb, findings));
}

std::vector<RankedCause> RankCauses(const KnowledgeBase& kb, const std::vector<Tri>& findings,
                                    const std::vector<double>& posteriors, double min_probability) {
  std::vector<RankedCause> ranked;
  ranked.reserve(kb.causes.size());
  for (std::size_t c = 0; c < kb.causes.size(); ++c) {
    if (posteriors[c] < min_probability) continue;
    RankedCause item;
    item.cause = static_cast<int>(c);
    item.probability = posteriors[c];
    for (const Likelihood& like : kb.causes[c].likelihoods) {
      const auto f = static_cast<std::size_t>(like.finding);
      const Tri state = findings[f];
      if (state == Tri::kUnknown) continue;
      const double lr = state == Tri::kTrue ? like.lr_pos : like.lr_neg;
      if (std::abs(std::log(lr)) < 1e-9) continue;
      EvidenceItem evidence;
      evidence.finding = kb.findings[f].id;
      evidence.supports = lr > 1;
      evidence.likelihood_ratio = lr;
      evidence.sources = like.sources;
      const std::string& text = kb.findings[f].text;
      evidence.text = state == Tri::kTrue
                          ? fmt::format("You reported {}, which makes this {} likely.", text,
                                        lr > 1 ? "more" : "less")
                          : fmt::format("You did not report {}, which makes this {} likely.", text,
                                        lr > 1 ? "more" : "less");
      item.evidence.push_back(std::move(evidence));
    }
    std::sort(item.evidence.begin(), item.evidence.end(),
              [](const EvidenceItem& a, const EvidenceItem& b) {
                return std::abs(std::log(a.likelihood_ratio)) >
                       std::abs(std::log(b.likelihood_ratio));
              });
    ranked.push_back(std::move(item));
  }
  std::sort(ranked.begin(), ranked.end(), [&kb](const RankedCause& a, const RankedCause& b) {
    if (a.probability != b.probability) return a.probability > b.probability;
    const Cause& ca = kb.causes[static_cast<std::size_t>(a.cause)];
    const Cause& cb = kb.causes[static_cast<std::size_t>(b.cause)];
    if (ca.prior != cb.prior) return ca.prior > cb.prior;
    return ca.id < cb.id;
  });
  return ranked;
}

std::string ChanceText(double probability) {
  const long tenths = std::lround(probability * 10);
  if (tenths < 1) return "fewer than 1 in 10 people with answers like yours";
  return fmt::format("about {} in 10 people with answers like yours", std::min(tenths, 9L));
}

double Uncertainty(const std::vector<double>& posteriors) {
  double total = 0;
  for (double p : posteriors) total += Entropy(p);
  return total;
}

double ExpectedInformationGain(const KnowledgeBase& kb, const Question& question,
                               const std::vector<Tri>& findings,
                               const std::vector<double>& posteriors) {
  double gain = 0;
  for (const FindingRule& rule : question.findings) {
    if (findings[static_cast<std::size_t>(rule.finding)] != Tri::kUnknown) continue;
    for (std::size_t c = 0; c < kb.causes.size(); ++c) {
      for (const Likelihood& like : kb.causes[c].likelihoods) {
        if (like.finding != rule.finding) continue;
        // Mutual information under the finding's generative model (never negative). Ranking
        // itself uses the published likelihood ratios; where only LR+ is known the two differ
        // slightly, which only affects which question is asked next.
        const double p = posteriors[c];
        const double present = p * like.p_given_cause + (1 - p) * like.p_given_other;
        const double if_present = p * like.p_given_cause / present;
        const double if_absent = p * (1 - like.p_given_cause) / (1 - present);
        gain += Entropy(p) - (present * Entropy(if_present) + (1 - present) * Entropy(if_absent));
      }
    }
  }
  return gain;
}

}  // namespace hipcoach
