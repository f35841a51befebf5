#include "hipcoach/model/cli.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(ModelCli, ImportReproducesTheBuiltInData) {
  const std::string d = std::string(HIPCOACH_SHARED_DIR) + "/data/opensim-gait2392/";
  if (!std::filesystem::exists(d + "subject01_simbody_adjusted_StaticOp.osim")) {
    GTEST_SKIP() << "shared reference data not found at " << d;
  }
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
  // And the model through --model gives the same numbers as the built-in one.
  const Outcome a = Call({"run", "--model", path.string(), "--csv"});
  const Outcome b = Call({"run", "--csv"});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace hipcoach::model
