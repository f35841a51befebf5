#include "hipcoach/model/weakness.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace hipcoach::model {

namespace {

struct GroupDef {
  const char* name;
  std::vector<const char*> muscles;  // base names without the side suffix
};

const std::vector<GroupDef>& Groups() {
  static const std::vector<GroupDef> kGroups = {
      {"glute_max", {"glut_max1", "glut_max2", "glut_max3"}},
      {"glute_med", {"glut_med1", "glut_med2", "glut_med3"}},
      {"glute_min", {"glut_min1", "glut_min2", "glut_min3"}},
      {"glutes",
       {"glut_max1", "glut_max2", "glut_max3", "glut_med1", "glut_med2", "glut_med3", "glut_min1",
        "glut_min2", "glut_min3"}},
      {"hip_abductors",
       {"glut_med1", "glut_med2", "glut_med3", "glut_min1", "glut_min2", "glut_min3", "tfl"}},
  };
  return kGroups;
}

}  // namespace

const std::vector<std::string>& WeaknessGroupNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> n;
    for (const auto& g : Groups()) {
      n.emplace_back(g.name);
    }
    return n;
  }();
  return kNames;
}

tl::expected<std::vector<int>, std::string> GroupMuscles(const Model& model, std::string_view group,
                                                         Side side) {
  for (const auto& g : Groups()) {
    if (group != g.name) {
      continue;
    }
    std::vector<int> out;
    for (const char* base : g.muscles) {
      for (const char* suffix : {"_r", "_l"}) {
        const bool want = side == Side::kBoth || (side == Side::kRight && suffix[1] == 'r') ||
                          (side == Side::kLeft && suffix[1] == 'l');
        if (!want) {
          continue;
        }
        const std::string name = std::string(base) + suffix;
        const int m = model.MuscleIndex(name);
        if (m < 0) {
          return tl::unexpected("the model has no muscle '" + name + "' (group " +
                                std::string(group) + ")");
        }
        out.push_back(m);
      }
    }
    return out;
  }
  std::string known;
  for (const auto& n : WeaknessGroupNames()) {
    known += (known.empty() ? "" : ", ") + n;
  }
  return tl::unexpected("unknown muscle group '" + std::string(group) + "' (known: " + known + ")");
}

tl::expected<std::vector<double>, std::string> StrengthFactors(const Model& model,
                                                               const std::vector<Weakening>& w,
                                                               Side side) {
  std::vector<double> s(model.muscles.size(), 1.0);
  for (const auto& wk : w) {
    if (!(wk.fraction >= 0.0 && wk.fraction <= 1.0)) {
      return tl::unexpected("weakness fraction for " + wk.group + " must be between 0 and 1");
    }
    auto members = GroupMuscles(model, wk.group, side);
    if (!members) {
      return tl::unexpected(members.error());
    }
    for (const int m : *members) {
      s[static_cast<std::size_t>(m)] *= 1.0 - wk.fraction;
    }
  }
  return s;
}

std::vector<int> JointCrossingMuscles(const Model& model, const PreparedTrial& prepared,
                                      std::string_view joint, double min_moment_arm_m) {
  const int ji = model.JointIndex(joint);
  std::vector<int> out;
  if (ji < 0) {
    return out;
  }
  std::vector<std::size_t> coords;
  for (std::size_t j = 0; j < model.coordinates.size(); ++j) {
    if (model.coordinates[j].joint == ji) {
      coords.push_back(j);
    }
  }
  const std::size_t nq = prepared.n_coordinates;
  for (std::size_t m = 0; m < prepared.n_muscles; ++m) {
    bool crosses = false;
    for (const auto& f : prepared.frames) {
      for (const std::size_t j : coords) {
        crosses = crosses || std::abs(f.moment_arm[m * nq + j]) >= min_moment_arm_m;
      }
      if (crosses) {
        break;
      }
    }
    if (crosses) {
      out.push_back(static_cast<int>(m));
    }
  }
  return out;
}

std::string JointLabel(std::string_view joint) {
  if (joint == "hip_r") {
    return "right hip";
  }
  if (joint == "hip_l") {
    return "left hip";
  }
  return std::string(joint);
}

tl::expected<Analysis, std::string> Analyse(const Model& model, const PreparedTrial& prepared,
                                            const std::vector<Weakening>& weakening, Side side,
                                            const std::string& joint) {
  const auto it =
      std::find(prepared.reaction_joints.begin(), prepared.reaction_joints.end(), joint);
  if (it == prepared.reaction_joints.end()) {
    return tl::unexpected("joint '" + joint + "' was not prepared for reaction loads");
  }
  const auto r = static_cast<std::size_t>(it - prepared.reaction_joints.begin());
  auto strength = StrengthFactors(model, weakening, side);
  if (!strength) {
    return tl::unexpected(strength.error());
  }
  Analysis a;
  a.weakening = weakening;
  a.joint = joint;
  a.body_weight_n = prepared.body_weight;
  SoOptions opt;
  opt.strength = std::move(*strength);
  a.so = SolveStaticOptimization(model, prepared, opt);
  a.joint_muscles = JointCrossingMuscles(model, prepared, joint);
  const bool left = !joint.empty() && joint.back() == 'l';
  const double bw = prepared.body_weight;
  const double t0 = a.so.frames.empty() ? 0.0 : a.so.frames.front().time;
  const double t1 = a.so.frames.empty() ? 1.0 : a.so.frames.back().time;
  for (const auto& f : a.so.frames) {
    HipLoadFrame h;
    h.time = f.time;
    h.cycle_percent = t1 > t0 ? 100.0 * (f.time - t0) / (t1 - t0) : 0.0;
    const Vec3& on_femur = f.reaction[r];
    const Vec3 contact{-on_femur[0], -on_femur[1], -on_femur[2]};
    h.magnitude_bw =
        std::sqrt(contact[0] * contact[0] + contact[1] * contact[1] + contact[2] * contact[2]) / bw;
    h.anterior_bw = contact[0] / bw;
    h.superior_bw = contact[1] / bw;
    h.medial_bw = (left ? contact[2] : -contact[2]) / bw;
    for (std::size_t k = 0; k < model.actuators.size(); ++k) {
      if (model.actuators[k].kind == Actuator::Kind::kCoordinate) {
        h.reserve_nm += std::abs(f.actuator_force[k]);
      }
    }
    h.converged = f.converged;
    a.frames.push_back(h);
  }
  return a;
}

WeaknessSummary Summarise(const Model& model, const Analysis& baseline, const Analysis& weak,
                          std::size_t n_compensators, CompensatorScope scope) {
  WeaknessSummary s;
  s.weakening = weak.weakening;
  s.joint = weak.joint;
  s.compensator_scope = scope;
  s.credit = ModelCredit(model);
  auto peak_index = [](const Analysis& a) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < a.frames.size(); ++i) {
      if (a.frames[i].magnitude_bw > a.frames[best].magnitude_bw) {
        best = i;
      }
    }
    return best;
  };
  if (weak.frames.empty() || baseline.frames.size() != weak.frames.size()) {
    return s;
  }
  const std::size_t pw = peak_index(weak);
  const std::size_t pb = peak_index(baseline);
  s.peak_bw = weak.frames[pw].magnitude_bw;
  s.peak_time = weak.frames[pw].time;
  s.baseline_peak_bw = baseline.frames[pb].magnitude_bw;
  s.change_bw = s.peak_bw - s.baseline_peak_bw;
  s.change_percent = s.baseline_peak_bw > 0 ? 100.0 * s.change_bw / s.baseline_peak_bw : 0.0;
  s.anterior_bw = weak.frames[pw].anterior_bw;
  s.medial_bw = weak.frames[pw].medial_bw;
  s.superior_bw = weak.frames[pw].superior_bw;
  s.baseline_anterior_bw = baseline.frames[pb].anterior_bw;
  s.baseline_medial_bw = baseline.frames[pb].medial_bw;
  s.baseline_superior_bw = baseline.frames[pb].superior_bw;
  double ant = 0.0;
  for (std::size_t i = 0; i < weak.frames.size(); ++i) {
    ant += weak.frames[i].anterior_bw - baseline.frames[i].anterior_bw;
    s.peak_reserve_nm = std::max(s.peak_reserve_nm, weak.frames[i].reserve_nm);
    s.all_converged = s.all_converged && weak.frames[i].converged;
  }
  s.mean_anterior_change_bw = ant / static_cast<double>(weak.frames.size());
  const std::size_t nm = model.muscles.size();
  std::vector<char> candidate(nm, scope == CompensatorScope::kAllMuscles ? 1 : 0);
  if (scope == CompensatorScope::kJointMuscles) {
    for (const int m : weak.joint_muscles) {
      candidate[static_cast<std::size_t>(m)] = 1;
    }
  }
  for (const auto& w : weak.weakening) {
    if (auto members = GroupMuscles(model, w.group, Side::kBoth)) {
      for (const int m : *members) {
        candidate[static_cast<std::size_t>(m)] = 0;
      }
    }
  }
  std::vector<Compensator> all;
  for (std::size_t m = 0; m < nm; ++m) {
    if (candidate[m] == 0) {
      continue;
    }
    Compensator c;
    c.muscle = model.muscles[m].name;
    for (std::size_t i = 0; i < weak.frames.size(); ++i) {
      c.baseline_mean_n += baseline.so.frames[i].muscle_force[m];
      c.weak_mean_n += weak.so.frames[i].muscle_force[m];
      const double ab = baseline.so.frames[i].activation[m];
      const double aw = weak.so.frames[i].activation[m];
      c.baseline_mean_activation += ab;
      c.weak_mean_activation += aw;
      c.baseline_peak_activation = std::max(c.baseline_peak_activation, ab);
      c.weak_peak_activation = std::max(c.weak_peak_activation, aw);
    }
    c.baseline_mean_activation /= static_cast<double>(weak.frames.size());
    c.weak_mean_activation /= static_cast<double>(weak.frames.size());
    c.activation_rise = c.weak_mean_activation - c.baseline_mean_activation;
    c.baseline_mean_n /= static_cast<double>(weak.frames.size());
    c.weak_mean_n /= static_cast<double>(weak.frames.size());
    c.increase_n = c.weak_mean_n - c.baseline_mean_n;
    all.push_back(c);
  }
  std::stable_sort(all.begin(), all.end(), [](const Compensator& a, const Compensator& b) {
    return a.increase_n > b.increase_n;
  });
  for (std::size_t i = 0; i < std::min(n_compensators, all.size()); ++i) {
    if (all[i].increase_n > 0.0) {
      s.compensators.push_back(all[i]);
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Compensator& a, const Compensator& b) {
    return a.activation_rise > b.activation_rise;
  });
  for (std::size_t i = 0; i < std::min(n_compensators, all.size()); ++i) {
    if (all[i].activation_rise > 0.0) {
      s.working_harder.push_back(all[i]);
    }
  }
  return s;
}

}  // namespace hipcoach::model
