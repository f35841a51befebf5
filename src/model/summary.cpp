#include "hipcoach/model/summary.hpp"

#include <mutex>
#include <utility>

#include "hipcoach/model/engine.hpp"

namespace hipcoach::model {

tl::expected<Engine, std::string> MakeEngine(Dataset dataset) {
  Engine e;
  e.model = dataset.model;
  AddReserveActuators(e.model, kReserveOptimalForce);
  PrepareOptions opt;
  opt.reaction_joints.clear();
  for (const char* j : {"hip_r", "hip_l"}) {
    if (e.model.JointIndex(j) >= 0) {
      opt.reaction_joints.emplace_back(j);
    }
  }
  if (opt.reaction_joints.empty()) {
    return tl::unexpected(std::string("the model has no hip_r or hip_l joint"));
  }
  auto prepared = Prepare(e.model, dataset.trial, opt);
  if (!prepared) {
    return tl::unexpected(prepared.error());
  }
  e.prepared = std::move(*prepared);
  e.dataset = std::move(dataset);
  return e;
}

tl::expected<std::shared_ptr<const Engine>, std::string> BuiltinEngine() {
  static const tl::expected<std::shared_ptr<const Engine>, std::string> kEngine =
      []() -> tl::expected<std::shared_ptr<const Engine>, std::string> {
    auto d = LoadBuiltin();
    if (!d) {
      return tl::unexpected(d.error());
    }
    auto e = MakeEngine(std::move(*d));
    if (!e) {
      return tl::unexpected(e.error());
    }
    return std::make_shared<const Engine>(std::move(*e));
  }();
  return kEngine;
}

std::string EngineCredit(const Engine& engine) { return DatasetCredit(engine.dataset); }

tl::expected<std::vector<SweepPoint>, std::string> Sweep(const Engine& engine,
                                                         const std::string& group, Side side,
                                                         const std::vector<double>& fractions,
                                                         std::size_t n_compensators,
                                                         CompensatorScope scope) {
  const std::string joint = engine.prepared.reaction_joints.front();
  auto baseline = Analyse(engine.model, engine.prepared, {}, side, joint);
  if (!baseline) {
    return tl::unexpected(baseline.error());
  }
  std::vector<SweepPoint> out;
  for (const double f : fractions) {
    auto weak = Analyse(engine.model, engine.prepared, {{group, f}}, side, joint);
    if (!weak) {
      return tl::unexpected(weak.error());
    }
    SweepPoint p{f, Summarise(engine.model, *baseline, *weak, n_compensators, scope)};
    p.summary.credit = EngineCredit(engine);
    out.push_back(std::move(p));
  }
  return out;
}

tl::expected<WeaknessSummary, std::string> SummariseWeakness(std::string_view group,
                                                             double fraction) {
  auto engine = BuiltinEngine();
  if (!engine) {
    return tl::unexpected(engine.error());
  }
  const Engine& e = **engine;
  static std::mutex baseline_mutex;
  static std::shared_ptr<const Analysis> baseline;
  std::shared_ptr<const Analysis> base;
  {
    std::lock_guard<std::mutex> lock(baseline_mutex);
    if (!baseline) {
      auto b = Analyse(e.model, e.prepared, {}, Side::kBoth, "hip_r");
      if (!b) {
        return tl::unexpected(b.error());
      }
      baseline = std::make_shared<const Analysis>(std::move(*b));
    }
    base = baseline;
  }
  auto weak = Analyse(e.model, e.prepared, {{std::string(group), fraction}}, Side::kBoth, "hip_r");
  if (!weak) {
    return tl::unexpected(weak.error());
  }
  // Enough bundles that Interpret finds three distinct plain-named muscles among them.
  constexpr std::size_t kListed = 8;
  WeaknessSummary s = Summarise(e.model, *base, *weak, kListed);
  s.credit = EngineCredit(e);
  return s;
}

}  // namespace hipcoach::model
