// The words follow the model (issue 13): the plain-words reading of a weakness run says "lower" or
// "higher" by the sign the model computes, and names the muscles whose activation rose most,
// computed here again from the static-optimisation solution rather than taken from the summary.
#include "hipcoach/model/interpret.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/summary.hpp"
#include "hipcoach/model/variant.hpp"

namespace hipcoach::model {
namespace {

double Peak(const Analysis& a) {
  double peak = 0.0;
  for (const auto& f : a.frames) peak = std::max(peak, f.magnitude_bw);
  return peak;
}

// Walking with the group weakened on both sides, straight from Analyse.
struct WalkRun {
  Analysis baseline;
  Analysis weak;
};

WalkRun Walk(const std::string& group, double fraction) {
  auto e = BuiltinEngine();
  EXPECT_TRUE(e) << e.error();
  const Engine& engine = **e;
  auto base = Analyse(engine.model, engine.prepared, {}, Side::kBoth, "hip_r");
  auto weak = Analyse(engine.model, engine.prepared, {{group, fraction}}, Side::kBoth, "hip_r");
  EXPECT_TRUE(base && weak);
  return {std::move(*base), std::move(*weak)};
}

// Plain names of the right-hip muscles outside the weakened group, ranked by the largest rise of
// mean activation over the cycle among their bundles.
std::vector<std::string> PlainNamesByActivationRise(const WalkRun& run, const std::string& group) {
  auto e = BuiltinEngine();
  const Model& model = (*e)->model;
  auto weakened = GroupMuscles(model, group, Side::kBoth);
  std::map<std::string, double> rise;
  for (const int m : run.weak.joint_muscles) {
    if (std::find(weakened->begin(), weakened->end(), m) != weakened->end()) continue;
    double before = 0.0;
    double after = 0.0;
    for (std::size_t i = 0; i < run.weak.so.frames.size(); ++i) {
      before += run.baseline.so.frames[i].activation[static_cast<std::size_t>(m)];
      after += run.weak.so.frames[i].activation[static_cast<std::size_t>(m)];
    }
    const double r = (after - before) / static_cast<double>(run.weak.so.frames.size());
    const std::string name = PlainMuscleName(model.muscles[static_cast<std::size_t>(m)].name);
    rise[name] = std::max(rise.count(name) ? rise[name] : -1.0, r);
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [name, r] : rise) ranked.emplace_back(r, name);
  std::sort(ranked.rbegin(), ranked.rend());
  std::vector<std::string> names;
  for (const auto& [r, name] : ranked) names.push_back(name);
  return names;
}

TEST(Interpret, WalkingWithHalfStrengthGlutesReadsLowerBecauseTheModelComputesLower) {
  const WalkRun run = Walk("glutes", 0.5);
  const double change = Peak(run.weak) - Peak(run.baseline);
  // What the physiotherapist found, computed: the peak falls a little (about 6 %).
  ASSERT_LT(change, 0.0);
  EXPECT_GT(change / Peak(run.baseline), -0.15);

  auto s = SummariseWeakness("glutes", 0.5);
  ASSERT_TRUE(s) << s.error();
  const Interpretation in = Interpret(*s);
  EXPECT_EQ(in.direction, ForceDirection::kLower);
  EXPECT_EQ(in.direction_word, "lower");
  EXPECT_NE(in.title.find("lower peak hip force"), std::string::npos) << in.title;
  EXPECT_NE(in.headline.find("% lower"), std::string::npos) << in.headline;
  EXPECT_EQ(in.headline.find("higher"), std::string::npos) << in.headline;
  EXPECT_EQ(in.title.find("higher"), std::string::npos) << in.title;
}

TEST(Interpret, VeryWeakGlutesReadHigherBecauseTheModelComputesHigher) {
  const WalkRun run = Walk("glutes", 0.9);
  ASSERT_GT(Peak(run.weak), Peak(run.baseline));
  auto s = SummariseWeakness("glutes", 0.9);
  ASSERT_TRUE(s) << s.error();
  const Interpretation in = Interpret(*s);
  EXPECT_EQ(in.direction_word, "higher");
  EXPECT_NE(in.headline.find("% higher"), std::string::npos) << in.headline;
  EXPECT_EQ(in.headline.find("lower"), std::string::npos) << in.headline;
  // The muscles left cannot produce the walk: the reading says so.
  EXPECT_FALSE(in.reserve.empty());
}

TEST(Interpret, TheDirectionWordFollowsTheSignAtEveryLevel) {
  for (const char* group : {"glutes", "glute_med", "hip_abductors", "glute_max"}) {
    for (const double fraction : {0.3, 0.6, 0.8}) {
      auto s = SummariseWeakness(group, fraction);
      ASSERT_TRUE(s) << s.error();
      const Interpretation in = Interpret(*s);
      const std::string expected = std::abs(s->change_percent) < kAboutTheSamePercent
                                       ? "about the same"
                                       : (s->change_bw < 0 ? "lower" : "higher");
      EXPECT_EQ(in.direction_word, expected) << group << " " << fraction;
      EXPECT_NE(in.headline.find(expected), std::string::npos) << in.headline;
      EXPECT_NE(in.title.find(expected), std::string::npos) << in.title;
    }
  }
}

TEST(Interpret, NamesTheMusclesWhoseActivationRoseMostWithTheirLimits) {
  const WalkRun run = Walk("glutes", 0.5);
  const std::vector<std::string> expected = PlainNamesByActivationRise(run, "glutes");
  auto s = SummariseWeakness("glutes", 0.5);
  ASSERT_TRUE(s) << s.error();
  const Interpretation in = Interpret(*s);
  ASSERT_EQ(in.working_harder.size(), 3u);
  std::size_t last = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(in.working_harder[k].name, expected[k]) << k;
    // Named in the sentence, in that order.
    const std::size_t at = in.muscles.find(expected[k]);
    ASSERT_NE(at, std::string::npos) << in.muscles;
    EXPECT_GE(at, last);
    last = at;
  }
  // The TFL works at its limit at moments: that is what "near their limits" means here.
  EXPECT_EQ(in.working_harder[0].name, "tensor fasciae latae (TFL)");
  EXPECT_GT(in.working_harder[0].peak_activation, 0.95);
  EXPECT_NE(in.muscles.find("up to 100% of its maximum"), std::string::npos) << in.muscles;
  EXPECT_NE(in.muscles.find("close to the most they can do"), std::string::npos);
  // Plain names only: no model ids such as tfl_r or glut_med1_r.
  for (const std::string& text : {in.title, in.headline, in.muscles}) {
    EXPECT_EQ(text.find("_r"), std::string::npos) << text;
    EXPECT_EQ(text.find("_l "), std::string::npos) << text;
  }
}

TEST(Interpret, SaysWhatTheModelCannotShowInAShortList) {
  auto s = SummariseWeakness("glutes", 0.5);
  ASSERT_TRUE(s) << s.error();
  const Interpretation in = Interpret(*s);
  EXPECT_LE(in.cannot_show.size(), 7u);
  std::string all;
  for (const auto& item : in.cannot_show) all += item + "\n";
  for (const char* needle : {"Pain", "greater trochanter", "generic adult", "one measured step",
                             "Fatigue", "held fixed"}) {
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  }
}

TEST(Interpret, ATrunkLeanIsNamedAsThePrescribedMotion) {
  auto e = BuiltinEngine();
  ASSERT_TRUE(e) << e.error();
  TrunkLeanOptions o;
  o.degrees = 10.0;
  auto lean = MakeTrunkLean(**e, o);
  ASSERT_TRUE(lean) << lean.error();
  auto base = Analyse((*e)->model, (*e)->prepared, {}, Side::kBoth, "hip_r");
  auto weak =
      Analyse(lean->engine.model, lean->engine.prepared, {{"glutes", 0.5}}, Side::kRight, "hip_r");
  ASSERT_TRUE(base && weak);
  const WeaknessSummary s = Summarise((*e)->model, *base, *weak, 8);
  const Interpretation in = Interpret(s, 3, lean->description);
  ASSERT_LT(s.change_bw, 0.0);
  EXPECT_EQ(in.direction_word, "lower");
  EXPECT_NE(in.headline.find("the trunk held leaning 10 deg toward the right side"),
            std::string::npos)
      << in.headline;
  EXPECT_NE(in.headline.find("walking upright"), std::string::npos) << in.headline;
}

}  // namespace
}  // namespace hipcoach::model
