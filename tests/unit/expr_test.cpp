#include "hipcoach/expr.hpp"

#include <gtest/gtest.h>

namespace hipcoach {
namespace {

Expr Leaf(int index) {
  Expr e;
  e.kind = Expr::Kind::kFinding;
  e.index = index;
  return e;
}

Expr Node(Expr::Kind kind, std::vector<Expr> children) {
  Expr e;
  e.kind = kind;
  e.children = std::move(children);
  return e;
}

Tri Eval(const Expr& e, Tri a, Tri b) {
  auto finding = [&](int i) { return i == 0 ? a : b; };
  auto cause = [](int) { return Tri::kFalse; };
  return Evaluate(e, finding, cause);
}

constexpr Tri T = Tri::kTrue;
constexpr Tri F = Tri::kFalse;
constexpr Tri U = Tri::kUnknown;

TEST(Expr, AllFollowsKleeneLogic) {
  const Expr all = Node(Expr::Kind::kAll, {Leaf(0), Leaf(1)});
  EXPECT_EQ(Eval(all, T, T), T);
  EXPECT_EQ(Eval(all, T, F), F);
  EXPECT_EQ(Eval(all, U, F), F);  // one false decides, whatever is unknown
  EXPECT_EQ(Eval(all, T, U), U);
  EXPECT_EQ(Eval(all, U, U), U);
}

TEST(Expr, AnyFollowsKleeneLogic) {
  const Expr any = Node(Expr::Kind::kAny, {Leaf(0), Leaf(1)});
  EXPECT_EQ(Eval(any, F, F), F);
  EXPECT_EQ(Eval(any, F, T), T);
  EXPECT_EQ(Eval(any, U, T), T);  // one true decides
  EXPECT_EQ(Eval(any, F, U), U);
}

TEST(Expr, NotSwapsKnownValuesAndKeepsUnknown) {
  const Expr negated = Node(Expr::Kind::kNot, {Leaf(0)});
  EXPECT_EQ(Eval(negated, T, F), F);
  EXPECT_EQ(Eval(negated, F, F), T);
  EXPECT_EQ(Eval(negated, U, F), U);
}

TEST(Expr, CollectFindingsWalksTheTree) {
  const Expr tree = Node(Expr::Kind::kAll, {Leaf(3), Node(Expr::Kind::kNot, {Leaf(7)})});
  std::vector<int> found;
  CollectFindings(tree, found);
  EXPECT_EQ(found, (std::vector<int>{3, 7}));
}

}  // namespace
}  // namespace hipcoach
