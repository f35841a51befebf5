// Pure mechanics on a Model and a Trial: forward kinematics, muscle paths and moment arms,
// inverse dynamics, static optimisation (moment form) and joint reactions. No I/O.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "hipcoach/model/model.hpp"
#include "hipcoach/model/trial.hpp"

namespace hipcoach::model {

// A body's pose in ground: rotation (row-major) and origin.
struct Pose {
  std::array<double, 9> rotation{1, 0, 0, 0, 1, 0, 0, 0, 1};
  Vec3 origin{};
};

// Poses of all bodies for coordinate values q (SI units).
std::vector<Pose> BodyPoses(const Model& model, const std::vector<double>& q);
// Length of a muscle-tendon path for coordinate values q.
double MuscleLength(const Model& model, int muscle, const std::vector<double>& q);
// A point fixed in a body, expressed in ground.
Vec3 PointInGround(const Pose& pose, const Vec3& local);
// A ground point expressed in a body's frame.
Vec3 PointInBody(const Pose& pose, const Vec3& ground);

// Thelen 2003 active force along the tendon at full activation per newton of max isometric
// force, rigid tendon, no passive force (what OpenSim's static optimisation calls the muscle's
// optimal force with use_muscle_physiology on). Velocity is the muscle-tendon lengthening speed.
double ThelenCapacityPerFmax(const Muscle& muscle, double mt_length, double mt_velocity);

// Adds a CoordinateActuator ("reserve_<coordinate>") on every coordinate not already driven by
// a residual (pelvis residuals act on the pelvis' six coordinates).
void AddReserveActuators(Model& model, double optimal_force);

struct PrepareOptions {
  std::vector<std::string> reaction_joints{"hip_r", "hip_l"};
  double jacobian_step = 1e-6;  // rad or m, central differences
  double time_step = 1e-3;      // s, for body accelerations along the local trajectory
};

// Everything static optimisation and the joint reactions need at one frame.
struct FrameMechanics {
  double time = 0.0;
  std::vector<double> tau;  // inverse dynamics: generalized forces the actuators must supply
  std::vector<double> muscle_length;
  std::vector<double> muscle_velocity;
  std::vector<double> moment_arm;         // [muscle * n_coordinates + coordinate], r = -dL/dq
  std::vector<double> capacity_per_fmax;  // ThelenCapacityPerFmax per muscle
  std::vector<double> actuator_column;    // [actuator * n_coordinates + coordinate], per control
  // Reaction force on each reporting joint's child, in the child frame:
  // base + sum over muscles of (muscle force) * per_muscle[m].
  struct Reaction {
    Vec3 base{};
    std::vector<Vec3> per_muscle;
  };
  std::vector<Reaction> reactions;
};

struct PreparedTrial {
  std::vector<std::string> reaction_joints;
  std::vector<FrameMechanics> frames;
  double body_weight = 0.0;  // N
  std::size_t n_coordinates = 0;
  std::size_t n_muscles = 0;
  std::size_t n_actuators = 0;
};

// Kinematics, inverse dynamics, moment arms and muscle capacities of every frame.
tl::expected<PreparedTrial, std::string> Prepare(const Model& model, const Trial& trial,
                                                 const PrepareOptions& options = {});

struct SoOptions {
  std::vector<double> strength;  // per muscle factor on max isometric force (empty: all 1)
  int max_iterations = 200;
  double tolerance = 1e-7;  // max |constraint violation|, N or N m
};

struct SoFrame {
  double time = 0.0;
  std::vector<double> activation;  // muscle controls
  std::vector<double> muscle_force;
  std::vector<double> actuator_force;  // residuals and reserves, N or N m
  std::vector<Vec3> reaction;          // per reporting joint: force on the child, child frame
  double max_violation = 0.0;
  int iterations = 0;
  bool converged = false;
};

struct SoResult {
  std::vector<SoFrame> frames;
};

// The bound-constrained minimum-norm problem static optimisation solves at each frame:
// minimise sum x_i^2 subject to A x = b and lo <= x <= hi. `a` is row-major (rows x cols).
struct QpSolution {
  std::vector<double> x;
  double max_violation = 0.0;
  int iterations = 0;
  bool converged = false;
};
QpSolution SolveMinNormQp(const std::vector<double>& a, std::size_t rows, std::size_t cols,
                          const std::vector<double>& b, const std::vector<double>& lo,
                          const std::vector<double>& hi, int max_iterations = 200,
                          double tolerance = 1e-9);

// Static optimisation in moment form: minimise the sum of squared controls subject to muscle and
// actuator generalized forces equal to the inverse-dynamics ones, muscle controls within their
// bounds; solved frame by frame with a semismooth Newton method on the dual (exact for this
// bound-constrained QP). Then the joint reactions from the muscle forces.
SoResult SolveStaticOptimization(const Model& model, const PreparedTrial& prepared,
                                 const SoOptions& options = {});

}  // namespace hipcoach::model
