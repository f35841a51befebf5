#include "hipcoach/model/mechanics.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace hipcoach::model {

namespace {

using Eigen::Matrix3d;
using Eigen::Vector3d;

struct EPose {
  Matrix3d r = Matrix3d::Identity();
  Vector3d p = Vector3d::Zero();
};

Vector3d V(const Vec3& v) { return {v[0], v[1], v[2]}; }
Vec3 A(const Vector3d& v) { return {v.x(), v.y(), v.z()}; }

Matrix3d BodyFixedXyz(const Vec3& a) {
  return (Eigen::AngleAxisd(a[0], Vector3d::UnitX()) * Eigen::AngleAxisd(a[1], Vector3d::UnitY()) *
          Eigen::AngleAxisd(a[2], Vector3d::UnitZ()))
      .toRotationMatrix();
}

Vector3d Vee(const Matrix3d& m) {
  return {0.5 * (m(2, 1) - m(1, 2)), 0.5 * (m(0, 2) - m(2, 0)), 0.5 * (m(1, 0) - m(0, 1))};
}

double AxisValue(const TransformAxis& ax, const double* q) {
  return ax.function.Eval(ax.coordinate >= 0 ? q[ax.coordinate] : 0.0);
}

// Static per-joint data, precomputed once per model.
struct JointCache {
  EPose parent_offset;
  EPose child_offset_inverse;
  std::array<Vector3d, 6> axes;
};

class Kinematics {
 public:
  explicit Kinematics(const Model& model) : model_(model) {
    joints_.reserve(model.joints.size());
    for (const auto& j : model.joints) {
      JointCache c;
      c.parent_offset.r = BodyFixedXyz(j.parent_orientation);
      c.parent_offset.p = V(j.parent_translation);
      const Matrix3d rc = BodyFixedXyz(j.child_orientation);
      c.child_offset_inverse.r = rc.transpose();
      c.child_offset_inverse.p = -(rc.transpose() * V(j.child_translation));
      for (std::size_t k = 0; k < 6; ++k) {
        Vector3d a = V(j.axes[k].axis);
        const double n = a.norm();
        c.axes[k] = n > 0 ? Vector3d(a / n) : Vector3d::UnitZ();
      }
      joints_.push_back(c);
    }
  }

  void Poses(const double* q, std::vector<EPose>& out) const {
    out.resize(model_.bodies.size());
    for (std::size_t ji = 0; ji < model_.joints.size(); ++ji) {
      const Joint& j = model_.joints[ji];
      const JointCache& c = joints_[ji];
      EPose parent;
      if (j.parent_body >= 0) {
        parent = out[static_cast<std::size_t>(j.parent_body)];
      }
      // X_GF = X_GP * X_PF
      const Matrix3d r_gf = parent.r * c.parent_offset.r;
      const Vector3d p_gf = parent.p + parent.r * c.parent_offset.p;
      Matrix3d r_fm = Eigen::AngleAxisd(AxisValue(j.axes[0], q), c.axes[0]).toRotationMatrix();
      r_fm = r_fm * Eigen::AngleAxisd(AxisValue(j.axes[1], q), c.axes[1]).toRotationMatrix();
      r_fm = r_fm * Eigen::AngleAxisd(AxisValue(j.axes[2], q), c.axes[2]).toRotationMatrix();
      const Vector3d p_fm = AxisValue(j.axes[3], q) * c.axes[3] +
                            AxisValue(j.axes[4], q) * c.axes[4] +
                            AxisValue(j.axes[5], q) * c.axes[5];
      const Matrix3d r_gm = r_gf * r_fm;
      const Vector3d p_gm = p_gf + r_gf * p_fm;
      EPose& child = out[static_cast<std::size_t>(j.child_body)];
      child.r = r_gm * c.child_offset_inverse.r;
      child.p = p_gm + r_gm * c.child_offset_inverse.p;
    }
  }

 private:
  const Model& model_;
  std::vector<JointCache> joints_;
};

Vector3d PathPointLocal(const PathPoint& pt, const double* q) {
  if (pt.kind == PathPoint::Kind::kMoving) {
    Vector3d l;
    for (int k = 0; k < 3; ++k) {
      const auto ku = static_cast<std::size_t>(k);
      const int c = pt.moving_coordinate[ku];
      l[k] = pt.moving[ku].Eval(c >= 0 ? q[c] : 0.0);
    }
    return l;
  }
  return V(pt.location);
}

bool PathPointActive(const PathPoint& pt, const double* q) {
  if (pt.kind != PathPoint::Kind::kConditional || pt.coordinate < 0) {
    return true;
  }
  const double v = q[pt.coordinate];
  return v >= pt.range_min && v <= pt.range_max;
}

// Active path points of a muscle in ground, with their bodies.
void PathInGround(const Muscle& m, const std::vector<EPose>& poses, const double* q,
                  std::vector<Vector3d>& pts, std::vector<int>& bodies) {
  pts.clear();
  bodies.clear();
  for (const auto& pt : m.path) {
    if (!PathPointActive(pt, q)) {
      continue;
    }
    const EPose& p = poses[static_cast<std::size_t>(pt.body)];
    pts.push_back(p.p + p.r * PathPointLocal(pt, q));
    bodies.push_back(pt.body);
  }
}

double PathLength(const Muscle& m, const std::vector<EPose>& poses, const double* q) {
  double len = 0.0;
  bool have = false;
  Vector3d prev = Vector3d::Zero();
  for (const auto& pt : m.path) {
    if (!PathPointActive(pt, q)) {
      continue;
    }
    const EPose& p = poses[static_cast<std::size_t>(pt.body)];
    const Vector3d g = p.p + p.r * PathPointLocal(pt, q);
    if (have) {
      len += (g - prev).norm();
    }
    prev = g;
    have = true;
  }
  return len;
}

Pose ToPose(const EPose& e) {
  Pose p;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) {
      p.rotation[static_cast<std::size_t>(r * 3 + c)] = e.r(r, c);
    }
  }
  p.origin = A(e.p);
  return p;
}

// Fibre velocity extrapolation constants and Thelen's inverse force-velocity at activation 1.
double ThelenFv(const Muscle& m, double vn) {
  const double af = m.af;
  const double flen = m.flen;
  if (vn <= 0.0) {
    if (vn > -1.0) {
      return (1.0 + vn) / (1.0 - vn / af);
    }
    return (vn + 1.0) / (1.0 + 1.0 / af);  // linear extrapolation below the concentric asymptote
  }
  const double g = 2.0 + 2.0 / af;
  const double fv0 = m.fv_linear_extrap_threshold * flen;
  const double vn0 = (fv0 - 1.0) * (flen - 1.0) / (g * (flen - fv0));
  if (vn < vn0) {
    const double k = vn * g;
    return (flen - 1.0 + k * flen) / (flen - 1.0 + k);
  }
  const double slope = (flen - 1.0) / g * (flen - 1.0) / ((flen - fv0) * (flen - fv0));
  return fv0 + (vn - vn0) / slope;
}

}  // namespace

std::vector<Pose> BodyPoses(const Model& model, const std::vector<double>& q) {
  Kinematics k(model);
  std::vector<EPose> poses;
  k.Poses(q.data(), poses);
  std::vector<Pose> out;
  out.reserve(poses.size());
  for (const auto& p : poses) {
    out.push_back(ToPose(p));
  }
  return out;
}

double MuscleLength(const Model& model, int muscle, const std::vector<double>& q) {
  Kinematics k(model);
  std::vector<EPose> poses;
  k.Poses(q.data(), poses);
  return PathLength(model.muscles[static_cast<std::size_t>(muscle)], poses, q.data());
}

Vec3 PointInGround(const Pose& pose, const Vec3& local) {
  Vec3 g{};
  for (std::size_t r = 0; r < 3; ++r) {
    g[r] = pose.origin[r];
    for (std::size_t c = 0; c < 3; ++c) {
      g[r] += pose.rotation[r * 3 + c] * local[c];
    }
  }
  return g;
}

Vec3 PointInBody(const Pose& pose, const Vec3& ground) {
  Vec3 l{};
  for (std::size_t c = 0; c < 3; ++c) {
    for (std::size_t r = 0; r < 3; ++r) {
      l[c] += pose.rotation[r * 3 + c] * (ground[r] - pose.origin[r]);
    }
  }
  return l;
}

double ThelenCapacityPerFmax(const Muscle& m, double mt_length, double mt_velocity) {
  const double lopt = m.optimal_fiber_length;
  const double width = lopt * std::sin(m.pennation_angle);
  const double along = mt_length - m.tendon_slack_length;
  const double lce = std::sqrt(along * along + width * width);
  // OpenSim's fixed-width pennation model limits the pennation angle to acos(0.1).
  const double min_length = std::max(0.01 * lopt, width / std::sin(std::acos(0.1)));
  if (along <= 0.0 || lce <= min_length) {
    return 0.0;
  }
  const double cos_phi = along / lce;
  const double ln = lce / lopt;
  const double fal = std::exp(-(ln - 1.0) * (ln - 1.0) / m.kshape_active);
  const double vn = mt_velocity * cos_phi / (lopt * m.max_contraction_velocity);
  const double fv = ThelenFv(m, vn);
  return std::max(0.0, fal * fv * cos_phi);
}

void AddReserveActuators(Model& model, double optimal_force) {
  const int pelvis = model.BodyIndex("pelvis");
  for (std::size_t j = 0; j < model.coordinates.size(); ++j) {
    const auto& c = model.coordinates[j];
    const Joint& joint = model.joints[static_cast<std::size_t>(c.joint)];
    const bool residual_driven = pelvis >= 0 && joint.child_body == pelvis;
    if (residual_driven) {
      continue;
    }
    Actuator a;
    a.kind = Actuator::Kind::kCoordinate;
    a.name = "reserve_" + c.name;
    a.coordinate = static_cast<int>(j);
    a.optimal_force = optimal_force;
    model.actuators.push_back(a);
  }
}

tl::expected<PreparedTrial, std::string> Prepare(const Model& model, const Trial& trial,
                                                 const PrepareOptions& options) {
  const std::size_t nq = model.coordinates.size();
  const std::size_t nb = model.bodies.size();
  const std::size_t nm = model.muscles.size();
  const std::size_t na = model.actuators.size();
  PreparedTrial out;
  out.n_coordinates = nq;
  out.n_muscles = nm;
  out.n_actuators = na;
  out.body_weight = model.TotalMass() * V(model.gravity).norm();
  out.reaction_joints = options.reaction_joints;

  // Subtrees of the reporting joints.
  std::vector<std::vector<char>> in_subtree;
  std::vector<int> reaction_child;
  for (const auto& name : options.reaction_joints) {
    const int ji = model.JointIndex(name);
    if (ji < 0) {
      return tl::unexpected("joint '" + name + "' not found in the model");
    }
    const int child = model.joints[static_cast<std::size_t>(ji)].child_body;
    std::vector<char> mark(nb, 0);
    mark[static_cast<std::size_t>(child)] = 1;
    for (const auto& j : model.joints) {  // parents come before children
      if (j.parent_body >= 0 && mark[static_cast<std::size_t>(j.parent_body)] != 0) {
        mark[static_cast<std::size_t>(j.child_body)] = 1;
      }
    }
    in_subtree.push_back(mark);
    reaction_child.push_back(child);
  }

  Kinematics kin(model);
  const Vector3d gravity = V(model.gravity);
  std::vector<EPose> p0;
  std::vector<EPose> pp;
  std::vector<EPose> pm;
  std::vector<double> qwork(nq);
  // Jacobians: origin and centre-of-mass partial velocities and angular partials per body.
  std::vector<Vector3d> j_origin(nb * nq);
  std::vector<Vector3d> j_omega(nb * nq);
  std::vector<double> dl_dq(nm * nq);
  std::vector<Vector3d> pts;
  std::vector<int> pt_bodies;
  const double eps = options.jacobian_step;
  const double h = options.time_step;

  // Which coordinates can change each muscle's length: those of the joints on the tree paths
  // between consecutive path points' bodies, plus the coordinates of conditional and moving
  // points. The others have zero moment arms and need no finite differences.
  std::vector<char> spans(nm * nq, 0);
  for (std::size_t m = 0; m < nm; ++m) {
    const auto& path = model.muscles[m].path;
    auto mark_joints = [&](int a, int b) {
      std::vector<int> up_a;
      for (int x = a; x >= 0; x = model
                                      .joints[static_cast<std::size_t>(
                                          model.bodies[static_cast<std::size_t>(x)].joint)]
                                      .parent_body) {
        up_a.push_back(x);
      }
      auto mark_body_joint = [&](int body) {
        const int ji = model.bodies[static_cast<std::size_t>(body)].joint;
        for (std::size_t j = 0; j < nq; ++j) {
          if (model.coordinates[j].joint == ji) {
            spans[m * nq + j] = 1;
          }
        }
      };
      int y = b;
      while (y >= 0 && std::find(up_a.begin(), up_a.end(), y) == up_a.end()) {
        mark_body_joint(y);
        y = model.joints[static_cast<std::size_t>(model.bodies[static_cast<std::size_t>(y)].joint)]
                .parent_body;
      }
      for (const int x : up_a) {
        if (x == y) {
          break;
        }
        mark_body_joint(x);
      }
    };
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      mark_joints(path[i].body, path[i + 1].body);
    }
    for (const auto& pt : path) {
      if (pt.coordinate >= 0) {
        spans[m * nq + static_cast<std::size_t>(pt.coordinate)] = 1;
      }
      for (const int c : pt.moving_coordinate) {
        if (c >= 0) {
          spans[m * nq + static_cast<std::size_t>(c)] = 1;
        }
      }
    }
  }

  out.frames.reserve(trial.frames.size());
  std::vector<double> lp(nm);
  for (const auto& fr : trial.frames) {
    if (fr.q.size() != nq || fr.qd.size() != nq || fr.qdd.size() != nq) {
      return tl::unexpected(std::string("trial frame has the wrong number of coordinates"));
    }
    FrameMechanics fm;
    fm.time = fr.time;
    kin.Poses(fr.q.data(), p0);

    // Partial derivatives by central differences.
    for (std::size_t j = 0; j < nq; ++j) {
      qwork = fr.q;
      qwork[j] = fr.q[j] + eps;
      kin.Poses(qwork.data(), pp);
      for (std::size_t m = 0; m < nm; ++m) {
        lp[m] = spans[m * nq + j] != 0 ? PathLength(model.muscles[m], pp, qwork.data()) : 0.0;
      }
      qwork[j] = fr.q[j] - eps;
      kin.Poses(qwork.data(), pm);
      for (std::size_t m = 0; m < nm; ++m) {
        dl_dq[m * nq + j] =
            spans[m * nq + j] != 0
                ? (lp[m] - PathLength(model.muscles[m], pm, qwork.data())) / (2 * eps)
                : 0.0;
      }
      for (std::size_t b = 0; b < nb; ++b) {
        j_origin[b * nq + j] = (pp[b].p - pm[b].p) / (2 * eps);
        j_omega[b * nq + j] = Vee((pp[b].r - pm[b].r) / (2 * eps) * p0[b].r.transpose());
      }
    }

    // Body accelerations along q(s) = q + qd s + qdd s^2 / 2.
    std::array<std::vector<EPose>, 5> ps;
    for (int k = 0; k < 5; ++k) {
      const double s = static_cast<double>(k - 2) * h;
      for (std::size_t j = 0; j < nq; ++j) {
        qwork[j] = fr.q[j] + fr.qd[j] * s + 0.5 * fr.qdd[j] * s * s;
      }
      kin.Poses(qwork.data(), ps[static_cast<std::size_t>(k)]);
    }
    std::vector<Vector3d> com_acc(nb);
    std::vector<Vector3d> omega(nb);
    std::vector<Vector3d> alpha(nb);
    for (std::size_t b = 0; b < nb; ++b) {
      const Vector3d com = V(model.bodies[b].com);
      auto com_at = [&](int k) {
        const EPose& e = ps[static_cast<std::size_t>(k)][b];
        return Vector3d(e.p + e.r * com);
      };
      com_acc[b] = (com_at(3) - 2.0 * com_at(2) + com_at(1)) / (h * h);
      auto omega_at = [&](int k) {
        const auto& lo = ps[static_cast<std::size_t>(k - 1)][b].r;
        const auto& hi = ps[static_cast<std::size_t>(k + 1)][b].r;
        const auto& mid = ps[static_cast<std::size_t>(k)][b].r;
        return Vector3d(Vee((hi - lo) / (2 * h) * mid.transpose()));
      };
      Vector3d w = Vector3d::Zero();
      for (std::size_t j = 0; j < nq; ++j) {
        w += j_omega[b * nq + j] * fr.qd[j];
      }
      omega[b] = w;
      alpha[b] = (omega_at(3) - omega_at(1)) / (2 * h);
    }

    // Inverse dynamics by virtual power.
    fm.tau.assign(nq, 0.0);
    for (std::size_t b = 0; b < nb; ++b) {
      const Body& body = model.bodies[b];
      const Matrix3d& r = p0[b].r;
      Matrix3d inertia_local;
      inertia_local << body.inertia[0], body.inertia[3], body.inertia[4], body.inertia[3],
          body.inertia[1], body.inertia[5], body.inertia[4], body.inertia[5], body.inertia[2];
      const Matrix3d inertia = r * inertia_local * r.transpose();
      const Vector3d force = body.mass * (com_acc[b] - gravity);
      const Vector3d torque = inertia * alpha[b] + omega[b].cross(inertia * omega[b]);
      const Vector3d com_offset = r * V(body.com);
      for (std::size_t j = 0; j < nq; ++j) {
        const Vector3d jc = j_origin[b * nq + j] + j_omega[b * nq + j].cross(com_offset);
        fm.tau[j] += force.dot(jc) + torque.dot(j_omega[b * nq + j]);
      }
    }
    for (const auto& load : fr.loads) {
      const auto b = static_cast<std::size_t>(load.body);
      const Vector3d arm = V(load.point) - p0[b].p;
      for (std::size_t j = 0; j < nq; ++j) {
        const Vector3d jp = j_origin[b * nq + j] + j_omega[b * nq + j].cross(arm);
        fm.tau[j] -= V(load.force).dot(jp) + V(load.torque).dot(j_omega[b * nq + j]);
      }
    }

    // Muscles.
    fm.muscle_length.resize(nm);
    fm.muscle_velocity.resize(nm);
    fm.moment_arm.resize(nm * nq);
    fm.capacity_per_fmax.resize(nm);
    for (std::size_t m = 0; m < nm; ++m) {
      fm.muscle_length[m] = PathLength(model.muscles[m], p0, fr.q.data());
      double v = 0.0;
      for (std::size_t j = 0; j < nq; ++j) {
        fm.moment_arm[m * nq + j] = -dl_dq[m * nq + j];
        v += dl_dq[m * nq + j] * fr.qd[j];
      }
      fm.muscle_velocity[m] = v;
      fm.capacity_per_fmax[m] =
          ThelenCapacityPerFmax(model.muscles[m], fm.muscle_length[m], fm.muscle_velocity[m]);
    }

    // Actuator generalized forces per unit control.
    fm.actuator_column.assign(na * nq, 0.0);
    for (std::size_t a = 0; a < na; ++a) {
      const Actuator& act = model.actuators[a];
      double* col = &fm.actuator_column[a * nq];
      if (act.kind == Actuator::Kind::kCoordinate) {
        col[act.coordinate] = act.optimal_force;
        continue;
      }
      const auto b = static_cast<std::size_t>(act.body);
      const Vector3d dir =
          act.direction_is_global ? V(act.direction) : Vector3d(p0[b].r * V(act.direction));
      const Vector3d unit = dir.norm() > 0 ? Vector3d(dir / dir.norm()) : dir;
      if (act.kind == Actuator::Kind::kPoint) {
        const Vector3d point =
            act.point_is_global ? V(act.point) : Vector3d(p0[b].p + p0[b].r * V(act.point));
        const Vector3d arm = point - p0[b].p;
        for (std::size_t j = 0; j < nq; ++j) {
          col[j] =
              act.optimal_force * unit.dot(j_origin[b * nq + j] + j_omega[b * nq + j].cross(arm));
        }
      } else {
        for (std::size_t j = 0; j < nq; ++j) {
          col[j] = act.optimal_force * unit.dot(j_omega[b * nq + j]);
        }
      }
    }

    // Joint reactions: force on each reporting joint's child from its parent.
    for (std::size_t r = 0; r < in_subtree.size(); ++r) {
      const auto& mark = in_subtree[r];
      const auto child = static_cast<std::size_t>(reaction_child[r]);
      const Matrix3d rt = p0[child].r.transpose();
      Vector3d base = Vector3d::Zero();
      for (std::size_t b = 0; b < nb; ++b) {
        if (mark[b] != 0) {
          base += model.bodies[b].mass * (com_acc[b] - gravity);
        }
      }
      for (const auto& load : fr.loads) {
        if (mark[static_cast<std::size_t>(load.body)] != 0) {
          base -= V(load.force);
        }
      }
      FrameMechanics::Reaction reaction;
      reaction.base = A(rt * base);
      reaction.per_muscle.resize(nm);
      for (std::size_t m = 0; m < nm; ++m) {
        PathInGround(model.muscles[m], p0, fr.q.data(), pts, pt_bodies);
        Vector3d pull = Vector3d::Zero();  // muscle force on the subtree per newton of tension
        for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
          const bool a_in = mark[static_cast<std::size_t>(pt_bodies[i])] != 0;
          const bool b_in = mark[static_cast<std::size_t>(pt_bodies[i + 1])] != 0;
          if (a_in == b_in) {
            continue;
          }
          Vector3d u = pts[i + 1] - pts[i];
          const double n = u.norm();
          if (n <= 0) {
            continue;
          }
          u /= n;
          pull += a_in ? u : Vector3d(-u);
        }
        reaction.per_muscle[m] = A(-(rt * pull));
      }
      fm.reactions.push_back(std::move(reaction));
    }
    out.frames.push_back(std::move(fm));
  }
  return out;
}

namespace {

// min 1/2 |x|^2  s.t.  A x = b, lo <= x <= hi, by semismooth Newton on the dual:
// x(l) = clamp(A' l, lo, hi), solve A x(l) = b.
struct QpResult {
  int iterations = 0;
  double violation = 0.0;
  bool converged = false;
};

QpResult SolveBoxQp(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, const Eigen::VectorXd& lo,
                    const Eigen::VectorXd& hi, Eigen::VectorXd& lambda, Eigen::VectorXd& x,
                    int max_iterations, double tolerance) {
  const Eigen::Index m = a.rows();
  const Eigen::Index n = a.cols();
  auto primal = [&](const Eigen::VectorXd& l, Eigen::VectorXd& out) {
    out = (a.transpose() * l).cwiseMax(lo).cwiseMin(hi);
  };
  auto dual_value = [&](const Eigen::VectorXd& l, const Eigen::VectorXd& xl) {
    return 0.5 * xl.squaredNorm() - (a.transpose() * l).dot(xl) + l.dot(b);
  };
  QpResult res;
  if (lambda.isZero(0.0)) {  // cold start: the multipliers of the problem without bounds
    Eigen::MatrixXd aat = a * a.transpose();
    aat.diagonal().array() += 1e-12 * (1.0 + aat.diagonal().maxCoeff());
    lambda = aat.ldlt().solve(b);
  }
  primal(lambda, x);
  Eigen::VectorXd r = a * x - b;
  Eigen::MatrixXd jac(m, m);
  Eigen::VectorXd xn(n);
  for (res.iterations = 0; res.iterations < max_iterations; ++res.iterations) {
    res.violation = r.cwiseAbs().maxCoeff();
    if (res.violation <= tolerance) {
      res.converged = true;
      break;
    }
    jac.setZero();
    const Eigen::VectorXd y = a.transpose() * lambda;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (y[i] > lo[i] && y[i] < hi[i]) {
        jac.selfadjointView<Eigen::Lower>().rankUpdate(a.col(i));
      }
    }
    jac.diagonal().array() += 1e-12 * (1.0 + jac.diagonal().maxCoeff());
    Eigen::LDLT<Eigen::MatrixXd> ldlt(jac.selfadjointView<Eigen::Lower>());
    const Eigen::VectorXd step = ldlt.solve(-r);
    // Backtracking on the concave dual g(l) = l'A x - 1/2|x|^2 - l'b with x = x(l).
    const double g0 = dual_value(lambda, x);
    const double slope = -r.dot(step);
    double t = 1.0;
    Eigen::VectorXd ln;
    for (int k = 0; k < 40; ++k) {
      ln = lambda + t * step;
      primal(ln, xn);
      if (dual_value(ln, xn) >= g0 + 1e-4 * t * slope) {
        break;
      }
      t *= 0.5;
    }
    lambda = ln;
    x = xn;
    r = a * x - b;
  }
  res.violation = r.cwiseAbs().maxCoeff();
  return res;
}

}  // namespace

QpSolution SolveMinNormQp(const std::vector<double>& a, std::size_t rows, std::size_t cols,
                          const std::vector<double>& b, const std::vector<double>& lo,
                          const std::vector<double>& hi, int max_iterations, double tolerance) {
  const auto r = static_cast<Eigen::Index>(rows);
  const auto c = static_cast<Eigen::Index>(cols);
  Eigen::MatrixXd am(r, c);
  for (Eigen::Index i = 0; i < r; ++i) {
    for (Eigen::Index j = 0; j < c; ++j) {
      am(i, j) = a[static_cast<std::size_t>(i * c + j)];
    }
  }
  const Eigen::VectorXd bv = Eigen::Map<const Eigen::VectorXd>(b.data(), r);
  const Eigen::VectorXd lv = Eigen::Map<const Eigen::VectorXd>(lo.data(), c);
  const Eigen::VectorXd hv = Eigen::Map<const Eigen::VectorXd>(hi.data(), c);
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(r);
  Eigen::VectorXd x(c);
  const QpResult q = SolveBoxQp(am, bv, lv, hv, lambda, x, max_iterations, tolerance);
  QpSolution s;
  s.x.assign(x.data(), x.data() + c);
  s.max_violation = q.violation;
  s.iterations = q.iterations;
  s.converged = q.converged;
  return s;
}

SoResult SolveStaticOptimization(const Model& model, const PreparedTrial& prepared,
                                 const SoOptions& options) {
  const std::size_t nq = prepared.n_coordinates;
  const std::size_t nm = prepared.n_muscles;
  const std::size_t na = prepared.n_actuators;
  const auto n = static_cast<Eigen::Index>(nm + na);
  const auto rows = static_cast<Eigen::Index>(nq);
  Eigen::VectorXd lo(n);
  Eigen::VectorXd hi(n);
  std::vector<double> fmax(nm);
  for (std::size_t m = 0; m < nm; ++m) {
    const double s = options.strength.empty() ? 1.0 : options.strength[m];
    fmax[m] = s * model.muscles[m].max_isometric_force;
    lo[static_cast<Eigen::Index>(m)] = model.muscles[m].min_control;
    hi[static_cast<Eigen::Index>(m)] = model.muscles[m].max_control;
  }
  for (std::size_t a = 0; a < na; ++a) {
    lo[static_cast<Eigen::Index>(nm + a)] = model.actuators[a].min_control;
    hi[static_cast<Eigen::Index>(nm + a)] = model.actuators[a].max_control;
  }
  SoResult result;
  result.frames.reserve(prepared.frames.size());
  Eigen::MatrixXd amat(rows, n);
  Eigen::VectorXd bvec(rows);
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(rows);
  Eigen::VectorXd x(n);
  std::vector<double> capacity(nm);
  for (const auto& fm : prepared.frames) {
    for (std::size_t m = 0; m < nm; ++m) {
      capacity[m] = fmax[m] * fm.capacity_per_fmax[m];
      for (std::size_t j = 0; j < nq; ++j) {
        amat(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(m)) =
            capacity[m] * fm.moment_arm[m * nq + j];
      }
    }
    for (std::size_t a = 0; a < na; ++a) {
      for (std::size_t j = 0; j < nq; ++j) {
        amat(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(nm + a)) =
            fm.actuator_column[a * nq + j];
      }
    }
    for (std::size_t j = 0; j < nq; ++j) {
      bvec[static_cast<Eigen::Index>(j)] = fm.tau[j];
    }
    const QpResult qp =
        SolveBoxQp(amat, bvec, lo, hi, lambda, x, options.max_iterations, options.tolerance);
    SoFrame f;
    f.time = fm.time;
    f.iterations = qp.iterations;
    f.converged = qp.converged;
    f.max_violation = qp.violation;
    f.activation.resize(nm);
    f.muscle_force.resize(nm);
    for (std::size_t m = 0; m < nm; ++m) {
      f.activation[m] = x[static_cast<Eigen::Index>(m)];
      f.muscle_force[m] = f.activation[m] * capacity[m];
    }
    f.actuator_force.resize(na);
    for (std::size_t a = 0; a < na; ++a) {
      f.actuator_force[a] = x[static_cast<Eigen::Index>(nm + a)] * model.actuators[a].optimal_force;
    }
    for (const auto& reaction : fm.reactions) {
      Vec3 force = reaction.base;
      for (std::size_t m = 0; m < nm; ++m) {
        for (std::size_t k = 0; k < 3; ++k) {
          force[k] += f.muscle_force[m] * reaction.per_muscle[m][k];
        }
      }
      f.reaction.push_back(force);
    }
    if (!qp.converged) {
      lambda.setZero();  // do not carry a diverged multiplier into the next frame
    }
    result.frames.push_back(std::move(f));
  }
  return result;
}

}  // namespace hipcoach::model
