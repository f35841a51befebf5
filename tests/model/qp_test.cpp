#include <gtest/gtest.h>

#include <vector>

#include "hipcoach/model/mechanics.hpp"

namespace hipcoach::model {
namespace {

TEST(MinNormQp, EqualSplitWithoutActiveBounds) {
  const auto s = SolveMinNormQp({1.0, 1.0}, 1, 2, {1.0}, {0.0, 0.0}, {1.0, 1.0});
  ASSERT_TRUE(s.converged);
  EXPECT_NEAR(s.x[0], 0.5, 1e-9);
  EXPECT_NEAR(s.x[1], 0.5, 1e-9);
}

TEST(MinNormQp, UpperBoundShiftsTheLoad) {
  const auto s = SolveMinNormQp({1.0, 1.0}, 1, 2, {1.0}, {0.0, 0.0}, {1.0, 0.2});
  ASSERT_TRUE(s.converged);
  EXPECT_NEAR(s.x[0], 0.8, 1e-9);
  EXPECT_NEAR(s.x[1], 0.2, 1e-9);
}

TEST(MinNormQp, LowerBoundsAndWeightedColumns) {
  // 2 x0 + x1 - x2 = 1 with x >= 0.01: KKT gives x = clamp(A' l).
  const auto s = SolveMinNormQp({2.0, 1.0, -1.0}, 1, 3, {1.0}, {0.01, 0.01, 0.01}, {1.0, 1.0, 1.0});
  ASSERT_TRUE(s.converged);
  EXPECT_NEAR(s.x[2], 0.01, 1e-12);
  EXPECT_NEAR(2 * s.x[0] + s.x[1] - s.x[2], 1.0, 1e-9);
  EXPECT_NEAR(s.x[0], 2.0 * s.x[1], 1e-9);
}

TEST(MinNormQp, ReportsInfeasibleProblems) {
  const auto s = SolveMinNormQp({1.0, 1.0}, 1, 2, {5.0}, {0.0, 0.0}, {1.0, 1.0}, 50);
  EXPECT_FALSE(s.converged);
  EXPECT_GT(s.max_violation, 1.0);
}

TEST(MinNormQp, TwoConstraints) {
  // x0 + x1 = 1, x1 + x2 = 1, unbounded: minimum norm solution (1/3, 2/3, 1/3).
  const double inf = 1e30;
  const auto s =
      SolveMinNormQp({1, 1, 0, 0, 1, 1}, 2, 3, {1.0, 1.0}, {-inf, -inf, -inf}, {inf, inf, inf});
  ASSERT_TRUE(s.converged);
  EXPECT_NEAR(s.x[0], 1.0 / 3, 1e-9);
  EXPECT_NEAR(s.x[1], 2.0 / 3, 1e-9);
}

}  // namespace
}  // namespace hipcoach::model
