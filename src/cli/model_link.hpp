// What the hip model computes for a cause that names a muscle group (Cause::model_group): the
// link from "weak glutes" in the assessment to the change in hip loading.
#pragma once

#include <string>

#include "hipcoach/knowledge.hpp"

namespace hipcoach::cli {

// A short plain-language paragraph with the computed change, the muscles that take over, the
// model's limits and its credit; empty when the cause has no model group or the build has no model.
std::string ModelNote(const Cause& cause);

}  // namespace hipcoach::cli
