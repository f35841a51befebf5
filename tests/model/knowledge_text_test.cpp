// The knowledge base says what the hip model shows (issue 13). Every sentence of a cause or
// education text about weak glutes that states a direction for the force or load on the hip is
// checked against the model run at the weakness it names (half strength when it names none), and
// the texts that cite the model ("hipcoach_hip_model") must state the model's direction and name
// the muscles whose activation rose most.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "hipcoach/app.hpp"
#include "hipcoach/model/interpret.hpp"
#include "hipcoach/model/summary.hpp"

namespace hipcoach {
namespace {

const KnowledgeBase& Knowledge() {
  static const KnowledgeBase kb = [] {
    LoadOutcome outcome = app::LoadKnowledgeFrom(HIPCOACH_KNOWLEDGE_DIR);
    if (!outcome.kb) {
      for (const auto& d : outcome.diagnostics) ADD_FAILURE() << d.Format();
      std::abort();
    }
    return std::move(*outcome.kb);
  }();
  return kb;
}

struct Text {
  std::string where;  // e.g. cause glute_weakness education
  std::string text;
  std::vector<std::string> sources;
};

std::vector<Text> CauseAndEducationTexts() {
  std::vector<Text> out;
  for (const Cause& c : Knowledge().causes) {
    out.push_back({"cause " + c.id + " summary", c.summary, c.sources});
    out.push_back({"cause " + c.id + " education", c.education, c.sources});
    out.push_back({"cause " + c.id + " programme", c.programme, c.sources});
  }
  for (const EducationPage& e : Knowledge().education) {
    out.push_back({"education " + e.id, e.title + ".\n" + e.body, e.sources});
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    current += c == '\n' ? ' ' : c;
    const bool end =
        c == '\n' || ((c == '.' || c == '!' || c == '?') &&
                      (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'));
    if (end) {
      if (current.find_first_not_of(' ') != std::string::npos) out.push_back(Lower(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(' ') != std::string::npos) out.push_back(Lower(current));
  return out;
}

enum class Claim { kNone, kHigher, kLower, kSame };

// A sentence that says the force or load on the hip goes up or down, or barely changes. "not
// higher" reads as lower and "not lower" as higher; a sentence saying both ways is left alone.
Claim HipForceClaim(const std::string& sentence) {
  static const std::regex kHip(R"(\bhip\b)");
  static const std::regex kLoad(
      R"(\b(force|forces|load|loads|loading|strain|stress|pressure|compress\w*)\b)");
  static const std::regex kNotUp(R"(\bnot (higher|more|greater|heavier|increased)\b)");
  static const std::regex kNotDown(R"(\bnot (lower|less|smaller|reduced)\b)");
  static const std::regex kUp(
      R"(\b(more|higher|heavier|greater|extra|rais\w*|increas\w*|rises?|rising|overload\w*|adds? to)\b)");
  static const std::regex kDown(
      R"(\b(lower|lowers|lowered|reduc\w*|decreas\w*|falls?|smaller|less (force|load|strain|pressure)))");
  static const std::regex kSame(R"(\b(barely|hardly) change|about the same|\bunchanged\b)");
  if (!std::regex_search(sentence, kHip) || !std::regex_search(sentence, kLoad)) {
    return Claim::kNone;
  }
  if (std::regex_search(sentence, kSame)) return Claim::kSame;
  bool up = std::regex_search(sentence, kNotDown);
  bool down = std::regex_search(sentence, kNotUp);
  const std::string rest = std::regex_replace(
      std::regex_replace(sentence, kNotUp, std::string(" ")), kNotDown, std::string(" "));
  up = up || std::regex_search(rest, kUp);
  down = down || std::regex_search(rest, kDown);
  if (up == down) return Claim::kNone;
  return up ? Claim::kHigher : Claim::kLower;
}

bool AboutWeakGlutes(const std::string& text) {
  const std::string t = Lower(text);
  return std::regex_search(t, std::regex(R"(glute|gluteus|abductor)")) &&
         std::regex_search(t, std::regex(R"(\bweak|underactive|sleepy|switch on|half as strong)"));
}

// The model group and weakness a sentence speaks of: "80% weaker" or "half as strong"; half
// strength when it names no size.
std::pair<std::string, double> Weakness(const std::string& sentence) {
  std::string group = "glutes";
  double fraction = 0.5;
  std::smatch m;
  if (std::regex_search(sentence, m,
                        std::regex(R"((gluteus maximus|gluteus medius|abductors|glutes)[^.]*?)"
                                   R"((\d+)% weaker)"))) {
    const std::string who = m[1].str();
    group = who == "gluteus maximus"  ? "glute_max"
            : who == "gluteus medius" ? "glute_med"
            : who == "abductors"      ? "hip_abductors"
                                      : "glutes";
    fraction = std::stod(m[2].str()) / 100.0;
  }
  return {group, std::min(fraction, 0.9)};
}

model::ForceDirection ModelDirection(const std::string& group, double fraction) {
  auto s = model::SummariseWeakness(group, fraction);
  EXPECT_TRUE(s) << s.error();
  return s ? model::DirectionOf(*s) : model::ForceDirection::kAboutTheSame;
}

TEST(KnowledgeText, TheClaimDetectorReadsDirections) {
  EXPECT_EQ(HipForceClaim("weak glutes load the hip more."), Claim::kHigher);
  EXPECT_EQ(HipForceClaim("so nearby tissues of the hip take extra strain."), Claim::kHigher);
  EXPECT_EQ(HipForceClaim("the force through the hip is slightly lower, not higher."),
            Claim::kLower);
  EXPECT_EQ(HipForceClaim("the hip force only rises once the glutes are 80% weaker."),
            Claim::kHigher);
  EXPECT_EQ(HipForceClaim("the hip can feel tired."), Claim::kNone);
  EXPECT_EQ(HipForceClaim("others do more and the force through the hip barely changes."),
            Claim::kSame);
  EXPECT_EQ(Weakness("with the gluteus maximus 90% weaker, the gluteus medius works harder").first,
            "glute_max");
  EXPECT_EQ(Weakness("the hip force only rises once the glutes are 80% weaker or more.").second,
            0.8);
}

TEST(KnowledgeText, NoTextClaimsAHipForceChangeTheModelDoesNotCompute) {
  for (const Text& t : CauseAndEducationTexts()) {
    if (!AboutWeakGlutes(t.text)) continue;
    for (const std::string& sentence : Sentences(t.text)) {
      const Claim claim = HipForceClaim(sentence);
      if (claim == Claim::kNone) continue;
      const auto [group, fraction] = Weakness(sentence);
      const model::ForceDirection computed = ModelDirection(group, fraction);
      const model::ForceDirection said = claim == Claim::kHigher ? model::ForceDirection::kHigher
                                         : claim == Claim::kLower
                                             ? model::ForceDirection::kLower
                                             : model::ForceDirection::kAboutTheSame;
      EXPECT_EQ(model::DirectionWord(said), std::string(model::DirectionWord(computed)))
          << t.where << " says the hip force is " << model::DirectionWord(said) << " with " << group
          << " " << fraction * 100 << "% weaker, but the model computes "
          << model::DirectionWord(computed) << ":\n  " << sentence;
    }
  }
}

TEST(KnowledgeText, TextsCitingTheModelSayWhatItComputes) {
  auto s = model::SummariseWeakness("glutes", 0.5);
  ASSERT_TRUE(s) << s.error();
  const model::Interpretation in = model::Interpret(*s);
  int citing = 0;
  for (const Text& t : CauseAndEducationTexts()) {
    if (std::find(t.sources.begin(), t.sources.end(), "hipcoach_hip_model") == t.sources.end() ||
        t.where.find(" programme") != std::string::npos ||
        t.where.find(" summary") != std::string::npos) {
      continue;
    }
    ++citing;
    const std::string text = Lower(t.text);
    // The text mentions the model and states its direction for half-strength glutes...
    EXPECT_NE(text.find("hipcoach's hip model"), std::string::npos) << t.where;
    bool states = false;
    for (const std::string& sentence : Sentences(t.text)) {
      const Claim claim = HipForceClaim(sentence);
      if (claim == Claim::kNone || Weakness(sentence).first != "glutes" ||
          Weakness(sentence).second != 0.5) {
        continue;
      }
      const bool agrees =
          (claim == Claim::kLower && in.direction == model::ForceDirection::kLower) ||
          (claim == Claim::kHigher && in.direction == model::ForceDirection::kHigher) ||
          (claim == Claim::kSame && in.direction == model::ForceDirection::kAboutTheSame);
      states = states || agrees;
    }
    // ... or what the model finds for the group it speaks of (the sleepy-glutes page: the
    // gluteus maximus, whose weakness barely changes the hip force).
    const bool about_max = text.find("gluteus maximus 90% weaker") != std::string::npos;
    if (about_max) {
      auto m = model::SummariseWeakness("glute_max", 0.9);
      ASSERT_TRUE(m);
      EXPECT_EQ(model::DirectionOf(*m), model::ForceDirection::kAboutTheSame);
      EXPECT_NE(text.find("barely changes"), std::string::npos) << t.where;
      continue;
    }
    EXPECT_TRUE(states) << t.where << " cites the model but does not say the hip force is "
                        << in.direction_word << " with the glutes half as strong";
    // The two muscles whose activation rose most are named (their plain names, before any
    // bracket: "tensor fasciae latae" or its short form "tfl").
    for (std::size_t k = 0; k < 2 && k < in.working_harder.size(); ++k) {
      const std::string name = Lower(in.working_harder[k].name);
      const std::string core = name.substr(0, name.find(" ("));
      const bool named = text.find(core) != std::string::npos ||
                         (core == "tensor fasciae latae" && text.find("tfl") != std::string::npos);
      EXPECT_TRUE(named) << t.where << " does not name " << name;
    }
  }
  EXPECT_GE(citing, 3);
}

TEST(KnowledgeText, TheCauseTheModelIllustratesCitesIt) {
  for (const Cause& c : Knowledge().causes) {
    if (c.model_group.empty()) continue;
    EXPECT_NE(std::find(c.sources.begin(), c.sources.end(), "hipcoach_hip_model"), c.sources.end())
        << c.id;
  }
}

}  // namespace
}  // namespace hipcoach
