#include "hipcoach/model/interpret.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace hipcoach::model {

namespace {

// An activation at or above this (fraction of the muscle's maximum) reads "close to its limit".
constexpr double kNearLimit = 0.8;
// A muscle whose mean activation rose by less than this is not named as working harder.
constexpr double kMinActivationRise = 0.01;
// A change of the peak below this (percent) reads "slightly".
constexpr double kSlightPercent = 10.0;
// Reserve torque above this (N m) means the muscles left could not produce the measured walk
// (at full strength the reserves carry at most 0.6 N m).
constexpr double kReserveNoticeNm = 5.0;

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  }
  return s;
}

std::string Percent(double fraction) { return fmt::format("{:.0f}%", 100.0 * fraction); }

std::string JoinNames(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : (i + 1 == items.size() ? " and " : ", ")) + items[i];
  }
  return out;
}

// "the glutes 50% weaker and the trunk held leaning ..." (`article`: with the articles, for a
// sentence; without, for a title).
std::string WeakeningText(const WeaknessSummary& s, std::string_view motion, bool article) {
  const std::string the = article ? "the " : "";
  std::vector<std::string> parts;
  for (const auto& w : s.weakening) {
    parts.push_back(
        fmt::format("{}{} {} weaker", the, PlainGroupName(w.group), Percent(w.fraction)));
  }
  if (!motion.empty()) {
    parts.push_back(the + std::string(motion));
  }
  return parts.empty() ? "muscles at normal strength" : JoinNames(parts);
}

}  // namespace

ForceDirection DirectionOf(const WeaknessSummary& summary) {
  if (std::abs(summary.change_percent) < kAboutTheSamePercent) {
    return ForceDirection::kAboutTheSame;
  }
  return summary.change_bw < 0 ? ForceDirection::kLower : ForceDirection::kHigher;
}

const char* DirectionWord(ForceDirection direction) {
  switch (direction) {
    case ForceDirection::kLower:
      return "lower";
    case ForceDirection::kHigher:
      return "higher";
    case ForceDirection::kAboutTheSame:
      break;
  }
  return "about the same";
}

std::string PlainMuscleName(std::string_view id) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"glut_max", "gluteus maximus"},
      {"glut_med", "gluteus medius"},
      {"glut_min", "gluteus minimus"},
      {"tfl", "tensor fasciae latae (TFL)"},
      {"peri", "piriformis"},
      {"gem", "gemelli (deep hip rotators)"},
      {"quad_fem", "quadratus femoris (deep hip rotator)"},
      {"add_", "adductors (inner thigh)"},
      {"pect", "pectineus (inner thigh)"},
      {"grac", "gracilis (inner thigh)"},
      {"sar", "sartorius (front of the thigh)"},
      {"iliacus", "iliopsoas (hip flexor)"},
      {"psoas", "iliopsoas (hip flexor)"},
      {"rect_fem", "rectus femoris (front of the thigh)"},
      {"semimem", "hamstrings"},
      {"semiten", "hamstrings"},
      {"bifem", "hamstrings"},
      {"vas_", "quadriceps (front of the thigh)"},
      {"med_gas", "calf (gastrocnemius)"},
      {"lat_gas", "calf (gastrocnemius)"},
      {"soleus", "calf (soleus)"},
      {"tib_", "shin muscles"},
      {"per_", "peroneal muscles (outer shin)"},
      {"flex_", "toe flexors"},
      {"ext_", "toe extensors"},
      {"ercspn", "lower back (erector spinae)"},
      {"intobl", "trunk (obliques)"},
      {"extobl", "trunk (obliques)"}};
  for (const auto& [prefix, plain] : kNames) {
    if (id.substr(0, std::string_view(prefix).size()) == prefix) {
      return plain;
    }
  }
  return std::string(id);
}

std::string PlainGroupName(std::string_view group) {
  if (group == "glute_max") {
    return "gluteus maximus";
  }
  if (group == "glute_med") {
    return "gluteus medius";
  }
  if (group == "glute_min") {
    return "gluteus minimus";
  }
  if (group == "glutes") {
    return "glutes";
  }
  if (group == "hip_abductors") {
    return "hip abductors (gluteus medius and minimus, TFL)";
  }
  return std::string(group);
}

const std::vector<std::string>& ModelCannotShow() {
  static const std::vector<std::string> kItems = {
      "Pain: it computes forces, not what you feel.",
      "Pressure on the tendons at the bony point on the side of the hip (the greater trochanter), "
      "where gluteal tendinopathy hurts: only the force inside the joint is computed.",
      "Your own body and walk: it is one generic adult and one measured step of level walking, "
      "not stairs, running or standing on one leg.",
      "A changed way of walking: the movement is held fixed, so limping or leaning to one side "
      "cannot appear by themselves.",
      "Fatigue: the muscles never tire, however long the walk.",
      "Exact sizes: models like this one overestimate the force measured in real hips (about 3.7 "
      "against about 2.4 times body weight), so trust the direction more than the numbers."};
  return kItems;
}

Interpretation Interpret(const WeaknessSummary& s, std::size_t n_muscles, std::string_view motion) {
  Interpretation in;
  in.direction = DirectionOf(s);
  in.direction_word = DirectionWord(in.direction);
  const double pct = std::abs(s.change_percent);
  const std::string amount = in.direction == ForceDirection::kAboutTheSame ? std::string()
                             : pct < kSlightPercent                        ? "slightly "
                                                                           : "";
  const std::string weakening = WeakeningText(s, motion, true);
  const std::string baseline =
      motion.empty() ? "at normal strength" : "at normal strength walking upright";

  for (const auto& c : s.working_harder) {
    if (c.activation_rise < kMinActivationRise) {
      break;  // ranked: the rest rose less
    }
    const std::string name = PlainMuscleName(c.muscle);
    auto it = std::find_if(in.working_harder.begin(), in.working_harder.end(),
                           [&](const HarderMuscle& m) { return m.name == name; });
    if (it == in.working_harder.end()) {
      if (in.working_harder.size() == n_muscles) {
        continue;
      }
      in.working_harder.push_back({name, {}, c.activation_rise, 0.0, 0.0, 0.0});
      it = in.working_harder.end() - 1;
    }
    it->muscles.push_back(c.muscle);
    it->activation_rise = std::max(it->activation_rise, c.activation_rise);
    it->baseline_peak_activation =
        std::max(it->baseline_peak_activation, c.baseline_peak_activation);
    it->peak_activation = std::max(it->peak_activation, c.weak_peak_activation);
    it->increase_n += c.increase_n;
  }

  in.title = fmt::format("{}: {} peak hip force in walking{}",
                         Capitalised(WeakeningText(s, motion, false)), amount + in.direction_word,
                         in.working_harder.empty() ? std::string() : ", other muscles work harder");
  if (in.direction == ForceDirection::kAboutTheSame) {
    in.headline = fmt::format(
        "In this model of walking, with {}, the peak force through the hip stays about the "
        "same: {:.2f} times body weight, against {:.2f} {}.",
        weakening, s.peak_bw, s.baseline_peak_bw, baseline);
  } else {
    in.headline = fmt::format(
        "In this model of walking, with {}, the peak force through the hip is {:.0f}% {}: "
        "{:.2f} times body weight, against {:.2f} {}.",
        weakening, pct, in.direction_word, s.peak_bw, s.baseline_peak_bw, baseline);
  }
  if (!motion.empty()) {
    // The change mixes the imposed motion with any weakness: no single mechanism to name.
  } else if (in.direction == ForceDirection::kLower) {
    in.headline +=
        " The walk and the ground forces are the same, so the fall comes from the muscles: the "
        "weakened ones pull less across the joint, and those that take over do not make up the "
        "difference.";
  } else if (in.direction == ForceDirection::kHigher) {
    in.headline +=
        " The walk and the ground forces are the same, so the rise comes from the muscles that "
        "take over: together they press the joint together more than the weakened ones did.";
  }

  if (in.working_harder.empty()) {
    in.muscles = "No other muscle around the hip works noticeably harder.";
  } else {
    std::vector<std::string> parts;
    bool near_limit = false;
    for (const auto& m : in.working_harder) {
      parts.push_back(fmt::format("{}, up to {} of its maximum ({} at normal strength)", m.name,
                                  Percent(m.peak_activation), Percent(m.baseline_peak_activation)));
      near_limit = near_limit || m.peak_activation >= kNearLimit;
    }
    std::string list;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      list += (i == 0 ? "" : (i + 1 == parts.size() ? "; and " : "; ")) + parts[i];
    }
    in.muscles = fmt::format("The muscles that work harder in their place, most first: {}.{}", list,
                             near_limit ? " Some of them work close to the most they can do." : "");
  }
  if (s.peak_reserve_nm > kReserveNoticeNm) {
    in.reserve = fmt::format(
        "At some moments of the step the muscles left cannot fully produce this walk: the model "
        "has to add up to {:.0f} N m of turning force that no muscle provides. A real person "
        "would limp or lean instead.",
        s.peak_reserve_nm);
  }
  in.cannot_show = ModelCannotShow();
  return in;
}

}  // namespace hipcoach::model
