#include "model_link.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#ifdef HIPCOACH_HAVE_MODEL
#include "hipcoach/model/summary.hpp"
#endif

namespace hipcoach::cli {
#ifdef HIPCOACH_HAVE_MODEL
namespace {

// Plain names for the model's muscle ids (gait2392 naming), by prefix.
std::string PlainMuscle(const std::string& id) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"glut_max", "gluteus maximus"},
      {"glut_med", "gluteus medius"},
      {"glut_min", "gluteus minimus"},
      {"tfl", "tensor fasciae latae (outer front of the hip)"},
      {"rect_fem", "rectus femoris (front of the thigh)"},
      {"iliacus", "iliopsoas (hip flexor)"},
      {"psoas", "iliopsoas (hip flexor)"},
      {"bifem", "hamstrings"},
      {"semimem", "hamstrings"},
      {"semiten", "hamstrings"},
      {"add_", "adductors (inner thigh)"},
      {"peri", "piriformis"},
      {"gem", "gemelli (deep hip rotators)"},
      {"quad_fem", "quadratus femoris (deep hip rotator)"},
      {"pect", "pectineus (inner thigh)"},
      {"sar", "sartorius"},
      {"grac", "gracilis (inner thigh)"},
      {"med_gas", "calf (gastrocnemius)"},
      {"lat_gas", "calf (gastrocnemius)"},
      {"soleus", "calf (soleus)"},
      {"vas_", "quadriceps (front of the thigh)"},
      {"ercspn", "lower back (erector spinae)"},
      {"intobl", "trunk (obliques)"},
      {"extobl", "trunk (obliques)"}};
  std::string name = id;
  for (const auto& [prefix, plain] : kNames) {
    if (id.rfind(prefix, 0) == 0) {
      name = plain;
      break;
    }
  }
  if (id.size() > 2 && id[id.size() - 2] == '_') {
    const char side = id.back();
    if (side == 'r') name = "right " + name;
    if (side == 'l') name = "left " + name;
  }
  return name;
}

}  // namespace
#endif

std::string ModelNote(const Cause& cause) {
#ifdef HIPCOACH_HAVE_MODEL
  if (cause.model_group.empty()) return {};
  constexpr double kFraction = 0.5;
  auto summary = model::SummariseWeakness(cause.model_group, kFraction);
  if (!summary) return {};
  std::vector<std::string> names;
  for (const auto& compensator : summary->compensators) {
    std::string plain = PlainMuscle(compensator.muscle);
    if (std::find(names.begin(), names.end(), plain) == names.end()) names.push_back(plain);
  }
  std::string takers;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i) {
    takers += (i == 0 ? "" : (i + 1 == std::min<std::size_t>(3, names.size()) ? " and " : ", ")) +
              names[i];
  }
  return fmt::format(
      "What the hip model computes: in a model of normal walking with the {} {:.0f}% weaker, the "
      "peak force through the hip joint goes from {:.2f} to {:.2f} times body weight ({:+.1f}%), "
      "and the muscles that take over most are {}. The model keeps the walking pattern fixed, so "
      "limping or leaning to one side are not included. See 'hipcoach model run --weaken {}=0.5'.\n"
      "{}",
      cause.model_group, kFraction * 100, summary->baseline_peak_bw, summary->peak_bw,
      summary->change_percent, takers.empty() ? "none" : takers, cause.model_group,
      summary->credit);
#else
  (void)cause;
  return {};
#endif
}

}  // namespace hipcoach::cli
