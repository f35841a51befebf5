// Output formats of `hipcoach model` (internal to the CLI library).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/variant.hpp"
#include "hipcoach/model/weakness.hpp"

namespace hipcoach::model::report {

std::string WeakeningLabel(const std::vector<Weakening>& w);
// `lean`: the prescribed trunk lean the weakened run used (nullptr: the measured motion).
std::string RunText(const Engine& e, const Analysis& base, const Analysis& weak,
                    const WeaknessSummary& s, const TrunkLean* lean = nullptr);
std::string RunJson(const Engine& e, const Analysis& base, const Analysis& weak,
                    const WeaknessSummary& s, const TrunkLean* lean = nullptr);
std::string RunCsv(const Engine& e, const Analysis& base, const Analysis& weak,
                   const WeaknessSummary& s);
std::string RunSvg(const Engine& e, const Analysis& base, const Analysis& weak,
                   const WeaknessSummary& s);
// Sweeps show, per weakness level, the peak hip force and its change, the components at the
// peak, the reserve torque and the summaries' compensators (Sweep's n_compensators of them).
std::string SweepText(const Engine& e, const std::string& group, Side side,
                      const std::vector<SweepPoint>& points);
std::string SweepJson(const Engine& e, const std::string& group, Side side,
                      const std::vector<SweepPoint>& points);
std::string SweepCsv(const Engine& e, const std::string& group, Side side,
                     const std::vector<SweepPoint>& points, std::size_t n_compensators);

}  // namespace hipcoach::model::report
