#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "hipcoach/model/mechanics.hpp"
#include "hipcoach/model/model.hpp"
#include "hipcoach/model/trial.hpp"

namespace hipcoach::model {
namespace {

TEST(SimmSpline, InterpolatesKnotsAndExtrapolatesLinearly) {
  const std::vector<double> x = {0.0, 1.0, 2.0, 3.0, 4.5};
  const std::vector<double> y = {0.0, 1.0, 0.5, 2.0, 1.0};
  const Function f = MakeSimmSpline(x, y, 2.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(f.Eval(x[i]), 2.0 * y[i], 1e-12);
  }
  // Beyond the ends the value continues along the end slope.
  const double slope = (f.Eval(4.5) - f.Eval(4.5 - 1e-6)) / 1e-6;
  EXPECT_NEAR(f.Eval(5.5), f.Eval(4.5) + slope, 1e-4);
}

TEST(SimmSpline, ReproducesACubic) {
  // The FMM end conditions make the spline exact for cubic data.
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 0; i < 7; ++i) {
    x.push_back(0.3 * i);
    y.push_back(std::pow(0.3 * i, 3) - 2.0 * 0.3 * i);
  }
  const Function f = MakeSimmSpline(x, y);
  EXPECT_NEAR(f.Eval(0.75), std::pow(0.75, 3) - 1.5, 1e-12);
}

TEST(SimmSpline, FewerThanFourPointsIsAStraightLine) {
  const Function f = MakeSimmSpline({0.0, 2.0}, {1.0, 3.0});
  EXPECT_NEAR(f.Eval(1.0), 2.0, 1e-12);
  EXPECT_NEAR(f.Eval(-1.0), 0.0, 1e-12);
}

TEST(CubicSpline, DifferentiatesAQuadraticExactly) {
  std::vector<double> t;
  std::vector<double> y;
  for (int i = 0; i < 40; ++i) {
    t.push_back(0.01 * i);
    y.push_back(3.0 * t.back() * t.back() - t.back() + 0.5);
  }
  const CubicSpline s(t, y);
  for (const double at : {0.0, 0.123, 0.2, 0.39}) {
    EXPECT_NEAR(s.Derivative(at, 1), 6.0 * at - 1.0, 1e-9);
    EXPECT_NEAR(s.Derivative(at, 2), 6.0, 1e-7);
  }
}

TEST(LowpassIir, KeepsSlowSignalsAndRemovesFastOnes) {
  std::vector<double> slow;
  std::vector<double> fast;
  const double dt = 0.001;
  for (int i = 0; i < 2000; ++i) {
    slow.push_back(1.0 + std::sin(2 * std::numbers::pi * 1.0 * i * dt));
    fast.push_back(std::sin(2 * std::numbers::pi * 60.0 * i * dt));
  }
  const auto fs = LowpassIir(slow, dt, 6.0, true);
  const auto ff = LowpassIir(fast, dt, 6.0, true);
  for (std::size_t i = 0; i < slow.size(); i += 100) {
    EXPECT_NEAR(fs[i], slow[i], 0.01) << i;
  }
  for (std::size_t i = 200; i < 1800; i += 100) {
    EXPECT_LT(std::abs(ff[i]), 0.01) << i;
  }
}

// A pendulum: one body on a pin about ground z, centre of mass 0.5 m below the pin.
Model Pendulum() {
  Model m;
  m.name = "pendulum";
  Body b;
  b.name = "rod";
  b.mass = 2.0;
  b.com = {0.0, -0.5, 0.0};
  b.inertia = {0.1, 0.1, 0.1, 0, 0, 0};
  b.joint = 0;
  m.bodies.push_back(b);
  Coordinate c;
  c.name = "angle";
  c.joint = 0;
  m.coordinates.push_back(c);
  Joint j;
  j.name = "pin";
  j.parent_body = -1;
  j.child_body = 0;
  j.parent_translation = {0.0, 1.0, 0.0};
  j.axes[0] = {0, {0, 0, 1}, MakeLinear(1.0, 0.0)};
  j.axes[1] = {-1, {1, 0, 0}, MakeConstant(0.0)};
  j.axes[2] = {-1, {0, 1, 0}, MakeConstant(0.0)};
  j.axes[3] = {-1, {1, 0, 0}, MakeConstant(0.0)};
  j.axes[4] = {-1, {0, 1, 0}, MakeConstant(0.0)};
  j.axes[5] = {-1, {0, 0, 1}, MakeConstant(0.0)};
  m.joints.push_back(j);
  Muscle mu;
  mu.name = "string";
  PathPoint p0;
  p0.body = 0;
  p0.location = {0.0, -1.0, 0.0};
  PathPoint p1 = p0;
  p1.location = {0.2, -1.0, 0.0};
  mu.path = {p0, p1};
  m.muscles.push_back(mu);
  return m;
}

TEST(Mechanics, PendulumKinematics) {
  const Model m = Pendulum();
  const auto poses = BodyPoses(m, {std::numbers::pi / 2});
  const Vec3 tip = PointInGround(poses[0], {0.0, -1.0, 0.0});
  EXPECT_NEAR(tip[0], 1.0, 1e-12);  // rotated +90 degrees about z: -y goes to +x
  EXPECT_NEAR(tip[1], 1.0, 1e-12);
  const Vec3 back = PointInBody(poses[0], tip);
  EXPECT_NEAR(back[1], -1.0, 1e-12);
  EXPECT_NEAR(MuscleLength(m, 0, {0.3}), 0.2, 1e-12);
}

TEST(Mechanics, PendulumInverseDynamics) {
  const Model m = Pendulum();
  Trial t;
  TrialFrame f;
  f.q = {0.4};
  f.qd = {1.5};
  f.qdd = {-2.0};
  // A 10 N horizontal pull at the tip.
  const auto poses = BodyPoses(m, f.q);
  f.loads.push_back({0, {10.0, 0.0, 0.0}, PointInGround(poses[0], {0.0, -1.0, 0.0}), {}});
  t.frames.push_back(f);
  PrepareOptions opt;
  opt.reaction_joints = {"pin"};
  auto p = Prepare(m, t, opt);
  ASSERT_TRUE(p) << p.error();
  const double g = 9.80665;
  const double inertia_about_pin = 0.1 + 2.0 * 0.25;
  const double expected =
      inertia_about_pin * -2.0 + 2.0 * g * 0.5 * std::sin(0.4) - 10.0 * 1.0 * std::cos(0.4);
  EXPECT_NEAR(p->frames[0].tau[0], expected, 1e-5);
}

TEST(Thelen, CapacityAtOptimalLengthIsometric) {
  Muscle mu;
  mu.optimal_fiber_length = 0.1;
  mu.tendon_slack_length = 0.2;
  mu.pennation_angle = 0.0;
  EXPECT_NEAR(ThelenCapacityPerFmax(mu, 0.3, 0.0), 1.0, 1e-12);
  // Shortening lowers the force, lengthening raises it towards Flen.
  EXPECT_LT(ThelenCapacityPerFmax(mu, 0.3, -0.2), 0.9);
  EXPECT_GT(ThelenCapacityPerFmax(mu, 0.3, 0.2), 1.1);
  EXPECT_LT(ThelenCapacityPerFmax(mu, 0.3, 0.5), 1.8);
  // Slack muscle-tendon: no force.
  EXPECT_EQ(ThelenCapacityPerFmax(mu, 0.19, 0.0), 0.0);
}

}  // namespace
}  // namespace hipcoach::model
