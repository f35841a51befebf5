#include "hipcoach/model/cli.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <utility>

#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/variant.hpp"
#include "report.hpp"

namespace hipcoach::model {

namespace {

constexpr const char* kUsage =
    "usage: hipcoach model run [--weaken GROUP=FRACTION ...] [--side both|right|left]\n"
    "                          [--all-muscles] [--trunk-lean DEG] [--model FILE.json]\n"
    "                          [--json | --csv | --svg FILE]\n"
    "       hipcoach model sweep --group GROUP [--steps N] [--side ...] [--all-muscles]\n"
    "                            [--model FILE.json] [--json | --csv]\n"
    "       hipcoach model import FILE.osim --kinematics FILE.sto --grf FILE.mot\n"
    "                             --loads FILE.xml [--actuators FILE.xml] [--points N]\n"
    "                             [--credit TEXT] --out FILE.json\n"
    "groups: glute_max, glute_med, glute_min, glutes, hip_abductors; FRACTION 0..1 (0.5 = half "
    "the normal maximum force)\n"
    "--side: which side is weakened; the right hip is reported.\n"
    "Compensators (muscles that take over) are ranked among the muscles crossing the right hip;\n"
    "--all-muscles ranks every muscle of the model (both legs and the trunk).\n"
    "--trunk-lean DEG: hold the trunk leaning DEG degrees toward the right side (negative:\n"
    "away), a prescribed motion variant, compared with the measured upright motion.\n"
    "--credit: the credit stored with imported data (default: the model file's own <credits>\n"
    "and <publications>).\n";

struct BadInput {
  std::string message;
};

bool ParseDouble(const std::string& s, double& out) {
  if (s.empty()) {
    return false;
  }
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end != s.c_str() && *end == '\0';
}

// Pulls the value of an option that takes one.
std::string TakeValue(const std::vector<std::string>& args, std::size_t& i) {
  if (i + 1 >= args.size()) {
    throw BadInput{"option " + args[i] + " needs a value"};
  }
  return args[++i];
}

Side ParseSide(const std::string& s) {
  if (s == "both") {
    return Side::kBoth;
  }
  if (s == "right" || s == "r") {
    return Side::kRight;
  }
  if (s == "left" || s == "l") {
    return Side::kLeft;
  }
  throw BadInput{"--side must be both, right or left, not '" + s + "'"};
}

enum class Format { kText, kJson, kCsv, kSvg };

struct EngineHandle {
  std::shared_ptr<const Engine> engine;
};

// The engine for --model FILE or the built-in one. Bad files are bad input.
EngineHandle GetEngine(const std::string& model_file) {
  if (model_file.empty()) {
    auto e = BuiltinEngine();
    if (!e) {
      throw std::runtime_error("the built-in model cannot be loaded: " + e.error());
    }
    return {*e};
  }
  auto d = LoadDatasetFile(model_file);
  if (!d) {
    throw BadInput{d.error()};
  }
  auto e = MakeEngine(std::move(*d));
  if (!e) {
    throw BadInput{e.error()};
  }
  return {std::make_shared<const Engine>(std::move(*e))};
}

int Run(const std::vector<std::string>& args, std::ostream& out) {
  std::vector<Weakening> weakening;
  Side side = Side::kBoth;
  std::string model_file;
  Format format = Format::kText;
  std::string svg_file;
  CompensatorScope scope = CompensatorScope::kJointMuscles;
  std::optional<double> trunk_lean;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--trunk-lean") {
      const std::string v = TakeValue(args, i);
      double deg = 0;
      if (!ParseDouble(v, deg) || !(std::abs(deg) <= 30.0)) {
        throw BadInput{"--trunk-lean needs degrees between -30 and 30, not '" + v + "'"};
      }
      trunk_lean = deg;
    } else if (a == "--weaken") {
      const std::string v = TakeValue(args, i);
      const auto eq = v.find('=');
      double f = 0;
      if (eq == std::string::npos || !ParseDouble(v.substr(eq + 1), f)) {
        throw BadInput{"--weaken needs GROUP=FRACTION, e.g. glute_med=0.5, not '" + v + "'"};
      }
      if (!(f >= 0.0 && f <= 1.0)) {
        throw BadInput{"weakness fraction must be between 0 and 1, not '" + v.substr(eq + 1) + "'"};
      }
      weakening.push_back({v.substr(0, eq), f});
    } else if (a == "--side") {
      side = ParseSide(TakeValue(args, i));
    } else if (a == "--all-muscles") {
      scope = CompensatorScope::kAllMuscles;
    } else if (a == "--model") {
      model_file = TakeValue(args, i);
    } else if (a == "--json" || a == "--csv" || a == "--svg") {
      if (format != Format::kText) {
        throw BadInput{"choose one of --json, --csv, --svg"};
      }
      format = a == "--json" ? Format::kJson : a == "--csv" ? Format::kCsv : Format::kSvg;
      if (format == Format::kSvg) {
        svg_file = TakeValue(args, i);
      }
    } else {
      throw BadInput{"unknown option '" + a + "' for model run"};
    }
  }
  // Validate the groups before any heavy work.
  for (const auto& w : weakening) {
    bool known = false;
    for (const auto& g : WeaknessGroupNames()) {
      known = known || g == w.group;
    }
    if (!known) {
      std::string list;
      for (const auto& g : WeaknessGroupNames()) {
        list += (list.empty() ? "" : ", ") + g;
      }
      throw BadInput{"unknown muscle group '" + w.group + "' (known: " + list + ")"};
    }
  }
  const EngineHandle h = GetEngine(model_file);
  const Engine& e = *h.engine;
  const std::string joint = e.prepared.reaction_joints.front();
  auto base = Analyse(e.model, e.prepared, {}, side, joint);
  if (!base) {
    throw BadInput{base.error()};
  }
  std::optional<TrunkLean> lean;
  if (trunk_lean) {
    TrunkLeanOptions lo;
    lo.degrees = *trunk_lean;
    lo.stance_joint = joint;
    lo.stance_body = joint.back() == 'l' ? "calcn_l" : "calcn_r";
    auto l = MakeTrunkLean(e, lo);
    if (!l) {
      throw BadInput{l.error()};
    }
    lean = std::move(*l);
  }
  const Engine& we = lean ? lean->engine : e;
  auto weak = Analyse(we.model, we.prepared, weakening, side, joint);
  if (!weak) {
    throw BadInput{weak.error()};
  }
  if (lean) {
    weak->motion = lean->description;
  }
  WeaknessSummary s = Summarise(e.model, *base, *weak, 5, scope);
  s.credit = EngineCredit(e);
  switch (format) {
    case Format::kText:
      out << report::RunText(e, *base, *weak, s, lean ? &*lean : nullptr);
      break;
    case Format::kJson:
      out << report::RunJson(e, *base, *weak, s, lean ? &*lean : nullptr);
      break;
    case Format::kCsv:
      out << report::RunCsv(e, *base, *weak, s);
      break;
    case Format::kSvg: {
      std::ofstream f(svg_file, std::ios::binary);
      if (!f) {
        throw BadInput{"cannot write '" + svg_file + "'"};
      }
      f << report::RunSvg(e, *base, *weak, s);
      f.close();
      if (!f) {
        throw std::runtime_error("writing '" + svg_file + "' failed");
      }
      out << "wrote " << svg_file << " (" << report::WeakeningLabel(s.weakening) << ")\n"
          << "Credit: " << s.credit << "\n";
      break;
    }
  }
  return 0;
}

int SweepCommand(const std::vector<std::string>& args, std::ostream& out) {
  std::string group;
  Side side = Side::kBoth;
  std::string model_file;
  Format format = Format::kText;
  int steps = 10;
  CompensatorScope scope = CompensatorScope::kJointMuscles;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--group") {
      group = TakeValue(args, i);
    } else if (a == "--side") {
      side = ParseSide(TakeValue(args, i));
    } else if (a == "--all-muscles") {
      scope = CompensatorScope::kAllMuscles;
    } else if (a == "--model") {
      model_file = TakeValue(args, i);
    } else if (a == "--steps") {
      double v = 0;
      const std::string s = TakeValue(args, i);
      if (!ParseDouble(s, v) || v < 1 || v > 100 || v != static_cast<double>(static_cast<int>(v))) {
        throw BadInput{"--steps must be a whole number from 1 to 100"};
      }
      steps = static_cast<int>(v);
    } else if (a == "--json" || a == "--csv") {
      if (format != Format::kText) {
        throw BadInput{"choose one of --json, --csv"};
      }
      format = a == "--json" ? Format::kJson : Format::kCsv;
    } else {
      throw BadInput{"unknown option '" + a + "' for model sweep"};
    }
  }
  if (group.empty()) {
    throw BadInput{"model sweep needs --group GROUP"};
  }
  bool known = false;
  for (const auto& g : WeaknessGroupNames()) {
    known = known || g == group;
  }
  if (!known) {
    throw BadInput{"unknown muscle group '" + group + "'"};
  }
  std::vector<double> fractions;
  for (int k = 0; k < steps; ++k) {  // 0 to 90 % in equal steps by default
    fractions.push_back(0.9 * static_cast<double>(k) / static_cast<double>(std::max(1, steps - 1)));
  }
  const EngineHandle h = GetEngine(model_file);
  constexpr std::size_t kSweepCompensators = 3;
  auto points = Sweep(*h.engine, group, side, fractions, kSweepCompensators, scope);
  if (!points) {
    throw BadInput{points.error()};
  }
  const Engine& e = *h.engine;
  out << (format == Format::kJson  ? report::SweepJson(e, group, side, *points)
          : format == Format::kCsv ? report::SweepCsv(e, group, side, *points, kSweepCompensators)
                                   : report::SweepText(e, group, side, *points));
  return 0;
}

int Import(const std::vector<std::string>& args, std::ostream& out) {
  ImportOptions o;
  std::string out_file;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--kinematics") {
      o.kinematics = TakeValue(args, i);
    } else if (a == "--grf") {
      o.grf = TakeValue(args, i);
    } else if (a == "--loads") {
      o.loads = TakeValue(args, i);
    } else if (a == "--actuators") {
      o.actuators = TakeValue(args, i);
    } else if (a == "--out") {
      out_file = TakeValue(args, i);
    } else if (a == "--credit") {
      o.credit = TakeValue(args, i);
      if (o.credit.empty()) {
        throw BadInput{"--credit needs a text"};
      }
    } else if (a == "--points") {
      double v = 0;
      if (!ParseDouble(TakeValue(args, i), v) || v < 2 || v > 10000) {
        throw BadInput{"--points must be between 2 and 10000"};
      }
      o.points = static_cast<int>(v);
    } else if (!a.empty() && a[0] != '-' && o.osim.empty()) {
      o.osim = a;
    } else {
      throw BadInput{"unknown option '" + a + "' for model import"};
    }
  }
  if (o.osim.empty() || o.kinematics.empty() || o.grf.empty() || o.loads.empty() ||
      out_file.empty()) {
    throw BadInput{"model import needs FILE.osim, --kinematics, --grf, --loads and --out"};
  }
  auto d = ImportOpenSim(o);
  if (!d) {
    throw BadInput{d.error()};
  }
  std::ofstream f(out_file, std::ios::binary);
  if (!f) {
    throw BadInput{"cannot write '" + out_file + "'"};
  }
  f << WriteCompact(*d);
  f.close();
  if (!f) {
    throw std::runtime_error("writing '" + out_file + "' failed");
  }
  out << "wrote " << out_file << ": " << d->model.muscles.size() << " muscles, "
      << d->model.coordinates.size() << " coordinates, " << d->trial.frames.size()
      << " frames of the gait cycle " << d->cycle_start << " s to " << d->cycle_end << " s\n"
      << "Credit: " << DatasetCredit(*d) << "\n";
  return 0;
}

}  // namespace

int RunCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    if (args.empty()) {
      err << kUsage;
      return 2;
    }
    out << kUsage;
    return 0;
  }
  try {
    if (args[0] == "run") {
      return Run(args, out);
    }
    if (args[0] == "sweep") {
      return SweepCommand(args, out);
    }
    if (args[0] == "import") {
      return Import(args, out);
    }
    err << "hipcoach model: unknown command '" << args[0] << "'\n" << kUsage;
    return 2;
  } catch (const BadInput& e) {
    err << "hipcoach model: " << e.message << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "hipcoach model: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace hipcoach::model
