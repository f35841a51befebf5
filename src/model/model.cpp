#include "hipcoach/model/model.hpp"

#include <cstddef>
#include <utility>

namespace hipcoach::model {

double Function::Eval(double arg) const {
  switch (kind) {
    case Kind::kConstant:
      return scale * value;
    case Kind::kLinear:
      return scale * (slope * arg + intercept);
    case Kind::kSpline:
      break;
  }
  const std::size_t n = x.size();
  if (n == 0) {
    return 0.0;
  }
  if (n == 1) {
    return scale * y[0];
  }
  if (arg < x[0]) {
    return scale * (y[0] + (arg - x[0]) * b[0]);
  }
  if (arg > x[n - 1]) {
    return scale * (y[n - 1] + (arg - x[n - 1]) * b[n - 1]);
  }
  std::size_t lo = 0;
  std::size_t hi = n - 1;
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    if (arg < x[mid]) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  const double dx = arg - x[lo];
  return scale * (y[lo] + dx * (b[lo] + dx * (c[lo] + dx * d[lo])));
}

Function MakeConstant(double value) {
  Function f;
  f.kind = Function::Kind::kConstant;
  f.value = value;
  return f;
}

Function MakeLinear(double slope, double intercept) {
  Function f;
  f.kind = Function::Kind::kLinear;
  f.slope = slope;
  f.intercept = intercept;
  return f;
}

Function MakeSimmSpline(std::vector<double> xs, std::vector<double> ys, double scale) {
  Function f;
  f.kind = Function::Kind::kSpline;
  f.scale = scale;
  const std::size_t n = xs.size();
  f.b.assign(n, 0.0);
  f.c.assign(n, 0.0);
  f.d.assign(n, 0.0);
  f.x = std::move(xs);
  f.y = std::move(ys);
  if (n < 2) {
    return f;
  }
  auto& x = f.x;
  auto& y = f.y;
  auto& b = f.b;
  auto& c = f.c;
  auto& d = f.d;
  if (n < 4) {  // straight line through the first two points, as SimmSpline does
    b[0] = (y[1] - y[0]) / (x[1] - x[0]);
    for (std::size_t i = 1; i < n; ++i) {
      b[i] = b[0];
    }
    return f;
  }
  // Forsythe, Malcolm & Moler: end third derivatives from cubics through the end points.
  const std::size_t nm1 = n - 1;
  d[0] = x[1] - x[0];
  c[1] = (y[1] - y[0]) / d[0];
  for (std::size_t i = 1; i < nm1; ++i) {
    d[i] = x[i + 1] - x[i];
    b[i] = 2.0 * (d[i - 1] + d[i]);
    c[i + 1] = (y[i + 1] - y[i]) / d[i];
    c[i] = c[i + 1] - c[i];
  }
  b[0] = -d[0];
  b[nm1] = -d[n - 2];
  double d1 = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0]);
  double d2 = c[n - 2] / (x[nm1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4]);
  c[0] = d1 * d[0] * d[0] / (x[3] - x[0]);
  c[nm1] = -d2 * d[n - 2] * d[n - 2] / (x[nm1] - x[n - 4]);
  for (std::size_t i = 1; i < n; ++i) {
    const double t = d[i - 1] / b[i - 1];
    b[i] -= t * d[i - 1];
    c[i] -= t * c[i - 1];
  }
  c[nm1] /= b[nm1];
  for (std::size_t j = 0; j < nm1; ++j) {
    const std::size_t i = nm1 - j - 1;
    c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
  }
  b[nm1] = (y[nm1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[nm1]);
  for (std::size_t i = 0; i < nm1; ++i) {
    b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i]);
    d[i] = (c[i + 1] - c[i]) / d[i];
    c[i] *= 3.0;
  }
  c[nm1] *= 3.0;
  d[nm1] = d[n - 2];
  return f;
}

namespace {
template <typename T>
int FindByName(const std::vector<T>& items, std::string_view name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}
}  // namespace

int Model::BodyIndex(std::string_view body_name) const { return FindByName(bodies, body_name); }
int Model::CoordinateIndex(std::string_view coordinate_name) const {
  return FindByName(coordinates, coordinate_name);
}
int Model::JointIndex(std::string_view joint_name) const { return FindByName(joints, joint_name); }
int Model::MuscleIndex(std::string_view muscle_name) const {
  return FindByName(muscles, muscle_name);
}

double Model::TotalMass() const {
  double m = 0.0;
  for (const auto& b : bodies) {
    m += b.mass;
  }
  return m;
}

std::string_view Gait2392Credit() {
  return "Model: OpenSim gait2392 (CC BY 3.0, http://creativecommons.org/licenses/by/3.0/). "
         "Delp S.L., Loan J.P., Hoy M.G., Zajac F.E., Topp E.L., Rosen J.M. (1990), IEEE Trans "
         "Biomed Eng 37:757-767; Anderson F.C., Pandy M.G. (1999, 2001); Yamaguchi G.T., Zajac "
         "F.E. (1989); assembled by D.G. Thelen, A. Seth, F.C. Anderson and S.L. Delp. Walking "
         "data: opensim-models subject01 (Estimating Joint Reaction Loads tutorial).";
}

namespace {

// Collapses runs of whitespace to one space and trims; "Unassigned" (OpenSim's default) is empty.
std::string CleanCreditText(const std::string& text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out == "Unassigned" ? std::string() : out;
}

}  // namespace

std::string ModelCredit(const Model& model) {
  const std::string credits = CleanCreditText(model.credits);
  const std::string publications = CleanCreditText(model.publications);
  const std::string name =
      model.name.empty() ? std::string("Model") : "Model \"" + model.name + "\"";
  if (credits.empty() && publications.empty()) {
    return name + ": " + std::string(kCreditNotStated) + ".";
  }
  std::string s = name + ", credits as stated in the model file: ";
  s += credits.empty() ? std::string("(none stated)") : credits;
  if (!publications.empty()) {
    s += " Publications: " + publications;
  }
  if (s.back() != '.') {
    s += '.';
  }
  return s + " Check the model's licence before sharing results.";
}

}  // namespace hipcoach::model
