#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <utility>

#include "hipcoach/model/dataset.hpp"
#include "hipcoach/model/io.hpp"

namespace hipcoach::model {

namespace {

using nlohmann::json;

double Round(double v, double quantum) { return std::round(v / quantum) * quantum; }

json Vec(const Vec3& v) { return json::array({v[0], v[1], v[2]}); }

json FunctionJson(const Function& f) {
  json j;
  switch (f.kind) {
    case Function::Kind::kConstant:
      j["c"] = f.value;
      break;
    case Function::Kind::kLinear:
      j["lin"] = json::array({f.slope, f.intercept});
      break;
    case Function::Kind::kSpline:
      j["x"] = f.x;
      j["y"] = f.y;
      break;
  }
  if (f.scale != 1.0) {
    j["scale"] = f.scale;
  }
  return j;
}

std::string CoordName(const Model& m, int c) {
  return c < 0 ? std::string() : m.coordinates[static_cast<std::size_t>(c)].name;
}

std::string BodyName(const Model& m, int b) {
  return b < 0 ? std::string("ground") : m.bodies[static_cast<std::size_t>(b)].name;
}

// Reading helpers that turn JSON type errors into messages.
struct Reader {
  std::string source;
  std::string error;

  bool Fail(const std::string& what) {
    if (error.empty()) {
      error = source + ": " + what;
    }
    return false;
  }
};

Vec3 ToVec(const json& j) {
  Vec3 v{};
  for (std::size_t k = 0; k < 3; ++k) {
    v[k] = j.at(k).get<double>();
  }
  return v;
}

Function ToFunction(const json& j) {
  Function f;
  const double scale = j.value("scale", 1.0);
  if (j.contains("c")) {
    f = MakeConstant(j.at("c").get<double>());
  } else if (j.contains("lin")) {
    f = MakeLinear(j.at("lin").at(0).get<double>(), j.at("lin").at(1).get<double>());
  } else {
    f = MakeSimmSpline(j.at("x").get<std::vector<double>>(), j.at("y").get<std::vector<double>>());
  }
  f.scale = scale;
  return f;
}

int Lookup(const Model& m, const json& name, bool body) {
  const std::string n = name.is_null() ? std::string() : name.get<std::string>();
  if (n.empty()) {
    return -1;
  }
  if (body) {
    return n == "ground" ? -1 : m.BodyIndex(n);
  }
  return m.CoordinateIndex(n);
}

}  // namespace

std::string WriteCompact(const Dataset& d) {
  const Model& m = d.model;
  json model;
  model["name"] = m.name;
  model["credits"] = m.credits;
  if (!m.publications.empty()) {
    model["publications"] = m.publications;
  }
  model["gravity"] = Vec(m.gravity);
  // Empty lists are written as [] (a model imported without --actuators has none).
  for (const char* list : {"bodies", "coordinates", "joints", "muscles", "actuators"}) {
    model[list] = json::array();
  }
  for (const auto& b : m.bodies) {
    model["bodies"].push_back(
        {{"name", b.name}, {"mass", b.mass}, {"com", Vec(b.com)}, {"inertia", b.inertia}});
  }
  for (const auto& c : m.coordinates) {
    model["coordinates"].push_back({{"name", c.name},
                                    {"rotational", c.rotational},
                                    {"range", json::array({c.range_min, c.range_max})}});
  }
  for (const auto& j : m.joints) {
    json axes = json::array();
    for (const auto& a : j.axes) {
      axes.push_back({{"coordinate", CoordName(m, a.coordinate)},
                      {"axis", Vec(a.axis)},
                      {"f", FunctionJson(a.function)}});
    }
    model["joints"].push_back({{"name", j.name},
                               {"parent", BodyName(m, j.parent_body)},
                               {"child", BodyName(m, j.child_body)},
                               {"parent_translation", Vec(j.parent_translation)},
                               {"parent_orientation", Vec(j.parent_orientation)},
                               {"child_translation", Vec(j.child_translation)},
                               {"child_orientation", Vec(j.child_orientation)},
                               {"axes", axes}});
  }
  for (const auto& mu : m.muscles) {
    json path = json::array();
    for (const auto& p : mu.path) {
      json pj = {{"body", BodyName(m, p.body)}, {"loc", Vec(p.location)}};
      if (p.kind == PathPoint::Kind::kConditional) {
        pj["cond"] = {{"coordinate", CoordName(m, p.coordinate)},
                      {"range", json::array({p.range_min, p.range_max})}};
      } else if (p.kind == PathPoint::Kind::kMoving) {
        for (std::size_t k = 0; k < 3; ++k) {
          pj["moving"].push_back({{"coordinate", CoordName(m, p.moving_coordinate[k])},
                                  {"f", FunctionJson(p.moving[k])}});
        }
      }
      path.push_back(pj);
    }
    model["muscles"].push_back({{"name", mu.name},
                                {"fmax", mu.max_isometric_force},
                                {"lopt", mu.optimal_fiber_length},
                                {"lts", mu.tendon_slack_length},
                                {"pennation", mu.pennation_angle},
                                {"vmax", mu.max_contraction_velocity},
                                {"kshape_active", mu.kshape_active},
                                {"af", mu.af},
                                {"flen", mu.flen},
                                {"fv_extrap", mu.fv_linear_extrap_threshold},
                                {"controls", json::array({mu.min_control, mu.max_control})},
                                {"path", path}});
  }
  for (const auto& a : m.actuators) {
    static const char* kKinds[3] = {"point", "torque", "coordinate"};
    model["actuators"].push_back(
        {{"name", a.name},
         {"kind", kKinds[static_cast<int>(a.kind)]},
         {"body", a.body < 0 ? std::string() : BodyName(m, a.body)},
         {"point", Vec(a.point)},
         {"point_is_global", a.point_is_global},
         {"direction", Vec(a.direction)},
         {"direction_is_global", a.direction_is_global},
         {"coordinate", CoordName(m, a.coordinate)},
         {"optimal_force", a.optimal_force},
         {"controls", json::array({std::isfinite(a.min_control) ? a.min_control : -1e30,
                                   std::isfinite(a.max_control) ? a.max_control : 1e30})}});
  }
  json trial;
  trial["name"] = d.trial.name;
  trial["cycle"] = json::array({d.cycle_start, d.cycle_end});
  json loads = json::array();
  for (const auto& fr : d.trial.frames) {
    trial["time"].push_back(Round(fr.time, 1e-9));
    json q = json::array();
    json qd = json::array();
    json qdd = json::array();
    for (std::size_t j = 0; j < fr.q.size(); ++j) {
      q.push_back(Round(fr.q[j], 1e-9));
      qd.push_back(Round(fr.qd[j], 1e-8));
      qdd.push_back(Round(fr.qdd[j], 1e-6));
    }
    trial["q"].push_back(q);
    trial["qd"].push_back(qd);
    trial["qdd"].push_back(qdd);
    json fl = json::array();
    for (const auto& l : fr.loads) {
      json v = json::array();
      for (const auto* arr : {&l.force, &l.point, &l.torque}) {
        for (const double x : *arr) {
          v.push_back(Round(x, 1e-6));
        }
      }
      fl.push_back({{"body", BodyName(m, l.body)}, {"fpt", v}});
    }
    trial["loads"].push_back(fl);
  }
  json root;
  root["format"] = kCompactFormat;
  root["credit"] = d.credit;
  root["source"] = d.source;
  root["units"] = "SI: metres, radians, newtons, seconds; loads expressed in ground";
  root["model"] = model;
  root["trial"] = trial;
  return root.dump(0) + "\n";
}

tl::expected<Dataset, std::string> ParseCompact(std::string_view text, const std::string& source) {
  Reader rd{source, {}};
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return tl::unexpected(source + ": not valid JSON: " + e.what());
  }
  try {
    if (root.value("format", std::string()) != kCompactFormat) {
      return tl::unexpected(source + ": not a hipcoach model file (format '" +
                            std::string(kCompactFormat) + "' expected)");
    }
    Dataset d;
    d.credit = root.value("credit", std::string());
    d.source = root.value("source", std::string());
    const json& mj = root.at("model");
    Model& m = d.model;
    m.name = mj.value("name", std::string());
    m.credits = mj.value("credits", std::string());
    m.publications = mj.value("publications", std::string());
    m.gravity = ToVec(mj.at("gravity"));
    for (const auto& b : mj.at("bodies")) {
      Body body;
      body.name = b.at("name").get<std::string>();
      body.mass = b.at("mass").get<double>();
      body.com = ToVec(b.at("com"));
      const auto inertia = b.at("inertia").get<std::vector<double>>();
      if (inertia.size() != 6) {
        return tl::unexpected(source + ": body " + body.name + " needs six inertia values");
      }
      std::copy(inertia.begin(), inertia.end(), body.inertia.begin());
      m.bodies.push_back(body);
    }
    for (const auto& c : mj.at("coordinates")) {
      Coordinate co;
      co.name = c.at("name").get<std::string>();
      co.rotational = c.at("rotational").get<bool>();
      co.range_min = c.at("range").at(0).get<double>();
      co.range_max = c.at("range").at(1).get<double>();
      m.coordinates.push_back(co);
    }
    for (const auto& jj : mj.at("joints")) {
      Joint j;
      j.name = jj.at("name").get<std::string>();
      j.parent_body = Lookup(m, jj.at("parent"), true);
      j.child_body = Lookup(m, jj.at("child"), true);
      if (j.child_body < 0 ||
          (j.parent_body < 0 && jj.at("parent").get<std::string>() != "ground")) {
        return tl::unexpected(source + ": joint " + j.name + " refers to unknown bodies");
      }
      if (j.parent_body >= 0 && m.bodies[static_cast<std::size_t>(j.parent_body)].joint < 0) {
        return tl::unexpected(source + ": joint " + j.name + " comes before its parent's joint");
      }
      j.parent_translation = ToVec(jj.at("parent_translation"));
      j.parent_orientation = ToVec(jj.at("parent_orientation"));
      j.child_translation = ToVec(jj.at("child_translation"));
      j.child_orientation = ToVec(jj.at("child_orientation"));
      const auto& axes = jj.at("axes");
      if (axes.size() != 6) {
        return tl::unexpected(source + ": joint " + j.name + " needs six transform axes");
      }
      for (std::size_t k = 0; k < 6; ++k) {
        j.axes[k].coordinate = Lookup(m, axes[k].at("coordinate"), false);
        j.axes[k].axis = ToVec(axes[k].at("axis"));
        j.axes[k].function = ToFunction(axes[k].at("f"));
      }
      m.bodies[static_cast<std::size_t>(j.child_body)].joint = static_cast<int>(m.joints.size());
      m.joints.push_back(j);
    }
    for (auto& c : m.coordinates) {
      for (std::size_t ji = 0; ji < m.joints.size(); ++ji) {
        for (const auto& a : m.joints[ji].axes) {
          if (a.coordinate >= 0 &&
              m.coordinates[static_cast<std::size_t>(a.coordinate)].name == c.name) {
            c.joint = static_cast<int>(ji);
          }
        }
      }
    }
    for (const auto& b : m.bodies) {
      if (b.joint < 0) {
        return tl::unexpected(source + ": body " + b.name + " has no joint");
      }
    }
    for (const auto& mu : mj.at("muscles")) {
      Muscle x;
      x.name = mu.at("name").get<std::string>();
      x.max_isometric_force = mu.at("fmax").get<double>();
      x.optimal_fiber_length = mu.at("lopt").get<double>();
      x.tendon_slack_length = mu.at("lts").get<double>();
      x.pennation_angle = mu.at("pennation").get<double>();
      x.max_contraction_velocity = mu.at("vmax").get<double>();
      x.kshape_active = mu.at("kshape_active").get<double>();
      x.af = mu.at("af").get<double>();
      x.flen = mu.at("flen").get<double>();
      x.fv_linear_extrap_threshold = mu.at("fv_extrap").get<double>();
      x.min_control = mu.at("controls").at(0).get<double>();
      x.max_control = mu.at("controls").at(1).get<double>();
      for (const auto& pj : mu.at("path")) {
        PathPoint p;
        p.body = Lookup(m, pj.at("body"), true);
        if (p.body < 0) {
          return tl::unexpected(source + ": muscle " + x.name + " has a point on an unknown body");
        }
        p.location = ToVec(pj.at("loc"));
        if (pj.contains("cond")) {
          p.kind = PathPoint::Kind::kConditional;
          p.coordinate = Lookup(m, pj.at("cond").at("coordinate"), false);
          p.range_min = pj.at("cond").at("range").at(0).get<double>();
          p.range_max = pj.at("cond").at("range").at(1).get<double>();
        } else if (pj.contains("moving")) {
          p.kind = PathPoint::Kind::kMoving;
          for (std::size_t k = 0; k < 3; ++k) {
            p.moving_coordinate[k] = Lookup(m, pj.at("moving").at(k).at("coordinate"), false);
            p.moving[k] = ToFunction(pj.at("moving").at(k).at("f"));
          }
        }
        x.path.push_back(std::move(p));
      }
      if (x.path.size() < 2) {
        return tl::unexpected(source + ": muscle " + x.name + " needs two path points");
      }
      m.muscles.push_back(std::move(x));
    }
    for (const auto& aj : mj.at("actuators")) {
      Actuator a;
      a.name = aj.at("name").get<std::string>();
      const std::string kind = aj.at("kind").get<std::string>();
      a.kind = kind == "point"    ? Actuator::Kind::kPoint
               : kind == "torque" ? Actuator::Kind::kTorque
                                  : Actuator::Kind::kCoordinate;
      a.body = Lookup(m, aj.at("body"), true);
      a.point = ToVec(aj.at("point"));
      a.point_is_global = aj.at("point_is_global").get<bool>();
      a.direction = ToVec(aj.at("direction"));
      a.direction_is_global = aj.at("direction_is_global").get<bool>();
      a.coordinate = Lookup(m, aj.at("coordinate"), false);
      a.optimal_force = aj.at("optimal_force").get<double>();
      a.min_control = aj.at("controls").at(0).get<double>();
      a.max_control = aj.at("controls").at(1).get<double>();
      if ((a.kind == Actuator::Kind::kCoordinate && a.coordinate < 0) ||
          (a.kind != Actuator::Kind::kCoordinate && a.body < 0)) {
        return tl::unexpected(source + ": actuator " + a.name + " is not attached");
      }
      m.actuators.push_back(a);
    }
    const json& tj = root.at("trial");
    d.trial.name = tj.value("name", std::string());
    d.cycle_start = tj.at("cycle").at(0).get<double>();
    d.cycle_end = tj.at("cycle").at(1).get<double>();
    const auto& time = tj.at("time");
    const std::size_t nq = m.coordinates.size();
    for (std::size_t i = 0; i < time.size(); ++i) {
      TrialFrame fr;
      fr.time = time.at(i).get<double>();
      fr.q = tj.at("q").at(i).get<std::vector<double>>();
      fr.qd = tj.at("qd").at(i).get<std::vector<double>>();
      fr.qdd = tj.at("qdd").at(i).get<std::vector<double>>();
      if (fr.q.size() != nq || fr.qd.size() != nq || fr.qdd.size() != nq) {
        return tl::unexpected(source + ": frame " + std::to_string(i) +
                              " has the wrong number of coordinates");
      }
      for (const auto& lj : tj.at("loads").at(i)) {
        AppliedLoad l;
        l.body = Lookup(m, lj.at("body"), true);
        const auto v = lj.at("fpt").get<std::vector<double>>();
        if (l.body < 0 || v.size() != 9) {
          return tl::unexpected(source + ": bad load at frame " + std::to_string(i));
        }
        for (std::size_t k = 0; k < 3; ++k) {
          l.force[k] = v[k];
          l.point[k] = v[3 + k];
          l.torque[k] = v[6 + k];
        }
        fr.loads.push_back(l);
      }
      d.trial.frames.push_back(std::move(fr));
    }
    if (d.trial.frames.size() < 2) {
      return tl::unexpected(source + ": the trial needs at least two frames");
    }
    return d;
  } catch (const json::exception& e) {
    return tl::unexpected(source + ": " + e.what());
  }
}

tl::expected<Dataset, std::string> LoadDatasetFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return ParseCompact(*text, path);
}

std::string DatasetCredit(const Dataset& dataset) {
  return dataset.credit.empty() ? ModelCredit(dataset.model) : dataset.credit;
}

tl::expected<Dataset, std::string> ImportOpenSim(const ImportOptions& o) {
  auto model = ReadOsimFile(o.osim);
  if (!model) {
    return tl::unexpected(model.error());
  }
  if (!o.actuators.empty()) {
    auto acts = ReadActuatorsFile(o.actuators, *model);
    if (!acts) {
      return tl::unexpected(acts.error());
    }
    model->actuators.insert(model->actuators.end(), acts->begin(), acts->end());
  }
  auto kin = ReadStorageFile(o.kinematics);
  if (!kin) {
    return tl::unexpected(kin.error());
  }
  auto loads = ReadExternalLoadsFile(o.loads);
  if (!loads) {
    return tl::unexpected(loads.error());
  }
  auto grf = ReadStorageFile(o.grf);
  if (!grf) {
    return tl::unexpected(grf.error());
  }
  if (o.points < 2) {
    return tl::unexpected(std::string("at least two points per cycle are needed"));
  }
  double start = o.cycle_start;
  double end = o.cycle_end;
  if (start < 0 || end < 0) {
    // Right heel strikes: the vertical force on calcn_r rising through the threshold.
    int col = -1;
    for (const auto& f : loads->forces) {
      if (f.applied_to_body == "calcn_r") {
        col = grf->ColumnIndex(f.force_identifier + "y");
      }
    }
    if (col < 0) {
      return tl::unexpected(
          std::string("cannot find the right foot's vertical force to detect "
                      "the gait cycle; give the cycle times"));
    }
    std::vector<double> strikes;
    const double t0 = kin->time.front();
    const double t1 = kin->time.back();
    for (std::size_t i = 1; i < grf->time.size(); ++i) {
      const double prev = grf->data[i - 1][static_cast<std::size_t>(col)];
      const double cur = grf->data[i][static_cast<std::size_t>(col)];
      if (prev <= o.contact_threshold_n && cur > o.contact_threshold_n && grf->time[i] >= t0 &&
          grf->time[i] <= t1) {
        strikes.push_back(grf->time[i]);
      }
    }
    if (strikes.size() < 2) {
      return tl::unexpected(std::string("the data hold no complete right gait cycle"));
    }
    start = strikes[0];
    end = strikes[1];
  }
  TrialOptions topt;
  for (int i = 0; i < o.points; ++i) {
    topt.times.push_back(start + (end - start) * static_cast<double>(i) /
                                     static_cast<double>(o.points - 1));
  }
  auto trial = BuildTrial(*model, *kin, *grf, *loads, topt);
  if (!trial) {
    return tl::unexpected(trial.error());
  }
  Dataset d;
  d.model = std::move(*model);
  d.trial = std::move(*trial);
  d.cycle_start = start;
  d.cycle_end = end;
  d.credit = o.credit.empty() ? ModelCredit(d.model) : o.credit;
  auto base = [](const std::string& p) {
    const auto s = p.find_last_of('/');
    return s == std::string::npos ? p : p.substr(s + 1);
  };
  d.source = "imported by hipcoach from " + base(o.osim) + ", " + base(o.kinematics) + ", " +
             base(o.grf) + ", " + base(o.loads) +
             (o.actuators.empty() ? std::string() : ", " + base(o.actuators));
  d.trial.name = base(o.kinematics);
  return d;
}

}  // namespace hipcoach::model
