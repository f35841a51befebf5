// What a weakness run shows, in plain words generated from the computed numbers: whether the peak
// hip force went up or down, which muscles work harder in place of the weakened ones and how
// close to their limit, and what the model cannot show. Every front end (explain, the web page,
// the API) shows this text rather than writing its own, so the words follow the numbers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/model/weakness.hpp"

namespace hipcoach::model {

enum class ForceDirection { kLower, kHigher, kAboutTheSame };

// A change of the peak smaller than this (percent of the baseline peak) reads "about the same".
inline constexpr double kAboutTheSamePercent = 1.0;

ForceDirection DirectionOf(const WeaknessSummary& summary);
// "lower", "higher", "about the same".
const char* DirectionWord(ForceDirection direction);

// Plain name of a model muscle id (gait2392 naming, side suffix dropped), e.g. tfl_r ->
// "tensor fasciae latae (TFL)", glut_min2_r -> "gluteus minimus"; unknown ids come back as they
// are.
std::string PlainMuscleName(std::string_view id);
// Plain name of a weakness group: glutes -> "glutes", glute_med -> "gluteus medius", ...
std::string PlainGroupName(std::string_view group);

// One plain-named muscle that works harder (bundles with the same plain name merged).
struct HarderMuscle {
  std::string name;                  // plain name
  std::vector<std::string> muscles;  // the model's ids merged under it
  double activation_rise = 0.0;      // largest rise of mean activation among its bundles
  double baseline_peak_activation = 0.0;
  double peak_activation = 0.0;  // largest activation over the cycle in the weakened run
  double increase_n = 0.0;       // sum of the bundles' mean force rises, N
};

struct Interpretation {
  ForceDirection direction = ForceDirection::kAboutTheSame;
  std::string direction_word;  // DirectionWord(direction)
  std::string title;           // short, e.g. "Glutes 50% weaker: lower hip force, ..."
  std::string headline;        // the force change with its numbers
  // At most `n_muscles`, largest activation rise first; rises under 0.01 are left out.
  std::vector<HarderMuscle> working_harder;
  std::string muscles;  // a sentence naming them with their activations
  std::string reserve;  // when the muscles left could not produce the walk; else empty
  std::vector<std::string> cannot_show;  // what the model cannot show, short items
};

// `motion`: the prescribed motion variant of the weakened run (e.g. "trunk held leaning 10 deg
// toward the right side"), compared with the measured upright motion; empty for the measured one.
Interpretation Interpret(const WeaknessSummary& summary, std::size_t n_muscles = 3,
                         std::string_view motion = {});

// The short list of what the model cannot show (also in Interpretation::cannot_show).
const std::vector<std::string>& ModelCannotShow();

}  // namespace hipcoach::model
