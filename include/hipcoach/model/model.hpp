// The musculoskeletal model as hipcoach stores it: bodies, CustomJoints with their spatial
// transform functions, coordinates, Thelen2003 muscles and the residual/reserve actuators.
// Plain data only (no Eigen here); the mechanics live in mechanics.hpp.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace hipcoach::model {

using Vec3 = std::array<double, 3>;

// An OpenSim function of one coordinate: Constant, LinearFunction or SimmSpline, each optionally
// wrapped in a MultiplierFunction (folded into `scale`).
struct Function {
  enum class Kind { kConstant, kLinear, kSpline };
  Kind kind = Kind::kConstant;
  double value = 0.0;      // kConstant
  double slope = 1.0;      // kLinear: slope * x + intercept
  double intercept = 0.0;  // kLinear
  std::vector<double> x;   // kSpline knots
  std::vector<double> y;
  std::vector<double> b;  // kSpline coefficients (computed by MakeSimmSpline)
  std::vector<double> c;
  std::vector<double> d;
  double scale = 1.0;  // MultiplierFunction

  // Value at `arg`. SimmSpline extrapolates linearly with the end slopes, as OpenSim does.
  [[nodiscard]] double Eval(double arg) const;
};

Function MakeConstant(double value);
Function MakeLinear(double slope, double intercept);
// OpenSim's SimmSpline: the Forsythe-Malcolm-Moler cubic spline (straight line for < 4 points).
Function MakeSimmSpline(std::vector<double> x, std::vector<double> y, double scale = 1.0);

struct TransformAxis {
  int coordinate = -1;  // -1: the function takes no coordinate (constant)
  Vec3 axis{0, 0, 1};
  Function function;
};

struct Joint {
  std::string name;
  int parent_body = -1;  // -1 is ground
  int child_body = -1;
  Vec3 parent_translation{};  // parent offset frame in the parent body
  Vec3 parent_orientation{};  // body-fixed X-Y-Z angles, radians
  Vec3 child_translation{};   // child offset frame in the child body
  Vec3 child_orientation{};
  // rotation1..3 then translation1..3. Rotations compose as R1*R2*R3 (each about its axis in the
  // frame left by the previous one); translations are along their axes in the parent offset frame.
  std::array<TransformAxis, 6> axes{};
};

struct Body {
  std::string name;
  double mass = 0.0;
  Vec3 com{};
  std::array<double, 6> inertia{};  // Ixx Iyy Izz Ixy Ixz Iyz about the centre of mass
  int joint = -1;                   // the joint whose child this body is
};

struct Coordinate {
  std::string name;
  int joint = -1;
  bool rotational = true;
  double range_min = -1e9;
  double range_max = 1e9;
};

struct PathPoint {
  enum class Kind { kFixed, kConditional, kMoving };
  Kind kind = Kind::kFixed;
  std::string name;
  int body = -1;
  Vec3 location{};
  int coordinate = -1;  // kConditional: active while range_min <= q <= range_max
  double range_min = 0.0;
  double range_max = 0.0;
  std::array<int, 3> moving_coordinate{-1, -1, -1};  // kMoving: location[i] = moving[i](q)
  std::array<Function, 3> moving{};
};

struct Muscle {
  std::string name;
  std::vector<PathPoint> path;
  double max_isometric_force = 0.0;
  double optimal_fiber_length = 0.1;
  double tendon_slack_length = 0.1;
  double pennation_angle = 0.0;  // at optimal fibre length, radians
  double max_contraction_velocity = 10.0;
  double kshape_active = 0.5;
  double af = 0.3;
  double flen = 1.8;
  double fv_linear_extrap_threshold = 0.95;
  double min_control = 0.01;
  double max_control = 1.0;
};

// Residual and reserve actuators (PointActuator, TorqueActuator, CoordinateActuator).
struct Actuator {
  enum class Kind { kPoint, kTorque, kCoordinate };
  Kind kind = Kind::kCoordinate;
  std::string name;
  int body = -1;  // kPoint / kTorque (bodyA)
  Vec3 point{};
  bool point_is_global = false;
  Vec3 direction{1, 0, 0};  // force direction or torque axis
  bool direction_is_global = true;
  int coordinate = -1;  // kCoordinate
  double optimal_force = 1.0;
  double min_control = -1e30;
  double max_control = 1e30;
};

struct Model {
  std::string name;
  std::string credits;       // the model file's <credits>, as written
  std::string publications;  // the model file's <publications>, as written
  Vec3 gravity{0, -9.80665, 0};
  std::vector<Body> bodies;
  std::vector<Joint> joints;  // parents before children
  std::vector<Coordinate> coordinates;
  std::vector<Muscle> muscles;
  std::vector<Actuator> actuators;

  [[nodiscard]] int BodyIndex(std::string_view body_name) const;
  [[nodiscard]] int CoordinateIndex(std::string_view coordinate_name) const;
  [[nodiscard]] int JointIndex(std::string_view joint_name) const;
  [[nodiscard]] int MuscleIndex(std::string_view muscle_name) const;
  [[nodiscard]] double TotalMass() const;
};

// The credit that must accompany every result computed with gait2392 (CC BY 3.0).
std::string_view Gait2392Credit();

// What a model file says about itself when it says nothing (OpenSim's default for both
// <credits> and <publications> is "Unassigned").
inline constexpr std::string_view kCreditNotStated =
    "credit not stated in the model file; check its licence";

// The credit of a model read from a file: its own <credits> and <publications> (whitespace
// collapsed), or kCreditNotStated when both are empty or "Unassigned".
std::string ModelCredit(const Model& model);

}  // namespace hipcoach::model
