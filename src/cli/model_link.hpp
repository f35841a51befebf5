// What the hip model computes for a cause that names a muscle group (Cause::model_group): the
// link from "weak glutes" in the assessment to the change in hip loading.
#pragma once

#include <string>

#include "hipcoach/knowledge.hpp"

namespace hipcoach::cli {

// The model's plain-words reading (model::Interpret) of the cause's group 50% weaker: the computed
// change, the muscles that work harder, what the model cannot show and its credit; empty when the
// cause has no model group or the build has no model. The first line is the headline.
std::string ModelNote(const Cause& cause);

}  // namespace hipcoach::cli
