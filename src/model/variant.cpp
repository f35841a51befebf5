#include "hipcoach/model/variant.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numbers>
#include <utility>
#include <vector>

namespace hipcoach::model {

namespace {

double Dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

// The centre of mass of `body` in ground at coordinates q.
Vec3 ComInGround(const Model& model, int body, const std::vector<double>& q) {
  const auto poses = BodyPoses(model, q);
  const auto b = static_cast<std::size_t>(body);
  return PointInGround(poses[b], model.bodies[b].com);
}

}  // namespace

tl::expected<TrunkLean, std::string> MakeTrunkLean(const Engine& upright,
                                                   const TrunkLeanOptions& o) {
  const Model& model = upright.model;
  const Trial& trial = upright.dataset.trial;
  const int lumbar = model.CoordinateIndex("lumbar_bending");
  const int stance_joint = model.JointIndex(o.stance_joint);
  const int stance_body = model.BodyIndex(o.stance_body);
  if (lumbar < 0 || stance_joint < 0 || stance_body < 0) {
    return tl::unexpected("a trunk lean needs a lumbar_bending coordinate, a " + o.stance_joint +
                          " joint and a " + o.stance_body + " body in the model");
  }
  if (!(std::abs(o.degrees) <= 30.0)) {
    return tl::unexpected(std::string("the trunk lean must be between -30 and 30 degrees"));
  }
  if (trial.frames.size() < 3) {
    return tl::unexpected(std::string("a trunk lean needs a gait cycle of at least 3 frames"));
  }
  // The pelvis: the body whose joint hangs from ground; its rotational coordinates.
  std::vector<std::size_t> pelvis_rot;
  int pelvis_joint = -1;
  for (std::size_t j = 0; j < model.joints.size(); ++j) {
    if (model.joints[j].parent_body < 0) {
      pelvis_joint = static_cast<int>(j);
      break;
    }
  }
  for (std::size_t c = 0; c < model.coordinates.size(); ++c) {
    if (model.coordinates[c].joint == pelvis_joint && model.coordinates[c].rotational) {
      pelvis_rot.push_back(c);
    }
  }
  if (pelvis_rot.empty()) {
    return tl::unexpected(std::string("the model's root joint has no rotational coordinates"));
  }

  // Which sign of lumbar_bending moves the trunk toward the stance side: the side of the stance
  // hip relative to the other hip (or to the pelvis when there is no other hip).
  const auto& lumbar_coord = model.coordinates[static_cast<std::size_t>(lumbar)];
  const int trunk = model.joints[static_cast<std::size_t>(lumbar_coord.joint)].child_body;
  const auto& q0 = trial.frames.front().q;
  const auto poses = BodyPoses(model, q0);
  const int hip_child = model.joints[static_cast<std::size_t>(stance_joint)].child_body;
  const std::string other_name = o.stance_joint.size() > 2 && o.stance_joint.back() == 'r'
                                     ? o.stance_joint.substr(0, o.stance_joint.size() - 1) + "l"
                                     : o.stance_joint.substr(0, o.stance_joint.size() - 1) + "r";
  const int other_joint = model.JointIndex(other_name);
  const Vec3 hip = poses[static_cast<std::size_t>(hip_child)].origin;
  const Vec3 ref =
      other_joint >= 0
          ? poses[static_cast<std::size_t>(
                      model.joints[static_cast<std::size_t>(other_joint)].child_body)]
                .origin
          : poses[static_cast<std::size_t>(
                      model.joints[static_cast<std::size_t>(stance_joint)].parent_body)]
                .origin;
  const Vec3 toward{hip[0] - ref[0], hip[1] - ref[1], hip[2] - ref[2]};
  std::vector<double> q1 = q0;
  q1[static_cast<std::size_t>(lumbar)] += 0.01;
  const Vec3 c0 = ComInGround(model, trunk, q0);
  const Vec3 c1 = ComInGround(model, trunk, q1);
  const double sign = Dot({c1[0] - c0[0], c1[1] - c0[1], c1[2] - c0[2]}, toward) >= 0 ? 1.0 : -1.0;
  const double amplitude = sign * o.degrees * std::numbers::pi / 180.0;

  // Stance of the stance leg: from heel strike (the cycle starts there) to toe-off.
  const Vec3 up{-model.gravity[0], -model.gravity[1], -model.gravity[2]};
  const double g = std::sqrt(Dot(up, up));
  auto vertical_load = [&](const TrialFrame& f, int body) {
    double v = 0.0;
    for (const auto& l : f.loads) {
      if (l.body == body) {
        v += Dot(l.force, up) / g;
      }
    }
    return v;
  };
  const double t0 = trial.frames.front().time;
  double toe_off = trial.frames.back().time;
  for (std::size_t i = 1; i < trial.frames.size(); ++i) {
    if (vertical_load(trial.frames[i], stance_body) <= o.contact_threshold_n) {
      toe_off = trial.frames[i].time;
      break;
    }
  }
  if (vertical_load(trial.frames.front(), stance_body) <= o.contact_threshold_n &&
      vertical_load(trial.frames[1], stance_body) <= o.contact_threshold_n) {
    return tl::unexpected("the gait cycle does not start with " + o.stance_body +
                          " on the ground (stance)");
  }

  // 1. The leaning motion with unchanged ground reactions. The lean is held through the whole
  // cycle: a lean that comes and goes within stance would need fast trunk accelerations whose
  // moments (hundreds of N m over 0.1 s ramps) the fixed measured ground reactions cannot
  // balance honestly (in double support the load would shift between the feet).
  TrunkLean out;
  out.lumbar_bending_offset_deg = sign * o.degrees;
  out.toe_off_s = toe_off;
  Dataset lean = upright.dataset;
  for (auto& f : lean.trial.frames) {  // a held posture: speeds and accelerations unchanged
    f.q[static_cast<std::size_t>(lumbar)] += amplitude;
  }
  PrepareOptions popt;
  popt.reaction_joints = upright.prepared.reaction_joints;
  auto leaned = Prepare(model, lean.trial, popt);
  if (!leaned) {
    return tl::unexpected(leaned.error());
  }
  // 2. How the pelvis residuals respond to moving every loaded foot's centre of pressure along
  // the two horizontal ground axes (inverse dynamics is linear in the load points).
  std::size_t vertical_axis = 0;
  for (std::size_t k = 1; k < 3; ++k) {
    if (std::abs(up[k]) > std::abs(up[vertical_axis])) {
      vertical_axis = k;
    }
  }
  std::vector<std::size_t> horizontal;
  for (std::size_t k = 0; k < 3; ++k) {
    if (k != vertical_axis) {
      horizontal.push_back(k);
    }
  }
  constexpr double kUnitShift = 0.01;  // m
  auto shifted = [&](std::size_t axis, const std::vector<Vec3>& per_frame) {
    Trial t = lean.trial;
    for (std::size_t i = 0; i < t.frames.size(); ++i) {
      for (auto& l : t.frames[i].loads) {
        if (Dot(l.force, up) / g > o.contact_threshold_n) {
          if (per_frame.empty()) {
            l.point[axis] += kUnitShift;
          } else {
            for (std::size_t k = 0; k < 3; ++k) {
              l.point[k] += per_frame[i][k];
            }
          }
        }
      }
    }
    return t;
  };
  std::vector<PreparedTrial> unit;
  for (const std::size_t axis : horizontal) {
    auto p = Prepare(model, shifted(axis, {}), popt);
    if (!p) {
      return tl::unexpected(p.error());
    }
    unit.push_back(std::move(*p));
  }
  std::vector<Vec3> shift(lean.trial.frames.size(), Vec3{});
  for (std::size_t i = 0; i < lean.trial.frames.size(); ++i) {
    Eigen::MatrixXd a(static_cast<Eigen::Index>(pelvis_rot.size()), 2);
    Eigen::VectorXd b(static_cast<Eigen::Index>(pelvis_rot.size()));
    for (std::size_t r = 0; r < pelvis_rot.size(); ++r) {
      const std::size_t c = pelvis_rot[r];
      const double base = leaned->frames[i].tau[c];
      for (std::size_t k = 0; k < 2; ++k) {
        a(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) =
            (unit[k].frames[i].tau[c] - base) / kUnitShift;
      }
      b(static_cast<Eigen::Index>(r)) = upright.prepared.frames[i].tau[c] - base;
    }
    if (a.norm() < 1e-9) {
      continue;  // no loaded foot
    }
    const Eigen::Vector2d x = a.colPivHouseholderQr().solve(b);
    shift[i][horizontal[0]] = x(0);
    shift[i][horizontal[1]] = x(1);
    out.max_cop_shift_m = std::max(out.max_cop_shift_m, std::hypot(x(0), x(1)));
  }
  // 3. The balanced leaning motion, prepared as an engine.
  lean.trial = shifted(0, shift);
  lean.source += "; trunk lean variant";
  auto e = MakeEngine(std::move(lean));
  if (!e) {
    return tl::unexpected(e.error());
  }
  out.engine = std::move(*e);
  // The early-stance hip adduction moment, upright and leaning.
  int adduction = -1;
  for (std::size_t c = 0; c < model.coordinates.size(); ++c) {
    if (model.coordinates[c].joint == stance_joint &&
        model.coordinates[c].name.rfind("hip_adduction", 0) == 0) {
      adduction = static_cast<int>(c);
    }
  }
  if (adduction >= 0) {
    const double early_end = t0 + 0.5 * (toe_off - t0);
    const auto c = static_cast<std::size_t>(adduction);
    for (std::size_t i = 0; i < upright.prepared.frames.size(); ++i) {
      if (upright.prepared.frames[i].time <= early_end) {
        out.upright_early_stance_adduction_nm = std::max(
            out.upright_early_stance_adduction_nm, std::abs(upright.prepared.frames[i].tau[c]));
        out.lean_early_stance_adduction_nm = std::max(
            out.lean_early_stance_adduction_nm, std::abs(out.engine.prepared.frames[i].tau[c]));
      }
    }
  }
  const std::string side = JointLabel(o.stance_joint);
  const std::string leg = side.size() > 4 ? side.substr(0, side.size() - 4) : side;  // "right"
  char deg[32];
  std::snprintf(deg, sizeof deg, "%.0f", std::abs(o.degrees));
  out.description = std::string("trunk held leaning ") + deg + " deg " +
                    (o.degrees >= 0 ? "toward" : "away from") + " the " + leg + " side";
  return out;
}

}  // namespace hipcoach::model
