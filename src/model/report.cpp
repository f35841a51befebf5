#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <nlohmann/json.hpp>

#include "hipcoach/model/interpret.hpp"

namespace hipcoach::model::report {

namespace {

using nlohmann::json;

const char* kLimits =
    "Static optimisation keeps the walking motion fixed: compensations that change the motion "
    "(trunk lean, Trendelenburg gait) cannot appear; reserve torques show where the weakened "
    "muscles could not produce the measured motion.";

std::string Credit(const Engine& e) { return EngineCredit(e); }

std::string SideLabel(Side side) {
  return side == Side::kBoth    ? "both sides"
         : side == Side::kRight ? "right side only"
                                : "left side only";
}

const char* SideId(Side side) {
  return side == Side::kBoth ? "both" : side == Side::kRight ? "right" : "left";
}

// "hip_r" or "all": which muscles the compensators were ranked among.
std::string ScopeId(CompensatorScope scope, const std::string& joint) {
  return scope == CompensatorScope::kAllMuscles ? std::string("all") : joint;
}

std::string ScopeLabel(CompensatorScope scope, const std::string& joint) {
  return scope == CompensatorScope::kAllMuscles
             ? std::string("all muscles of the model (both legs and the trunk)")
             : "the muscles crossing the " + JointLabel(joint);
}

std::string CompensatorList(const WeaknessSummary& s) {
  std::string o;
  for (const auto& c : s.compensators) {
    o += fmt::format("{}{} {:+.1f}", o.empty() ? "" : ", ", c.muscle, c.increase_n);
  }
  return o.empty() ? std::string("-") : o;
}

json CompensatorJson(const Compensator& m) {
  return {{"muscle", m.muscle},
          {"baseline_mean_n", m.baseline_mean_n},
          {"weak_mean_n", m.weak_mean_n},
          {"increase_n", m.increase_n},
          {"baseline_mean_activation", m.baseline_mean_activation},
          {"weak_mean_activation", m.weak_mean_activation},
          {"activation_rise", m.activation_rise},
          {"baseline_peak_activation", m.baseline_peak_activation},
          {"weak_peak_activation", m.weak_peak_activation}};
}

json SummaryJson(const WeaknessSummary& s) {
  json c = json::array();
  for (const auto& m : s.compensators) {
    c.push_back(CompensatorJson(m));
  }
  json working = json::array();
  for (const auto& m : s.working_harder) {
    working.push_back(CompensatorJson(m));
  }
  return {{"joint", s.joint},
          {"peak_bw", s.peak_bw},
          {"peak_time_s", s.peak_time},
          {"baseline_peak_bw", s.baseline_peak_bw},
          {"change_bw", s.change_bw},
          {"change_percent", s.change_percent},
          {"at_peak_bw",
           {{"anterior", s.anterior_bw}, {"medial", s.medial_bw}, {"superior", s.superior_bw}}},
          {"baseline_at_peak_bw",
           {{"anterior", s.baseline_anterior_bw},
            {"medial", s.baseline_medial_bw},
            {"superior", s.baseline_superior_bw}}},
          {"mean_anterior_change_bw", s.mean_anterior_change_bw},
          {"peak_reserve_nm", s.peak_reserve_nm},
          {"all_frames_converged", s.all_converged},
          {"compensators_from", ScopeId(s.compensator_scope, s.joint)},
          {"compensator_scope", "ranked among " + ScopeLabel(s.compensator_scope, s.joint) +
                                    " by the rise of their mean force over the cycle; the "
                                    "weakened group excluded"},
          {"compensators", c},
          {"working_harder", working}};
}

json InterpretationJson(const Interpretation& in) {
  json muscles = json::array();
  for (const auto& m : in.working_harder) {
    muscles.push_back({{"name", m.name},
                       {"muscles", m.muscles},
                       {"activation_rise", m.activation_rise},
                       {"baseline_peak_activation", m.baseline_peak_activation},
                       {"peak_activation", m.peak_activation},
                       {"increase_n", m.increase_n}});
  }
  return {{"direction", in.direction_word}, {"title", in.title},     {"headline", in.headline},
          {"working_harder", muscles},      {"muscles", in.muscles}, {"reserve", in.reserve},
          {"cannot_show", in.cannot_show}};
}

}  // namespace

std::string WeakeningLabel(const std::vector<Weakening>& w) {
  if (w.empty()) {
    return "none (baseline)";
  }
  std::string s;
  for (const auto& x : w) {
    s += fmt::format("{}{} {:.0f}% weaker", s.empty() ? "" : ", ", x.group, 100.0 * x.fraction);
  }
  return s;
}

std::string RunText(const Engine& e, const Analysis& base, const Analysis& weak,
                    const WeaknessSummary& s, const TrunkLean* lean) {
  (void)base;
  std::string o;
  o += fmt::format("Hip model: {} walking, one gait cycle ({} frames), body weight {:.0f} N\n",
                   e.dataset.model.name, e.prepared.frames.size(), e.prepared.body_weight);
  o += fmt::format("Weakness: {}\n", WeakeningLabel(s.weakening));
  if (lean != nullptr) {
    o += fmt::format(
        "Motion: {} (prescribed, not predicted: lumbar_bending {:+.0f} deg, ground reactions "
        "kept, centres of pressure moved up to {:.1f} cm to keep balance); the baseline is the "
        "measured upright motion at full strength\n",
        lean->description, lean->lumbar_bending_offset_deg, 100.0 * lean->max_cop_shift_m);
    o += fmt::format(
        "  early-stance hip adduction moment (inverse dynamics, peak): {:.1f} N m upright, "
        "{:.1f} N m leaning ({:+.0f} %)\n",
        lean->upright_early_stance_adduction_nm, lean->lean_early_stance_adduction_nm,
        lean->upright_early_stance_adduction_nm > 0
            ? 100.0 *
                  (lean->lean_early_stance_adduction_nm / lean->upright_early_stance_adduction_nm -
                   1.0)
            : 0.0);
  }
  o += fmt::format("Right hip contact force (femoral head on acetabulum, femur frame):\n");
  o += fmt::format(
      "  peak            {:.2f} BW at t = {:.2f} s (baseline {:.2f} BW; change "
      "{:+.2f} BW, {:+.1f} %)\n",
      s.peak_bw, s.peak_time, s.baseline_peak_bw, s.change_bw, s.change_percent);
  o += fmt::format("  at peak         anterior {:+.2f}  medial {:+.2f}  superior {:+.2f} BW\n",
                   s.anterior_bw, s.medial_bw, s.superior_bw);
  o += fmt::format("  baseline peak   anterior {:+.2f}  medial {:+.2f}  superior {:+.2f} BW\n",
                   s.baseline_anterior_bw, s.baseline_medial_bw, s.baseline_superior_bw);
  o += fmt::format("  mean change of the anterior component over the cycle: {:+.3f} BW\n",
                   s.mean_anterior_change_bw);
  o += fmt::format("Reserve torque needed (largest total over the cycle): {:.1f} N m\n",
                   s.peak_reserve_nm);
  if (!s.weakening.empty() || !weak.motion.empty()) {
    o += fmt::format("Muscles that take over (mean force over the cycle), among {}:\n",
                     ScopeLabel(s.compensator_scope, s.joint));
    for (const auto& c : s.compensators) {
      o += fmt::format("  {:<12} {:7.1f} N -> {:7.1f} N ({:+.1f} N)\n", c.muscle, c.baseline_mean_n,
                       c.weak_mean_n, c.increase_n);
    }
    if (s.compensators.empty()) {
      o += "  none: no such muscle produces more force on average\n";
    }
    if (s.compensator_scope == CompensatorScope::kJointMuscles) {
      o += "  (--all-muscles ranks every muscle of the model)\n";
    }
    o += "Muscles working harder (activation = fraction of the muscle's maximum; mean over the "
         "cycle, and the largest):\n";
    for (const auto& c : s.working_harder) {
      o += fmt::format("  {:<12} mean {:.2f} -> {:.2f} ({:+.2f}), largest {:.2f} -> {:.2f}\n",
                       c.muscle, c.baseline_mean_activation, c.weak_mean_activation,
                       c.activation_rise, c.baseline_peak_activation, c.weak_peak_activation);
    }
    if (s.working_harder.empty()) {
      o += "  none: no such muscle is more active on average\n";
    }
  }
  if (!s.weakening.empty() || !weak.motion.empty()) {
    const Interpretation in = Interpret(s, 3, weak.motion);
    o += "In plain words: " + in.headline + " " + in.muscles + "\n";
    if (!in.reserve.empty()) {
      o += "  " + in.reserve + "\n";
    }
  }
  if (!s.all_converged) {
    o += "Warning: static optimisation did not converge at some frames.\n";
  }
  o += std::string("Limits: ") + kLimits + "\n";
  o += "Credit: " + Credit(e) + "\n";
  return o;
}

std::string RunJson(const Engine& e, const Analysis& base, const Analysis& weak,
                    const WeaknessSummary& s, const TrunkLean* lean) {
  json frames = json::array();
  for (std::size_t i = 0; i < weak.frames.size(); ++i) {
    const auto& f = weak.frames[i];
    frames.push_back({{"time_s", f.time},
                      {"cycle_percent", f.cycle_percent},
                      {"hip_bw", f.magnitude_bw},
                      {"baseline_hip_bw", base.frames[i].magnitude_bw},
                      {"anterior_bw", f.anterior_bw},
                      {"medial_bw", f.medial_bw},
                      {"superior_bw", f.superior_bw},
                      {"reserve_nm", f.reserve_nm},
                      {"converged", f.converged}});
  }
  json w = json::array();
  for (const auto& x : s.weakening) {
    w.push_back({{"group", x.group}, {"fraction", x.fraction}});
  }
  json root = {{"credit", Credit(e)},
               {"model", e.dataset.model.name},
               {"source", e.dataset.source},
               {"body_weight_n", e.prepared.body_weight},
               {"weakening", w},
               {"force_convention",
                "hip contact force = force of the femoral head on the acetabulum, in the femur "
                "frame; anterior +x, superior +y, medial toward the pelvis midline; body weights"},
               {"limits", kLimits},
               {"summary", SummaryJson(s)},
               {"frames", frames}};
  if (!s.weakening.empty() || !weak.motion.empty()) {
    root["interpretation"] = InterpretationJson(Interpret(s, 3, weak.motion));
  }
  if (lean != nullptr) {
    root["motion"] = {
        {"variant", lean->description},
        {"prescribed", true},
        {"lumbar_bending_offset_deg", lean->lumbar_bending_offset_deg},
        {"toe_off_s", lean->toe_off_s},
        {"max_cop_shift_m", lean->max_cop_shift_m},
        {"upright_early_stance_adduction_nm", lean->upright_early_stance_adduction_nm},
        {"lean_early_stance_adduction_nm", lean->lean_early_stance_adduction_nm}};
  }
  return root.dump(2) + "\n";
}

std::string RunCsv(const Engine& e, const Analysis& base, const Analysis& weak,
                   const WeaknessSummary& s) {
  std::string o = "# " + Credit(e) + "\n";
  o += "time_s,cycle_percent,hip_bw,baseline_hip_bw,anterior_bw,medial_bw,superior_bw,reserve_nm";
  // Then the force of each compensator, weakened and baseline, in newtons.
  std::vector<std::size_t> comp;
  for (const auto& c : s.compensators) {
    const int m = e.model.MuscleIndex(c.muscle);
    if (m >= 0) {
      comp.push_back(static_cast<std::size_t>(m));
      o += fmt::format(",force_{0}_n,baseline_force_{0}_n", c.muscle);
    }
  }
  o += "\n";
  for (std::size_t i = 0; i < weak.frames.size(); ++i) {
    const auto& f = weak.frames[i];
    o += fmt::format("{:.4f},{:.2f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.3f}", f.time,
                     f.cycle_percent, f.magnitude_bw, base.frames[i].magnitude_bw, f.anterior_bw,
                     f.medial_bw, f.superior_bw, f.reserve_nm);
    for (const std::size_t m : comp) {
      o += fmt::format(",{:.2f},{:.2f}", weak.so.frames[i].muscle_force[m],
                       base.so.frames[i].muscle_force[m]);
    }
    o += "\n";
  }
  return o;
}

std::string RunSvg(const Engine& e, const Analysis& base, const Analysis& weak,
                   const WeaknessSummary& s) {
  const double w = 720;
  const double h = 440;
  const double left = 60;
  const double right = 20;
  const double top = 40;
  const double bottom = 110;
  double ymax = 0.5;
  for (std::size_t i = 0; i < weak.frames.size(); ++i) {
    ymax = std::max({ymax, weak.frames[i].magnitude_bw, base.frames[i].magnitude_bw});
  }
  ymax = std::ceil(ymax + 0.25);
  auto px = [&](double pct) { return left + (w - left - right) * pct / 100.0; };
  auto py = [&](double bw) { return top + (h - top - bottom) * (1.0 - bw / ymax); };
  auto line = [&](const Analysis& a, const char* color, const char* dash) {
    std::string d;
    for (std::size_t i = 0; i < a.frames.size(); ++i) {
      d += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : " L", px(a.frames[i].cycle_percent),
                       py(a.frames[i].magnitude_bw));
    }
    return fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\"/>\n",
        d, color, dash);
  };
  std::string o = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      w, h, w, h);
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += fmt::format(
      "<text x=\"{:.0f}\" y=\"22\" font-size=\"15\">Right hip contact force in "
      "walking: {}{}</text>\n",
      left, WeakeningLabel(s.weakening), weak.motion.empty() ? "" : ", " + weak.motion);
  for (double y = 0; y <= ymax + 1e-9; y += 1.0) {
    o += fmt::format(
        "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"#ddd\"/><text x=\"{:.1f}\" y=\"{:.1f}\" "
        "text-anchor=\"end\">{:.0f}</text>\n",
        left, w - right, py(y), py(y), left - 6, py(y) + 4, y);
  }
  for (int pct = 0; pct <= 100; pct += 20) {
    o += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", px(pct),
                     h - bottom + 18, pct);
  }
  o += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">gait cycle (%)"
      "</text>\n",
      px(50), h - bottom + 34);
  o += fmt::format(
      "<text x=\"16\" y=\"{:.1f}\" transform=\"rotate(-90 16 {:.1f})\" "
      "text-anchor=\"middle\">body weights</text>\n",
      py(ymax / 2), py(ymax / 2));
  o += line(base, "#555", "6 4");
  o += line(weak, "#c0392b", "none");
  o += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#555\">baseline, peak {:.2f} BW</text>"
      "\n<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#c0392b\">weakened, peak {:.2f} BW "
      "({:+.2f})</text>\n",
      w - 260, top + 16, s.baseline_peak_bw, w - 260, top + 32, s.peak_bw, s.change_bw);
  auto escape = [](const std::string& text) {
    std::string escaped;
    for (const char c : text) {
      escaped += c == '&'   ? std::string("&amp;")
                 : c == '<' ? std::string("&lt;")
                            : std::string(1, c);
    }
    return escaped;
  };
  if (!s.weakening.empty()) {
    std::string takers;
    for (std::size_t k = 0; k < std::min<std::size_t>(3, s.compensators.size()); ++k) {
      takers += fmt::format("{}{} {:+.0f} N", k == 0 ? "" : ", ", s.compensators[k].muscle,
                            s.compensators[k].increase_n);
    }
    o += fmt::format(
        "<text x=\"{:.0f}\" y=\"{:.1f}\" font-size=\"11\">Taking over ({}, mean force rise): "
        "{}</text>\n",
        left - 50, h - bottom + 54,
        s.compensator_scope == CompensatorScope::kAllMuscles ? std::string("all muscles")
                                                             : JointLabel(s.joint) + " muscles",
        takers.empty() ? std::string("none") : escape(takers));
  }
  // Credit, wrapped over a few lines.
  const std::string credit = Credit(e);
  std::size_t pos = 0;
  double y = h - bottom + 72;
  while (pos < credit.size() && y < h) {
    std::size_t len = std::min<std::size_t>(120, credit.size() - pos);
    if (pos + len < credit.size()) {
      const auto sp = credit.rfind(' ', pos + len);
      if (sp != std::string::npos && sp > pos) {
        len = sp - pos;
      }
    }
    o += fmt::format("<text x=\"{:.0f}\" y=\"{:.1f}\" font-size=\"9\" fill=\"#444\">{}</text>\n",
                     left - 50, y, escape(credit.substr(pos, len)));
    pos += len + 1;
    y += 11;
  }
  o += "</svg>\n";
  return o;
}

std::string SweepText(const Engine& e, const std::string& group, Side side,
                      const std::vector<SweepPoint>& points) {
  const std::string joint = points.empty() ? std::string("hip_r") : points.front().summary.joint;
  const CompensatorScope scope =
      points.empty() ? CompensatorScope::kJointMuscles : points.front().summary.compensator_scope;
  std::string o = fmt::format(
      "Weakness sweep of {} (weakened on {}), {} contact force (femoral head on acetabulum, femur "
      "frame, body weights at the peak of the cycle):\n",
      group, SideLabel(side), JointLabel(joint));
  o += "weaker  peak_BW  change_BW  anterior  medial  superior  reserve_Nm  top compensators "
       "(mean force rise, N)\n";
  for (const auto& p : points) {
    const auto& s = p.summary;
    o += fmt::format("{:5.0f}%  {:7.2f}  {:+9.2f}  {:+8.2f}  {:+6.2f}  {:+8.2f}  {:10.1f}  {}\n",
                     100 * p.fraction, s.peak_bw, s.change_bw, s.anterior_bw, s.medial_bw,
                     s.superior_bw, s.peak_reserve_nm, CompensatorList(s));
  }
  o += fmt::format(
      "Compensators: ranked among {} by the rise of their mean force over the cycle; the "
      "weakened group excluded.\n",
      ScopeLabel(scope, joint));
  o += std::string("Limits: ") + kLimits + "\n";
  o += "Credit: " + Credit(e) + "\n";
  return o;
}

std::string SweepJson(const Engine& e, const std::string& group, Side side,
                      const std::vector<SweepPoint>& points) {
  json arr = json::array();
  for (const auto& p : points) {
    arr.push_back({{"fraction", p.fraction}, {"summary", SummaryJson(p.summary)}});
  }
  json root = {{"credit", Credit(e)},
               {"model", e.dataset.model.name},
               {"group", group},
               {"weakened_side", SideId(side)},
               {"joint", points.empty() ? std::string() : points.front().summary.joint},
               {"limits", kLimits},
               {"points", arr}};
  return root.dump(2) + "\n";
}

std::string SweepCsv(const Engine& e, const std::string& group, Side side,
                     const std::vector<SweepPoint>& points, std::size_t n_compensators) {
  std::string o = "# " + Credit(e) + "\n";
  o += "group,fraction,weakened_side,joint,peak_bw,peak_time_s,change_bw,change_percent,"
       "anterior_bw,medial_bw,superior_bw,reserve_nm,compensators_from";
  for (std::size_t k = 1; k <= n_compensators; ++k) {
    o += fmt::format(",compensator_{0},compensator_{0}_increase_n", k);
  }
  o += "\n";
  for (const auto& p : points) {
    const auto& s = p.summary;
    o += fmt::format("{},{:.2f},{},{},{:.4f},{:.4f},{:.4f},{:.2f},{:.4f},{:.4f},{:.4f},{:.3f},{}",
                     group, p.fraction, SideId(side), s.joint, s.peak_bw, s.peak_time, s.change_bw,
                     s.change_percent, s.anterior_bw, s.medial_bw, s.superior_bw, s.peak_reserve_nm,
                     ScopeId(s.compensator_scope, s.joint));
    for (std::size_t k = 0; k < n_compensators; ++k) {
      if (k < s.compensators.size()) {
        o += fmt::format(",{},{:.2f}", s.compensators[k].muscle, s.compensators[k].increase_n);
      } else {
        o += ",,";
      }
    }
    o += "\n";
  }
  return o;
}

}  // namespace hipcoach::model::report
