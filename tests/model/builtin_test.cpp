#include <gtest/gtest.h>

#include <cmath>

#include "hipcoach/model/dataset.hpp"
#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/summary.hpp"

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

TEST(Builtin, SummariseWeaknessRejectsBadInput) {
  EXPECT_FALSE(SummariseWeakness("quads", 0.5));
  EXPECT_FALSE(SummariseWeakness("glute_med", 1.5));
  EXPECT_FALSE(SummariseWeakness("glute_med", -0.1));
}

}  // namespace
}  // namespace hipcoach::model
