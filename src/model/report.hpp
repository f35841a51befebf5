// Output formats of `hipcoach model` (internal to the CLI library).
#pragma once

#include <string>
#include <vector>

#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/weakness.hpp"

namespace hipcoach::model::report {

std::string WeakeningLabel(const std::vector<Weakening>& w);
std::string RunText(const Engine& e, const Analysis& base, const Analysis& weak,
                    const WeaknessSummary& s);
std::string RunJson(const Engine& e, const Analysis& base, const Analysis& weak,
                    const WeaknessSummary& s);
std::string RunCsv(const Engine& e, const Analysis& base, const Analysis& weak);
std::string RunSvg(const Engine& e, const Analysis& base, const Analysis& weak,
                   const WeaknessSummary& s);
std::string SweepText(const std::string& group, const std::vector<SweepPoint>& points);
std::string SweepJson(const std::string& group, const std::vector<SweepPoint>& points);
std::string SweepCsv(const std::string& group, const std::vector<SweepPoint>& points);

}  // namespace hipcoach::model::report
