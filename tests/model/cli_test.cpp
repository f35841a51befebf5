#include "hipcoach/model/cli.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hipcoach/model/dataset.hpp"

namespace hipcoach::model {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome Call(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(ModelCli, BadInputIsExitTwoWithNothingOnOut) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{},
                                             {"fly"},
                                             {"run", "--weaken", "glute_med"},
                                             {"run", "--weaken", "quads=0.5"},
                                             {"run", "--weaken", "glute_med=1.5"},
                                             {"run", "--weaken", "glute_med=abc"},
                                             {"run", "--json", "--csv"},
                                             {"run", "--model", "/nonexistent/model.json"},
                                             {"sweep"},
                                             {"sweep", "--group", "glute_med", "--steps", "0"},
                                             {"import", "x.osim"},
                                             {"import", "/nonexistent.osim", "--kinematics", "k",
                                              "--grf", "g", "--loads", "l", "--out", "o.json"}}) {
    const Outcome o = Call(args);
    EXPECT_EQ(o.code, 2) << (args.empty() ? std::string("(none)") : args[0]);
    EXPECT_TRUE(o.out.empty());
    EXPECT_FALSE(o.err.empty());
  }
}

TEST(ModelCli, RunTextShowsSummaryAndCredit) {
  const Outcome o = Call({"run", "--weaken", "glute_med=0.5"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("glute_med 50% weaker"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Credit:"), std::string::npos);
  EXPECT_NE(o.out.find("CC BY 3.0"), std::string::npos);
  EXPECT_NE(o.out.find("trunk lean"), std::string::npos);
}

TEST(ModelCli, RunJsonHasCreditAndFrames) {
  const Outcome o = Call({"run", "--weaken", "hip_abductors=0.9", "--json"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("\"credit\""), std::string::npos);
  EXPECT_NE(o.out.find("\"peak_bw\""), std::string::npos);
  EXPECT_NE(o.out.find("\"compensators\""), std::string::npos);
  EXPECT_NE(o.out.find("\"cycle_percent\": 100.0"), std::string::npos);
}

TEST(ModelCli, RunCsvHasOneRowPerFrame) {
  const Outcome o = Call({"run", "--csv"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out.rfind("# Model: OpenSim gait2392", 0), 0u);
  EXPECT_EQ(std::count(o.out.begin(), o.out.end(), '\n'), 1 + 1 + 101);
}

TEST(ModelCli, RunSvgWritesAPlotWithCredit) {
  const auto path = std::filesystem::temp_directory_path() / "hipcoach_model_cli_test.svg";
  const Outcome o = Call({"run", "--weaken", "glutes=0.5", "--svg", path.string()});
  ASSERT_EQ(o.code, 0) << o.err;
  std::ifstream in(path);
  std::stringstream svg;
  svg << in.rdbuf();
  EXPECT_NE(svg.str().find("<svg"), std::string::npos);
  EXPECT_NE(svg.str().find("CC BY 3.0"), std::string::npos);
  EXPECT_NE(svg.str().find("<path"), std::string::npos);
  EXPECT_NE(o.out.find("Credit:"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(ModelCli, SweepHasTenSteps) {
  const Outcome o = Call({"sweep", "--group", "glute_med", "--csv"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(std::count(o.out.begin(), o.out.end(), '\n'), 1 + 1 + 10);
  EXPECT_NE(o.out.find("glute_med,0.90"), std::string::npos) << o.out;
}

TEST(ModelCli, RunListsSameSideHipCompensatorsByDefault) {
  const Outcome o = Call({"run", "--weaken", "glute_med=0.5"});
  ASSERT_EQ(o.code, 0) << o.err;
  const auto at = o.out.find("Muscles that take over");
  ASSERT_NE(at, std::string::npos) << o.out;
  EXPECT_NE(o.out.find("crossing the right hip", at), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("glut_min1_r", at), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("med_gas_l"), std::string::npos) << o.out;
  // The whole-body list is one flag away.
  const Outcome all = Call({"run", "--weaken", "glute_med=0.5", "--all-muscles", "--json"});
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_NE(all.out.find("\"compensators_from\": \"all\""), std::string::npos);
  EXPECT_NE(all.out.find("\"muscle\": \"med_gas_l\""), std::string::npos);
}

TEST(ModelCli, RunCsvCarriesTheCompensatorForces) {
  const Outcome o = Call({"run", "--weaken", "glute_med=0.5", "--csv"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find(",reserve_nm,force_glut_min1_r_n,baseline_force_glut_min1_r_n"),
            std::string::npos)
      << o.out.substr(0, 600);
  EXPECT_EQ(std::count(o.out.begin(), o.out.end(), '\n'), 1 + 1 + 101);
}

TEST(ModelCli, SweepShowsPeakComponentsReserveAndThreeCompensatorsPerStep) {
  const Outcome text = Call({"sweep", "--group", "glute_med"});
  ASSERT_EQ(text.code, 0) << text.err;
  std::istringstream lines(text.out);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.size() > 6 && line[5] == '%') {
      ++rows;
      if (line.rfind("    0%", 0) != 0) {  // every weakened level: three same-side muscles
        EXPECT_EQ(std::count(line.begin(), line.end(), ','), 2) << line;
        EXPECT_EQ(line.find("_l "), std::string::npos) << line;
        EXPECT_EQ(line.find("glut_med"), std::string::npos) << line;
      }
    }
  }
  EXPECT_EQ(rows, 10) << text.out;
  EXPECT_NE(text.out.find("peak_BW  change_BW  anterior  medial  superior  reserve_Nm"),
            std::string::npos);
  EXPECT_NE(text.out.find("   50%     3.59      -0.15"), std::string::npos) << text.out;

  const Outcome csv = Call({"sweep", "--group", "glute_med", "--csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(csv.out.find("group,fraction,weakened_side,joint,peak_bw,peak_time_s,change_bw,"
                         "change_percent,anterior_bw,medial_bw,superior_bw,reserve_nm,"
                         "compensators_from,compensator_1,compensator_1_increase_n,"
                         "compensator_2,compensator_2_increase_n,compensator_3,"
                         "compensator_3_increase_n\n"),
            std::string::npos)
      << csv.out;
  EXPECT_NE(csv.out.find("glute_med,0.50,both,hip_r,3.58"), std::string::npos) << csv.out;

  const Outcome js = Call({"sweep", "--group", "glute_med", "--json"});
  ASSERT_EQ(js.code, 0) << js.err;
  for (const char* key :
       {"\"peak_bw\"", "\"change_bw\"", "\"anterior\"", "\"medial\"", "\"superior\"",
        "\"peak_reserve_nm\"", "\"compensators_from\": \"hip_r\"", "\"muscle\": \"glut_min1_r\"",
        "\"credit\"", "\"weakened_side\": \"both\""}) {
    EXPECT_NE(js.out.find(key), std::string::npos) << key;
  }
  EXPECT_EQ(js.out.find("med_gas_l"), std::string::npos);
}

// A one-body OpenSim model whose only joint is called hip_r (so hipcoach can report it), with
// `meta` (credits, publications or nothing) spliced into <Model>.
std::string SyntheticOsim(const std::string& meta) {
  std::string axes;
  const char* names[6] = {"rotation1",    "rotation2",    "rotation3",
                          "translation1", "translation2", "translation3"};
  const char* dirs[6] = {"0 0 1", "1 0 0", "0 1 0", "1 0 0", "0 1 0", "0 0 1"};
  for (int i = 0; i < 6; ++i) {
    axes += std::string("<TransformAxis name=\"") + names[i] + "\">" +
            (i == 0 ? "<coordinates>q</coordinates><LinearFunction name=\"function\">"
                      "<coefficients>1 0</coefficients></LinearFunction>"
                    : "<coordinates></coordinates><Constant name=\"function\"><value>0</value>"
                      "</Constant>") +
            "<axis>" + dirs[i] + "</axis></TransformAxis>\n";
  }
  return "<?xml version=\"1.0\"?>\n<OpenSimDocument Version=\"40000\">\n<Model name=\"synth\">\n" +
         meta +
         "\n<gravity>0 -9.81 0</gravity>\n<BodySet><objects>\n<Body name=\"calcn_r\">"
         "<mass>2</mass><mass_center>0 -0.5 0</mass_center><inertia>1 1 1 0 0 0</inertia>"
         "</Body>\n</objects></BodySet>\n<JointSet><objects>\n<CustomJoint name=\"hip_r\">"
         "<socket_parent_frame>ground_offset</socket_parent_frame>"
         "<socket_child_frame>calcn_r_offset</socket_child_frame><coordinates><Coordinate "
         "name=\"q\"><range>-1 1</range></Coordinate></coordinates><frames>"
         "<PhysicalOffsetFrame name=\"ground_offset\"><socket_parent>/ground</socket_parent>"
         "<translation>0 1 0</translation><orientation>0 0 0</orientation>"
         "</PhysicalOffsetFrame><PhysicalOffsetFrame name=\"calcn_r_offset\"><socket_parent>"
         "/bodyset/calcn_r</socket_parent><translation>0 0 0</translation><orientation>0 0 0"
         "</orientation></PhysicalOffsetFrame></frames><SpatialTransform>\n" +
         axes +
         "</SpatialTransform></CustomJoint>\n</objects></JointSet>\n<ForceSet><objects>\n"
         "<Thelen2003Muscle name=\"m\"><GeometryPath><PathPointSet><objects>"
         "<PathPoint name=\"p1\"><socket_parent_frame>/bodyset/calcn_r</socket_parent_frame>"
         "<location>0 0 0</location></PathPoint>"
         "<PathPoint name=\"p2\"><socket_parent_frame>/bodyset/calcn_r</socket_parent_frame>"
         "<location>0 -0.3 0</location></PathPoint>"
         "</objects></PathPointSet></GeometryPath><max_isometric_force>500</max_isometric_force>"
         "<optimal_fiber_length>0.1</optimal_fiber_length><tendon_slack_length>0.2"
         "</tendon_slack_length></Thelen2003Muscle>\n</objects></ForceSet>\n</Model>\n"
         "</OpenSimDocument>\n";
}

void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// Writes the synthetic model with `meta` and two seconds of motion and ground reaction (two
// right heel strikes) into `dir`, then runs `hipcoach model import` on them (plus `extra`).
Outcome ImportSynthetic(const std::filesystem::path& dir, const std::string& meta,
                        const std::string& out_name = "synth.json",
                        const std::vector<std::string>& extra = {}) {
  std::filesystem::create_directories(dir);
  WriteText(dir / "synth.osim", SyntheticOsim(meta));
  std::string kin = "Coordinates\nversion=1\ninDegrees=yes\nendheader\ntime\tq\n";
  std::string grf = "grf\nendheader\ntime\tf_vx\tf_vy\tf_vz\tf_px\tf_py\tf_pz\tt_x\tt_y\tt_z\n";
  for (int i = 0; i <= 200; ++i) {
    const double t = 0.01 * i;
    const double phase = 0.01 * (i % 100);
    kin += std::to_string(t) + "\t" + std::to_string(10.0 * std::sin(6.283185307179586 * t)) + "\n";
    grf += std::to_string(t) + "\t0\t" + (phase >= 0.295 && phase < 0.895 ? "100" : "0") +
           "\t0\t0\t0\t0\t0\t0\t0\n";
  }
  WriteText(dir / "synth.sto", kin);
  WriteText(dir / "synth_grf.mot", grf);
  WriteText(dir / "synth_loads.xml",
            "<OpenSimDocument Version=\"40000\"><ExternalLoads><objects><ExternalForce "
            "name=\"r\"><applied_to_body>calcn_r</applied_to_body><force_expressed_in_body>ground"
            "</force_expressed_in_body><point_expressed_in_body>ground</point_expressed_in_body>"
            "<force_identifier>f_v</force_identifier><point_identifier>f_p</point_identifier>"
            "<torque_identifier>t_</torque_identifier></ExternalForce></objects>"
            "<datafile>synth_grf.mot</datafile></ExternalLoads></OpenSimDocument>");
  std::vector<std::string> args = {"import",       (dir / "synth.osim").string(),
                                   "--kinematics", (dir / "synth.sto").string(),
                                   "--grf",        (dir / "synth_grf.mot").string(),
                                   "--loads",      (dir / "synth_loads.xml").string(),
                                   "--points",     "21",
                                   "--out",        (dir / out_name).string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return Call(args);
}

TEST(ModelCli, ImportShowsTheModelFilesOwnCredit) {
  const auto dir = std::filesystem::temp_directory_path() / "hipcoach_model_credit_test";
  const Outcome o = ImportSynthetic(
      dir,
      "<credits>Doe J., Roe R.</credits>\n<publications>Doe J. (2024) A synthetic hip.\n"
      "   J Tests 1:1-2.</publications>");
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string credit =
      "Model \"synth\", credits as stated in the model file: Doe J., Roe R. Publications: Doe J. "
      "(2024) A synthetic hip. J Tests 1:1-2.";
  EXPECT_NE(o.out.find("Credit: " + credit), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("gait2392"), std::string::npos) << o.out;
  // Results computed with the imported file carry its credit, not gait2392's.
  const Outcome run = Call({"run", "--model", (dir / "synth.json").string()});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Credit: " + credit), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("gait2392"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("CC BY"), std::string::npos) << run.out;
  const Outcome csv = Call({"run", "--model", (dir / "synth.json").string(), "--csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("# " + credit, 0), 0u) << csv.out.substr(0, 300);
  // --credit replaces the file's.
  const Outcome own = ImportSynthetic(dir, "<credits>Doe J.</credits>", "own.json",
                                      {"--credit", "Synthetic model, public domain"});
  ASSERT_EQ(own.code, 0) << own.err;
  EXPECT_NE(own.out.find("Credit: Synthetic model, public domain\n"), std::string::npos) << own.out;
  std::filesystem::remove_all(dir);
}

TEST(ModelCli, ImportWithoutCreditSaysSo) {
  const auto dir = std::filesystem::temp_directory_path() / "hipcoach_model_nocredit_test";
  for (const std::string& meta :
       {std::string(), std::string("<credits>Unassigned</credits><publications>Unassigned"
                                   "</publications>")}) {
    const Outcome o = ImportSynthetic(dir, meta);
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("Credit: Model \"synth\": credit not stated in the model file; check "
                         "its licence.\n"),
              std::string::npos)
        << o.out;
    EXPECT_EQ(o.out.find("gait2392"), std::string::npos) << o.out;
    const Outcome run = Call({"run", "--model", (dir / "synth.json").string(), "--json"});
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_NE(run.out.find("credit not stated in the model file; check its licence"),
              std::string::npos);
    EXPECT_EQ(run.out.find("gait2392"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(ModelCli, TrunkLeanIsAPrescribedVariant) {
  const Outcome o = Call({"run", "--weaken", "glute_med=0.5", "--trunk-lean", "10"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Motion: trunk held leaning 10 deg toward the right side (prescribed, "
                       "not predicted"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("early-stance hip adduction moment"), std::string::npos);
  const Outcome js = Call({"run", "--trunk-lean", "-5", "--json"});
  ASSERT_EQ(js.code, 0) << js.err;
  EXPECT_NE(js.out.find("\"prescribed\": true"), std::string::npos);
  for (const auto& bad : {"45", "x", "nan"}) {
    const Outcome b = Call({"run", "--trunk-lean", bad});
    EXPECT_EQ(b.code, 2) << bad;
    EXPECT_TRUE(b.out.empty());
  }
}

TEST(ModelCli, ImportReproducesTheBuiltInData) {
  const std::string d = std::string(HIPCOACH_OPENSIM_DATA_DIR) + "/";
  ASSERT_TRUE(std::filesystem::exists(d + "subject01_simbody_adjusted_StaticOp.osim"))
      << "the OpenSim reference data are missing from " << d;
  const auto path = std::filesystem::temp_directory_path() / "hipcoach_model_import_test.json";
  const Outcome o =
      Call({"import", d + "subject01_simbody_adjusted_StaticOp.osim", "--kinematics",
            d + "subject01_walk1_Kinematics.sto", "--grf", d + "subject01_walk1_grf.mot", "--loads",
            d + "foot_floor_loads.xml", "--actuators",
            d + "gait2392_SO_weak_Residual_Actuators.xml", "--out", path.string()});
  ASSERT_EQ(o.code, 0) << o.err;
  auto imported = LoadDatasetFile(path.string());
  ASSERT_TRUE(imported) << imported.error();
  auto builtin = LoadBuiltin();
  ASSERT_TRUE(builtin);
  ASSERT_EQ(imported->trial.frames.size(), builtin->trial.frames.size());
  EXPECT_NEAR(imported->cycle_start, builtin->cycle_start, 1e-9);
  for (std::size_t i = 0; i < imported->trial.frames.size(); i += 10) {
    for (std::size_t j = 0; j < imported->trial.frames[i].q.size(); ++j) {
      EXPECT_NEAR(imported->trial.frames[i].q[j], builtin->trial.frames[i].q[j], 1e-8);
      EXPECT_NEAR(imported->trial.frames[i].qdd[j], builtin->trial.frames[i].qdd[j], 1e-5);
    }
  }
  // The credit comes from the .osim file's own <credits> and <publications> (the built-in data
  // carry hipcoach's fuller gait2392 credit, written by hipcoach_model_import_tool --credit).
  EXPECT_NE(o.out.find("Credit: Model \"subject01\", credits as stated in the model file:"),
            std::string::npos)
      << o.out;
  EXPECT_NE(imported->credit.find("Thelen D.G., Anderson F.C., Seth A."), std::string::npos)
      << imported->credit;
  EXPECT_NE(imported->credit.find("Publications: Notes: 3D, 23 DOF gait model"), std::string::npos)
      << imported->credit;
  // And the model through --model gives the same numbers as the built-in one, with the
  // imported file's credit on the first line.
  const Outcome a = Call({"run", "--model", path.string(), "--csv"});
  const Outcome b = Call({"run", "--csv"});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out.substr(a.out.find('\n')), b.out.substr(b.out.find('\n')));
  EXPECT_EQ(a.out.rfind("# " + imported->credit + "\n", 0), 0u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace hipcoach::model
