#include "hipcoach/inference.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "fixture.hpp"

namespace hipcoach {
namespace {

using testing::Fixture;

double PosteriorOf(const KnowledgeBase& kb, const std::vector<double>& p, std::string_view id) {
  return p[static_cast<std::size_t>(kb.CauseIndex(id))];
}

TEST(Posteriors, NoAnswersGiveThePriors) {
  const KnowledgeBase& kb = Fixture();
  const auto p = Posteriors(kb, DeriveFindings(kb, {}).findings);
  EXPECT_NEAR(PosteriorOf(kb, p, "gluteal_tendinopathy"), 0.2, 1e-9);
  EXPECT_NEAR(PosteriorOf(kb, p, "hip_fracture"), 0.001, 1e-9);
}

TEST(Posteriors, PresentFindingMultipliesOddsByLrPlusAbsentByLrMinus) {
  const KnowledgeBase& kb = Fixture();
  // Prior 0.2 = odds 0.25; lateral pain LR+ 4 -> odds 1 -> 0.5; groin absent LR- 1.2 -> 1.2.
  auto p = Posteriors(
      kb, DeriveFindings(kb, {{"pain_site", AnswerValue::Choices({"lateral_hip"})}}).findings);
  EXPECT_NEAR(PosteriorOf(kb, p, "gluteal_tendinopathy"), 1.2 / 2.2, 1e-9);
  // Osteoarthritis: groin absent, LR- 0.5: odds 0.125 -> 1/9.
  EXPECT_NEAR(PosteriorOf(kb, p, "hip_osteoarthritis"), 0.125 / 1.125, 1e-9);
}

TEST(Posteriors, NotSureChangesNothing) {
  const KnowledgeBase& kb = Fixture();
  auto p = Posteriors(kb, DeriveFindings(kb, {{"pain_site", AnswerValue::Unknown()}}).findings);
  EXPECT_NEAR(PosteriorOf(kb, p, "gluteal_tendinopathy"), 0.2, 1e-9);
}

TEST(RankCauses, OrdersByProbabilityAndExplainsForAndAgainst) {
  const KnowledgeBase& kb = Fixture();
  const auto ranked =
      RankCauses(kb, DeriveFindings(kb, {{"pain_site", AnswerValue::Choices({"groin"})}}).findings);
  ASSERT_GE(ranked.size(), 2U);
  EXPECT_EQ(kb.causes[static_cast<std::size_t>(ranked[0].cause)].id, "hip_osteoarthritis");
  for (std::size_t i = 1; i < ranked.size(); ++i) {
    EXPECT_GE(ranked[i - 1].probability, ranked[i].probability);
  }
  // Gluteal tendinopathy: groin pain (LR+ 0.5) against, and no lateral pain (LR- 0.25) against;
  // the stronger one first.
  const RankedCause* gt = nullptr;
  for (const auto& r : ranked) {
    if (kb.causes[static_cast<std::size_t>(r.cause)].id == "gluteal_tendinopathy") gt = &r;
  }
  ASSERT_NE(gt, nullptr);
  ASSERT_EQ(gt->evidence.size(), 2U);
  EXPECT_EQ(gt->evidence[0].finding, "lateral_pain");
  EXPECT_FALSE(gt->evidence[0].supports);
  EXPECT_EQ(gt->evidence[0].text,
            "You did not report pain on the outer hip, which makes this less likely.");
  EXPECT_EQ(gt->evidence[1].text, "You reported groin pain, which makes this less likely.");
}

TEST(InformationGain, IsZeroForKnownFindingsAndPositiveForUseful) {
  const KnowledgeBase& kb = Fixture();
  const auto state = DeriveFindings(kb, {});
  const auto p = Posteriors(kb, state.findings);
  const double site = ExpectedInformationGain(kb, *kb.FindQuestion("pain_site"), state.findings, p);
  const double sitting =
      ExpectedInformationGain(kb, *kb.FindQuestion("sitting"), state.findings, p);
  EXPECT_GT(site, 0.0);
  EXPECT_GT(sitting, 0.0);
  // The site question separates two causes strongly; sitting only one, weakly.
  EXPECT_GT(site, sitting);
  const auto answered = DeriveFindings(kb, {{"pain_site", AnswerValue::Choices({"groin"})}});
  EXPECT_DOUBLE_EQ(ExpectedInformationGain(kb, *kb.FindQuestion("pain_site"), answered.findings,
                                           Posteriors(kb, answered.findings)),
                   0.0);
}

TEST(Uncertainty, IsTheSumOfBinaryEntropies) {
  EXPECT_DOUBLE_EQ(Uncertainty({0.5, 0.5}), 2.0);
  EXPECT_DOUBLE_EQ(Uncertainty({0.0, 1.0}), 0.0);
}

}  // namespace
}  // namespace hipcoach
