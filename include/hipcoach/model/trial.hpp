// Motion data: a time table (.sto / .mot contents), how external loads map onto bodies, and a
// prepared trial (per-frame coordinates, speeds, accelerations and applied loads).
#pragma once

#include <string>
#include <vector>

#include "hipcoach/model/model.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

// The contents of an OpenSim storage or motion file. `data[row][column]`, `time` separate.
struct Storage {
  std::string name;
  bool in_degrees = false;
  std::vector<std::string> columns;  // without "time"
  std::vector<double> time;
  std::vector<std::vector<double>> data;

  [[nodiscard]] int ColumnIndex(const std::string& column) const;  // -1 if absent
};

// One ExternalForce of an ExternalLoads file.
struct ExternalLoadSpec {
  std::string name;
  std::string applied_to_body;
  std::string force_expressed_in_body = "ground";
  std::string point_expressed_in_body = "ground";
  std::string force_identifier;   // column prefix, e.g. "right_foot_force_v" -> _vx _vy _vz
  std::string point_identifier;   // e.g. "right_foot_force_p"
  std::string torque_identifier;  // e.g. "left_foot_torque_" -> x y z
};

struct ExternalLoadsSpec {
  std::vector<ExternalLoadSpec> forces;
  std::string datafile;
};

// A load applied to a body at one frame, everything expressed in ground.
struct AppliedLoad {
  int body = -1;
  Vec3 force{};
  Vec3 point{};
  Vec3 torque{};
};

struct TrialFrame {
  double time = 0.0;
  std::vector<double> q;    // per model coordinate, SI (radians, metres)
  std::vector<double> qd;   // first derivatives
  std::vector<double> qdd;  // second derivatives
  std::vector<AppliedLoad> loads;
};

struct Trial {
  std::string name;
  std::vector<TrialFrame> frames;
};

struct TrialOptions {
  std::vector<double> times;         // frames to produce
  double lowpass_cutoff_hz = -1.0;   // < 0: no filtering (OpenSim's 3rd-order IIR, zero-phase)
  bool pad_before_filtering = true;  // OpenSim pads by half the length before filtering
  double grf_lowpass_cutoff_hz = -1.0;
};

// Builds a trial: coordinates (degrees converted when the file says inDegrees) are splined with
// cubic splines (zero third derivative at the ends) and
// differentiated; loads are linearly interpolated at the frame times.
// Coordinates of the model missing from the file are an error.
tl::expected<Trial, std::string> BuildTrial(const Model& model, const Storage& coordinates,
                                            const Storage& loads_data,
                                            const ExternalLoadsSpec& loads,
                                            const TrialOptions& options);

// The cubic spline the trial uses (value and first two derivatives).
class CubicSpline {
 public:
  CubicSpline() = default;
  CubicSpline(std::vector<double> x, std::vector<double> y);
  [[nodiscard]] double Value(double t) const;
  [[nodiscard]] double Derivative(double t, int order) const;

 private:
  [[nodiscard]] std::size_t Interval(double t) const;
  std::vector<double> x_;
  std::vector<double> y_;
  std::vector<double> m_;  // second derivatives at the knots
};

// OpenSim's Signal::LowpassIIR (3rd-order Butterworth, forward and backward) after Signal::Pad.
std::vector<double> LowpassIir(const std::vector<double>& signal, double dt, double cutoff_hz,
                               bool pad);

}  // namespace hipcoach::model
