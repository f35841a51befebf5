// Verification against OpenSim's reference runs, whose files are in data/opensim-gait2392 (CC BY
// 3.0, see its README). Fails, never skips, when they are missing. Prints every figure (recorded
// in docs/model-validation.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "hipcoach/model/io.hpp"
#include "hipcoach/model/mechanics.hpp"

namespace hipcoach::model {
namespace {

const std::string kDir = std::string(HIPCOACH_OPENSIM_DATA_DIR) + "/";

bool HaveData() {
  return std::filesystem::exists(kDir + "subject01_simbody_adjusted_StaticOp.osim");
}

struct Stats {
  double correlation = 0.0;
  double rms = 0.0;
  double peak = 0.0;
};

Stats Compare(const std::vector<double>& ref, const std::vector<double>& mine) {
  const double n = static_cast<double>(ref.size());
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, se = 0, peak = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    sx += ref[i];
    sy += mine[i];
    sxx += ref[i] * ref[i];
    syy += mine[i] * mine[i];
    sxy += ref[i] * mine[i];
    se += (ref[i] - mine[i]) * (ref[i] - mine[i]);
    peak = std::max(peak, std::abs(ref[i]));
  }
  const double cov = sxy / n - sx * sy / (n * n);
  const double vx = sxx / n - sx * sx / (n * n);
  const double vy = syy / n - sy * sy / (n * n);
  Stats s;
  s.correlation = (vx > 0 && vy > 0) ? cov / std::sqrt(vx * vy) : 0.0;
  s.rms = std::sqrt(se / n);
  s.peak = peak;
  return s;
}

// The reference static optimisation + joint reaction run, reproduced once for all tests.
struct SoRun {
  Model model;
  Trial trial;
  PreparedTrial prepared;
  SoResult so;
  Storage ref_force;
  Storage ref_reaction;
  double seconds = 0.0;
};

const SoRun& Reproduce() {
  static SoRun run = [] {
    SoRun r;
    auto model = ReadOsimFile(kDir + "subject01_simbody_adjusted_StaticOp.osim");
    EXPECT_TRUE(model) << model.error();
    r.model = *model;
    auto acts = ReadActuatorsFile(kDir + "gait2392_SO_weak_Residual_Actuators.xml", r.model);
    EXPECT_TRUE(acts) << acts.error();
    r.model.actuators = *acts;
    auto kin = ReadStorageFile(kDir + "subject01_walk1_Kinematics.sto");
    auto grf = ReadStorageFile(kDir + "subject01_walk1_grf.mot");
    auto loads = ReadExternalLoadsFile(kDir + "foot_floor_loads.xml");
    auto force = ReadStorageFile(kDir +
                                 "reference-static-optimization/"
                                 "subject01_StaticOptimization_force.sto");
    auto reaction = ReadStorageFile(kDir +
                                    "reference-static-optimization/"
                                    "subject01_JointReaction_ReactionLoads.sto");
    EXPECT_TRUE(kin && grf && loads && force && reaction);
    r.ref_force = *force;
    r.ref_reaction = *reaction;
    TrialOptions opt;
    opt.times = r.ref_force.time;  // 151 frames, 0.5 to 2.0 s
    const auto t0 = std::chrono::steady_clock::now();
    auto trial = BuildTrial(r.model, *kin, *grf, *loads, opt);
    EXPECT_TRUE(trial) << trial.error();
    r.trial = *trial;
    auto prepared = Prepare(r.model, r.trial, {});
    EXPECT_TRUE(prepared) << prepared.error();
    r.prepared = *prepared;
    r.so = SolveStaticOptimization(r.model, r.prepared);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }();
  return run;
}

TEST(Validation, GroundReactionPointMatchesOpenSimInTheFootFrame) {
  ASSERT_TRUE(HaveData()) << "the OpenSim reference data are missing from " << kDir;
  const SoRun& r = Reproduce();
  // The reference force file records where the right-foot load acts in calcn_r.
  const int px = r.ref_force.ColumnIndex("calcn_r_right_foot_px");
  ASSERT_GE(px, 0);
  const int calcn = r.model.BodyIndex("calcn_r");
  double worst = 0;
  for (std::size_t i = 0; i < r.trial.frames.size(); i += 5) {
    const auto poses = BodyPoses(r.model, r.trial.frames[i].q);
    const Vec3 local =
        PointInBody(poses[static_cast<std::size_t>(calcn)], r.trial.frames[i].loads[0].point);
    for (std::size_t k = 0; k < 3; ++k) {
      worst = std::max(worst,
                       std::abs(local[k] - r.ref_force.data[i][static_cast<std::size_t>(px) + k]));
    }
  }
  std::printf("[figure] forward kinematics: max GRF-point difference in calcn_r %.2e m\n", worst);
  EXPECT_LT(worst, 1e-5);
}

TEST(Validation, InverseDynamicsMatchesReference) {
  ASSERT_TRUE(HaveData()) << "the OpenSim reference data are missing from " << kDir;
  const std::string d = kDir + "reference-inverse-dynamics/";
  auto model = ReadOsimFile(d + "subject01_simbody.osim");
  ASSERT_TRUE(model) << model.error();
  model->muscles.clear();  // forces_to_exclude: muscles
  auto ik = ReadStorageFile(d + "subject01_walk1_ik.mot");
  auto grf = ReadStorageFile(kDir + "subject01_walk1_grf.mot");
  auto ref = ReadStorageFile(d + "InverseDynamicsOutput.sto");
  ASSERT_TRUE(ik && grf && ref);
  ik->in_degrees = true;  // a SIMM-era .mot without an inDegrees line: angles are degrees
  // subject01_walk1_grf.xml (an OpenSim 2 document) names the columns of the original pipeline's
  // .mot ("ground_force_v", "1_ground_force_v"); the shared .mot names the same data per foot.
  ExternalLoadsSpec loads;
  loads.forces.push_back({"ExternalForce_1", "calcn_r", "ground", "ground", "right_foot_force_v",
                          "right_foot_force_p", "right_foot_torque_"});
  loads.forces.push_back({"ExternalForce_2", "calcn_l", "ground", "ground", "left_foot_force_v",
                          "left_foot_force_p", "left_foot_torque_"});
  TrialOptions opt;
  opt.lowpass_cutoff_hz = 6.0;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < ref->time.size(); ++i) {
    // Rows before the first IK sample come from OpenSim's padding; compare from 0.5 s.
    if (ref->time[i] >= ik->time.front() - 1e-9) {
      opt.times.push_back(ref->time[i]);
      rows.push_back(i);
    }
  }
  auto trial = BuildTrial(*model, *ik, *grf, loads, opt);
  ASSERT_TRUE(trial) << trial.error();
  PrepareOptions popt;
  popt.reaction_joints.clear();
  auto p = Prepare(*model, *trial, popt);
  ASSERT_TRUE(p) << p.error();
  for (const char* c :
       {"hip_flexion_r", "hip_adduction_r", "hip_rotation_r", "knee_angle_r", "ankle_angle_r",
        "hip_flexion_l", "hip_adduction_l", "hip_rotation_l", "knee_angle_l", "ankle_angle_l"}) {
    const int col = ref->ColumnIndex(std::string(c) + "_moment");
    const int q = model->CoordinateIndex(c);
    ASSERT_GE(col, 0);
    std::vector<double> a;
    std::vector<double> b;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      a.push_back(ref->data[rows[k]][static_cast<std::size_t>(col)]);
      b.push_back(p->frames[k].tau[static_cast<std::size_t>(q)]);
    }
    const Stats s = Compare(a, b);
    std::printf("[figure] ID %-16s rms %.2f N m, peak %.1f N m, rms/peak %.2f %%, r %.4f\n", c,
                s.rms, s.peak, 100 * s.rms / s.peak, s.correlation);
    EXPECT_LT(s.rms, 0.05 * s.peak) << c;
  }
}

TEST(Validation, StaticOptimizationMatchesReference) {
  ASSERT_TRUE(HaveData()) << "the OpenSim reference data are missing from " << kDir;
  const SoRun& r = Reproduce();
  int converged = 0;
  for (const auto& f : r.so.frames) {
    converged += f.converged ? 1 : 0;
  }
  std::printf("[figure] SO: %d of %zu frames converged; read+prepare+solve %.1f ms\n", converged,
              r.so.frames.size(), 1e3 * r.seconds);
  EXPECT_EQ(converged, static_cast<int>(r.so.frames.size()));
  for (const char* m :
       {"glut_med1_r", "glut_med2_r", "glut_med3_r", "glut_min1_r", "glut_min2_r", "glut_min3_r",
        "glut_max1_r", "glut_max2_r", "glut_max3_r", "peri_r",      "tfl_r",       "iliacus_r",
        "psoas_r",     "add_long_r",  "add_brev_r",  "add_mag1_r",  "add_mag2_r",  "add_mag3_r",
        "semimem_r",   "semiten_r",   "bifemlh_r",   "bifemsh_r"}) {
    const int col = r.ref_force.ColumnIndex(m);
    const int mi = r.model.MuscleIndex(m);
    ASSERT_GE(col, 0);
    ASSERT_GE(mi, 0);
    std::vector<double> a;
    std::vector<double> b;
    for (std::size_t i = 0; i < r.so.frames.size(); ++i) {
      a.push_back(r.ref_force.data[i][static_cast<std::size_t>(col)]);
      b.push_back(r.so.frames[i].muscle_force[static_cast<std::size_t>(mi)]);
    }
    const Stats s = Compare(a, b);
    std::printf("[figure] SO %-12s r %.4f, rms %.2f N, peak %.1f N, rms/peak %.2f %%\n", m,
                s.correlation, s.rms, s.peak, 100 * s.rms / s.peak);
    EXPECT_GT(s.correlation, 0.95) << m;
    EXPECT_LT(s.rms, 0.10 * s.peak) << m;
  }
  for (std::size_t k = 0; k < r.model.actuators.size(); ++k) {
    const auto& name = r.model.actuators[k].name;
    const int col = r.ref_force.ColumnIndex(name);
    ASSERT_GE(col, 0);
    std::vector<double> a;
    std::vector<double> b;
    for (std::size_t i = 0; i < r.so.frames.size(); ++i) {
      a.push_back(r.ref_force.data[i][static_cast<std::size_t>(col)]);
      b.push_back(r.so.frames[i].actuator_force[k]);
    }
    const Stats s = Compare(a, b);
    std::printf("[figure] SO residual %-3s r %.3f, rms %.2f, peak %.2f (N or N m)\n", name.c_str(),
                s.correlation, s.rms, s.peak);
  }
}

TEST(Validation, HipContactForceMatchesReference) {
  ASSERT_TRUE(HaveData()) << "the OpenSim reference data are missing from " << kDir;
  const SoRun& r = Reproduce();
  const int fx = r.ref_reaction.ColumnIndex("hip_r_on_femur_r_in_femur_r_fx");
  ASSERT_GE(fx, 0);
  std::vector<double> ref_mag;
  std::vector<double> mine_mag;
  std::array<std::vector<double>, 3> ref_c;
  std::array<std::vector<double>, 3> mine_c;
  double peak = 0;
  double peak_t = 0;
  double ref_peak = 0;
  double ref_peak_t = 0;
  for (std::size_t i = 0; i < r.so.frames.size(); ++i) {
    const Vec3& f = r.so.frames[i].reaction[0];  // hip_r, on the femur, femur frame
    double m2 = 0;
    double r2 = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      const double rv = r.ref_reaction.data[i][static_cast<std::size_t>(fx) + k];
      m2 += f[k] * f[k];
      r2 += rv * rv;
      ref_c[k].push_back(rv);
      mine_c[k].push_back(f[k]);
    }
    mine_mag.push_back(std::sqrt(m2));
    ref_mag.push_back(std::sqrt(r2));
    if (mine_mag.back() > peak) {
      peak = mine_mag.back();
      peak_t = r.so.frames[i].time;
    }
    if (ref_mag.back() > ref_peak) {
      ref_peak = ref_mag.back();
      ref_peak_t = r.so.frames[i].time;
    }
  }
  const Stats s = Compare(ref_mag, mine_mag);
  std::printf(
      "[figure] hip_r contact: peak %.0f N (%.2f BW) at %.2f s; reference %.0f N at "
      "%.2f s; difference %.2f %%; r %.4f; rms %.1f N\n",
      peak, peak / r.prepared.body_weight, peak_t, ref_peak, ref_peak_t,
      100 * (peak - 2669.0) / 2669.0, s.correlation, s.rms);
  for (std::size_t k = 0; k < 3; ++k) {
    const Stats c = Compare(ref_c[k], mine_c[k]);
    std::printf("[figure] hip_r contact f%c: r %.4f, rms %.1f N, peak %.0f N\n",
                static_cast<char>('x' + k), c.correlation, c.rms, c.peak);
  }
  EXPECT_NEAR(peak, 2669.0, 0.05 * 2669.0);
  EXPECT_NEAR(peak_t, 1.26, 0.03);
  EXPECT_GT(s.correlation, 0.98);
}

}  // namespace
}  // namespace hipcoach::model
