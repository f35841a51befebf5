// What the assessment asks of the hip model: how a weaker muscle group changes hip loading in
// walking, computed with the built-in gait2392 model (weakness applied to both sides, right hip
// reported). The summary's `credit` must be shown with the numbers.
#pragma once

#include <string>
#include <string_view>

#include "hipcoach/model/weakness.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

// `group`: glute_max, glute_med, glute_min, glutes, hip_abductors. `fraction`: 0..1 weaker
// (0.5 = half the normal maximum force). Thread-safe; the first call prepares the model (tens of
// milliseconds), later calls cost one static-optimisation run (a few milliseconds). Lists up to
// eight compensators and eight muscles working harder; Interpret turns it into plain words.
tl::expected<WeaknessSummary, std::string> SummariseWeakness(std::string_view group,
                                                             double fraction);

}  // namespace hipcoach::model
