#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <utility>

#include "hipcoach/model/io.hpp"

namespace hipcoach::model {

namespace {

// Maps pugixml byte offsets to 1-based line numbers of the source text.
class LineMap {
 public:
  explicit LineMap(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        newlines_.push_back(static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  [[nodiscard]] long Line(std::ptrdiff_t offset) const {
    const auto it = std::lower_bound(newlines_.begin(), newlines_.end(), offset);
    return static_cast<long>(it - newlines_.begin()) + 1;
  }

 private:
  std::vector<std::ptrdiff_t> newlines_;
};

struct Ctx {
  std::string source;
  LineMap lines;

  [[nodiscard]] std::string Where(const pugi::xml_node& n) const {
    std::string name = n.attribute("name").as_string();
    std::string s = source + ":" + std::to_string(lines.Line(n.offset_debug())) + ": <" + n.name() +
                    (name.empty() ? "" : " name=\"" + name + "\"") + ">";
    return s;
  }
  [[nodiscard]] tl::unexpected<std::string> Error(const pugi::xml_node& n,
                                                  const std::string& what) const {
    return tl::unexpected(Where(n) + ": " + what);
  }
};

std::string Trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

std::string Text(const pugi::xml_node& n, const char* child) {
  return Trim(n.child(child).text().as_string());
}

bool ParseNumber(const std::string& word, double& out) {
  std::string w = word;
  std::transform(w.begin(), w.end(), w.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (w == "inf" || w == "+inf" || w == "infinity") {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (w == "-inf" || w == "-infinity") {
    out = -std::numeric_limits<double>::infinity();
    return true;
  }
  char* end = nullptr;
  out = std::strtod(word.c_str(), &end);
  return end != word.c_str() && *end == '\0';
}

tl::expected<std::vector<double>, std::string> Numbers(const Ctx& ctx, const pugi::xml_node& n) {
  std::istringstream in(n.text().as_string());
  std::vector<double> v;
  std::string w;
  while (in >> w) {
    double d = 0;
    if (!ParseNumber(w, d)) {
      return ctx.Error(n, "'" + w + "' is not a number");
    }
    v.push_back(d);
  }
  return v;
}

tl::expected<double, std::string> Number(const Ctx& ctx, const pugi::xml_node& parent,
                                         const char* child, double fallback) {
  const pugi::xml_node n = parent.child(child);
  if (!n) {
    return fallback;
  }
  auto v = Numbers(ctx, n);
  if (!v) {
    return tl::unexpected(v.error());
  }
  if (v->size() != 1) {
    return ctx.Error(n, "expected one number");
  }
  return (*v)[0];
}

tl::expected<Vec3, std::string> Vector(const Ctx& ctx, const pugi::xml_node& parent,
                                       const char* child, Vec3 fallback) {
  const pugi::xml_node n = parent.child(child);
  if (!n) {
    return fallback;
  }
  auto v = Numbers(ctx, n);
  if (!v) {
    return tl::unexpected(v.error());
  }
  if (v->size() != 3) {
    return ctx.Error(n, "expected three numbers");
  }
  return Vec3{(*v)[0], (*v)[1], (*v)[2]};
}

bool Bool(const pugi::xml_node& parent, const char* child, bool fallback) {
  const std::string t = Text(parent, child);
  if (t.empty()) {
    return fallback;
  }
  return t == "true" || t == "1";
}

std::string LastComponent(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool IsDisabled(const pugi::xml_node& n) {
  return !Bool(n, "appliesForce", true) || Bool(n, "isDisabled", false);
}

// An OpenSim function element (the element itself is the function).
tl::expected<Function, std::string> ParseFunctionElement(const Ctx& ctx, const pugi::xml_node& n) {
  const std::string type = n.name();
  if (type == "Constant") {
    auto v = Number(ctx, n, "value", 0.0);
    if (!v) {
      return tl::unexpected(v.error());
    }
    return MakeConstant(*v);
  }
  if (type == "LinearFunction") {
    auto c = Numbers(ctx, n.child("coefficients"));
    if (!c) {
      return tl::unexpected(c.error());
    }
    if (c->size() != 2) {
      return ctx.Error(n, "LinearFunction needs two coefficients");
    }
    return MakeLinear((*c)[0], (*c)[1]);
  }
  if (type == "SimmSpline" || type == "NaturalCubicSpline") {
    if (type == "NaturalCubicSpline") {
      return ctx.Error(n, "unsupported function type NaturalCubicSpline");
    }
    auto x = Numbers(ctx, n.child("x"));
    auto y = Numbers(ctx, n.child("y"));
    if (!x || !y) {
      return tl::unexpected(!x ? x.error() : y.error());
    }
    if (x->size() != y->size() || x->size() < 2) {
      return ctx.Error(n, "SimmSpline needs matching x and y with at least two points");
    }
    for (std::size_t i = 1; i < x->size(); ++i) {
      if (!((*x)[i] > (*x)[i - 1])) {
        return ctx.Error(n, "SimmSpline x values must increase");
      }
    }
    return MakeSimmSpline(std::move(*x), std::move(*y));
  }
  if (type == "MultiplierFunction") {
    auto scale = Number(ctx, n, "scale", 1.0);
    if (!scale) {
      return tl::unexpected(scale.error());
    }
    const pugi::xml_node inner = n.child("function").first_child();
    if (!inner) {
      return ctx.Error(n, "MultiplierFunction without a function");
    }
    auto f = ParseFunctionElement(ctx, inner);
    if (!f) {
      return f;
    }
    f->scale *= *scale;
    return f;
  }
  return ctx.Error(n, "unsupported function type " + type +
                          " (supported: Constant, LinearFunction, SimmSpline, MultiplierFunction)");
}

// The function child of a container (TransformAxis, x_location, ...).
tl::expected<Function, std::string> ParseFunctionChild(const Ctx& ctx, const pugi::xml_node& n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) {
      continue;
    }
    const std::string t = c.name();
    if (t == "coordinates" || t == "axis") {
      continue;
    }
    return ParseFunctionElement(ctx, c);
  }
  return ctx.Error(n, "no function given");
}

tl::expected<void, std::string> RejectWrapping(const Ctx& ctx, const pugi::xml_node& owner) {
  for (const char* set : {"WrapObjectSet", "PathWrapSet"}) {
    const pugi::xml_node objects = owner.child(set).child("objects");
    for (pugi::xml_node w = objects.first_child(); w; w = w.next_sibling()) {
      if (w.type() == pugi::node_element) {
        return ctx.Error(w, "wrapping surfaces are not supported by hipcoach's model");
      }
    }
  }
  return {};
}

struct FrameRef {
  std::string body;  // "ground" or a body name
  Vec3 translation{};
  Vec3 orientation{};
};

tl::expected<FrameRef, std::string> ResolveJointFrame(const Ctx& ctx, const pugi::xml_node& joint,
                                                      const std::string& socket) {
  for (pugi::xml_node f = joint.child("frames").first_child(); f; f = f.next_sibling()) {
    if (f.type() != pugi::node_element || socket != f.attribute("name").as_string()) {
      continue;
    }
    if (std::string(f.name()) != "PhysicalOffsetFrame") {
      return ctx.Error(f, "unsupported joint frame type");
    }
    FrameRef r;
    r.body = LastComponent(Text(f, "socket_parent"));
    auto t = Vector(ctx, f, "translation", Vec3{});
    auto o = Vector(ctx, f, "orientation", Vec3{});
    if (!t || !o) {
      return tl::unexpected(!t ? t.error() : o.error());
    }
    r.translation = *t;
    r.orientation = *o;
    return r;
  }
  // A socket pointing straight at a body or ground.
  FrameRef r;
  r.body = LastComponent(socket);
  return r;
}

int BodyOrGround(const Model& m, const std::string& name) {
  return name == "ground" ? -1 : m.BodyIndex(name);
}

tl::expected<void, std::string> ParseJoints(const Ctx& ctx, const pugi::xml_node& jointset,
                                            Model& model) {
  struct Pending {
    Joint joint;
    std::array<std::string, 6> axis_coordinate;
    pugi::xml_node node;
  };
  std::vector<Pending> pending;
  for (pugi::xml_node j = jointset.child("objects").first_child(); j; j = j.next_sibling()) {
    if (j.type() != pugi::node_element) {
      continue;
    }
    if (std::string(j.name()) != "CustomJoint") {
      return ctx.Error(
          j, std::string("unsupported joint type ") + j.name() + " (hipcoach reads CustomJoint)");
    }
    Pending p;
    p.node = j;
    p.joint.name = j.attribute("name").as_string();
    auto parent = ResolveJointFrame(ctx, j, Text(j, "socket_parent_frame"));
    auto child = ResolveJointFrame(ctx, j, Text(j, "socket_child_frame"));
    if (!parent || !child) {
      return tl::unexpected(!parent ? parent.error() : child.error());
    }
    p.joint.parent_body = BodyOrGround(model, parent->body);
    p.joint.child_body = model.BodyIndex(child->body);
    if ((p.joint.parent_body < 0 && parent->body != "ground") || p.joint.child_body < 0) {
      return ctx.Error(
          j, "joint frames refer to unknown bodies '" + parent->body + "', '" + child->body + "'");
    }
    p.joint.parent_translation = parent->translation;
    p.joint.parent_orientation = parent->orientation;
    p.joint.child_translation = child->translation;
    p.joint.child_orientation = child->orientation;
    for (pugi::xml_node c = j.child("coordinates").first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) {
        continue;
      }
      Coordinate coord;
      coord.name = c.attribute("name").as_string();
      coord.joint = static_cast<int>(pending.size());
      auto range = Numbers(ctx, c.child("range"));
      if (range && range->size() == 2) {
        coord.range_min = (*range)[0];
        coord.range_max = (*range)[1];
      }
      if (Bool(c, "locked", false)) {
        return ctx.Error(c, "locked coordinates are not supported");
      }
      model.coordinates.push_back(coord);
    }
    const pugi::xml_node st = j.child("SpatialTransform");
    if (!st) {
      return ctx.Error(j, "CustomJoint without a SpatialTransform");
    }
    static const char* kAxisNames[6] = {"rotation1",    "rotation2",    "rotation3",
                                        "translation1", "translation2", "translation3"};
    for (std::size_t k = 0; k < 6; ++k) {
      pugi::xml_node ax = st.find_child_by_attribute("TransformAxis", "name", kAxisNames[k]);
      if (!ax) {
        return ctx.Error(st, std::string("missing TransformAxis ") + kAxisNames[k]);
      }
      auto axis = Vector(ctx, ax, "axis", Vec3{0, 0, 1});
      if (!axis) {
        return tl::unexpected(axis.error());
      }
      p.joint.axes[k].axis = *axis;
      std::istringstream words(ax.child("coordinates").text().as_string());
      std::vector<std::string> names;
      std::string w;
      while (words >> w) {
        names.push_back(w);
      }
      if (names.size() > 1) {
        return ctx.Error(ax, "functions of more than one coordinate are not supported");
      }
      if (!names.empty()) {
        p.axis_coordinate[k] = names[0];
      }
      auto f = ParseFunctionChild(ctx, ax);
      if (!f) {
        return tl::unexpected(f.error());
      }
      p.joint.axes[k].function = std::move(*f);
    }
    pending.push_back(std::move(p));
  }
  // Order joints parents first.
  std::vector<char> placed(pending.size(), 0);
  std::vector<char> body_known(model.bodies.size(), 0);
  std::vector<std::size_t> order;
  for (std::size_t pass = 0; pass < pending.size(); ++pass) {
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const auto& jj = pending[i].joint;
      if (placed[i] == 0 &&
          (jj.parent_body < 0 || body_known[static_cast<std::size_t>(jj.parent_body)] != 0)) {
        placed[i] = 1;
        body_known[static_cast<std::size_t>(jj.child_body)] = 1;
        order.push_back(i);
      }
    }
  }
  if (order.size() != pending.size()) {
    return tl::unexpected(ctx.source + ": the joints do not form a tree rooted at ground");
  }
  std::vector<char> rotation_seen(model.coordinates.size(), 0);
  std::vector<char> translation_seen(model.coordinates.size(), 0);
  std::vector<int> new_index(pending.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    new_index[order[k]] = static_cast<int>(k);
  }
  for (auto& c : model.coordinates) {
    c.joint = new_index[static_cast<std::size_t>(c.joint)];
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    Pending& p = pending[order[k]];
    for (std::size_t a = 0; a < 6; ++a) {
      if (p.axis_coordinate[a].empty()) {
        continue;
      }
      const int ci = model.CoordinateIndex(p.axis_coordinate[a]);
      if (ci < 0) {
        return ctx.Error(p.node, "unknown coordinate '" + p.axis_coordinate[a] + "'");
      }
      p.joint.axes[a].coordinate = ci;
      (a < 3 ? rotation_seen : translation_seen)[static_cast<std::size_t>(ci)] = 1;
    }
    model.bodies[static_cast<std::size_t>(p.joint.child_body)].joint = static_cast<int>(k);
    model.joints.push_back(std::move(p.joint));
  }
  // A coordinate is rotational when some rotation depends on it (the knee angle also drives
  // the knee translations); it is a translation when only translations use it.
  for (std::size_t c = 0; c < model.coordinates.size(); ++c) {
    model.coordinates[c].rotational = rotation_seen[c] != 0 || translation_seen[c] == 0;
  }
  return {};
}

tl::expected<PathPoint, std::string> ParsePathPoint(const Ctx& ctx, const pugi::xml_node& n,
                                                    const Model& model) {
  PathPoint pt;
  pt.name = n.attribute("name").as_string();
  const std::string type = n.name();
  const std::string body = LastComponent(Text(n, "socket_parent_frame"));
  pt.body = model.BodyIndex(body);
  if (pt.body < 0) {
    return ctx.Error(n, "path point on unknown body or frame '" + body + "'");
  }
  auto loc = Vector(ctx, n, "location", Vec3{});
  if (!loc) {
    return tl::unexpected(loc.error());
  }
  pt.location = *loc;
  if (type == "PathPoint") {
    return pt;
  }
  if (type == "ConditionalPathPoint") {
    pt.kind = PathPoint::Kind::kConditional;
    const std::string coord = LastComponent(Text(n, "socket_coordinate"));
    pt.coordinate = model.CoordinateIndex(coord);
    if (pt.coordinate < 0) {
      return ctx.Error(n, "unknown coordinate '" + coord + "'");
    }
    auto range = Numbers(ctx, n.child("range"));
    if (!range || range->size() != 2) {
      return ctx.Error(n, "ConditionalPathPoint needs a range of two numbers");
    }
    pt.range_min = (*range)[0];
    pt.range_max = (*range)[1];
    return pt;
  }
  if (type == "MovingPathPoint") {
    pt.kind = PathPoint::Kind::kMoving;
    static const char* kSockets[3] = {"socket_x_coordinate", "socket_y_coordinate",
                                      "socket_z_coordinate"};
    static const char* kFunctions[3] = {"x_location", "y_location", "z_location"};
    for (std::size_t k = 0; k < 3; ++k) {
      const pugi::xml_node fn = n.child(kFunctions[k]);
      if (!fn) {
        pt.moving[k] = MakeConstant(pt.location[k]);
        continue;
      }
      const std::string coord = LastComponent(Text(n, kSockets[k]));
      pt.moving_coordinate[k] = coord.empty() ? -1 : model.CoordinateIndex(coord);
      if (!coord.empty() && pt.moving_coordinate[k] < 0) {
        return ctx.Error(n, "unknown coordinate '" + coord + "'");
      }
      auto f = ParseFunctionChild(ctx, fn);
      if (!f) {
        return tl::unexpected(f.error());
      }
      pt.moving[k] = std::move(*f);
    }
    return pt;
  }
  return ctx.Error(n, "unsupported path point type " + type);
}

tl::expected<Muscle, std::string> ParseThelen(const Ctx& ctx, const pugi::xml_node& n,
                                              const Model& model) {
  Muscle m;
  m.name = n.attribute("name").as_string();
  const pugi::xml_node path = n.child("GeometryPath");
  if (auto w = RejectWrapping(ctx, path); !w) {
    return tl::unexpected(w.error());
  }
  for (pugi::xml_node p = path.child("PathPointSet").child("objects").first_child(); p;
       p = p.next_sibling()) {
    if (p.type() != pugi::node_element) {
      continue;
    }
    auto pt = ParsePathPoint(ctx, p, model);
    if (!pt) {
      return tl::unexpected(pt.error());
    }
    m.path.push_back(std::move(*pt));
  }
  if (m.path.size() < 2) {
    return ctx.Error(n, "a muscle path needs at least two points");
  }
  struct Field {
    const char* name;
    double* target;
  };
  const Field fields[] = {{"max_isometric_force", &m.max_isometric_force},
                          {"optimal_fiber_length", &m.optimal_fiber_length},
                          {"tendon_slack_length", &m.tendon_slack_length},
                          {"pennation_angle_at_optimal", &m.pennation_angle},
                          {"max_contraction_velocity", &m.max_contraction_velocity},
                          {"KshapeActive", &m.kshape_active},
                          {"Af", &m.af},
                          {"Flen", &m.flen},
                          {"fv_linear_extrap_threshold", &m.fv_linear_extrap_threshold},
                          {"min_control", &m.min_control},
                          {"max_control", &m.max_control}};
  // OpenSim 4 defaults for Thelen2003Muscle properties absent from the file.
  m.kshape_active = 0.45;
  m.af = 0.25;
  m.flen = 1.8;
  m.min_control = 0.0;
  for (const auto& f : fields) {
    auto v = Number(ctx, n, f.name, *f.target);
    if (!v) {
      return tl::unexpected(v.error());
    }
    *f.target = *v;
  }
  if (!(m.max_isometric_force >= 0) || !(m.optimal_fiber_length > 0) ||
      !(m.tendon_slack_length >= 0) || !(m.max_contraction_velocity > 0)) {
    return ctx.Error(n, "muscle parameters out of range");
  }
  return m;
}

tl::expected<Actuator, std::string> ParseActuator(const Ctx& ctx, const pugi::xml_node& n,
                                                  const Model& model) {
  Actuator a;
  a.name = n.attribute("name").as_string();
  const std::string type = n.name();
  auto opt = Number(ctx, n, "optimal_force", 1.0);
  auto lo = Number(ctx, n, "min_control", -std::numeric_limits<double>::infinity());
  auto hi = Number(ctx, n, "max_control", std::numeric_limits<double>::infinity());
  if (!opt || !lo || !hi) {
    return tl::unexpected(!opt ? opt.error() : (!lo ? lo.error() : hi.error()));
  }
  a.optimal_force = *opt;
  a.min_control = *lo;
  a.max_control = *hi;
  if (type == "CoordinateActuator") {
    a.kind = Actuator::Kind::kCoordinate;
    const std::string c = Text(n, "coordinate");
    a.coordinate = model.CoordinateIndex(c);
    if (a.coordinate < 0) {
      return ctx.Error(n, "unknown coordinate '" + c + "'");
    }
    return a;
  }
  if (type == "PointActuator") {
    a.kind = Actuator::Kind::kPoint;
    const std::string b = Text(n, "body");
    a.body = model.BodyIndex(b);
    auto p = Vector(ctx, n, "point", Vec3{});
    auto d = Vector(ctx, n, "direction", Vec3{1, 0, 0});
    if (!p || !d) {
      return tl::unexpected(!p ? p.error() : d.error());
    }
    a.point = *p;
    a.direction = *d;
    a.point_is_global = Bool(n, "point_is_global", false);
    a.direction_is_global = Bool(n, "force_is_global", false);
  } else if (type == "TorqueActuator") {
    a.kind = Actuator::Kind::kTorque;
    const std::string b = Text(n, "bodyA");
    a.body = model.BodyIndex(b);
    const std::string other = LastComponent(Text(n, "bodyB"));
    if (other != "ground") {
      return ctx.Error(n,
                       "TorqueActuator between two bodies is not supported (bodyB must be "
                       "ground)");
    }
    auto d = Vector(ctx, n, "axis", Vec3{1, 0, 0});
    if (!d) {
      return tl::unexpected(d.error());
    }
    a.direction = *d;
    a.direction_is_global = Bool(n, "torque_is_global", true);
  } else {
    return ctx.Error(n, "unsupported actuator type " + type);
  }
  if (a.body < 0) {
    return ctx.Error(n, "actuator on an unknown body");
  }
  return a;
}

tl::expected<pugi::xml_node, std::string> LoadDocument(pugi::xml_document& doc,
                                                       std::string_view text, const Ctx& ctx) {
  const pugi::xml_parse_result r =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    return tl::unexpected(ctx.source + ":" + std::to_string(ctx.lines.Line(r.offset)) +
                          ": XML error: " + r.description());
  }
  pugi::xml_node root = doc.child("OpenSimDocument");
  if (!root) {
    return tl::unexpected(ctx.source + ": not an OpenSim document (no <OpenSimDocument>)");
  }
  const int version = root.attribute("Version").as_int(0);
  if (version < 30000) {
    return ctx.Error(root, "OpenSim document version " + std::to_string(version) +
                               " is not supported (OpenSim 4 files, Version >= 30000)");
  }
  return root;
}

}  // namespace

tl::expected<std::string, std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return tl::unexpected("cannot open '" + path + "'");
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

tl::expected<Model, std::string> ParseOsim(std::string_view xml, const std::string& source) {
  const Ctx ctx{source, LineMap(xml)};
  pugi::xml_document doc;
  auto root = LoadDocument(doc, xml, ctx);
  if (!root) {
    return tl::unexpected(root.error());
  }
  const pugi::xml_node m = root->child("Model");
  if (!m) {
    return tl::unexpected(source + ": no <Model> element");
  }
  Model model;
  model.name = m.attribute("name").as_string();
  model.credits = Text(m, "credits");
  model.publications = Text(m, "publications");
  auto g = Vector(ctx, m, "gravity", Vec3{0, -9.80665, 0});
  if (!g) {
    return tl::unexpected(g.error());
  }
  model.gravity = *g;
  if (auto w = RejectWrapping(ctx, m.child("Ground")); !w) {
    return tl::unexpected(w.error());
  }
  for (pugi::xml_node b = m.child("BodySet").child("objects").first_child(); b;
       b = b.next_sibling()) {
    if (b.type() != pugi::node_element) {
      continue;
    }
    if (std::string(b.name()) != "Body") {
      return ctx.Error(b, "unsupported body type");
    }
    if (auto w = RejectWrapping(ctx, b); !w) {
      return tl::unexpected(w.error());
    }
    Body body;
    body.name = b.attribute("name").as_string();
    auto mass = Number(ctx, b, "mass", 0.0);
    auto com = Vector(ctx, b, "mass_center", Vec3{});
    if (!mass || !com) {
      return tl::unexpected(!mass ? mass.error() : com.error());
    }
    body.mass = *mass;
    body.com = *com;
    auto inertia = Numbers(ctx, b.child("inertia"));
    if (!inertia || inertia->size() != 6) {
      return ctx.Error(b, "inertia needs six numbers (Ixx Iyy Izz Ixy Ixz Iyz)");
    }
    std::copy(inertia->begin(), inertia->end(), body.inertia.begin());
    model.bodies.push_back(body);
  }
  if (auto r = ParseJoints(ctx, m.child("JointSet"), model); !r) {
    return tl::unexpected(r.error());
  }
  for (const auto& b : model.bodies) {
    if (b.joint < 0) {
      return tl::unexpected(source + ": body '" + b.name + "' is not attached by any joint");
    }
  }
  for (pugi::xml_node c = m.child("ConstraintSet").child("objects").first_child(); c;
       c = c.next_sibling()) {
    if (c.type() == pugi::node_element && Bool(c, "isEnforced", true)) {
      return ctx.Error(c, "kinematic constraints are not supported");
    }
  }
  for (pugi::xml_node f = m.child("ForceSet").child("objects").first_child(); f;
       f = f.next_sibling()) {
    if (f.type() != pugi::node_element || IsDisabled(f)) {
      continue;
    }
    const std::string type = f.name();
    if (type == "Thelen2003Muscle") {
      auto mu = ParseThelen(ctx, f, model);
      if (!mu) {
        return tl::unexpected(mu.error());
      }
      model.muscles.push_back(std::move(*mu));
    } else if (type == "CoordinateActuator" || type == "PointActuator" ||
               type == "TorqueActuator") {
      auto a = ParseActuator(ctx, f, model);
      if (!a) {
        return tl::unexpected(a.error());
      }
      model.actuators.push_back(std::move(*a));
    } else {
      return ctx.Error(f, "unsupported force type " + type +
                              " (hipcoach reads Thelen2003Muscle and coordinate, point and torque "
                              "actuators)");
    }
  }
  return model;
}

tl::expected<Model, std::string> ReadOsimFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return ParseOsim(*text, path);
}

tl::expected<ExternalLoadsSpec, std::string> ParseExternalLoads(std::string_view xml,
                                                                const std::string& source) {
  const Ctx ctx{source, LineMap(xml)};
  pugi::xml_document doc;
  auto root = LoadDocument(doc, xml, ctx);
  if (!root) {
    return tl::unexpected(root.error());
  }
  const pugi::xml_node el = root->child("ExternalLoads");
  if (!el) {
    return tl::unexpected(source + ": no <ExternalLoads> element");
  }
  ExternalLoadsSpec spec;
  spec.datafile = Text(el, "datafile");
  for (pugi::xml_node f = el.child("objects").first_child(); f; f = f.next_sibling()) {
    if (f.type() != pugi::node_element || IsDisabled(f)) {
      continue;
    }
    if (std::string(f.name()) != "ExternalForce") {
      return ctx.Error(f, std::string("unsupported external load type ") + f.name());
    }
    ExternalLoadSpec s;
    s.name = f.attribute("name").as_string();
    s.applied_to_body = Text(f, "applied_to_body");
    s.force_expressed_in_body = Text(f, "force_expressed_in_body");
    s.point_expressed_in_body = Text(f, "point_expressed_in_body");
    s.force_identifier = Text(f, "force_identifier");
    s.point_identifier = Text(f, "point_identifier");
    s.torque_identifier = Text(f, "torque_identifier");
    if (s.force_expressed_in_body != "ground" || s.point_expressed_in_body != "ground") {
      return ctx.Error(f, "only forces and points expressed in ground are supported");
    }
    if (s.force_identifier.empty() || s.point_identifier.empty()) {
      return ctx.Error(f, "external force needs force and point identifiers");
    }
    spec.forces.push_back(std::move(s));
  }
  const double cutoff =
      Number(ctx, el, "lowpass_cutoff_frequency_for_load_kinematics", -1.0).value_or(-1.0);
  if (cutoff > 0) {
    return ctx.Error(el, "low-pass filtering of the load kinematics is not supported");
  }
  return spec;
}

tl::expected<ExternalLoadsSpec, std::string> ReadExternalLoadsFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return ParseExternalLoads(*text, path);
}

tl::expected<std::vector<Actuator>, std::string> ParseActuators(std::string_view xml,
                                                                const std::string& source,
                                                                const Model& model) {
  const Ctx ctx{source, LineMap(xml)};
  pugi::xml_document doc;
  auto root = LoadDocument(doc, xml, ctx);
  if (!root) {
    return tl::unexpected(root.error());
  }
  const pugi::xml_node fs = root->child("ForceSet");
  if (!fs) {
    return tl::unexpected(source + ": no <ForceSet> element");
  }
  std::vector<Actuator> out;
  for (pugi::xml_node f = fs.child("objects").first_child(); f; f = f.next_sibling()) {
    if (f.type() != pugi::node_element || IsDisabled(f)) {
      continue;
    }
    auto a = ParseActuator(ctx, f, model);
    if (!a) {
      return tl::unexpected(a.error());
    }
    out.push_back(std::move(*a));
  }
  return out;
}

tl::expected<std::vector<Actuator>, std::string> ReadActuatorsFile(const std::string& path,
                                                                   const Model& model) {
  auto text = ReadTextFile(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return ParseActuators(*text, path, model);
}

tl::expected<Storage, std::string> ParseStorage(std::string_view text, const std::string& source) {
  Storage s;
  s.name = source;
  std::size_t pos = 0;
  long line_no = 0;
  bool header_done = false;
  bool have_columns = false;
  auto next_line = [&](std::string& line) {
    if (pos >= text.size()) {
      return false;
    }
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) {
      e = text.size();
    }
    line = std::string(text.substr(pos, e - pos));
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    pos = e + 1;
    ++line_no;
    return true;
  };
  std::string line;
  while (next_line(line)) {
    const std::string t = Trim(line);
    if (!header_done) {
      if (t == "endheader") {
        header_done = true;
      } else if (t.rfind("inDegrees", 0) == 0) {
        s.in_degrees = t.find("yes") != std::string::npos;
      }
      continue;
    }
    if (t.empty()) {
      continue;
    }
    std::istringstream words(t);
    std::vector<std::string> w;
    std::string word;
    while (words >> word) {
      w.push_back(word);
    }
    if (!have_columns) {
      if (w.empty() || w[0] != "time") {
        return tl::unexpected(source + ":" + std::to_string(line_no) +
                              ": expected the column header starting with 'time'");
      }
      s.columns.assign(w.begin() + 1, w.end());
      have_columns = true;
      continue;
    }
    if (w.size() != s.columns.size() + 1) {
      return tl::unexpected(source + ":" + std::to_string(line_no) + ": expected " +
                            std::to_string(s.columns.size() + 1) + " values, found " +
                            std::to_string(w.size()));
    }
    std::vector<double> row(s.columns.size());
    double t0 = 0;
    if (!ParseNumber(w[0], t0)) {
      return tl::unexpected(source + ":" + std::to_string(line_no) + ": bad time '" + w[0] + "'");
    }
    for (std::size_t i = 1; i < w.size(); ++i) {
      if (!ParseNumber(w[i], row[i - 1])) {
        return tl::unexpected(source + ":" + std::to_string(line_no) + ": '" + w[i] +
                              "' is not a number");
      }
    }
    if (!s.time.empty() && !(t0 > s.time.back())) {
      return tl::unexpected(source + ":" + std::to_string(line_no) + ": time does not increase");
    }
    s.time.push_back(t0);
    s.data.push_back(std::move(row));
  }
  if (!header_done) {
    return tl::unexpected(source + ": no 'endheader' line");
  }
  if (!have_columns) {
    return tl::unexpected(source + ": no column header");
  }
  return s;
}

tl::expected<Storage, std::string> ReadStorageFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  return ParseStorage(*text, path);
}

}  // namespace hipcoach::model
