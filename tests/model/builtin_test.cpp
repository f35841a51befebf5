#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hipcoach/model/dataset.hpp"
#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/summary.hpp"
#include "hipcoach/model/variant.hpp"

namespace hipcoach::model {
namespace {

TEST(Builtin, LoadsOneGaitCycle) {
  auto d = LoadBuiltin();
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d->model.muscles.size(), 92u);
  EXPECT_EQ(d->model.coordinates.size(), 23u);
  EXPECT_EQ(d->trial.frames.size(), 101u);
  EXPECT_NEAR(d->model.TotalMass(), 72.6, 0.01);
  EXPECT_GT(d->cycle_end - d->cycle_start, 0.9);
  EXPECT_NE(d->credit.find("CC BY 3.0"), std::string::npos);
}

TEST(Builtin, CompactFormatRoundTrips) {
  auto d = LoadBuiltin();
  ASSERT_TRUE(d);
  auto again = ParseCompact(WriteCompact(*d), "round trip");
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->model.muscles.size(), d->model.muscles.size());
  EXPECT_NEAR(again->trial.frames[50].q[7], d->trial.frames[50].q[7], 1e-9);
}

TEST(Builtin, BaselineHipLoadIsInTheReferenceRange) {
  auto e = BuiltinEngine();
  ASSERT_TRUE(e) << e.error();
  auto a = Analyse((*e)->model, (*e)->prepared, {}, Side::kBoth, "hip_r");
  ASSERT_TRUE(a) << a.error();
  double peak = 0;
  for (const auto& f : a->frames) {
    EXPECT_TRUE(f.converged) << f.time;
    peak = std::max(peak, f.magnitude_bw);
  }
  // The reference run peaks at 3.75 BW (within the 101-point resampling of the cycle).
  EXPECT_NEAR(peak, 3.75, 0.2);
}

TEST(Builtin, HipAbductorWeaknessRaisesReservesAndRecruitsOthers) {
  auto s = SummariseWeakness("hip_abductors", 0.9);
  ASSERT_TRUE(s) << s.error();
  auto b = SummariseWeakness("hip_abductors", 0.0);
  ASSERT_TRUE(b) << b.error();
  EXPECT_NEAR(b->change_bw, 0.0, 1e-9);
  EXPECT_GT(s->peak_reserve_nm, b->peak_reserve_nm);
  ASSERT_FALSE(s->compensators.empty());
  for (const auto& c : s->compensators) {
    EXPECT_EQ(c.muscle.find("glut_med"), std::string::npos) << c.muscle;
    EXPECT_GT(c.increase_n, 0.0);
  }
  EXPECT_NE(s->credit.find("gait2392"), std::string::npos);
}

TEST(Builtin, HipCrossingMusclesAreComputedFromTheMomentArms) {
  auto e = BuiltinEngine();
  ASSERT_TRUE(e) << e.error();
  const Model& m = (*e)->model;
  const auto hip = JointCrossingMuscles(m, (*e)->prepared, "hip_r");
  std::vector<std::string> names;
  for (const int i : hip) {
    names.push_back(m.muscles[static_cast<std::size_t>(i)].name);
  }
  auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  for (const auto& n : names) {
    EXPECT_EQ(n.substr(n.size() - 2), "_r") << n;
  }
  for (const char* n : {"glut_med1_r", "glut_max3_r", "tfl_r", "peri_r", "iliacus_r", "psoas_r",
                        "add_long_r", "rect_fem_r", "semimem_r", "bifemlh_r", "sar_r", "grac_r"}) {
    EXPECT_TRUE(has(n)) << n;
  }
  // Knee- and ankle-only muscles and the trunk do not cross the hip.
  for (const char* n : {"bifemsh_r", "vas_lat_r", "med_gas_r", "soleus_r", "ercspn_r"}) {
    EXPECT_FALSE(has(n)) << n;
  }
  EXPECT_TRUE(JointCrossingMuscles(m, (*e)->prepared, "no_such_joint").empty());
}

TEST(Builtin, DefaultCompensatorsAreSameSideHipMuscles) {
  auto e = BuiltinEngine();
  ASSERT_TRUE(e) << e.error();
  const auto hip = JointCrossingMuscles((*e)->model, (*e)->prepared, "hip_r");
  for (const std::string g : {"glute_med", "hip_abductors", "glutes", "glute_max"}) {
    for (const double f : {0.5, 0.9}) {
      auto s = SummariseWeakness(g, f);
      ASSERT_TRUE(s) << s.error();
      if (g == "glute_med" && f == 0.5) {
        EXPECT_FALSE(s->compensators.empty());
      }
      auto members = GroupMuscles((*e)->model, g, Side::kBoth);
      ASSERT_TRUE(members);
      for (const auto& c : s->compensators) {
        const int i = (*e)->model.MuscleIndex(c.muscle);
        EXPECT_NE(std::find(hip.begin(), hip.end(), i), hip.end()) << g << " " << c.muscle;
        EXPECT_EQ(std::find(members->begin(), members->end(), i), members->end())
            << g << " " << c.muscle;
        EXPECT_GT(c.increase_n, 0.0);
      }
    }
  }
}

TEST(Builtin, AllMusclesScopeRanksTheWholeBody) {
  auto e = BuiltinEngine();
  ASSERT_TRUE(e) << e.error();
  const Engine& en = **e;
  auto base = Analyse(en.model, en.prepared, {}, Side::kBoth, "hip_r");
  auto weak = Analyse(en.model, en.prepared, {{"glute_med", 0.5}}, Side::kBoth, "hip_r");
  ASSERT_TRUE(base && weak);
  const auto all = Summarise(en.model, *base, *weak, 5, CompensatorScope::kAllMuscles);
  const auto hip = Summarise(en.model, *base, *weak, 5, CompensatorScope::kJointMuscles);
  ASSERT_FALSE(all.compensators.empty());
  ASSERT_FALSE(hip.compensators.empty());
  // The whole-body list is led by the other leg (left calf); the hip list by the right glut_min.
  EXPECT_EQ(all.compensators.front().muscle, "med_gas_l");
  EXPECT_EQ(hip.compensators.front().muscle.rfind("glut_min", 0), 0u);
  EXPECT_GE(all.compensators.front().increase_n, hip.compensators.front().increase_n);
  for (const auto& c : all.compensators) {
    EXPECT_EQ(c.muscle.find("glut_med"), std::string::npos) << c.muscle;
  }
}

TEST(Builtin, TrunkLeanTowardTheStanceLegCutsTheHipAdductionMoment) {
  auto e = BuiltinEngine();
  ASSERT_TRUE(e) << e.error();
  TrunkLeanOptions toward;
  toward.degrees = 10.0;
  auto lean = MakeTrunkLean(**e, toward);
  ASSERT_TRUE(lean) << lean.error();
  TrunkLeanOptions away;
  away.degrees = -10.0;
  auto lean_away = MakeTrunkLean(**e, away);
  ASSERT_TRUE(lean_away) << lean_away.error();
  // Literature (biomech.md): a trunk lean cuts the early-stance hip adduction moment by ~37 %.
  const double upright = lean->upright_early_stance_adduction_nm;
  EXPECT_GT(upright, 20.0);
  EXPECT_LT(lean->lean_early_stance_adduction_nm, 0.8 * upright);
  EXPECT_GT(lean_away->lean_early_stance_adduction_nm, 1.2 * upright);
  // Balance needs a centre-of-pressure shift of a few centimetres, not more.
  EXPECT_GT(lean->max_cop_shift_m, 0.01);
  EXPECT_LT(lean->max_cop_shift_m, 0.05);
  // The right hip contact force follows: lower peak leaning toward it, higher leaning away.
  auto peak = [](const Engine& en) {
    auto a = Analyse(en.model, en.prepared, {}, Side::kBoth, "hip_r");
    double p = 0.0;
    for (const auto& f : a->frames) {
      p = std::max(p, f.magnitude_bw);
    }
    return p;
  };
  const double base = peak(**e);
  EXPECT_LT(peak(lean->engine), base - 0.2);
  EXPECT_GT(peak(lean_away->engine), base + 0.2);
  EXPECT_NE(lean->description.find("toward the right"), std::string::npos) << lean->description;
}

TEST(Builtin, SummariseWeaknessRejectsBadInput) {
  EXPECT_FALSE(SummariseWeakness("quads", 0.5));
  EXPECT_FALSE(SummariseWeakness("glute_med", 1.5));
  EXPECT_FALSE(SummariseWeakness("glute_med", -0.1));
}

}  // namespace
}  // namespace hipcoach::model
