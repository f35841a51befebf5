#include "hipcoach/model/trial.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <utility>

namespace hipcoach::model {

int Storage::ColumnIndex(const std::string& column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == column) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

CubicSpline::CubicSpline(std::vector<double> x, std::vector<double> y)
    : x_(std::move(x)), y_(std::move(y)), m_(x_.size(), 0.0) {
  const std::size_t n = x_.size();
  if (n < 3) {
    return;
  }
  // Cubic spline with zero third derivative at both ends (the second derivative is constant on
  // the end intervals; OpenSim's quintic GCV spline likewise leaves the end accelerations free).
  // Tridiagonal system for the knot second derivatives, solved by the Thomas algorithm.
  std::vector<double> diag(n, 1.0);
  std::vector<double> upper(n, 0.0);
  std::vector<double> rhs(n, 0.0);
  std::vector<double> lower(n, 0.0);
  upper[0] = -1.0;
  lower[n - 1] = -1.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double h0 = x_[i] - x_[i - 1];
    const double h1 = x_[i + 1] - x_[i];
    lower[i] = h0 / 6.0;
    diag[i] = (h0 + h1) / 3.0;
    upper[i] = h1 / 6.0;
    rhs[i] = (y_[i + 1] - y_[i]) / h1 - (y_[i] - y_[i - 1]) / h0;
  }
  for (std::size_t i = 1; i < n; ++i) {
    const double w = lower[i] / diag[i - 1];
    diag[i] -= w * upper[i - 1];
    rhs[i] -= w * rhs[i - 1];
  }
  m_[n - 1] = rhs[n - 1] / diag[n - 1];
  for (std::size_t k = n - 1; k-- > 0;) {
    m_[k] = (rhs[k] - upper[k] * m_[k + 1]) / diag[k];
  }
}

std::size_t CubicSpline::Interval(double t) const {
  const auto it = std::upper_bound(x_.begin(), x_.end(), t);
  std::size_t i = static_cast<std::size_t>(it - x_.begin());
  i = (i == 0) ? 0 : i - 1;
  return std::min(i, x_.size() - 2);
}

double CubicSpline::Value(double t) const { return Derivative(t, 0); }

double CubicSpline::Derivative(double t, int order) const {
  if (x_.size() < 2) {
    return (order == 0 && !y_.empty()) ? y_[0] : 0.0;
  }
  const std::size_t i = Interval(t);
  const double h = x_[i + 1] - x_[i];
  const double a = (x_[i + 1] - t) / h;
  const double b = (t - x_[i]) / h;
  const double m0 = m_[i];
  const double m1 = m_[i + 1];
  switch (order) {
    case 0:
      return a * y_[i] + b * y_[i + 1] +
             ((a * a * a - a) * m0 + (b * b * b - b) * m1) * h * h / 6.0;
    case 1:
      return (y_[i + 1] - y_[i]) / h - (3.0 * a * a - 1.0) / 6.0 * h * m0 +
             (3.0 * b * b - 1.0) / 6.0 * h * m1;
    case 2:
      return a * m0 + b * m1;
    default:
      return 0.0;
  }
}

namespace {

std::vector<double> Pad(const std::vector<double>& s, std::size_t pad) {
  const std::size_t n = s.size();
  std::vector<double> out(n + 2 * pad);
  for (std::size_t i = 0; i < pad; ++i) {
    out[i] = 2.0 * s[0] - s[pad - i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[pad + i] = s[i];
  }
  for (std::size_t i = 0; i < pad; ++i) {
    out[pad + n + i] = 2.0 * s[n - 1] - s[n - 2 - i];
  }
  return out;
}

void IirPass(const std::vector<double>& in, std::vector<double>& out, const double* a,
             const double* b) {
  const std::size_t n = in.size();
  out.assign(n, 0.0);
  for (std::size_t i = 0; i < std::min<std::size_t>(4, n); ++i) {
    out[i] = in[i];
  }
  for (std::size_t i = 3; i < n; ++i) {
    out[i] = a[0] * in[i] + a[1] * in[i - 1] + a[2] * in[i - 2] + a[3] * in[i - 3] -
             b[1] * out[i - 1] - b[2] * out[i - 2] - b[3] * out[i - 3];
  }
}

}  // namespace

std::vector<double> LowpassIir(const std::vector<double>& signal, double dt, double cutoff_hz,
                               bool pad) {
  if (signal.size() < 8 || dt <= 0.0 || cutoff_hz <= 0.0) {
    return signal;
  }
  const std::size_t pad_n = pad ? std::min(signal.size() / 2, signal.size() - 2) : 0;
  std::vector<double> s = pad_n > 0 ? Pad(signal, pad_n) : signal;
  double fc = cutoff_hz;
  if (fc >= 0.5 / dt) {
    fc = 0.49 / dt;
  }
  const double wa = std::tan(2.0 * std::numbers::pi * fc * dt / 2.0);
  const double wa2 = wa * wa;
  const double wa3 = wa2 * wa;
  const double denom = (wa + 1.0) * (wa2 + wa + 1.0);
  const double a[4] = {wa3 / denom, 3 * wa3 / denom, 3 * wa3 / denom, wa3 / denom};
  const double b[4] = {1.0, (3 * wa3 + 2 * wa2 - 2 * wa - 3) / denom,
                       (3 * wa3 - 2 * wa2 - 2 * wa + 3) / denom, (wa - 1) * (wa2 - wa + 1) / denom};
  std::vector<double> f;
  IirPass(s, f, a, b);
  std::reverse(f.begin(), f.end());
  IirPass(f, s, a, b);
  std::reverse(s.begin(), s.end());
  return std::vector<double>(s.begin() + static_cast<std::ptrdiff_t>(pad_n),
                             s.begin() + static_cast<std::ptrdiff_t>(pad_n + signal.size()));
}

namespace {

double Interpolate(const Storage& s, int column, double t) {
  const auto& time = s.time;
  const auto col = static_cast<std::size_t>(column);
  if (t <= time.front()) {
    return s.data.front()[col];
  }
  if (t >= time.back()) {
    return s.data.back()[col];
  }
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  const auto i = static_cast<std::size_t>(it - time.begin());
  const double t0 = time[i - 1];
  const double t1 = time[i];
  const double w = (t1 > t0) ? (t - t0) / (t1 - t0) : 0.0;
  return (1.0 - w) * s.data[i - 1][col] + w * s.data[i][col];
}

tl::expected<std::array<int, 3>, std::string> Columns(const Storage& s, const std::string& prefix,
                                                      const std::string& what) {
  std::array<int, 3> out{};
  const char* suffix[3] = {"x", "y", "z"};
  for (std::size_t k = 0; k < 3; ++k) {
    out[k] = s.ColumnIndex(prefix + suffix[k]);
    if (out[k] < 0) {
      return tl::unexpected("external load " + what + ": column '" + prefix + suffix[k] +
                            "' not found in '" + s.name + "'");
    }
  }
  return out;
}

}  // namespace

tl::expected<Trial, std::string> BuildTrial(const Model& model, const Storage& coordinates,
                                            const Storage& loads_data,
                                            const ExternalLoadsSpec& loads,
                                            const TrialOptions& options) {
  if (coordinates.time.size() < 4) {
    return tl::unexpected("coordinate file '" + coordinates.name + "' has fewer than 4 rows");
  }
  const std::size_t nq = model.coordinates.size();
  std::vector<CubicSpline> splines(nq);
  const double dt = (coordinates.time.back() - coordinates.time.front()) /
                    static_cast<double>(coordinates.time.size() - 1);
  std::vector<double> uniform_time(coordinates.time.size());
  for (std::size_t r = 0; r < uniform_time.size(); ++r) {
    uniform_time[r] = coordinates.time.front() + dt * static_cast<double>(r);
  }
  for (std::size_t j = 0; j < nq; ++j) {
    const auto& c = model.coordinates[j];
    const int col = coordinates.ColumnIndex(c.name);
    if (col < 0) {
      return tl::unexpected("coordinate '" + c.name + "' of the model is missing from '" +
                            coordinates.name + "'");
    }
    std::vector<double> values(coordinates.time.size());
    const double k = (coordinates.in_degrees && c.rotational) ? std::numbers::pi / 180.0 : 1.0;
    for (std::size_t r = 0; r < values.size(); ++r) {
      values[r] = k * coordinates.data[r][static_cast<std::size_t>(col)];
    }
    if (options.lowpass_cutoff_hz > 0.0) {
      // Like OpenSim's Storage::lowpassIIR, resample non-uniform times (e.g. rounded time
      // stamps) onto a uniform grid before filtering.
      const CubicSpline raw(coordinates.time, values);
      for (std::size_t r = 0; r < values.size(); ++r) {
        values[r] = raw.Value(uniform_time[r]);
      }
      values = LowpassIir(values, dt, options.lowpass_cutoff_hz, options.pad_before_filtering);
      splines[j] = CubicSpline(uniform_time, std::move(values));
    } else {
      splines[j] = CubicSpline(coordinates.time, std::move(values));
    }
  }
  struct LoadColumns {
    int body;
    std::array<int, 3> force;
    std::array<int, 3> point;
    std::array<int, 3> torque;
  };
  std::vector<LoadColumns> load_columns;
  for (const auto& spec : loads.forces) {
    if (spec.force_expressed_in_body != "ground" || spec.point_expressed_in_body != "ground") {
      return tl::unexpected("external force '" + spec.name +
                            "': only forces and points expressed in ground are supported");
    }
    LoadColumns lc{};
    lc.body = model.BodyIndex(spec.applied_to_body);
    if (lc.body < 0) {
      return tl::unexpected("external force '" + spec.name + "' is applied to unknown body '" +
                            spec.applied_to_body + "'");
    }
    auto f = Columns(loads_data, spec.force_identifier, spec.name);
    if (!f) {
      return tl::unexpected(f.error());
    }
    auto p = Columns(loads_data, spec.point_identifier, spec.name);
    if (!p) {
      return tl::unexpected(p.error());
    }
    lc.force = *f;
    lc.point = *p;
    lc.torque = {-1, -1, -1};
    if (!spec.torque_identifier.empty()) {
      auto t = Columns(loads_data, spec.torque_identifier, spec.name);
      if (!t) {
        return tl::unexpected(t.error());
      }
      lc.torque = *t;
    }
    load_columns.push_back(lc);
  }
  if (!load_columns.empty() && loads_data.time.empty()) {
    return tl::unexpected("external load data '" + loads_data.name + "' has no rows");
  }
  Trial trial;
  trial.name = coordinates.name;
  trial.frames.reserve(options.times.size());
  for (const double t : options.times) {
    TrialFrame fr;
    fr.time = t;
    fr.q.resize(nq);
    fr.qd.resize(nq);
    fr.qdd.resize(nq);
    for (std::size_t j = 0; j < nq; ++j) {
      fr.q[j] = splines[j].Derivative(t, 0);
      fr.qd[j] = splines[j].Derivative(t, 1);
      fr.qdd[j] = splines[j].Derivative(t, 2);
    }
    for (const auto& lc : load_columns) {
      AppliedLoad l;
      l.body = lc.body;
      for (std::size_t k = 0; k < 3; ++k) {
        l.force[k] = Interpolate(loads_data, lc.force[k], t);
        l.point[k] = Interpolate(loads_data, lc.point[k], t);
        l.torque[k] = lc.torque[k] >= 0 ? Interpolate(loads_data, lc.torque[k], t) : 0.0;
      }
      fr.loads.push_back(l);
    }
    trial.frames.push_back(std::move(fr));
  }
  return trial;
}

}  // namespace hipcoach::model
