#include "population.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "hipcoach/assessment.hpp"
#include "hipcoach/inference.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/triage.hpp"

namespace hipcoach::population {
namespace {

// splitmix64: small, fast and the same on every compiler and standard library.
std::uint64_t Next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

double Uniform(std::uint64_t& state) {
  return static_cast<double>(Next(state) >> 11U) * (1.0 / 9007199254740992.0);
}

bool Chance(std::uint64_t& state, double p) { return Uniform(state) < p; }

// The findings that only danger patterns read: rare ones (background at most 2 %) in a red-flag
// pattern. A person drawn from a cause that does not model them has them only incidentally.
std::set<int> DangerOnlyFindings(const KnowledgeBase& kb) {
  std::set<int> out;
  for (const auto& used : kb.red_flag_findings) {
    for (int f : used) {
      if (kb.findings[static_cast<std::size_t>(f)].background <= 0.02) out.insert(f);
    }
  }
  return out;
}

// P(finding present) for a person with `cause`.
std::vector<double> FindingChances(const KnowledgeBase& kb, int cause, const Options& options) {
  const Cause& c = kb.causes[static_cast<std::size_t>(cause)];
  const std::set<int> danger_only = DangerOnlyFindings(kb);
  std::vector<double> p(kb.findings.size());
  for (std::size_t f = 0; f < kb.findings.size(); ++f) {
    p[f] = danger_only.count(static_cast<int>(f)) > 0 ? options.incidental_danger
                                                      : kb.findings[f].background;
  }
  for (const Likelihood& like : c.likelihoods) {
    p[static_cast<std::size_t>(like.finding)] = like.p_given_cause;
  }
  return p;
}

// How well a set of finding states fits the chances and the findings already fixed.
double Weight(const std::vector<std::pair<int, bool>>& states, const std::vector<double>& p,
              const std::vector<int>& fixed) {
  double w = 1;
  for (const auto& [f, present] : states) {
    const auto i = static_cast<std::size_t>(f);
    if (fixed[i] >= 0) {
      w *= (fixed[i] == 1) == present ? 1.0 : 1e-6;
    } else {
      w *= present ? p[i] : 1 - p[i];
    }
  }
  return w;
}

std::size_t Pick(const std::vector<double>& weights, std::uint64_t& state) {
  double total = 0;
  for (double w : weights) total += w;
  double at = Uniform(state) * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (at < weights[i]) return i;
    at -= weights[i];
  }
  return weights.size() - 1;
}

std::vector<std::pair<int, bool>> StatesOf(const Question& q, const AnswerValue& value) {
  std::vector<std::pair<int, bool>> out;
  for (const FindingRule& rule : q.findings) {
    out.emplace_back(rule.finding, ApplyRule(rule, value) == Tri::kTrue);
  }
  return out;
}

// Candidate numbers for a number question: one per interval between its thresholds.
std::vector<double> Candidates(const Question& q) {
  std::set<double> cuts = {q.min, q.max};
  for (const FindingRule& rule : q.findings) {
    if (rule.at_least) cuts.insert(*rule.at_least);
    if (rule.below) cuts.insert(*rule.below);
  }
  std::vector<double> edges(cuts.begin(), cuts.end());
  std::vector<double> out;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) out.push_back(edges[i]);
  out.push_back(q.max);
  return out;
}

AnswerValue TrueAnswer(const Question& q, const std::vector<double>& p, std::vector<int>& fixed,
                       std::uint64_t& state) {
  AnswerValue value;
  switch (q.type) {
    case AnswerType::kNumber: {
      const std::vector<double> candidates = Candidates(q);
      std::vector<double> weights;
      for (double v : candidates) {
        weights.push_back(Weight(StatesOf(q, AnswerValue::Number(v)), p, fixed));
      }
      double v = candidates[Pick(weights, state)];
      // A spread within the interval, so that numbers look like people's.
      const auto next = std::upper_bound(candidates.begin(), candidates.end(), v);
      if (next != candidates.end() && *next > v + 1) {
        v += std::floor(Uniform(state) * (*next - v));
      }
      value = AnswerValue::Number(q.integer ? std::floor(v) : v);
      break;
    }
    case AnswerType::kSingleChoice:
    case AnswerType::kSide: {
      std::vector<double> weights;
      for (const Choice& c : q.choices) {
        weights.push_back(Weight(StatesOf(q, AnswerValue::Choice(c.id)), p, fixed));
      }
      value = AnswerValue::Choice(q.choices[Pick(weights, state)].id);
      break;
    }
    case AnswerType::kYesNo: {
      std::vector<double> weights = {Weight(StatesOf(q, AnswerValue::Bool(false)), p, fixed),
                                     Weight(StatesOf(q, AnswerValue::Bool(true)), p, fixed)};
      value = AnswerValue::Bool(Pick(weights, state) == 1);
      break;
    }
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation: {
      // Each finding independently (or as already fixed), then the choices that say exactly that.
      std::map<int, bool> present;
      for (const FindingRule& rule : q.findings) {
        const auto i = static_cast<std::size_t>(rule.finding);
        if (present.count(rule.finding) > 0) continue;
        present[rule.finding] = fixed[i] >= 0 ? fixed[i] == 1 : Chance(state, p[i]);
      }
      std::vector<std::string> chosen;
      for (const Choice& c : q.choices) {
        bool all = true;
        bool any = false;
        for (const FindingRule& rule : q.findings) {
          if (std::find(rule.any_of.begin(), rule.any_of.end(), c.id) == rule.any_of.end())
            continue;
          any = true;
          all = all && present[rule.finding];
        }
        if (any && all) chosen.push_back(c.id);
      }
      // A present finding whose every choice also says something absent: take its first choice.
      for (const FindingRule& rule : q.findings) {
        if (!present[rule.finding]) continue;
        bool covered = false;
        for (const std::string& id : chosen) {
          covered =
              covered || std::find(rule.any_of.begin(), rule.any_of.end(), id) != rule.any_of.end();
        }
        if (!covered) chosen.push_back(rule.any_of.front());
      }
      if (chosen.empty()) chosen.push_back(q.FindChoice("none") ? "none" : q.choices.front().id);
      std::sort(chosen.begin(), chosen.end());
      chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
      value = AnswerValue::Choices(chosen);
      break;
    }
  }
  for (const auto& [f, present] : StatesOf(q, value)) {
    const auto i = static_cast<std::size_t>(f);
    if (fixed[i] < 0 || present) fixed[i] = present ? 1 : 0;
  }
  return value;
}

TriageLevel Max(TriageLevel a, TriageLevel b) { return a > b ? a : b; }

// Red flags matched by what was said: the findings without any doubt reading, unknown as absent.
TriageLevel SaidDangerLevel(const KnowledgeBase& kb, const Answers& answers) {
  const FindingState state = DeriveFindings(kb, answers);
  std::vector<Tri> said = state.Evidence();
  for (Tri& t : said) {
    if (t == Tri::kUnknown) t = Tri::kFalse;
  }
  auto finding = [&](int f) { return said[static_cast<std::size_t>(f)]; };
  TriageLevel level = TriageLevel::kSelfCare;
  bool any = false;
  for (const RedFlag& flag : kb.red_flags) {
    if (Evaluate(flag.pattern, finding, NoCauses) == Tri::kTrue) {
      level = any ? Max(level, flag.level) : flag.level;
      any = true;
    }
  }
  return any ? level : TriageLevel::kSelfCare;
}

}  // namespace

double DoubtRates::Rate(const Question& question) const {
  if (auto it = by_question.find(question.id); it != by_question.end()) return it->second;
  if (auto it = by_stage.find(question.stage); it != by_stage.end()) return it->second;
  return 0.05;
}

Result<DoubtRates> ParseDoubtRates(const KnowledgeBase& kb, std::string_view text,
                                   std::string_view file_name) {
  DoubtRates rates;
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("{}:{}:{}: {}", file_name, e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  auto rate = [&](const toml::node& node, std::string_view key) -> Result<double> {
    const auto value = node.value<double>();
    if (!value || *value < 0 || *value > 1) {
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("{}:{}: '{}' must be a rate between 0 and 1", file_name,
                                   node.source().begin.line, key));
    }
    return *value;
  };
  if (const auto* factor = root["cautious_factor"].node()) {
    auto value = factor->value<double>();
    if (!value || *value < 1) {
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("{}: cautious_factor must be 1 or more", file_name));
    }
    rates.cautious_factor = *value;
  }
  if (const auto* stages = root["stage"].as_table()) {
    for (const auto& [key, node] : *stages) {
      const std::string name(key.str());
      Stage stage = Stage::kAdaptive;
      if (name == "red_flag") {
        stage = Stage::kRedFlag;
      } else if (name == "core") {
        stage = Stage::kCore;
      } else if (name == "adaptive") {
        stage = Stage::kAdaptive;
      } else if (name == "programme") {
        stage = Stage::kProgramme;
      } else {
        return MakeError(ErrorCode::kInvalidInput,
                         fmt::format("{}: unknown stage '{}'", file_name, name));
      }
      auto value = rate(node, name);
      if (!value) return tl::unexpected(value.error());
      rates.by_stage[stage] = *value;
    }
  }
  if (const auto* questions = root["question"].as_table()) {
    std::vector<std::string> ids;
    for (const Question& q : kb.questions) ids.push_back(q.id);
    for (const auto& [key, node] : *questions) {
      const std::string id(key.str());
      if (kb.FindQuestion(id) == nullptr) {
        const std::string hint = ClosestMatch(id, ids);
        return MakeError(
            ErrorCode::kInvalidInput,
            fmt::format("{}:{}: unknown question '{}'{}", file_name, node.source().begin.line, id,
                        hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      }
      auto value = rate(node, id);
      if (!value) return tl::unexpected(value.error());
      rates.by_question[id] = *value;
    }
  }
  return rates;
}

Person Draw(const KnowledgeBase& kb, int cause, const Options& options, std::uint64_t& state) {
  Person person;
  person.cause = cause;
  const std::vector<double> p = FindingChances(kb, cause, options);
  std::vector<int> fixed(kb.findings.size(), -1);
  for (int qi : kb.interview_order) {
    const Question& q = kb.questions[static_cast<std::size_t>(qi)];
    person.truth[q.id] = TrueAnswer(q, p, fixed, state);
  }
  // The reference, as a clinician would set it from this presentation: the rules applied to the
  // true answers with nothing doubted, and the drawn cause's own level when it is not a serious
  // one. A serious cause is known only through its danger pattern; a person drawn from it who
  // does not have the pattern presents as whatever else they have.
  const FindingState truth = DeriveFindings(kb, person.truth);
  std::vector<double> posteriors(kb.causes.size(), 0.0);
  if (kb.causes[static_cast<std::size_t>(cause)].kind != "serious") {
    posteriors[static_cast<std::size_t>(cause)] = 1.0;
  }
  const TriageResult triage = Triage(kb, truth, posteriors, person.truth);
  person.reference = triage.level;
  for (const MatchedRedFlag& match : triage.red_flags) {
    const TriageLevel level = kb.red_flags[static_cast<std::size_t>(match.red_flag)].level;
    person.danger_level = person.danger ? Max(person.danger_level, level) : level;
    person.danger = true;
    person.flags.push_back(kb.red_flags[static_cast<std::size_t>(match.red_flag)].id);
  }
  return person;
}

Outcome Interview(const KnowledgeBase& kb, const Person& person, const DoubtRates& rates,
                  const Options& options, std::uint64_t& state) {
  Outcome result;
  result.person = person;
  Answers given;
  for (std::size_t guard = 0; guard <= kb.questions.size(); ++guard) {
    const NextStep step = NextQuestion(kb, given);
    if (step.question == nullptr) break;
    const Question& q = *step.question;
    double rate = rates.Rate(q);
    if (options.cautious) rate = std::min(1.0, rate * rates.cautious_factor);
    const bool doubt = Chance(state, rate);
    given[q.id] = doubt ? AnswerValue::Unknown() : person.truth.at(q.id);
    result.doubts += doubt ? 1 : 0;
    ++result.questions;
  }
  auto assessed = Assess(kb, given);
  if (!assessed) return result;  // cannot happen: the interview completes the screen
  result.given = assessed->triage.level;
  for (const MatchedRedFlag& m : assessed->triage.red_flags) {
    result.why.push_back("red flag " + kb.red_flags[static_cast<std::size_t>(m.red_flag)].id +
                         (m.uncertain ? " (possible)" : ""));
  }
  for (const std::string& id : assessed->triage.safety_net) result.why.push_back("rule " + id);
  for (const RankedCause& r : assessed->causes) {
    const Cause& c = kb.causes[static_cast<std::size_t>(r.cause)];
    if (r.probability >= kb.rules.cause_level && c.level > TriageLevel::kSelfCare) {
      result.why.push_back("cause " + c.id);
    }
  }
  const TriageLevel said = SaidDangerLevel(kb, given);
  result.said_danger_below = said > TriageLevel::kSelfCare && result.given < said;
  // The result shows two lists, and people read each from its top: what a doctor needs to rule
  // out (the serious causes behind a danger sign) and the likely causes (then "show more"). The
  // person's cause is ranked by its place in whichever list holds it, so a benign cause is not
  // pushed down by a rule-out that another finding of the same person rightly raised.
  for (std::size_t i = 0; i < assessed->rule_out.size(); ++i) {
    if (assessed->rule_out[i].cause == person.cause) result.rank = static_cast<int>(i);
  }
  int place = 0;
  for (const auto* list : {&assessed->causes, &assessed->more_causes}) {
    for (const RankedCause& r : *list) {
      if (r.cause == person.cause && (result.rank < 0 || place < result.rank)) result.rank = place;
      if (place == 0) result.first = r.cause;
      ++place;
    }
  }
  return result;
}

Summary Run(const KnowledgeBase& kb, const DoubtRates& rates, const Options& options) {
  Summary summary;
  std::uint64_t state = options.seed;
  for (std::size_t c = 0; c < kb.causes.size(); ++c) {
    for (int n = 0; n < options.people_per_cause; ++n) {
      const Person person = Draw(kb, static_cast<int>(c), options, state);
      const Outcome r = Interview(kb, person, rates, options, state);
      ++summary.people;
      ++summary.per_cause_people[static_cast<int>(c)];
      ++summary.confusion[person.reference][r.given];
      if (person.reference == TriageLevel::kSelfCare && r.given > TriageLevel::kSelfCare) {
        summary.over_self_care.push_back(r);
      }
      summary.said_danger_below += r.said_danger_below ? 1 : 0;
      if (person.danger && r.given < person.danger_level && !r.said_danger_below) {
        ++summary.doubt_missed_danger;
        for (const std::string& flag : person.flags) ++summary.doubt_missed_flags[flag];
      }
      summary.safe += static_cast<int>(r.given) >= static_cast<int>(person.reference) - 1 ? 1 : 0;
      summary.top1 += r.rank == 0 ? 1 : 0;
      summary.per_cause_top1[static_cast<int>(c)] += r.rank == 0 ? 1 : 0;
      if (r.rank != 0 && r.first >= 0) ++summary.taken_for[static_cast<int>(c)][r.first];
      const bool top3 = r.rank >= 0 && r.rank < 3;
      summary.top3 += top3 ? 1 : 0;
      summary.per_cause_top3[static_cast<int>(c)] += top3 ? 1 : 0;
      summary.questions.push_back(r.questions);
      if (r.questions > 25) summary.long_doubts.push_back(r.doubts);
    }
  }
  std::sort(summary.questions.begin(), summary.questions.end());
  return summary;
}

std::string Report(const KnowledgeBase& kb, const Summary& s, const Options& options) {
  auto pct = [](int n, int d) { return d == 0 ? 0.0 : 100.0 * n / d; };
  const std::vector<TriageLevel> levels = {TriageLevel::kSelfCare, TriageLevel::kRoutine,
                                           TriageLevel::kUrgent, TriageLevel::kEmergency};
  std::string out =
      fmt::format("Simulated people: {} ({} per cause, {} causes), seed {}, {} doubt rates\n\n",
                  s.people, options.people_per_cause, kb.causes.size(), options.seed,
                  options.cautious ? "cautious (doubled)" : "realistic");
  out +=
      "| reference \\ given | self_care | routine | urgent | emergency | over-triage | "
      "under-triage |\n|---|---|---|---|---|---|---|\n";
  for (TriageLevel ref : levels) {
    const auto it = s.confusion.find(ref);
    int total = 0, over = 0, under = 0;
    std::string cells;
    for (TriageLevel got : levels) {
      const int n = it == s.confusion.end() ? 0 : (it->second.count(got) ? it->second.at(got) : 0);
      total += n;
      over += got > ref ? n : 0;
      under += got < ref ? n : 0;
      cells += fmt::format(" {} |", n);
    }
    out += fmt::format("| {} |{} {:.1f} % | {:.1f} % |\n", ToString(ref), cells, pct(over, total),
                       pct(under, total));
  }
  const int median = s.questions.empty() ? 0 : s.questions[s.questions.size() / 2];
  const int p90 = s.questions.empty() ? 0 : s.questions[s.questions.size() * 9 / 10];
  const int longest = s.questions.empty() ? 0 : s.questions.back();
  int exact = 0;
  for (TriageLevel ref : levels) {
    if (auto it = s.confusion.find(ref); it != s.confusion.end() && it->second.count(ref)) {
      exact += it->second.at(ref);
    }
  }
  // The same ranking figures with each cause weighted by its prior: the mix of causes people
  // with hip or buttock pain actually have (the unweighted figures count a one-in-a-thousand
  // cause as often as the commonest).
  double weight = 0, weighted_top1 = 0, weighted_top3 = 0;
  for (const auto& [c, n] : s.per_cause_people) {
    const double prior = kb.causes[static_cast<std::size_t>(c)].prior;
    weight += prior;
    weighted_top1 += prior * s.per_cause_top1.at(c) / n;
    weighted_top3 += prior * s.per_cause_top3.at(c) / n;
  }
  out += fmt::format(
      "\n- the person's cause first, weighted by the causes' priors: {:.1f} %; in the first three: "
      "{:.1f} %\n",
      weight > 0 ? 100 * weighted_top1 / weight : 0, weight > 0 ? 100 * weighted_top3 / weight : 0);
  out += fmt::format(
      "- danger patterns in what people said, triaged below their level: {}\n"
      "- true danger patterns missed because the person answered \"not sure\" to a sign read as "
      "absent: {} ({:.2f} %)\n"
      "- safe (at most one level below the reference): {:.1f} %\n"
      "- exact level: {:.1f} %\n"
      "- the person's cause first, every cause counted equally: {:.1f} %; in the first three: "
      "{:.1f} %\n"
      "- questions: median {}, 90th percentile {}, longest {}\n",
      s.said_danger_below, s.doubt_missed_danger, pct(s.doubt_missed_danger, s.people),
      pct(s.safe, s.people), pct(exact, s.people), pct(s.top1, s.people), pct(s.top3, s.people),
      median, p90, longest);
  if (!s.long_doubts.empty()) {
    double doubts = 0;
    for (int d : s.long_doubts) doubts += d;
    out += fmt::format(
        "- more than 25 questions: {} people ({:.2f} %), who answered \"not sure\" {:.1f} times "
        "on average\n",
        s.long_doubts.size(), pct(static_cast<int>(s.long_doubts.size()), s.people),
        doubts / static_cast<double>(s.long_doubts.size()));
  }
  if (!s.doubt_missed_flags.empty()) {
    out +=
        "\nDanger patterns missed because of a doubt, by red flag:\n\n| red flag | people |\n"
        "|---|---|\n";
    for (const auto& [flag, n] : s.doubt_missed_flags) out += fmt::format("| {} | {} |\n", flag, n);
  }
  std::map<std::string, int> over_reasons;
  for (const Outcome& o : s.over_self_care) {
    for (const std::string& why : o.why) ++over_reasons[why];
  }
  out +=
      "\nWhy people who could self-manage were sent further:\n\n| reason | people |\n|---|---|\n";
  for (const auto& [why, n] : over_reasons) out += fmt::format("| {} | {} |\n", why, n);
  out +=
      "\n| cause | prior | top 1 | top 3 | most often ranked first instead |\n"
      "|---|---|---|---|---|\n";
  for (const auto& [c, n] : s.per_cause_people) {
    const Cause& cause = kb.causes[static_cast<std::size_t>(c)];
    // The three causes most often put first in this cause's place: where the knowledge base
    // cannot tell two apart.
    std::vector<std::pair<int, int>> instead;
    if (auto it = s.taken_for.find(c); it != s.taken_for.end()) {
      for (const auto& [other, count] : it->second) instead.emplace_back(count, other);
    }
    std::sort(instead.rbegin(), instead.rend());
    std::string names;
    for (std::size_t i = 0; i < instead.size() && i < 3; ++i) {
      names += fmt::format("{}{} {:.0f} %", i == 0 ? "" : ", ",
                           kb.causes[static_cast<std::size_t>(instead[i].second)].id,
                           pct(instead[i].first, n));
    }
    out += fmt::format("| {} | {} | {:.0f} % | {:.0f} % | {} |\n", cause.id, cause.prior,
                       pct(s.per_cause_top1.at(c), n), pct(s.per_cause_top3.at(c), n), names);
  }
  return out;
}

}  // namespace hipcoach::population
